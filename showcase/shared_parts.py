"""Parts of a page that many pages share (the site's header and footer), rendered once for all the pages on
which they come out the same, instead of once a page.

A theme asks for one with `{{ shared("_site_header.html") }}`. The part is rendered with the site and the page
only, and what it learns of the page is written down as it renders: every attribute of the page it reads, with
its value, every address `url()` or `asset()` gave it, and every `current(address)` it asked. Another page for which
all of these come out the same renders the part the same way (a template reads the same things in the same order
when what it read so far is the same), so it is given the same HTML. A page with another value anywhere along the
way renders the part afresh, and that rendering is kept too. Nothing has to be declared, and a theme's own part
that reads the page's title, say, is still right: it is then rendered for each page.

What the part read of the site is replayed into each page's dependencies (as for story cards, theme.py), and the
parts live and are forgotten with the cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .content import NavLink

SHARED = "shared"  # first item of a shared part's key among the theme's cards

_PLAIN = (str, int, float, bool, type(None), NavLink)


class TracedPage:
    """The page as a shared part sees it: every read written down (see the module's docstring)."""

    __slots__ = ("_page", "_trace", "_plain")

    def __init__(self, page: Any) -> None:
        self._page = page
        self._trace: list[tuple[str, str, Any]] = []
        self._plain = True  # every value read can be compared for equality (else the part is not kept)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._page, name)
        self._note("page", name, value)
        return value

    def _note(self, kind: str, name: str, value: Any) -> None:
        if not _plain(value):
            self._plain = False
        self._trace.append((kind, name, value))

    def _link(self, target: str, link: Callable[[Any, str], str]) -> str:
        """`url(target)` from this page, written down."""
        value = link(self._page, target)
        self._note("url", target, value)
        return value

    def _is(self, target: str) -> bool:
        """`current(target)`, written down."""
        value = self._page.url == target
        self._note("current", target, value)
        return value


def _plain(value: Any) -> bool:
    if type(value) is tuple:
        return all(_plain(item) for item in value)
    return isinstance(value, _PLAIN)


def shape_of(trace: list[tuple[str, str, Any]]) -> tuple[tuple[str, str], ...]:
    """What a rendering read, without the values: the questions to ask another page."""
    return tuple((kind, name) for kind, name, _ in trace)


def answers(page: Any, shape: tuple[tuple[str, str], ...], link: Callable[[Any, str], str]) -> tuple:
    """What another page answers to those questions."""
    found = []
    for kind, name in shape:
        if kind == "page":
            found.append(getattr(page, name))
        elif kind == "url":
            found.append(link(page, name))
        else:
            found.append(page.url == name)
    return tuple(found)
