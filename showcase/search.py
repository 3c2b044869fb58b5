"""Full-text search that works on static hosting: a Pagefind index of the written pages, written by showcase.

The search page's own script (assets/search.js) asks the index through Pagefind's JavaScript API and
WebAssembly (https://pagefind.app, PyPI `pagefind[bin]`, 1.5.2), which come from the Pagefind binary
(search_code.py). The index itself is written here, in Pagefind's format: search_reader.py reads each written
page as Pagefind reads it and search_writer.py writes what Pagefind writes, so the search page finds, ranks
and shows what Pagefind's own index would give it (tests/test_search_writer.py holds the two equal, file by
file, on the example site, a generated corpus and pages made to be awkward). That costs half the CPU of
Pagefind's run and a third of its memory. A build reads again only the pages that changed and changes only
their entries in the word index: the build cache keeps (`SearchRecord`) the size, time and inode each page was
read at, what the other index files need of it (search_bundle.PageSummary) and the word index itself
(search_table.WordTable), so that an edited page costs about the same whatever the size of the site. No server
and no network are involved.

Only the pages whose templates mark their main content with `data-pagefind-body` (stories, artworks,
projects, reports, pages, people, films and recordings) are indexed: listings, tag and practice pages never
are. Inside a page, anything marked `data-pagefind-ignore` is left out (label tables, key figures, permalinks,
figure captions, content notes, support boxes, tables of contents, listings); `nav`, `footer` and `form` are
left out as Pagefind leaves them out. What is never written (drafts, withheld stories, the real names of
anonymous contributors) can never be found. A site whose theme marks no page has every page indexed whole, as
Pagefind would. The same pages always give byte-identical index files, in the order of a walk of the site.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .journal import JournaledFile
from .search_bundle import (
    PageSummary,
    bundle_of,
    fragment_names,
    fragment_path,
    summary,
)
from .search_code import SearchError, copy_search_code, pagefind_executable
from .search_reader import PageRecord, page_url, read_page
from .search_table import WordTable
from .search_writer import (
    FRAGMENT_COMPRESSION,
    FragmentWriter,
    compress,
    full_hash,
    write_bundle,
)
from .snapshot import CacheWarning, cache_warning
from .workers import in_chunks

__all__ = ["OUTPUT", "SearchError", "SearchRecord", "build_search_index", "index_site", "pagefind_executable"]

OUTPUT = "pagefind"  # the folder inside the site
RECORD = "search.pickle"  # in the build cache
RECORD_VERSION = "4"

Stat = tuple[int, int, int]  # size, time (ns) and inode of a page as it was read


@dataclass(frozen=True)
class SearchRecord:
    """What the build cache keeps of the index a build wrote."""

    key: str  # the build's key: configuration, options and code (a new showcase is new code)
    language: str
    whole: bool  # no page marked its content, so every page was indexed whole
    pages: dict[str, tuple[Stat, PageSummary | None]]  # every HTML file of the site as read; None: not indexed
    order: tuple[str, ...]  # the pages indexed, in the index's page order (the table's page numbers)
    table: WordTable  # the word index of those pages
    files: tuple[str, ...]  # every file of the index, relative to the site, sorted


@dataclass
class Indexed:
    record: SearchRecord
    written: set[str]  # the files of the index this build wrote (the others were there, as they are)


def index_site(site_dir: Path, language: str, pages: list[str], cache_dir: Path, key: str = "",
               last: SearchRecord | None = None, unchanged: Callable[[str], bool] | None = None,
               workers: int = 1, known: Callable[[str], Stat | None] | None = None) -> Indexed:
    """Write the index of `pages` (the site's HTML files, '/'-separated paths relative to `site_dir`) into
    site_dir/pagefind. `unchanged(file)` says whether a file of the site is as the last build left it: such a
    file that the index needs again as it is (a file's name is the hash of what it holds) is not written again.

    With the `last` record, a page it holds as the same file (size, time, inode) is not read again, and the
    word index of the last build is brought up to date page by page (search_table.py): a page edited changes
    its own entries. A page whose fragment file is not as the last build left it is read again for it.
    `known(page)`: the size, time and inode of a page's file where the caller knows them already (None: ask)."""
    site_dir = Path(site_dir)
    language = (language or "").lower()
    bundle = site_dir / OUTPUT
    if bundle.exists() and not (last and bundle.is_dir()):
        raise SearchError(f"/{OUTPUT}/ is where the search index goes, but the site already has a file there "
                          f"(from static/{OUTPUT}?); rename it")
    stats = {page: (known and known(page)) or _stat(site_dir, page) for page in pages}
    keep = (lambda name: unchanged(f"{OUTPUT}/{name}")) if unchanged else None
    update = _updated(site_dir, language, pages, stats, key, last, keep, workers) if keep else None
    if update is None:  # afresh: every page read
        records = _records(site_dir, pages, language, False, workers)
        whole = not any(records.values())
        if whole:  # no page marks its content: Pagefind indexes every page whole (its <html>, less <head>, nav...)
            records = _records(site_dir, pages, language, True, workers)
        order = tuple(p for p in sorted(pages, key=walk_order) if records[p] is not None)
        summaries = {p: summary(r.record, r.digest) if r is not None else None for p, r in records.items()}
        table = None
    else:
        whole, records, summaries, order, table = update
    # the fragment files are written while the word table and the other files are made
    fragments = FragmentWriter(bundle, _fragment_files(order, summaries, records, language or "unknown"), keep)
    try:
        if table is None:
            table = WordTable.of([records[p].record for p in order])
        made = bundle_of([summaries[p] for p in order], table, language or "unknown",
                         {number: records[page].fragment for number, page in enumerate(order) if records.get(page)})
        written: list[str] = []
        files = write_bundle(made, bundle, keep=keep, written=written, fragments=fragments)
    except BaseException:
        fragments.wait()  # nothing is written into the site once this has returned
        raise
    files += copy_search_code(bundle, language, cache_dir, keep=keep, written=written)
    files = sorted(f"{OUTPUT}/{name}" for name in files)
    record = SearchRecord(key, language, whole, {p: (stats[p], summaries[p]) for p in pages}, order, table,
                          tuple(files))
    return Indexed(record, {f"{OUTPUT}/{name}" for name in written})


def _fragment_files(order: tuple[str, ...], summaries: dict[str, PageSummary | None], records: dict[str, Read | None],
                    language: str) -> dict[str, bytes | None]:
    """Each fragment file of the index (by its path in the bundle, as bundle_of names them) and its content, where
    it is at hand (the pages read by this build; pages with the same fragment share its file)."""
    files: dict[str, bytes | None] = {}
    for page, name in zip(order, fragment_names([summaries[p].fragment for p in order], language)):
        rel, read = fragment_path(name), records.get(page)
        if read is not None:
            files[rel] = read.fragment
        else:
            files.setdefault(rel, None)
    return files


def _updated(site_dir: Path, language: str, pages: list[str], stats: dict[str, Stat], key: str,
             last: SearchRecord | None, keep: Callable[[str], bool], workers: int):
    """The last build's index brought up to date: (whole, the records of the pages read again, every page's
    summary, the page order, the word table), or None where it must be made afresh (no usable record, a page
    that now marks its content on a site that had none or the reverse, meta fields new to the site or gone)."""
    if last is None or last.key != key or last.language != language:
        return None
    known = last.pages
    read = [p for p in pages if known.get(p, (None,))[0] != stats[p]]
    records = _records(site_dir, read, language, last.whole, workers)
    summaries = {p: known[p][1] for p in pages if p not in records}
    summaries.update((p, summary(r.record, r.digest) if r is not None else None) for p, r in records.items())
    if last.whole != (not any(summaries.values())) or any(s is not None and s.whole != last.whole
                                                         for s in summaries.values()):
        return None
    fields = {name for s in summaries.values() if s is not None for name in s.meta}
    if fields != set(last.table.fields):  # pages' meta locations name the fields by number: all would change
        return None
    order = tuple(p for p in sorted(pages, key=walk_order) if summaries[p] is not None)
    # pages whose fragment file is not as the last build left it, under the name it has now: read for it
    names = dict(zip(order, fragment_names([summaries[p].fragment for p in order], language or "unknown")))
    before = dict(zip(last.order, fragment_names([known[p][1].fragment for p in last.order], language or "unknown")))
    stale = [p for p in order if p not in records and
             (before.get(p) != names[p] or not keep(fragment_path(names[p])))]
    records.update(_records(site_dir, stale, language, last.whole, workers))
    table = last.table
    if order != last.order:  # pages came or went: the others renumbered, those read put in afresh
        position = {p: n for n, p in enumerate(order)}
        numbers = {n: position[p] for n, p in enumerate(last.order) if p in position and p not in records}
        table = table.renumbered(numbers)
        for n, p in enumerate(order):
            if p in records:
                table.put_page(n, "", (), records[p].record)
    else:
        for n, p in enumerate(order):
            if p in records:
                old = known[p][1]
                table.put_page(n, old.words, old.forms, records[p].record)
    return last.whole, records, summaries, order, table


def build_search_index(site_dir: Path, language: str, pages: list[str] | None = None,
                       cache_dir: Path | None = None, workers: int = 1) -> list[str]:
    """Index the HTML files of `site_dir` (or the given ones) afresh, with no record of an earlier index;
    returns the files written (posix paths relative to it)."""
    site_dir = Path(site_dir)
    if pages is None:
        pages = html_files(site_dir)
    if cache_dir is not None:
        return list(index_site(site_dir, language, pages, cache_dir, workers=workers).record.files)
    with tempfile.TemporaryDirectory(prefix="showcase-search-") as cache:
        return list(index_site(site_dir, language, pages, Path(cache), workers=workers).record.files)


def record_file(cache_dir: Path) -> JournaledFile:
    """Where the record of the index is kept: its pages' entries are saved as changes where few changed (journal.py)."""
    return JournaledFile(cache_dir / RECORD, RECORD_VERSION, SearchRecord, ("pages",))


def load_record(file: JournaledFile, files: list[str]) -> tuple[SearchRecord | None, CacheWarning | None]:
    """The record of the index the last build left, if the build cache lists the same files (else it belongs to
    an index that was made but never published)."""
    record, damaged, why = file.read()
    if damaged is not None:
        return None, cache_warning(damaged, f"the record of the search index could not be read ({why}); "
                                            "every page is read again")
    if record is None or list(record.files) != list(files):
        return None, None
    return record, None


def walk_order(rel: str) -> tuple:
    """The order a walk of the site meets its files in: a folder's own files first, then its folders."""
    *folders, name = rel.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def html_files(site_dir: Path) -> list[str]:
    """Every HTML file of the site ('/'-separated paths relative to it), in walk order."""
    found = []
    for folder, subfolders, names in os.walk(site_dir):
        subfolders.sort()
        found += [os.path.relpath(os.path.join(folder, name), site_dir).replace(os.sep, "/")
                  for name in sorted(names) if name.endswith(".html")]
    return found


def _stat(site_dir: Path, page: str) -> Stat:
    try:
        st = os.stat(os.path.join(site_dir, page))
    except OSError as exc:
        raise SearchError(f"/{page} could not be read: {exc.strerror or exc}") from exc
    return st.st_size, st.st_mtime_ns, st.st_ino


_READING: tuple[Path, str, bool] | None = None  # what the worker processes read pages with (set before the fork)


@dataclass(frozen=True, slots=True)
class Read:
    """A page as read for the index: its record, less its fragment (left out: b""), which is here as the full
    hash of its content and as its file, compressed (both made in the worker that read the page)."""
    record: PageRecord
    digest: str
    fragment: bytes


def _records(site_dir: Path, pages: list[str], language: str, whole: bool, workers: int) -> dict[str, Read | None]:
    """Each page read as Pagefind reads it, in worker processes when there are many."""
    global _READING
    _READING = (site_dir, language, whole)
    try:
        found: dict[str, Read | None] = {}
        for chunk, records in in_chunks(_read_pages, pages, workers):
            found.update(zip(chunk, records))
        return found
    finally:
        _READING = None


def _read_pages(pages: list[str]) -> list[Read | None]:
    assert _READING is not None
    site_dir, language, whole = _READING
    records = []
    for page in pages:
        try:
            with open(os.path.join(site_dir, page), "rb") as file:
                html = file.read()
        except OSError as exc:
            raise SearchError(f"/{page} could not be read: {exc.strerror or exc}") from exc
        record = read_page(html, page_url(page), language or None, whole=whole)
        records.append(Read(replace(record, fragment=b""), full_hash(record.fragment),
                            compress(record.fragment, FRAGMENT_COMPRESSION)) if record is not None else None)
    return records
