"""Check every internal link, image, stylesheet and #anchor in the written pages before publishing."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urlsplit


@dataclass
class PageLinks:
    """What one written page offers (ids) and points at (site-relative targets with fragments)."""

    output: str
    ids: frozenset[str]
    targets: list[tuple[str, str]] = field(default_factory=list)  # (file or folder, fragment)
    anchors_elsewhere: list[tuple[str, str]] = field(default_factory=list)  # those to an #anchor on another page


def scan(output: str, html: str) -> PageLinks:
    folder = posixpath.dirname(output)
    up = "../" * output.count("/")  # from this page to the site's root
    skip = len(up)
    targets: dict[tuple[str, str], None] = {}  # each link once, in order
    values = _attribute_values(html, 'href="') + _attribute_values(html, 'src="')
    for several in _attribute_values(html, 'srcset="'):
        values += [part.strip().split(" ")[0] for part in several.split(",") if part.strip()]
    for value in values:
        if value:
            if value.startswith(up) and not value.startswith(("../", "/"), skip):
                target = _from_root(value[skip:])  # the usual case: up to the root, then down; the same from every page
            else:
                target = _target(folder, value)
            if target is not None:
                targets[target if target[0] else (output, target[1])] = None
    found = list(targets)
    return PageLinks(output, frozenset(_attribute_values(html, 'id="')), found,
                     [(target, fragment) for target, fragment in found if fragment and target != output])


def _attribute_values(html: str, start: str) -> list[str]:
    """The values of one attribute (`start` is 'name="') throughout the page; quicker than a regular
    expression over the whole page. Written HTML always quotes attributes with " (templates autoescape,
    Markdown and the sanitiser write them so)."""
    found: list[str] = []
    skip = len(start)
    at = html.find(start)
    while at != -1:
        end = html.find('"', at + skip)
        if end == -1:
            break
        if html[at - 1] in " \n\t\r\f\v":  # a whole attribute name, not the end of another (data-src=, srcset=)
            found.append(html[at + skip:end])
        at = html.find(start, end)
    return found


@lru_cache(maxsize=65536)
def _from_root(value: str) -> tuple[str, str] | None:
    """(file or folder, fragment) of a link written from the site's root; one tuple for every page that has it."""
    found = _target("", value)
    if found is None:
        return None
    if not found[0]:  # the root itself ("", "#top", "?page=2"): the home page, not the page linking to it
        found = (".", found[1])
    return found


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


def _index_of(folder: str) -> str:
    """posixpath.join(folder, "index.html"), as quick as it gets (tens of thousands of links at a time)."""
    return f"{folder}/index.html" if folder and folder[-1] != "/" else f"{folder}index.html"


def broken_links(pages: list[PageLinks], files: set[str], changed: set[str] | None = None,
                 gone: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(page, problem) for every link whose target file, folder page or #anchor does not exist.
    With `changed` (the pages written again), the other pages' links were checked last time: only their links
    to a file that is `gone` since then, or to an #anchor on a changed page, are checked again."""
    ids = {p.output: p.ids for p in pages}
    went = set(gone)
    went |= {name[:-len("/index.html")] for name in went if name.endswith("/index.html")}
    if "index.html" in went:
        went |= {"", "."}
    problems: list[tuple[str, str]] = []
    for page in pages:
        if changed is None or page.output in changed:
            targets = page.targets
        elif not went and not page.anchors_elsewhere:
            continue  # (most pages: checked last time, and nothing they point at went)
        else:
            targets = [(t, f) for t, f in page.anchors_elsewhere
                       if t in changed or posixpath.normpath(posixpath.join(t, "index.html")) in changed]
            if went:
                targets += [(t, f) for t, f in page.targets if t in went]
        for target, fragment in targets:
            if target in ("", "."):
                target = "index.html"
            elif target.startswith(".."):
                problems.append((page.output, f"link leaves the site: {target}"))
                continue
            file = target if target in files else _index_of(target)
            if file not in files:
                problems.append((page.output, f"broken link to /{target}"))
            elif fragment and file in ids and fragment not in ids[file]:
                problems.append((page.output, f"broken link to /{target}#{fragment} (no such anchor)"))
    return sorted(set(problems))
