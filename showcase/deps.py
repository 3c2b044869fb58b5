"""What each page was made from, recorded while it renders, so an unchanged page is never rendered twice.

A page's record holds a digest of everything it read: the content items (by their files' bytes), the
lists it walked (which items, in which order), the templates it used, and the page's own plan. If every
digest is the same in the next build, the page's bytes would be the same too, and it is kept as it is.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .content import Item, Site, Term
from .markdown import RenderedMarkdown
from .snapshot import file_digest

CACHE_VERSION = "2"

def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The generator's own source: a new version (or a local edit) must never reuse old pages."""
    package = Path(__file__).parent
    hasher = hashlib.blake2b(digest_size=12)
    for path in sorted(package.glob("*.py")):
        hasher.update(path.name.encode() + path.read_bytes())
    return hasher.hexdigest()


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
        cached = self.known.get(key)
        if (cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns
                and stat.st_mtime_ns < self.trusted_before_ns):
            digest = cached[2]
        else:
            digest = file_digest(key)
        self.now[key] = (stat.st_size, stat.st_mtime_ns, digest)
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


def recording() -> bool:
    return _RECORDING is not None


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
        if attribute not in ("config", "name"):  # the configuration is part of every page's key
            _RECORDING.add(f"site:{attribute}")
    else:
        _RECORDING.add(f"term:{obj.kind}:{obj.slug}")


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


_PLAIN = (str, int, float, bool, type(None))


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
        if all(_KINDS.get(kind) == "item" for kind in kinds):  # lists of stories, artworks...
            return tuple([("item", v.source, v.url) for v in value])
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
            value = getattr(self.site, rest, None)
            if rest in ("practices", "tags"):  # the terms with everything filed under them
                return digest([(slug, self._compute(f"term:{t.kind}:{slug}")) for slug, t in value.items()])
            return digest(_shape(value))
        if kind == "term":
            term_kind, _, slug = rest.partition(":")
            term = (self.site.practices if term_kind == "practice" else self.site.tags).get(slug)
            return digest(None if term is None else (term.name, term.url, _shape(term.stories),
                                                     _shape(term.projects), _shape(term.artworks)))
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
    page = task.page  # its breadcrumbs and structured data are plain values: repr() is enough, and quick
    return digest(task.template, page.url, page.title, page.description, page.section, page.root_relative,
                  page.base_path, page.kind, repr(page.breadcrumbs), repr(page.structured), _shape(page.image),
                  _shape(task.context))


# --- the cache between builds -----------------------------------------------------------------------


@dataclass
class PageRecord:
    task: str  # digest of the planned page
    deps: tuple[str, ...]  # dependency keys (one string for all pages); their digests are in BuildCache.digests
    links: Any  # PageLinks of the written page, for the link check


@dataclass
class BuildCache:
    key: str = ""  # configuration, options and code: a change rebuilds everything
    files: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    parsed: dict[str, tuple] = field(default_factory=dict)  # see parse.ParseCache
    pages: dict[str, PageRecord] = field(default_factory=dict)  # output -> record
    digests: dict[str, str] = field(default_factory=dict)  # every page's dependency key -> its digest then
    search: list[str] = field(default_factory=list)  # the search index files last written
    outputs: frozenset[str] = frozenset()  # every file of the last site, links checked
    saved_ns: int = 0  # when this cache was written
    related: dict = field(default_factory=dict)  # related stories worked out last time, and from what
    search_behind: bool = False  # the search index was kept from an earlier build (see BuildOptions.search_later)

    @staticmethod
    def load(path: Path) -> BuildCache:
        try:
            with path.open("rb") as handle:
                version, cache = pickle.load(handle)
            return cache if version == CACHE_VERSION and isinstance(cache, BuildCache) else BuildCache()
        except Exception:  # a missing, old or damaged cache only costs a full build
            return BuildCache()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.saved_ns = time.time_ns()
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((CACHE_VERSION, self), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
