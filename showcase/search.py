"""Full-text search that works on static hosting: a Pagefind index of the written pages."""

from __future__ import annotations

from pathlib import Path


class SearchError(Exception):
    """The index could not be built; str() says why."""


def build_search_index(site_dir: Path, language: str) -> list[str]:
    """Index the pages in `site_dir`; returns the files written (posix paths relative to it)."""
    return []
