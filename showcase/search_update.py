"""The search index brought up to date part by part: only the parts whose pages changed are indexed again.

search.py indexes a large site in parts (a page stays in its part while the number of parts stays the same).
After each build the record of the index (`SearchRecord`: its parts, each part's pages, words and files) is
kept in the build cache. The next build indexes again only

- the parts holding a page that is not the file it indexed (written again, by any build since, or by hand),
  or that came or went, or whose own files were edited by hand; and
- every part, when the words of the whole site changed: each part also indexes the site's words (see
  search.WORDS_KIND), so a new word or a word gone changes them all; or when the number of parts changed.

Every other part's files stay in the site as they are. What comes out is byte for byte what a fresh index of
the same pages gives (tested): a part is a function of its pages and the site's words only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import search
from .search import (
    OUTPUT,
    PARTS,
    SearchError,
    index_parts,
    page_tokens,
    split_into_parts,
    walk_order,
    words_of,
    write_parts_list,
)
from .snapshot import CacheWarning, cache_warning, read_pickle, save_pickle

RECORD = "search.pickle"  # in the build cache
RECORD_VERSION = "1"

Stat = tuple[int, int, int]


@dataclass(frozen=True)
class Part:
    pages: tuple[str, ...]  # the content pages it indexes
    words: frozenset[str]  # every word of those pages
    files: tuple[str, ...]  # the files of the site it wrote


@dataclass(frozen=True)
class SearchRecord:
    key: str  # the build's key: configuration, options and code (a new Pagefind is new code)
    language: str
    parts: tuple[Part, ...]  # empty when no page marks its content (then every page was indexed whole)
    files: tuple[str, ...]  # every file of the index, sorted: what the build cache lists as the index
    pages: dict[str, Stat]  # every HTML file of the site as it was read (size, time, inode)

    @property
    def words(self) -> frozenset[str]:
        return frozenset().union(*(part.words for part in self.parts))


@dataclass
class Updated:
    files: list[str]  # every file of the index
    written: set[str]  # those written by this build (the others are last build's, kept)
    record: SearchRecord


def load_record(cache_dir: Path, files: list[str]) -> tuple[SearchRecord | None, CacheWarning | None]:
    """The record of the index the last build left, if the build cache lists the same files (else it belongs to
    an index that was made but never published)."""
    path = cache_dir / RECORD
    record, why = read_pickle(path, RECORD_VERSION, SearchRecord)
    if why is not None:
        return None, cache_warning(path, f"the record of the search index could not be read ({why}); "
                                         "the index is made again")
    if record is None or list(record.files) != list(files):
        return None, None
    return record, None


def save_record(cache_dir: Path, record: SearchRecord) -> None:
    save_pickle(cache_dir / RECORD, RECORD_VERSION, record)


def index_afresh(site_dir: Path, key: str, language: str, pages: list[str]) -> SearchRecord:
    """A new index of `pages` (search.index_afresh), and its record."""
    site_dir = Path(site_dir).resolve()
    files, parts, words = search.index_afresh(site_dir, language, pages)
    stats = {page: _stat(site_dir, page) for page in pages}
    if not words.pages:  # no page marks its content: every page indexed whole, in one part
        return SearchRecord(key, language, (), tuple(files), stats)
    return SearchRecord(key, language, tuple(
        Part(tuple(part), words.of(part),
             tuple(f for f in files if _part_of(f) == number))
        for number, part in enumerate(parts)), tuple(files), stats)


def _stat(site_dir: Path, page: str) -> Stat:
    st = os.stat(os.path.join(site_dir, page))
    return st.st_size, st.st_mtime_ns, st.st_ino


def update_search_index(site_dir: Path, key: str, language: str, pages: list[str], last: SearchRecord,
                        kept: Callable[[str], bool]) -> Updated | None:
    """Bring the index in `site_dir` (described by `last`; a page of the site since then may be another file)
    up to date with `pages`, the site's HTML files; `kept(file)` says whether a file of the site is as the last
    build left it (not edited by hand). None when it has to be made afresh (index_afresh): another
    key or language, or no page marking its content."""
    site_dir = Path(site_dir).resolve()
    if last.key != key or last.language != language or not last.parts or not (site_dir / OUTPUT).is_dir():
        return None
    known = {page for part in last.parts for page in part.pages}
    stats = {page: _stat(site_dir, page) for page in pages}
    read: dict[str, frozenset[bytes]] = {}  # the pages read again, their tokens
    marked = []
    for page in sorted(pages, key=walk_order):
        if stats[page] != last.pages.get(page):  # not the file that was indexed (or not read) last time
            tokens = page_tokens(site_dir, page)
            if tokens is not None:
                read[page] = tokens
                marked.append(page)
        elif page in known:  # unchanged, so it still marks its content
            marked.append(page)
    if not marked:
        return None
    parts = split_into_parts(marked)
    same_count = len(parts) == len(last.parts)
    words: list[frozenset[str]] = []
    stale: set[int] = set()
    for number, part in enumerate(parts):
        old = last.parts[number] if same_count else None
        if (old is not None and tuple(part) == old.pages and not any(page in read for page in part)
                and all(kept(f) for f in old.files)):
            words.append(old.words)
            continue
        stale.add(number)
        found: set[bytes] = set()
        for page in part:  # one page's tokens at a time: a part has thousands of pages
            found |= read.get(page) or _tokens_of(site_dir, page)
        words.append(words_of(found))
    site_words = frozenset().union(*words)
    if len(parts) > 1 and (not same_count or site_words != last.words):
        stale = set(range(len(parts)))  # every part indexes the site's words
    if not same_count:
        gone = set(last.files)
    else:
        gone = {f for number in stale for f in last.parts[number].files}
    for rel in sorted(gone, reverse=True):
        (site_dir / rel).unlink(missing_ok=True)
        _remove_empty_folders(site_dir / rel, site_dir / OUTPUT)
    written = index_parts(site_dir, parts, sorted(stale), sorted(site_words), language) if stale else {}
    record_parts = tuple(Part(tuple(part), words[n], tuple(written[n]) if n in written else last.parts[n].files)
                         for n, part in enumerate(parts))
    new = {f for n in written for f in written[n]}
    listed = f"{OUTPUT}/{PARTS}"
    if not same_count or listed not in last.files or not kept(listed):
        new.add(write_parts_list(site_dir, len(parts)))
    files = sorted({f for part in record_parts for f in part.files} | {listed})
    return Updated(files, new, SearchRecord(key, language, record_parts, tuple(files), stats))


def _remove_empty_folders(path: Path, stop: Path) -> None:
    folder = path.parent
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _tokens_of(site_dir: Path, page: str) -> frozenset[bytes]:
    found = page_tokens(site_dir, page)
    if found is None:  # cannot happen for a page listed in a part; said rather than guessed
        raise SearchError(f"/{page} no longer marks its content for the index")
    return found


def _part_of(rel: str) -> int:
    """The number of the part a file of the index belongs to (parts.json belongs to none: -1)."""
    inside = rel.removeprefix(f"{OUTPUT}/")
    if inside == PARTS:
        return -1
    head = inside.split("/", 1)[0]
    if head.startswith("part-") and "/" in inside and head[5:].isdigit():
        return int(head[5:])
    return 0
