"""Build the showcase: `python build.py --help` lists the commands."""
import sys

from showcase.cli import main

if __name__ == "__main__":
    sys.exit(main())
