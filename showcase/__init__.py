"""showcase: a static site generator for accessible showcases of community creative practice."""

__version__ = "0.1.0"
