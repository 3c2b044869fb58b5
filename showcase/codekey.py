"""The generator itself as part of the build key: its code, the libraries it builds with, the Python running it.
A new version of any of them (or a local edit) must never reuse pages or caches made by the old one."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .deps import digest

PACKAGE = Path(__file__).parent
# The distributions whose code shapes a built page or what the cache keeps (compiled templates, parsed
# content, image derivatives, the search index). Their versions come from the installed package metadata.
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "nh3", "pillow",
             "pydantic", "pydantic-core", "pyyaml", "bibtexparser", "pagefind", "pagefind-bin", "anyascii", "tinytag",
             "orjson", "pystemmer")


def library_versions() -> tuple[tuple[str, str], ...]:
    found = []
    for name in LIBRARIES:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, "not installed"))
    return tuple(found)


def package_digest(folder: Path) -> str:
    """Every file of a package folder and its subpackages, by path and bytes (compiled files left out). The
    default theme installed inside the package is left out too: each page records the templates it used."""
    hasher = hashlib.blake2b(digest_size=12)
    for dirpath, dirnames, names in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith(".")
                             and not (Path(dirpath) == folder and d == "default_theme"))
        for name in sorted(names):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath, name)
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator itself: all of its code (subpackages too), the libraries it builds with and the Python
    running it. A new version of any of them (or a local edit) must never reuse old pages or caches."""
    return digest(package_digest(PACKAGE), library_versions(), sys.version, sys.implementation.cache_tag)
