"""Build the showcase: `python build.py --help` lists the commands."""
from showcase.cli import run

if __name__ == "__main__":
    run()
