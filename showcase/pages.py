"""What a page of the site is, before it is rendered: its address and title, its place in a paginated list, and
the template that renders it with what it shows (planned by plan.py, rendered by render.py)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .content import NavLink


@dataclass(frozen=True)
class PageInfo:
    """What every template knows about the page it renders."""

    url: str  # site-relative address
    title: str  # shown in <title> and the h1
    description: str
    section: str = ""  # the navigation entry to mark as current
    breadcrumbs: tuple[NavLink, ...] = ()
    root_relative: bool = False  # links from the root (the 404 page is served at any address)
    base_path: str = "/"
    image: Any = None  # the artwork shown when the page is shared
    structured: tuple[dict, ...] = ()  # JSON-LD objects
    kind: str = "website"  # Open Graph type
    unpublished: str = ""  # shown only by a preview (--drafts): why, for its banner; "" on a published page

    @property
    def output(self) -> str:
        if self.url == "" or self.url.endswith("/"):
            return self.url + "index.html"
        return self.url

    @cached_property
    def top(self) -> str:
        """The page's top folder with its slash ("stories/"), or "" for a page at the root."""
        return self.url.split("/", 1)[0] + "/" if "/" in self.url else ""

    @cached_property
    def up(self) -> str:
        """From this page's folder back to the site's root: "../../" for stories/x/."""
        return "../" * self.url.count("/")

    # Kept with the site in the build cache (assembled.py), the breadcrumbs and structured data of every page are a
    # fifth of what a build that starts from it unpickles (at 10,000 stories, 0.2 s of its 0.65), and only the pages
    # rendered again read them: they are pickled apart, and unpickled when a page first asks for them.

    def __reduce__(self):
        state = dict(self.__dict__)
        later = state.pop("_later", None)
        if later is None:
            later = pickle.dumps(tuple(state.pop(name) for name in _LATER), pickle.HIGHEST_PROTOCOL)
        return _page_info, (state, later)

    def __getattr__(self, name: str) -> Any:  # (only for an attribute not found: the two until they are unpickled)
        found = self.__dict__
        if name in _LATER and "_later" in found:
            found.update(zip(_LATER, pickle.loads(found["_later"]), strict=True))
            found.pop("_later", None)
            return found[name]
        raise AttributeError(f"'PageInfo' object has no attribute '{name}'")


_LATER = ("breadcrumbs", "structured")
for _name in _LATER:  # the class's defaults would answer before __getattr__ is asked (__init__ keeps its own)
    delattr(PageInfo, _name)


def _page_info(state: dict, later: bytes) -> PageInfo:
    page = object.__new__(PageInfo)
    page.__dict__.update(state, _later=later)
    return page


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    base: str  # address of the first page; page n is at base + "page/n/"

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def here(self) -> str:
        return self.url(self.number)

    @property
    def previous(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None

    @property
    def window(self) -> list[tuple[int, str] | None]:
        """The first and last pages and those near this one; None marks a gap ("…")."""
        shown = sorted({1, self.count, *range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)})
        pages: list[tuple[int, str] | None] = []
        for number in shown:
            if pages and pages[-1] is not None and number > pages[-1][0] + 1:
                pages.append(None)
            pages.append((number, self.url(number)))
        return pages


@dataclass(frozen=True)
class PageTask:
    page: PageInfo
    template: str
    context: dict[str, Any] = field(default_factory=dict)
