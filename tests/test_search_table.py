"""The search index brought up to date page by page (search_table.py, search.index_site with the last record)
gives the bytes a fresh index of the same pages gives: random edits, pages that come and go, words written with
diacritics, meta fields new to the site, pages that stop marking their content, index files edited by hand."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest

from showcase import search, search_writer
from showcase.search_reader import page_url, read_page
from showcase.search_table import WordTable

WORDS = ["clay", "bowl", "café", "cafe", "naïve", "naive", "résumé", "resume", "music", "hall", "week", "kiln",
         "glaze", "Zoë", "zoe", "film", "story", "garden", "Ünïcode", "well-being", "2024", "ça"]


def _html(rng: random.Random, marked: bool = True) -> str:
    title = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40)))
    place = f'<span data-pagefind-meta="place">{rng.choice(WORDS)}</span>' if rng.random() < 0.2 else ""
    kind = f'<span data-pagefind-filter="kind">{rng.choice(["Story", "Artwork", "Café"])}</span>'
    heading = f"<h2 id='part-{rng.randint(1, 3)}'>{rng.choice(WORDS)}</h2>" if rng.random() < 0.5 else ""
    main = "main data-pagefind-body" if marked else "main"
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head><body><{main}><h1>{title}</h1>'
            f"<p>{body}</p>{heading}<p>{rng.choice(WORDS)}</p>{place}{kind}</main></body></html>")


def _record(html: str, page: str):
    return read_page(html, page_url(page), "en")


@pytest.mark.parametrize("seed", range(8))
def test_pages_put_in_and_renumbered_give_the_table_of_a_fresh_merge(seed: int):
    rng = random.Random(seed)
    pages = [_record(_html(rng), f"p{n}/index.html") for n in range(12)]
    pages = [r for r in pages if r is not None]
    fields = {name for r in pages for name in r.meta}
    table = WordTable.of(pages)
    for _ in range(30):
        if rng.random() < 0.7:  # an edit: the same pages, one page's words changed
            n = rng.randrange(len(pages))
            new = _record(_html(rng), f"p{n}/index.html")
            if new is None or {name for name in new.meta} - fields:
                continue
            old = pages[n]
            forms = {f"{v.word}\n{v.form}" for v in old.variants}
            forms |= {f"{m.word}\n{m.form}" for m in old.meta_words if m.form is not None}
            table.put_page(n, old.words.words, forms, new)
            pages[n] = new
        else:  # pages come and go: the others renumbered, the new ones put in
            keep = sorted(rng.sample(range(len(pages)), rng.randint(1, len(pages))))
            added = [_record(_html(rng), f"n{rng.random()}/index.html") for _ in range(rng.randint(0, 3))]
            added = [r for r in added if r is not None and not set(r.meta) - fields]
            slots = sorted(rng.sample(range(len(keep) + len(added)), len(added)))
            merged: list = []
            kept = iter(keep)
            numbers = {}
            for position in range(len(keep) + len(added)):
                if position in slots:
                    merged.append(added[slots.index(position)])
                else:
                    old = next(kept)
                    numbers[old] = position
                    merged.append(pages[old])
            table = table.renumbered(numbers)
            for position in slots:
                table.put_page(position, "", (), merged[position])
            pages = merged
        if {name for r in pages for name in r.meta} != fields:
            continue  # the fields are numbered over the site: such a change is made afresh (index_site)
        fresh = WordTable.of(pages)
        assert sorted(table.words) == sorted(fresh.words)
        assert table.sizes() == fresh.sizes()
        assert {w: table.encode(w) for w in table.words} == {w: fresh.encode(w) for w in fresh.words}


class _Site:
    """A folder of pages indexed again and again, as the build does, beside a fresh index of the same pages."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "site"
        self.dir.mkdir()
        self.cache = root / "cache"
        self.cache.mkdir()
        self.fresh = root / "fresh"
        self.record = None
        self.left: dict[str, bytes] = {}
        self.clock = 1_600_000_000_000_000_000
        self.read: list[str] = []

    def write(self, page: str, html: str) -> None:
        path = self.dir / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html)
        self.clock += 1_000_000_000
        os.utime(path, ns=(self.clock, self.clock))  # two writes never look alike by time

    def pages(self) -> list[str]:
        return search.html_files(self.dir)

    def index(self) -> None:
        unchanged = lambda rel: self.left.get(rel) == _bytes(self.dir / rel)  # noqa: E731
        indexed = search.index_site(self.dir, "en", self.pages(), self.cache, "key", self.record, unchanged)
        for path in (self.dir / search.OUTPUT).rglob("*"):  # the build removes what the index no longer has
            rel = path.relative_to(self.dir).as_posix()
            if path.is_file() and rel not in indexed.record.files:
                path.unlink()
        self.record = indexed.record
        self.left = {rel: _bytes(self.dir / rel) for rel in indexed.record.files}

    def fresh_index(self) -> dict[str, bytes]:
        shutil.rmtree(self.fresh, ignore_errors=True)
        shutil.copytree(self.dir, self.fresh, ignore=shutil.ignore_patterns(search.OUTPUT))
        search.build_search_index(self.fresh, "en", cache_dir=self.cache)
        return _files(self.fresh / search.OUTPUT)


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("marked", [True, False], ids=["marked", "read-whole"])
@pytest.mark.parametrize(("seed", "forked"), [(0, False), (1, False), (2, False), (3, False), (0, True), (1, True)],
                         ids=["0", "1", "2", "3", "0-forked", "1-forked"])
def test_an_index_brought_up_to_date_is_the_fresh_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int,
                                                       marked: bool, forked: bool):
    """On a site whose pages mark their content, and on one where none does (every page is read whole, until
    one page marks its content); the fragment files written here, and by a forked copy (as on a large site)."""
    if forked:
        monkeypatch.setattr(search_writer.FragmentWriter, "FORK_FROM", 1)
    rng = random.Random(seed)
    site = _Site(tmp_path)
    reader = search.read_page
    monkeypatch.setattr(search, "read_page", lambda html, url, *a, **k: (site.read.append(url),
                                                                         reader(html, url, *a, **k))[1])
    for n in range(10):
        site.write(f"stories/s{n}/index.html", _html(rng, marked))
    site.write("index.html", _html(rng, marked=False))  # a listing: indexed only on a site read whole
    site.index()
    for step in range(25):
        pages = [p for p in site.pages() if not p.startswith(search.OUTPUT)]
        what = rng.choice(["edit", "edit", "edit", "add", "remove", "unmark", "touch", "hand", "gone"])
        site.read.clear()
        if what == "edit":
            page = rng.choice(pages)
            site.write(page, _html(rng, marked))
        elif what == "add":
            site.write(f"stories/new{step}/index.html", _html(rng, marked))
        elif what == "remove" and len(pages) > 2:
            (site.dir / rng.choice(pages)).unlink()
        elif what == "unmark":  # on a site read whole: a page that marks its content
            site.write(rng.choice(pages), _html(rng, marked=not marked))
        elif what == "touch":  # rewritten as it was: read again, nothing changes
            page = rng.choice(pages)
            site.write(page, (site.dir / page).read_text())
        elif what in ("hand", "gone"):  # a fragment edited or deleted by hand
            fragments = sorted((site.dir / search.OUTPUT / "fragment").iterdir())
            if fragments:
                victim = rng.choice(fragments)
                victim.write_bytes(b"edited") if what == "hand" else victim.unlink()
        site.index()
        if what == "edit" and len(set(site.read)) not in (1, len(pages)):
            raise AssertionError(f"an edit read {site.read}")  # its page, or all (a meta field new to the site)
        assert _files(site.dir / search.OUTPUT) == site.fresh_index(), (step, what)


def test_an_edit_reads_one_page_and_the_record_holds_no_page_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    rng = random.Random(1)
    site = _Site(tmp_path)
    for n in range(20):
        site.write(f"stories/s{n}/index.html", _html(rng).replace("<p>", "<p>clay bowl ", 1))
    site.index()
    read: list[str] = []
    reader = search.read_page
    monkeypatch.setattr(search, "read_page", lambda html, url, *a, **k: (read.append(url), reader(html, url, *a, **k))[1])
    html = (site.dir / "stories/s7/index.html").read_text()
    site.write("stories/s7/index.html", html.replace("<p>", "<p>a marchetti word new to the site ", 1))
    site.index()
    assert read == ["/stories/s7/"]
    assert _files(site.dir / search.OUTPUT) == site.fresh_index()
    saved = pickle_of(site.record)
    assert b"marchetti" in saved  # the word, in the table
    assert b"a marchetti word new" not in saved  # but no page's text: the fragments are the site's files


def pickle_of(record) -> bytes:
    import pickle
    return pickle.dumps(record)


def test_fragments_a_copy_could_not_write_are_written_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The fragment files of a large index are written by a forked copy of the build; where it fails (a full
    disk, say) or cannot be made, they are written by the build itself, so the index is whole, or what stands in
    its way is said as without the copy."""
    rng = random.Random(5)
    site = _Site(tmp_path)
    for n in range(12):
        site.write(f"stories/s{n}/index.html", _html(rng))
    fresh = site.fresh_index()
    monkeypatch.setattr(search_writer.FragmentWriter, "FORK_FROM", 1)
    parent, write = os.getpid(), search_writer._write_file

    def fails_in_the_copy(path: Path, data: bytes) -> None:
        if os.getpid() != parent:
            raise OSError(28, "No space left on device")
        write(path, data)

    forks, fork = [], os.fork
    monkeypatch.setattr(search_writer, "_write_file", fails_in_the_copy)
    monkeypatch.setattr(search_writer.os, "fork", lambda: forks.append(1) or fork())
    site.index()
    assert _files(site.dir / search.OUTPUT) == fresh and forks == [1]

    shutil.rmtree(site.dir / search.OUTPUT)
    site.record, site.left = None, {}

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(search_writer.os, "fork", no_fork)
    site.index()
    assert _files(site.dir / search.OUTPUT) == fresh

    shutil.rmtree(site.dir / search.OUTPUT)
    site.record, site.left = None, {}
    monkeypatch.setattr(search_writer, "_write_file", lambda path, data: (_ for _ in ()).throw(OSError(28, "full")))
    with pytest.raises(OSError, match="full"):
        site.index()


def test_an_index_that_fails_leaves_no_copy_writing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An index file the build cannot write (a full disk): the forked copy writing the fragment files is waited
    for before the error goes on, so nothing is written into the site once the build has stopped."""
    rng = random.Random(6)
    site = _Site(tmp_path)
    for n in range(12):
        site.write(f"stories/s{n}/index.html", _html(rng))
    monkeypatch.setattr(search_writer.FragmentWriter, "FORK_FROM", 1)
    parent, write, forks, fork = os.getpid(), search_writer._write_file, [], os.fork

    def slow_in_the_copy_full_here(path: Path, data: bytes) -> None:
        if os.getpid() == parent and "/index/" in path.as_posix():
            raise OSError(28, "No space left on device")
        if os.getpid() != parent:
            time.sleep(0.05)
        write(path, data)

    def forked() -> int:
        pid = fork()
        forks.append(pid)
        return pid

    monkeypatch.setattr(search_writer, "_write_file", slow_in_the_copy_full_here)
    monkeypatch.setattr(search_writer.os, "fork", forked)
    with pytest.raises(OSError, match="No space"):
        site.index()
    fragments = site.dir / search.OUTPUT / "fragment"
    assert len(forks) == 1 and len(list(fragments.iterdir())) == 12
    with pytest.raises(ChildProcessError):  # waited for already
        os.waitpid(forks[0], os.WNOHANG)
