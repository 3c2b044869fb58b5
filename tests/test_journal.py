"""The build cache and the search index's record are saved as changes to a whole file where few entries changed
(showcase/journal.py): what a later build reads back is exactly what the last build saved, a build that changed a
story writes only changes, and a damaged changes file is said once and everything made again."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest
from sitekit import Site, make_image, write

from showcase import journal, search
from showcase.buildcache import BuildCache, cache_file
from showcase.journal import JournaledFile

CACHE = ".showcase-cache"


def _fields(record) -> dict:
    """A record's fields, each as a comparable value (the word table by its pickled bytes: it has no equality)."""
    return {field.name: pickle.dumps(value) if isinstance(value := getattr(record, field.name), search.WordTable)
            else value for field in dataclasses.fields(record)}


@pytest.fixture
def saved(monkeypatch) -> list[tuple[str, bytes, bool]]:
    """Every record saved, as (file name, the record pickled when it was saved, whether as changes)."""
    found: list[tuple[str, bytes, bool]] = []
    save = JournaledFile.save

    def recorded(self: JournaledFile, value) -> None:
        copy = pickle.dumps(value)
        save(self, value)
        found.append((self.path.name, copy, self.changes.exists()))

    monkeypatch.setattr(JournaledFile, "save", recorded)
    return found


def _read_back(site: Site, name: str):
    if name == "build.pickle":
        return cache_file(site.root / CACHE / name).read()
    return search.record_file(site.root / CACHE).read()


def _edits(site: Site):
    story = site.content / "stories/first-light.md"
    text = story.read_text()
    yield "a body edited", lambda: story.write_text(text + "\nOne more line.\n")
    yield "the same body again", lambda: story.write_text(text + "\nOne more line, and another.\n")
    yield "a title edited", lambda: story.write_text(text.replace("title: First light", "title: First light again"))
    yield "a story added", lambda: write(site.content / "stories/third.md", """
        ---
        title: A third story
        date: 2017-03-01
        summary: Walking together.
        authors: [Sam Carter]
        consent: recorded
        practices: [walking]
        ---
        We walked along the river.
        """)
    yield "an artwork added", lambda: (make_image(site.content / "artworks/jug.jpg", colour=(40, 90, 160)), write(
        site.content / "artworks/jug.yaml", "title: A jug\nalt: A tall jug.\nartist: Sam Carter\nyear: 2016\n"))
    yield "a static file added", lambda: write(site.content / "static/notes.txt", "Notes.\n")
    yield "the story removed", lambda: (site.content / "stories/third.md").unlink()
    yield "a body edited once more", lambda: story.write_text(text + "\nThe last line.\n")


def test_what_a_build_saves_as_changes_is_read_back_whole_by_the_next(tmp_path: Path, saved):
    site = Site(tmp_path)
    assert site.build() == 0
    whole = site.root / CACHE / "build.pickle"
    ways: set[tuple[str, bool]] = set()  # each file saved as changes, and whole
    for what, edit in _edits(site):
        before = whole.stat()
        saved.clear()
        edit()
        assert site.build() == 0, what
        names = {name for name, _, _ in saved}
        assert "build.pickle" in names and names <= {"build.pickle", "search.pickle"}, what
        ways.update((name, as_changes) for name, _, as_changes in saved)
        for name, copy, as_changes in saved:
            value, damaged, why = _read_back(site, name)
            assert damaged is None and why is None, (what, name)
            assert _fields(value) == _fields(pickle.loads(copy)), (what, name)
        if what in ("a body edited", "the same body again", "a body edited once more"):
            assert all(as_changes for _, _, as_changes in saved), what
            after = whole.stat()  # the whole file was not written again
            assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns,
                                                                         before.st_size), what
            with (site.root / CACHE / "build.changes.pickle").open("rb") as file:
                pickle.load(file)  # (the version)
                changes = pickle.load(file)
            assert "stories/first-light/index.html" in changes.changed["pages"] and not changes.value.pages, what
            if what == "a body edited":  # (later changes hold every entry changed since the whole file)
                assert set(changes.changed["pages"]) == {"stories/first-light/index.html"}
    assert ("build.pickle", True) in ways and ("search.pickle", True) in ways


def test_changes_beyond_a_sixteenth_write_the_whole_record_again(tmp_path: Path, saved, monkeypatch):
    site = Site(tmp_path)
    assert site.build() == 0
    monkeypatch.setattr(journal, "CHANGES_LIMIT", 0)
    monkeypatch.setattr(journal, "FEW", 0)
    saved.clear()
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    assert site.build() == 0
    assert saved and not any(as_changes for _, _, as_changes in saved)
    assert not (site.root / CACHE / "build.changes.pickle").exists()
    for name, copy, _ in saved:
        assert _fields(_read_back(site, name)[0]) == _fields(pickle.loads(copy))


def test_a_damaged_changes_file_is_said_once_and_everything_built_again(tmp_path: Path, capsys):
    site = Site(tmp_path)
    assert site.build() == 0
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    assert site.build() == 0
    changes = site.root / CACHE / "build.changes.pickle"
    assert changes.is_file()
    changes.write_bytes(b"\x80\x05garbage")
    story.write_text(story.read_text() + "\nAnd another.\n")
    capsys.readouterr()
    assert site.build() == 0
    said = capsys.readouterr()
    assert "build.changes.pickle" in said.err and "everything is built again" in said.err
    story.write_text(story.read_text() + "\nAnd a third.\n")
    assert site.build() == 0
    assert "could not be read" not in capsys.readouterr().err


def test_changes_that_belong_to_another_whole_file_are_not_applied(tmp_path: Path):
    """A whole file written again (its mark new) makes the changes file of the one before meaningless."""
    site = Site(tmp_path)
    assert site.build() == 0
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    assert site.build() == 0
    cache = site.root / CACHE
    stale = (cache / "build.changes.pickle").read_bytes()
    value, _, _ = cache_file(cache / "build.pickle").read()
    cache_file(cache / "build.pickle").save(BuildCache(key="another"))  # whole, a new mark; its changes file gone
    (cache / "build.changes.pickle").write_bytes(stale)
    read, damaged, _ = cache_file(cache / "build.pickle").read()
    assert damaged is None and read.key == "another" and not read.pages and value.pages


@dataclasses.dataclass
class Record:
    entries: dict
    note: str = ""


class Stopped(Exception):
    """A build stopped there (killed: nothing after it runs)."""


def test_a_save_stopped_anywhere_never_leaves_an_older_record_than_the_last_saved(tmp_path: Path, monkeypatch):
    """The search index's record is saved without being set aside first: its whole file is written before the
    changes of the last save are removed, so a save stopped in between leaves the new whole file (the changes no
    longer belong to it), never the last whole file without its changes."""
    path = tmp_path / "record.pickle"
    first = JournaledFile(path, "1", Record, ("entries",))
    first.save(Record({"a": 1, "b": 2}, "first"))
    second = JournaledFile(path, "1", Record, ("entries",))
    value, _, _ = second.read()
    second.save(Record({**value.entries, "b": 3}, "second"))  # as changes
    assert second.changes.is_file()
    third = JournaledFile(path, "1", Record, ("entries",))
    value, _, _ = third.read()
    assert value == Record({"a": 1, "b": 3}, "second")
    monkeypatch.setattr(journal, "FEW", 0)
    monkeypatch.setattr(journal, "CHANGES_LIMIT", 0)
    unlink = Path.unlink

    def stopped(self: Path, *args, **kwargs) -> None:
        if self == third.changes:
            raise Stopped
        unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", stopped)
    with pytest.raises(Stopped):
        third.save(Record({"a": 4, "b": 3}, "third"))  # whole
    monkeypatch.setattr(Path, "unlink", unlink)
    assert JournaledFile(path, "1", Record, ("entries",)).read()[0] == Record({"a": 4, "b": 3}, "third")
