"""Parts of a page that many pages share (the site's header and footer), rendered once for all the pages on
which they come out the same, instead of once a page.

A theme asks for one with `{{ shared("_site_header.html") }}`, where it would write `{% include %}`. What the part
learns of the page is written down as it renders: the page's variables it names (those a page template sets, or
the plan gives it: found in its source and its includes' before it is first rendered), every attribute of the page it
reads, with its value, every address `url()` or `asset()` gave it, and every `current(address)` it asked. Another page
for which all of these come out the same renders the part the same way (a template reads the same things in the same
order when what it read so far is the same), so it is given the same HTML. A page with another value anywhere along
the way renders the part afresh, and that rendering is kept too. Nothing has to be declared, and a theme's own part
that shows the page's title, say, is still right: it is then rendered for each page. A part that reads what cannot be
compared (a story, an artwork), that includes a template named only as it renders, or that comes out differently on
so many pages that comparing costs more than rendering, is rendered for each page, as an include is.

What the part read of the site is replayed into each page's dependencies (as for story cards, theme.py), and the
parts live and are forgotten with the cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, meta
from jinja2.runtime import Context
from markupsafe import Markup

from . import deps
from .content import NavLink

SHARED = "shared"  # first item of a shared part's key among the theme's cards
MOST_SHAPES = 32  # ways a part was read, beyond which it is rendered for each page (comparing would cost more)

_PLAIN = (str, int, float, bool, type(None), NavLink)

Shape = tuple[tuple[str, str], ...]  # the questions a rendering asked: (kind, name) each


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
        return self._asked("url", target, link)

    def _is(self, target: str) -> bool:
        """`current(target)`, written down."""
        return self._asked("current", target, None)

    def _asked(self, kind: str, asked: str, link: Any) -> Any:
        value = answer(self._page, kind, asked, {}, link)
        self._note(kind, asked, value)
        return value


def answer(page: Any, kind: str, asked: str, given: dict[str, Any], link: Callable[[Any, str], str]) -> Any:
    """What a page answers to one of a shared part's questions: an attribute of the page, the address `url()` gives
    from it, whether an address is its own (`current`), or one of the page's variables (whether it is there, and its
    value: `given` holds those the part names)."""
    if kind == "page":
        return getattr(page, asked)
    if kind == "url":
        return link(page, asked)
    if kind == "current":
        return page.url == asked
    return asked in given, given.get(asked)


def _plain(value: Any) -> bool:
    if type(value) is tuple:
        return all(_plain(item) for item in value)
    return isinstance(value, _PLAIN)


class SharedParts:
    """One theme's shared parts: the questions each was asked, and what each names of the page's variables. Their
    renderings are kept among the theme's story cards (`cards`), so that the preview forgets them with the cards
    when something they read changes; `kept(key)` is told of each new one."""

    def __init__(self, env: Environment, cards: dict, kept: Callable[[tuple], None],
                 link: Callable[[Any, str], str]) -> None:
        self.env, self.cards, self.kept, self.link = env, cards, kept, link
        self.shapes: dict[str, list[Shape]] = {}
        self.names: dict[str, tuple[str, ...] | None] = {}  # None: not known (see _names_in)
        self.unshared: set[str] = set()  # parts rendered for each page

    def render(self, context: Context, name: str) -> Markup:
        page = context["page"]
        if name not in self.names:
            self.names[name] = self._names_in(name, set())
        names = self.names[name]
        if names is None or name in self.unshared:
            return Markup(self.env.get_template(name).render(context.get_all()))  # what an include would see
        given = {n: context[n] for n in names if n in context} if names else {}
        for shape in self.shapes.get(name, ()):
            found = self._answers(page, shape, given)
            cached = self.cards.get((SHARED, name, shape, found)) if found is not None else None
            if cached is not None:
                deps.replay(cached[1])
                return cached[0]
        template = self.env.get_template(name)
        traced = TracedPage(page)
        for n in names:
            traced._note("context", n, answer(page, "context", n, given, self.link))
        with deps.Capture() as capture:
            html = Markup(template.render(site=context["site"], page=traced, **given))
        if traced._plain:
            shape = tuple((kind, asked) for kind, asked, _ in traced._trace)
            key = (SHARED, name, shape, tuple(value for _, _, value in traced._trace))
            self.cards[key] = (html, capture.found)
            self.kept(key)
            self.learn([key])
        return html

    def learn(self, keys) -> None:
        """The shapes of these parts' renderings (made here, or by a worker process)."""
        for key in keys:
            if key[0] == SHARED:
                shapes = self.shapes.setdefault(key[1], [])
                if key[2] not in shapes:
                    shapes.append(key[2])
                    if len(shapes) > MOST_SHAPES:
                        self.unshared.add(key[1])

    def forget(self) -> None:
        """Renderings were forgotten: only the shapes of those left are asked about."""
        self.shapes.clear()
        self.unshared.clear()
        self.learn(self.cards)

    def _answers(self, page: Any, shape: Shape, given: dict[str, Any]) -> tuple | None:
        """What this page answers to a shape's questions; None when an answer cannot be compared."""
        found = tuple(answer(page, kind, asked, given, self.link) for kind, asked in shape)
        return found if _plain(found) else None

    def _names_in(self, name: str, seen: set[str]) -> tuple[str, ...] | None:
        """The variables a part (and what it includes or imports) reads without setting them, other than the site,
        the page and the theme's functions: those a page template sets or the plan gives it. None when it includes
        a template named only as it renders."""
        source = self.env.loader.get_source(self.env, name)[0]
        parsed = self.env.parse(source)
        found = set(meta.find_undeclared_variables(parsed))
        for other in meta.find_referenced_templates(parsed):
            if other is None:
                return None
            if other not in seen:
                seen.add(other)
                inner = self._names_in(other, seen)
                if inner is None:
                    return None
                found.update(inner)
        return tuple(sorted(found - {"site", "page"} - self.env.globals.keys()))
