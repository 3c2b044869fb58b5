"""Check every internal link, image, stylesheet and #anchor in the written pages before publishing."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_ATTR = re.compile(r'\s(?:href|src)="([^"]*)"|\ssrcset="([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class PageLinks:
    """What one written page offers (ids) and points at (site-relative targets with fragments)."""

    output: str
    ids: frozenset[str]
    targets: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, fragment)
    anchors_elsewhere: list[tuple[str, str]] = field(default_factory=list)  # those to an #anchor on another page


def scan(output: str, html: str) -> PageLinks:
    folder = posixpath.dirname(output)
    targets: list[tuple[str, str]] = []
    for match in _ATTR.finditer(html):
        values = [match.group(1)] if match.group(1) is not None else [
            part.strip().split(" ")[0] for part in match.group(2).split(",") if part.strip()]
        for value in values:
            target = _target(folder, value)
            if target is not None:
                targets.append((target[0] or output, target[1]))
    return PageLinks(output, frozenset(_ID.findall(html)), targets,
                     [(target, fragment) for target, fragment in targets if fragment and target != output])


@lru_cache(maxsize=65536)
def _target(folder: str, value: str) -> tuple[str, str] | None:
    """(file or folder, fragment) a link points at ("" for the page itself), or None when it leaves the
    site (or starts at its root)."""
    if value.startswith(("http:", "https:", "mailto:", "tel:", "//", "/")):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    return (posixpath.normpath(posixpath.join(folder, path)) if path else ""), parts.fragment


def broken_links(pages: list[PageLinks], files: set[str], changed: set[str] | None = None) -> list[tuple[str, str]]:
    """(page, problem) for every link whose target file, folder page or #anchor does not exist.
    With `changed` (the pages written again, when no file came or went), the other pages' links were
    checked last time: only their links to an #anchor on a changed page are checked again."""
    ids = {p.output: p.ids for p in pages}
    problems: list[tuple[str, str]] = []
    for page in pages:
        if changed is None or page.output in changed:
            targets = page.targets
        else:
            targets = [(t, f) for t, f in page.anchors_elsewhere if t in changed or posixpath.join(t, "index.html") in changed]
        for target, fragment in targets:
            if target in ("", "."):
                target = "index.html"
            elif target.startswith(".."):
                problems.append((page.output, f"link leaves the site: {target}"))
                continue
            file = target if target in files else posixpath.join(target, "index.html")
            if file not in files:
                problems.append((page.output, f"broken link to /{target}"))
            elif fragment and file in ids and fragment not in ids[file]:
                problems.append((page.output, f"broken link to /{target}#{fragment} (no such anchor)"))
    return sorted(set(problems))
