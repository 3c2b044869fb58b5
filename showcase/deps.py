"""What each page was made from, recorded while it renders, so an unchanged page is never rendered twice.

A page's record holds a digest of everything it read: the content items (by their files' bytes), the
lists it walked (which items, in which order), the templates it used, and the page's own plan. If every
digest is the same in the next build, the page's bytes would be the same too, and it is kept as it is.

What a page read is recorded as narrowly as it asked: one artwork looked up by its slug
(`site:artworks[bowl]`), how many stories there are (`site:stories#len`), whether static/favicon.svg is
published (`url:static/favicon.svg`), a term's name apart from its list of stories. So adding a story renders
again the pages that list it or link to it, not every page that shows a card or a favicon.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from .content import Item, Site, Term
from .markdown import RenderedMarkdown
from .snapshot import changed_ns, file_digest


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


class FileDigests:
    """Content digests of files, recomputed only when size or modification time changed."""

    def __init__(self, known: dict[str, tuple[int, int, str]] | None = None, trusted_before_ns: int = 0):
        self.known = known or {}
        # A file changed in the same clock tick as it was last read looks unchanged by size and time
        # alone: anything modified shortly before the last build finished is read again.
        self.trusted_before_ns = trusted_before_ns
        self.now: dict[str, tuple[int, int, str]] = {}

    def of(self, path: Path | str) -> str:
        key = str(path)
        if key in self.now:
            return self.now[key][2]
        stat = os.stat(key)
        changed = changed_ns(stat)
        cached = self.known.get(key)
        if cached and cached[0] == stat.st_size and cached[1] == changed and changed < self.trusted_before_ns:
            digest = cached[2]
        else:
            digest = file_digest(key)
        self.now[key] = (stat.st_size, changed, digest)
        return digest


# --- recording ------------------------------------------------------------------------------------

_RECORDING: set[str] | None = None


def start() -> None:
    global _RECORDING
    _RECORDING = set()


def stop() -> set[str]:
    global _RECORDING
    found, _RECORDING = _RECORDING or set(), None
    return found


class Capture:
    """What one piece of a page (a story card, say) read, so that a reused copy records the same."""

    def __init__(self) -> None:
        self.outer: set[str] | None = None
        self.found: frozenset[str] = frozenset()

    def __enter__(self) -> Capture:
        global _RECORDING
        self.outer = _RECORDING
        if self.outer is not None:
            _RECORDING = set()
        return self

    def __exit__(self, *exc: object) -> None:
        global _RECORDING
        if self.outer is not None:
            self.found = frozenset(_RECORDING or ())
            self.outer |= self.found
        _RECORDING = self.outer


def replay(keys: frozenset[str]) -> None:
    if _RECORDING is not None:
        _RECORDING.update(keys)


def record(key: str) -> None:
    if _RECORDING is not None:
        _RECORDING.add(key)


def record_access(obj: Any, attribute: str) -> None:
    """Called for every attribute a template reads; notes what the page now depends on."""
    if _RECORDING is None:
        return
    kind = _KINDS.get(type(obj))
    if kind is None:
        return
    if kind == "item":
        _RECORDING.add(item_key(obj, attribute))
    elif kind == "site":
        if attribute not in SITE_UNRECORDED:
            _RECORDING.add(f"site:{attribute}")
    else:  # a term: its name and address never change, its lists do
        _RECORDING.add(sys.intern(f"term:{obj.kind}:{obj.slug}:{attribute}"))


# The configuration is part of every page's key (see LastBuild._key), and the site's methods record
# the narrow facts they answer themselves (Site.has_static).
SITE_UNRECORDED = frozenset({"config", "name", "has_static", "artwork_for", "media_for", "absolute"})


class _SiteView:
    """What the recording views share: a name, the value, and facts recorded apart from the value."""

    __slots__ = ()
    _data: Any
    _name: str

    def _record(self, suffix: str = "") -> None:
        if _RECORDING is not None:
            _RECORDING.add(f"site:{self._name}{suffix}")

    def __len__(self) -> int:
        self._record("#len")
        return len(self._data)

    def __bool__(self) -> bool:
        self._record("#any")
        return bool(self._data)

    def __eq__(self, other: object) -> bool:
        self._record()
        return self._data == (other._data if isinstance(other, _SiteView) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._data)


class SiteMapping(_SiteView, Mapping):
    """One of the site's dicts (artworks, projects, practices...) as a template sees it while a page records.

    Looking one entry up (`site.artworks[slug]`, `.get(slug)`, `slug in site.artworks`) depends on that entry
    alone; asking whether there are any, or how many, depends on just that; only walking through all of them
    depends on all of them. So a story card showing its hero is not rendered again when an artwork is added."""

    __slots__ = ("_data", "_name", "_keys")

    def __init__(self, data: dict, name: str):
        self._data = data
        self._name = name
        self._keys: dict[Any, str] = {}

    def _record_entry(self, key: Any) -> None:
        if _RECORDING is not None:
            found = self._keys.get(key)
            if found is None:
                found = self._keys[key] = sys.intern(f"site:{self._name}[{key}]")
            _RECORDING.add(found)

    def __getitem__(self, key: Any) -> Any:
        self._record_entry(key)
        return self._data[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._record_entry(key)
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._record_entry(key)
        return key in self._data

    def __iter__(self) -> Iterator:
        self._record()
        return iter(self._data)

    def keys(self):  # type: ignore[override]
        self._record()
        return self._data.keys()

    def values(self):  # type: ignore[override]
        self._record()
        return self._data.values()

    def items(self):  # type: ignore[override]
        self._record()
        return self._data.items()



class SiteList(_SiteView, Sequence):
    """One of the site's lists (stories, reports, pages...) as a template sees it while a page records: its
    length and whether it is empty are facts of their own; reading its entries depends on all of them."""

    __slots__ = ("_data", "_name")

    def __init__(self, data: list, name: str):
        self._data = data
        self._name = name

    def __getitem__(self, index: Any) -> Any:
        self._record()
        return self._data[index]

    def __iter__(self) -> Iterator:
        self._record()
        return iter(self._data)

    def __reversed__(self) -> Iterator:
        self._record()
        return reversed(self._data)

    def __contains__(self, value: object) -> bool:
        self._record()
        return value in self._data



def site_views(site: Site) -> dict[str, SiteMapping | SiteList]:
    """The recording view of each of the site's dicts and lists, by attribute name."""
    views: dict[str, SiteMapping | SiteList] = {}
    for name, value in vars(site).items():
        if name.startswith("_"):
            continue
        if type(value) is dict:
            views[name] = SiteMapping(value, name)
        elif type(value) is list:
            views[name] = SiteList(value, name)
    return views


def item_key(item: Item, attribute: str) -> str:
    return sys.intern(f"item:{item.source}:{attribute}")  # one string for every page that reads it


_KINDS: dict[type, str] = {Site: "site", Term: "term"}


def _register_items() -> None:
    stack = [Item]
    while stack:
        cls = stack.pop()
        _KINDS[cls] = "item"
        stack.extend(cls.__subclasses__())


_register_items()
ITEM_TYPES = frozenset(kind for kind, name in _KINDS.items() if name == "item")
RECORDED_TYPES = frozenset(kind for kind, name in _KINDS.items() if name != "item")  # the site and terms


# --- digests of what was recorded -----------------------------------------------------------------


_NONE = type(None)
_PLAIN = (str, int, float, bool, _NONE)


def _shape(value: Any) -> Any:
    """A stable description of a value in which items stand for themselves by their source file."""
    if isinstance(value, _PLAIN):
        return value
    if _KINDS.get(type(value)) == "item":
        return ("item", value.source, value.url)
    if isinstance(value, Term):  # what a page reads of a term is recorded as it renders (see record_access)
        return ("term", value.kind, value.slug)
    if isinstance(value, RenderedMarkdown):
        return value.html
    if isinstance(value, dict):
        return tuple((k, _shape(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        kinds = set(map(type, value))
        if kinds <= {str}:  # addresses of a list's pages, slugs...: already as plain as it gets
            return tuple(value)
        if all(_KINDS.get(kind) == "item" or kind is _NONE for kind in kinds):  # stories, artworks... (a card's
            return tuple([("item", v.source, v.url) if v is not None else None for v in value])  # (story, picture))
        return tuple([_shape(v) for v in value])
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(_shape(getattr(value, f.name)) for f in fields(value)))
    if hasattr(value, "model_dump"):
        return repr(value)
    return value


class Fingerprints:
    """The current digest of every kind of dependency, worked out once per build."""

    def __init__(self, site: Site, files: FileDigests, root: Path, templates: dict[str, Path]):
        self.site = site
        self.files = files
        self.root = root
        self.templates = templates  # template name -> the file the theme would use
        self.memo: dict[str, str] = {}
        for name in sorted(templates):  # read now, before any page is rendered from them: a template saved
            self.of(f"template:{name}")  # during the build is then seen as changed by the next one
        self.items: dict[str, Item] = {}
        for item in [*site.stories, *site.artworks.values(), *site.projects.values(), *site.reports,
                     *site.pages, *site.people, *site.media.values()]:
            self.items[item.source] = item

    def of(self, key: str) -> str:
        if key not in self.memo:
            self.memo[key] = self._compute(key)
        return self.memo[key]

    def _compute(self, key: str) -> str:
        kind, _, rest = key.partition(":")
        if kind == "item":  # one attribute of one item: its text, its metadata, its related stories...
            source, _, attribute = rest.rpartition(":")
            item = self.items.get(source)
            if item is None:
                return "gone"
            return item.digests.get(attribute) or digest(_shape(getattr(item, attribute, None)))
        if kind == "site":
            name, bracket, entry = rest.partition("[")
            if bracket:  # one entry of a dict, looked up by its key ("site:artworks[bowl]"): which item it is
                value = getattr(self.site, name, None)
                return digest(_shape(value.get(entry[:-1])) if isinstance(value, dict) else "missing")
            name, hash_, fact = rest.partition("#")
            value = getattr(self.site, name, None)
            if fact == "len":
                return digest(len(value) if value is not None else None)
            if fact == "any":
                return digest(bool(value))
            return digest(_shape(value))  # terms stand for themselves: what is read of them is recorded apart
        if kind == "term":
            term_kind, _, slug_attribute = rest.partition(":")
            slug, _, attribute = slug_attribute.rpartition(":")
            term = (self.site.practices if term_kind == "practice" else self.site.tags).get(slug)
            if term is None or not attribute:
                return "gone"
            return digest(_shape(getattr(term, attribute, None)))
        if kind == "template":
            path = self.templates.get(rest)
            return digest(str(path), self.files.of(path)) if path else "missing"
        if kind == "url":
            return digest(self.site.urls.get(rest))
        return "unknown"


PARSED = ("meta", "body", "description", "bio", "transcript")  # attributes that come from the file alone


def parsed_digests(item: Item) -> dict[str, str]:
    """Digests of what an item's own file gives it, worked out once when it is parsed (and cached with it)."""
    return {name: digest(_shape(getattr(item, name))) for name in PARSED if hasattr(item, name)}


def task_digest(task: Any) -> str:
    """What a page was planned to show, worked out once for each task (a task is not changed once planned: the
    preview's changes in place compare it, then render the page, with the same task)."""
    known = task.__dict__.get("_digest")
    if known is None:
        page = task.page  # its breadcrumbs and structured data are plain values: repr() is enough, and quick
        known = task.__dict__["_digest"] = digest(
            task.template, page.url, page.title, page.description, page.section, page.root_relative, page.base_path,
            page.kind, repr(page.breadcrumbs), repr(page.structured), _shape(page.image), _shape(task.context))
    return known
