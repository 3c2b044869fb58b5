"""Full-text search that works on static hosting: a Pagefind index of the written pages, written by showcase.

The search page's own script (assets/search.js) asks the index through Pagefind's JavaScript API and
WebAssembly (https://pagefind.app, PyPI `pagefind[bin]`, 1.5.2), which come from the Pagefind binary
(search_code.py). The index itself is written here, in Pagefind's format: search_reader.py reads each written
page as Pagefind reads it and search_writer.py writes what Pagefind writes, so the search page finds, ranks
and shows what Pagefind's own index would give it (tests/test_search_writer.py holds the two equal, file by
file, on the example site, a generated corpus and pages made to be awkward). That costs half the CPU of
Pagefind's run and a third of its memory, and a build reads again only the pages that changed: each page's
record is kept in the build cache (`SearchRecord`) with the size, time and inode of the file it was read from.
No server and no network are involved.

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
from dataclasses import dataclass
from pathlib import Path

from .search_code import SearchError, copy_search_code, pagefind_executable
from .search_reader import PageRecord, page_url, read_page
from .search_writer import write_index
from .snapshot import CacheWarning, cache_warning, read_pickle, save_pickle
from .workers import in_chunks

__all__ = ["OUTPUT", "SearchError", "SearchRecord", "build_search_index", "index_site", "pagefind_executable"]

OUTPUT = "pagefind"  # the folder inside the site
RECORD = "search.pickle"  # in the build cache
RECORD_VERSION = "2"

Stat = tuple[int, int, int]  # size, time (ns) and inode of a page as it was read


@dataclass(frozen=True)
class SearchRecord:
    """What the build cache keeps of the index a build wrote."""

    key: str  # the build's key: configuration, options and code (a new showcase is new code)
    language: str
    whole: bool  # no page marked its content, so every page was indexed whole
    pages: dict[str, tuple[Stat, PageRecord | None]]  # every HTML file of the site as read; None: not indexed
    files: tuple[str, ...]  # every file of the index, relative to the site, sorted


@dataclass
class Indexed:
    record: SearchRecord
    written: set[str]  # the files of the index this build wrote (the others were there, as they are)


def index_site(site_dir: Path, language: str, pages: list[str], cache_dir: Path, key: str = "",
               last: SearchRecord | None = None, unchanged: Callable[[str], bool] | None = None,
               workers: int = 1) -> Indexed:
    """Write the index of `pages` (the site's HTML files, '/'-separated paths relative to `site_dir`) into
    site_dir/pagefind. A page the `last` record holds as the same file (size, time, inode) is not read again.
    `unchanged(file)` says whether a file of the site is as the last build left it: such a file that the
    index needs again as it is (a file's name is the hash of what it holds) is not written again."""
    site_dir = Path(site_dir)
    language = (language or "").lower()
    bundle = site_dir / OUTPUT
    if bundle.exists() and not (last and bundle.is_dir()):
        raise SearchError(f"/{OUTPUT}/ is where the search index goes, but the site already has a file there "
                          f"(from static/{OUTPUT}?); rename it")
    known = last.pages if last and last.key == key and last.language == language and not last.whole else {}
    stats = {page: _stat(site_dir, page) for page in pages}
    records = _records(site_dir, [p for p in pages if known.get(p, (None,))[0] != stats[p]], language, False,
                       workers)
    records.update({p: known[p][1] for p in pages if p not in records})
    whole = not any(records.values())
    if whole:  # no page marks its content: Pagefind indexes every page whole (its <html>, less <head>, nav...)
        records = _records(site_dir, pages, language, True, workers)
    order = sorted(pages, key=walk_order)
    keep = (lambda name: unchanged(f"{OUTPUT}/{name}")) if unchanged else None
    written: list[str] = []
    files = write_index([records[p] for p in order], language, bundle, keep=keep, written=written)
    files += copy_search_code(bundle, language, cache_dir, keep=keep, written=written)
    files = sorted(f"{OUTPUT}/{name}" for name in files)
    return Indexed(SearchRecord(key, language, whole, {p: (stats[p], records[p]) for p in pages}, tuple(files)),
                   {f"{OUTPUT}/{name}" for name in written})


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


def load_record(cache_dir: Path, files: list[str]) -> tuple[SearchRecord | None, CacheWarning | None]:
    """The record of the index the last build left, if the build cache lists the same files (else it belongs to
    an index that was made but never published)."""
    path = cache_dir / RECORD
    record, why = read_pickle(path, RECORD_VERSION, SearchRecord)
    if why is not None:
        return None, cache_warning(path, f"the record of the search index could not be read ({why}); "
                                         "every page is read again")
    if record is None or list(record.files) != list(files):
        return None, None
    return record, None


def save_record(cache_dir: Path, record: SearchRecord) -> None:
    save_pickle(cache_dir / RECORD, RECORD_VERSION, record)


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


def _records(site_dir: Path, pages: list[str], language: str, whole: bool,
             workers: int) -> dict[str, PageRecord | None]:
    """Each page read as Pagefind reads it, in worker processes when there are many."""
    global _READING
    _READING = (site_dir, language, whole)
    try:
        found: dict[str, PageRecord | None] = {}
        for chunk, records in in_chunks(_read_pages, pages, workers):
            found.update(zip(chunk, records))
        return found
    finally:
        _READING = None


def _read_pages(pages: list[str]) -> list[PageRecord | None]:
    assert _READING is not None
    site_dir, language, whole = _READING
    records = []
    for page in pages:
        try:
            with open(os.path.join(site_dir, page), "rb") as file:
                html = file.read()
        except OSError as exc:
            raise SearchError(f"/{page} could not be read: {exc.strerror or exc}") from exc
        records.append(read_page(html, page_url(page), language or None, whole=whole))
    return records
