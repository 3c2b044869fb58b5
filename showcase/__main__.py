"""`python -m showcase` runs the same command line as `python build.py`."""
from .cli import run

run()
