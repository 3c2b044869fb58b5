"""The search index brought up to date: only the pages that changed are read again, only the index files that
change are written, and the result is byte for byte what a fresh index of the same site gives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitekit import Site, snapshot, write
from showcase import search
from showcase.cli import main


def _story(site: Site, slug: str, body: str, title: str | None = None) -> None:
    write(site.content / f"stories/{slug}.md", f"""
        ---
        title: {title or slug.replace("-", " ").capitalize()}
        date: 2017-03-0{len(slug) % 9 + 1}
        summary: A story of the programme.
        authors: [Ada Maker]
        consent: recorded
        project: clay
        practices: [craft]
        ---
        {body}
        """)


@pytest.fixture
def parted(site: Site) -> Site:
    """The small site with ten more stories."""
    for n in range(10):
        _story(site, f"story-{n}", f"We met at the hall and made bowls together, week {n}.")
    return site


def _fresh(site: Site, tmp_path: Path, name: str) -> dict[str, str]:
    """The index a clean build of the same content makes."""
    content, out = tmp_path / name / "content", tmp_path / name / "_site"
    shutil.copytree(site.content, content)  # a folder of its own: no build cache, no earlier site
    assert main(["build", "--content", str(content), "--out", str(out)]) == 0
    return snapshot(out / "pagefind")


def _inodes(site: Site) -> dict[str, int]:
    root = site.out / "pagefind"
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _reading(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses of the pages the index reads from now on."""
    read: list[str] = []
    reader = search.read_page
    monkeypatch.setattr(search, "read_page", lambda html, url, *args, **kwargs: (
        read.append(url), reader(html, url, *args, **kwargs))[1])
    return read


def test_an_edit_reads_only_its_page_and_writes_only_the_files_that_change(parted: Site, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch):
    assert parted.build() == 0
    before = _inodes(parted)
    read = _reading(monkeypatch)
    _story(parted, "story-4", "We made bowls together and met at the Marchetti hall, week 4.")
    assert parted.build() == 0
    assert read == ["/stories/story-4/"]
    after = _inodes(parted)
    kept = {rel for rel in before if after.get(rel) == before[rel]}
    fragments = {rel for rel in before if rel.startswith("fragment/")}
    assert len(fragments - kept) == 1  # the story's own fragment; every other page's file stays as it was
    assert "pagefind.js" in kept and any(rel.startswith("wasm.") for rel in kept)
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")


@pytest.mark.parametrize("change", ["add", "remove", "retitle"])
def test_stories_added_removed_or_retitled_give_the_fresh_index(parted: Site, tmp_path: Path, change: str):
    assert parted.build() == 0
    if change == "add":
        _story(parted, "story-new", "We made bowls together, week 3.")
    elif change == "remove":
        (parted.content / "stories/story-6.md").unlink()
    else:
        _story(parted, "story-2", "We met at the hall and made bowls together, week 2.", title="Bowls at the hall")
    assert parted.build() == 0
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")
    manifest = (parted.out / ".showcase-files.json").read_text()
    on_disk = {p.relative_to(parted.out).as_posix() for p in (parted.out / "pagefind").rglob("*") if p.is_file()}
    assert all(f'"{rel}"' in manifest for rel in on_disk)  # nothing of an older index is left behind
    assert not [d for d in (parted.out / "pagefind").rglob("*") if d.is_dir() and not any(d.iterdir())]


def test_pages_written_while_the_index_waited_are_indexed_when_it_catches_up(parted: Site, tmp_path: Path):
    """The preview keeps the last index while an editor types (search_later); the build that catches up must
    index every page changed since, though it writes none of them itself."""
    from showcase.pipeline import BuildOptions, build
    assert parted.build() == 0
    _story(parted, "story-5", "We made bowls together at the Marchetti hall.")
    options = BuildOptions(content=parted.content, out=parted.out, search_later=True)
    assert build(options).search_behind
    assert build(BuildOptions(content=parted.content, out=parted.out)).search_behind is False
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")
    assert "marchetti" in _all_words(parted.out)


def test_an_index_file_edited_by_hand_is_put_right(parted: Site, tmp_path: Path):
    assert parted.build() == 0
    (parted.out / "pagefind/pagefind-entry.json").write_text("{}")
    next((parted.out / "pagefind/fragment").iterdir()).unlink()
    _story(parted, "story-4", "We made bowls together and met at the hall, week 4.")
    assert parted.build() == 0
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")


def test_a_record_that_cannot_be_read_is_said_once_and_the_index_made_again(parted: Site, tmp_path: Path, capsys):
    assert parted.build() == 0
    record = parted.root / ".showcase-cache" / search.RECORD
    assert record.is_file()
    record.write_bytes(b"\x80\x04not a pickle")
    _story(parted, "story-4", "We made bowls together and met at the hall, week 4.")
    capsys.readouterr()
    assert parted.build() == 0
    said = capsys.readouterr()
    assert "the record of the search index could not be read" in said.out + said.err
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")
    _story(parted, "story-4", "We met at the hall, week 4, and made bowls together.")
    assert parted.build() == 0
    said = capsys.readouterr()
    assert "could not be read" not in said.out + said.err


def test_a_record_of_an_index_never_published_is_not_used(parted: Site, tmp_path: Path, monkeypatch):
    """An index made by a build that then failed is described by the record, not by the site: never trusted."""
    assert parted.build() == 0
    _story(parted, "story-4", "We made bowls together at the Marchetti hall.")
    write(parted.content / "stories/broken.md", "---\ntitle: [unclosed\n---\nText.\n")
    assert parted.build() == 1  # fails after... or before the index: either way nothing is published
    (parted.content / "stories/broken.md").unlink()
    assert parted.build() == 0
    assert snapshot(parted.out / "pagefind") == _fresh(parted, tmp_path, "clean")


def _all_words(out: Path) -> str:
    import gzip
    text = []
    for path in out.rglob("*.pf_fragment"):
        text.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace").lower())
    return " ".join(text)


def test_the_cache_holds_no_link_to_the_site(parted: Site):
    assert parted.build() == 0
    _story(parted, "story-4", "We made bowls together and met at the hall, week 4.")
    assert parted.build() == 0
    for path in (parted.out / "pagefind").rglob("*"):
        if path.is_file():
            assert os.stat(path).st_nlink <= 2, path  # the site and, at most, its spare
