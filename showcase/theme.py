"""The theme: Jinja2 templates and assets, a site's own files first, the default theme for the rest."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from html import unescape as html_unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from . import deps
from .dates_in_words import date_in_words
from .deps import record
from .shared_parts import SharedParts, TracedPage
from .template_env import CheckedBytecodeCache, RecordingEnvironment, compiled_folder
from .urls import REF_SCHEME


def default_theme_dir() -> Path:
    package = Path(__file__).parent
    installed = package / "default_theme"  # a regular (non-editable) install carries it inside
    return installed if installed.is_dir() else package.parent / "themes" / "default"


def theme_dirs(content_root: Path, name: str) -> list[Path]:
    """Folders searched for a template or asset, first match wins."""
    own = content_root.resolve().parent / "themes" / name
    default = default_theme_dir()
    dirs = [own] if own.is_dir() else []
    if default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


def theme_assets(dirs: list[Path]) -> dict[str, Path]:
    """Every asset (CSS, fonts, icons) by its path under assets/, the site's own copy winning."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        assets = folder / "assets"
        if assets.is_dir():
            for path in sorted(assets.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(assets).as_posix()] = path
    return dict(sorted(found.items()))


@lru_cache(maxsize=65536)
def relative_url(from_url: str, to_url: str) -> str:
    """A link from one site-relative URL to another that keeps working wherever the folder is hosted."""
    if _ABSOLUTE.match(to_url):
        return to_url
    target, hash_, fragment = to_url.partition("#")
    here = from_url.split("/")[:-1]  # the folder of the page ("stories/x/" -> ["stories", "x"])
    if here and not target.startswith(here[0] + "/"):  # the usual case: up to the root, then down
        return "../" * len(here) + target + (hash_ + fragment if hash_ else "")
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    return (rel or "./") + (hash_ + fragment if hash_ else "")


_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*:|^//|^#", re.I)


def format_date(value: dt.date | None) -> str:
    return date_in_words(value) if value else ""


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> block; '<' is escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_LEAD = object()  # a story card shows its story's lead artwork unless told otherwise

_IMG_REF = re.compile(r'<img src="' + REF_SCHEME + r':([^"]+)" alt="([^"]*)"(?: class="(showcase-figure)")?>')
_LEFT_OUT = "\x00"  # where resolve() left an image out (never in sanitised HTML)
_EMPTIED_LINK = re.compile(r"<a [^>]*>\s*\x00\s*</a>")
_EMBED_REF = re.compile(r'<a href="' + REF_SCHEME + r':([^"]+)" class="showcase-embed">.*?</a>', re.S)
_ID = re.compile(r'(?<![\w-])id="([^"]+)"')
_ID_OR_ANCHOR = re.compile(r'(?<![\w-])(id="|href="#)([^"#]+)"')  # an id, or a link to one on this page
_TABLE = re.compile(r"<table\b[^>]*>")
_TABLE_END = re.compile(r"</table>")


def _ref_path(written: str) -> str:
    """The content file a reference names, as markdown.py wrote it (percent-encoded, then escaped as HTML)."""
    return unquote(html_unescape(written))


_HREF_REF = re.compile(r'(href|src)="' + REF_SCHEME + r':([^"#]*)(#[^"]*)?"')


class Theme:
    def __init__(self, dirs: list[Path], compiled: Path | None = None):
        """`compiled`: a folder that keeps templates compiled between builds (checked against their source)."""
        self.dirs = dirs
        self.compiled = compiled
        self.assets = theme_assets(dirs)
        if compiled is not None:
            compiled = compiled_folder(compiled)
        self.bytecode = CheckedBytecodeCache(str(compiled)) if compiled is not None else None
        self.env = RecordingEnvironment(
            bytecode_cache=self.bytecode,
            loader=ChoiceLoader([FileSystemLoader(d / "templates") for d in dirs]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build never changes its templates; the server builds afresh each time
        )
        self.env.filters.update(date=format_date, size=format_size, credits=self._credits, json_ld=json_ld)
        self._cards: dict[tuple, tuple[Markup, frozenset[str]]] = {}
        self._new_cards: list[tuple] = []  # rendered since new_cards() was last asked
        self.own_card = Path(self.template_path("_story_card.html")).parent.parent.resolve() != \
            default_theme_dir().resolve()
        self._parts = SharedParts(self.env, self._cards, lambda key: self._new_cards.append(key), self._link)
        self.env.globals.update(story_card=self._story_card, shared=self._shared, current=self._current)
        self.env.globals.update(url=self._url, asset=self._asset, resolve=self._resolve, srcsets=self._srcsets,
                                fallback_srcset=self._fallback_srcset)

    def forget_cards(self, keys: set[str], unless_read_only: set[str] | dict | None = None) -> None:
        """Forget the story cards that read any of these dependency keys, or, given `unless_read_only`, any key
        not in it (the preview renders with one theme from build to build, see warm.py)."""
        for card in [card for card, (_, read) in self._cards.items()
                     if not read.isdisjoint(keys) or (unless_read_only is not None and
                                                      not all(key in unless_read_only for key in read))]:
            del self._cards[card]
        self._parts.forget()

    def forget_all_cards(self) -> None:
        self._cards.clear()
        self._new_cards.clear()
        self._parts.forget()

    def holds_cards(self) -> bool:
        """Whether any card or shared part is kept (none after a build whose workers rendered every page)."""
        return bool(self._cards)

    def new_cards(self) -> dict[tuple, tuple[Markup, frozenset[str]]]:
        """The story cards rendered since last asked."""
        found, self._new_cards = self._new_cards, []
        return {card: self._cards[card] for card in found if card in self._cards}

    def add_cards(self, cards: dict[tuple, tuple[Markup, frozenset[str]]]) -> None:
        """Cards a worker rendered (the same in this process), so that the preview's next build reuses them."""
        self._cards.update(cards)
        self._parts.learn(cards)  # (the shared parts among them)

    def cache_problems(self) -> list[tuple[str, str]]:
        """Compiled templates in the cache that could not be read since last asked (in this process)."""
        return self.bytecode.take_problems() if self.bytecode is not None else []

    def template_files(self) -> dict[str, Path]:
        """Every template name and the file that provides it (the site's own first)."""
        found: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            templates = folder / "templates"
            if templates.is_dir():
                for path in templates.rglob("*"):  # any file a template may include, not only .html
                    if path.is_file():
                        found[path.relative_to(templates).as_posix()] = path
        return found

    def template_path(self, name: str) -> str:
        for folder in self.dirs:
            path = folder / "templates" / name
            if path.is_file():
                return str(path)
        return name

    @staticmethod
    def _credits(credits: list) -> str:
        names = [c.shown for c in credits]
        if len(names) <= 2:
            return " and ".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]

    @pass_context
    def _url(self, context: Any, target: str) -> str:
        page = context["page"]
        if type(page) is TracedPage:  # in a shared part: the address is written down (see shared_parts.py)
            return page._link(target, self._link)
        return self._link(page, target)

    @staticmethod
    def _link(page: Any, target: str) -> str:
        if page.root_relative:  # the 404 page is served at any address, so its links start at the root
            return page.base_path + target if not re.match(r"^[a-z][a-z0-9+.-]*:|^#", target, re.I) else target
        top = page.top
        if top and not target.startswith(top) and ":" not in target and target[:1] != "#" and target[:2] != "//":
            return page.up + target  # the usual case: up to the root, then down (as relative_url would)
        return relative_url(page.url, target)

    @pass_context
    def _story_card(self, context: Any, story: Any, heading: str = "h3", picture: Any = _LEAD) -> Markup:
        """A story's card, rendered once for every page from which its links come out the same.

        `picture`: the artwork the card shows (None: none), chosen by the plan so that a page shows no picture
        twice; left out, the story's lead artwork (hero).
        Listing, project, practice and tag pages show the same cards again and again; what a card read is
        replayed into each page's dependencies, so incremental builds still see it."""
        page = context["page"]
        # The default card's only links are to the story and to images: the same links mean the same card.
        # A site's own card may show anything of the page, so it is rendered for each page.
        where = page.url if self.own_card else ""
        shows = picture if picture is _LEAD or picture is None else picture.source
        key = (story.source, heading, where, shows, self._url(context, story.url), self._url(context, "images/"))
        cached = self._cards.get(key)
        if cached is None:
            chosen = {} if picture is _LEAD else {"picture": picture}
            with deps.Capture() as capture:
                html = self.env.get_template("_story_card.html").render(
                    site=context["site"], page=page, story=story, card_heading=heading, **chosen)
            cached = self._cards[key] = (Markup(html), capture.found)
            self._new_cards.append(key)
        else:
            deps.replay(cached[1])
        return cached[0]

    @pass_context
    def _shared(self, context: Any, name: str) -> Markup:
        """A part of the page many pages share (the site's header, its footer), rendered once for all the pages
        on which it comes out the same (see shared_parts.py)."""
        return self._parts.render(context, name)

    @pass_context
    def _current(self, context: Any, target: str) -> bool:
        """Whether `target` is the address of the page being rendered (for aria-current)."""
        page = context["page"]
        return page._is(target) if type(page) is TracedPage else page.url == target

    @pass_context
    def _asset(self, context: Any, name: str) -> str:
        return self._url(context, f"assets/{name}")

    @pass_context
    def _srcsets(self, context: Any, image: Any) -> list[dict[str, str]]:
        """One <source> per format other than the <img> fallback's, in the configured order."""
        groups: dict[str, list] = {}
        for derivative in image.sources:
            if derivative.format != image.fallback.format:
                groups.setdefault(derivative.mime, []).append(derivative)
        return [{"mime": mime, "srcset": self._srcset(context, items)} for mime, items in groups.items()]

    @pass_context
    def _fallback_srcset(self, context: Any, image: Any) -> str:
        return self._srcset(context, [d for d in image.sources if d.format == image.fallback.format])

    def _srcset(self, context: Any, derivatives: list) -> str:
        return ", ".join(f"{self._url(context, 'images/' + d.name)} {d.width}w" for d in derivatives)

    @pass_context
    def _resolve(self, context: Any, html: str, lead: Any = None, ids: str = "") -> Markup:
        """Turn the content-file references in rendered Markdown into links from this page. `ids`: a prefix for
        the ids the text makes (its headings, its footnotes) and the links to them, where a page shows several
        texts (each person's biography), so that no id is there twice.

        An artwork is shown once: an image of the page's `lead` artwork (shown above the text), or of an artwork
        the text showed already, is left out."""
        site = context["site"]
        shown = {lead.source} if lead is not None else set()

        def image(match: re.Match) -> str:
            path, alt, figure = _ref_path(match.group(1)), match.group(2), match.group(3)
            record(f"url:{path}")
            artwork = site.artwork_for(path)
            if artwork is not None:
                if artwork.source in shown:
                    return _LEFT_OUT
                shown.add(artwork.source)
                for attribute in ("meta", "image", "url"):
                    record(f"item:{artwork.source}:{attribute}")
            if artwork is None:  # an image in static/
                return f'<img src="{escape(self._url(context, site.urls.get(path, "")))}" alt="{alt}">'
            template = self.env.get_template("_figure.html" if figure else "_picture.html")
            return template.render(site=site, page=context["page"], artwork=artwork,
                                   alt=Markup(alt) if alt else None, lead=False, sizes=None)

        def link(match: re.Match) -> str:
            attribute, path, fragment = match.group(1), _ref_path(match.group(2)), html_unescape(match.group(3) or "")
            record(f"url:{path}")
            return f'{attribute}="{escape(self._url(context, site.urls.get(path, "") + fragment))}"'

        def embed(match: re.Match) -> str:
            path = _ref_path(match.group(1))
            record(f"url:{path}")
            item = site.media_for(path)
            if item is None:
                return match.group(0)
            for attribute in ("meta", "url", "file_url", "file_type", "captions_url", "host", "embed_url", "transcript",
                              "audio_description_url", "audio_description_type", "text_description"):
                record(f"item:{item.source}:{attribute}")
            return self.env.get_template("_media.html").render(site=site, page=context["page"], media=item, embedded=True)

        if ids:
            own = set(_ID.findall(html))
            html = _ID_OR_ANCHOR.sub(lambda m: f'{m[1]}{ids}-{m[2]}"' if m[2] in own else m[0], html)
        tables = iter(range(1, html.count("<table") + 1))
        html = _TABLE_END.sub("</table></div>", _TABLE.sub(
            lambda m: f'<div class="table-scroll" role="region" tabindex="0" aria-label="Table {next(tables)}">'
                      f"{m.group(0)}", html))  # a table wider than the screen scrolls in a box the keyboard reaches
        html = _EMBED_REF.sub(embed, html)
        html = _IMG_REF.sub(image, html)
        if _LEFT_OUT in html:  # a link around an image left out would have nothing left to say
            html = _EMPTIED_LINK.sub("", html).replace(_LEFT_OUT, "")
        return Markup(_HREF_REF.sub(link, html))
