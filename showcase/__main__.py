"""`python -m showcase` runs the same command line as `python build.py`."""
import sys

from .cli import main

sys.exit(main())
