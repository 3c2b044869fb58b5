"""Broken links said where they can be mended: a link of the menu or the support lines once, at its line in site.yaml;
a link the theme puts on many pages once, with how many; any other at the content file the page shows.

`PlannedFiles` is what `check` has instead of a staging folder: the names of the files a build would write, so that
it finds the broken links a build would find, writing nothing."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from .discover import ContentFiles
from .errors import Diagnostics
from .messages import nearest
from .sources import ContentProblem, load_yaml, read_text

MANY = 5  # a broken link on more pages than this is the theme's: said once


class PlannedFiles:
    """The files a build would write, by name only (the staging steps of pipeline.py take it for an Output)."""

    def __init__(self, files: set[str]):
        self.files = set(files)

    def add(self, rel: str, data: bytes | str) -> None:
        self.files.add(rel)

    def add_copy(self, rel: str, source: Path) -> None:
        self.files.add(rel)


def site_yaml_links(config: Any) -> dict[str, tuple[tuple, str]]:
    """Each address of the menu and the support lines written as a place in the site -> (its place in site.yaml,
    the address as written)."""
    found: dict[str, tuple[tuple, str]] = {}
    for key, entries in (("navigation", config.navigation or []), ("support", config.support)):
        for index, entry in enumerate(entries):
            url = getattr(entry, "url", None)
            if url and ":" not in url and not url.startswith(("#", "//")):
                target = posixpath.normpath(url.lstrip("/").split("#")[0].split("?")[0] or ".")
                found.setdefault("" if target == "." else target, ((key, index, "url"), url))
    return found


def report(problems: list[tuple[str, str]], source_of, config: Any, files: ContentFiles, pages: list[str],
           diagnostics: Diagnostics) -> None:
    """Say each (page, problem) of links.broken_links once where it can be mended. `source_of(page)`: the file to
    name for a page's own link; `pages`: the addresses of the site's pages, for a suggestion."""
    by_problem: dict[str, list[str]] = {}
    for page, problem in problems:
        by_problem.setdefault(problem, []).append(page)
    from_config = site_yaml_links(config) if config is not None else {}
    site_yaml = files.path(files.site or "site.yaml")
    document = None
    for problem, on in by_problem.items():
        target = re.match(r"broken link to /(\S*)$", problem)
        written = from_config.get(target.group(1)) if target else None
        if written is not None:
            if document is None:
                try:
                    document = load_yaml(read_text(site_yaml))
                except (ContentProblem, OSError):
                    document = False
            loc, url = written
            line, col = document.locate(loc) if document else (None, None)
            near = nearest(target.group(1).rstrip("/"), [p.rstrip("/") for p in pages if 0 < p.count("/") <= 1])
            hint = f" (did you mean {near}/?)" if near else ""
            diagnostics.error(site_yaml, f"{loc[0]} url: '{url}' is not a page or file of the site{hint}", line, col)
        elif len(on) > MANY:
            shown = ", ".join(f"/{page}" for page in on[:2])
            diagnostics.error(source_of(on[0]), f"{shown} and {len(on) - 2} other pages: {problem}")
        else:
            for page in on:
                diagnostics.error(source_of(page), f"/{page}: {problem}")
