"""The site a build assembled and planned, kept for a later change to story bodies alone (showcase/assembled.py):
such a build parses, assembles and plans nothing, and its site is still what a clean build makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import Site, snapshot, worker_processes, write
from showcase import assembled, lastbuild, pipeline
from showcase.pipeline import BuildOptions, build

STORY = "stories/second-story.md"
PAGE = "stories/second-story/index.html"


def options(site: Site, out: Path | None = None, cache: Path | None = None, workers: int = 1) -> BuildOptions:
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        workers=workers)


def kept_file(site: Site) -> Path:
    return site.root / ".showcase-cache/assembled.pickle"


def edit(site: Site, rel: str, old: str, new: str) -> None:
    path = site.content / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def assembling(monkeypatch) -> list[str]:
    """The stages a build ran of those a change to story bodies alone need not run."""
    ran: list[str] = []
    for owner, name in [(pipeline.Assembler, "assemble"), (pipeline, "plan"), (lastbuild, "parse_all")]:
        original = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, _o=original, _n=name, **k: (ran.append(_n), _o(*a, **k))[1])
    return ran


def same_as_clean(site: Site, tmp_path: Path, result, name: str) -> None:
    clean = build(options(site, tmp_path / name, tmp_path / f"{name}-cache"))
    assert not clean.failed and not result.failed
    assert snapshot(site.out) == snapshot(tmp_path / name)
    assert [d.format() for d in result.diagnostics.sorted()] == [d.format() for d in clean.diagnostics.sorted()]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_body_edit_is_rendered_from_the_site_the_last_build_assembled(site: Site, tmp_path: Path, assembling,
                                                                         workers: int):
    write(site.content / "stories/quiet.md", "---\ntitle: Quiet\ndate: 2015-01-01\nsummary: ''\nauthors: [A]\n"
          "consent: recorded\n---\nA quiet story.\n")  # a warning, said by parsing and assembling
    with worker_processes(workers > 1):
        first = build(options(site, workers=workers))
        assert not first.failed and kept_file(site).is_file() and assembling.count("assemble") == 1
        assert any("summary is empty" in d.message for d in first.diagnostics.warnings)
        for step, (rel, old, new) in enumerate([(STORY, "We sang.", "We sang, loudly, words new here: marchetti."),
                                                ("stories/quiet.md", "A quiet story.", "A quiet, slow story."),
                                                (STORY, "loudly", "softly")]):
            assembling.clear()
            edit(site, rel, old, new)
            result = build(options(site, workers=workers))
            assert assembling == [] and result.rendered == [rel.replace(".md", "/index.html")]
            assert new in (site.out / rel.replace(".md", "/index.html")).read_text()
            same_as_clean(site, tmp_path, result, f"clean-{step}")
    assert sorted(p.name for p in kept_file(site).parent.glob("assembled*")) == ["assembled.pickle"]


def test_any_other_change_assembles_the_site_again_and_keeps_that_one(site: Site, tmp_path: Path, assembling):
    assert not build(options(site)).failed
    edit(site, STORY, "title: Second story", "title: Second tale")
    titled = build(options(site))
    assert "assemble" in assembling and len(titled.rendered) > 1
    assembling.clear()
    edit(site, STORY, "We sang.", "We sang again.")
    result = build(options(site))
    assert assembling == [] and result.rendered == [PAGE]
    assert "Second tale" in (site.out / PAGE).read_text() and "We sang again." in (site.out / PAGE).read_text()
    same_as_clean(site, tmp_path, result, "clean")


def test_a_kept_site_that_cannot_be_read_is_said_once_and_assembled_again(site: Site, tmp_path: Path, assembling):
    assert not build(options(site)).failed
    kept_file(site).write_bytes(b"\x80\x05not a pickle at all")
    edit(site, STORY, "We sang.", "We sang again.")
    result = build(options(site))
    said = [d.format() for d in result.diagnostics.warnings if "assembled.pickle" in d.path]
    assert len(said) == 1 and "could not be read" in said[0] and "assemble" in assembling
    assert not result.failed and result.rendered == [PAGE]
    assembling.clear()
    edit(site, STORY, "We sang again.", "We sang once more.")
    again = build(options(site))
    assert assembling == [] and not [d for d in again.diagnostics.warnings if "assembled.pickle" in d.path]
    same_as_clean(site, tmp_path, again, "clean")


def test_a_kept_site_not_written_whole_leaves_none_behind(site: Site, tmp_path: Path, assembling, monkeypatch):
    """The site kept by a build must be the one it made: when writing it fails, the older one goes too."""
    assert not build(options(site)).failed and kept_file(site).is_file()
    with monkeypatch.context() as patched:
        patched.setattr(assembled, "_write", lambda path, value: (path.write_bytes(b"half"), 1)[1])
        edit(site, STORY, "title: Second story", "title: Second tale")
        assert not build(options(site)).failed
        assert list(kept_file(site).parent.glob("assembled*")) == []
    assembling.clear()
    edit(site, STORY, "We sang.", "We sang again.")
    result = build(options(site))
    assert "assemble" in assembling and result.rendered == [PAGE]
    same_as_clean(site, tmp_path, result, "clean")


def test_a_failed_build_keeps_the_last_good_builds_site(site: Site, tmp_path: Path, assembling):
    assert not build(options(site)).failed
    kept = kept_file(site).read_bytes()
    edit(site, STORY, "title: Second story", "title: Second tale")
    write(site.content / "stories/broken.md", "---\ntitle: [unclosed\n---\nBody.\n")
    assert build(options(site)).failed
    assert kept_file(site).read_bytes() == kept
    assert sorted(p.name for p in kept_file(site).parent.glob("assembled*")) == ["assembled.pickle"]
    (site.content / "stories/broken.md").unlink()
    edit(site, STORY, "title: Second tale", "title: Second story")
    assembling.clear()
    edit(site, STORY, "We sang.", "We sang again.")
    result = build(options(site))
    assert assembling == [] and result.rendered == [PAGE]
    same_as_clean(site, tmp_path, result, "clean")


def test_a_body_edit_undone_renders_the_body_it_had(site: Site, tmp_path: Path, assembling):
    """A story parsed again has its body put aside anew and the older file pruned: the kept site must not point
    there, even when the story is back to the bytes the site was assembled from."""
    quiet, page = "stories/quiet.md", "stories/quiet/index.html"
    write(site.content / quiet, "---\ntitle: Quiet\ndate: 2015-01-01\nsummary: Hush.\nauthors: [A]\n"
          "consent: recorded\n---\nWe hummed.\n")
    assert not build(options(site)).failed
    edit(site, quiet, "title: Quiet", "title: Quieter")  # assembled again: the kept site made now
    assert not build(options(site)).failed
    edit(site, quiet, "We hummed.", "We hummed again.")
    assert build(options(site)).rendered == [page]
    edit(site, quiet, "We hummed again.", "We hummed.")  # back to the bytes the kept site was assembled from
    assembling.clear()
    result = build(options(site))
    assert assembling == [] and result.rendered == [page] and "We hummed." in (site.out / page).read_text()
    same_as_clean(site, tmp_path, result, "clean")


def test_a_build_kept_from_forking_its_writer_still_builds(site: Site, tmp_path: Path, monkeypatch):
    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(assembled.os, "fork", refused)
    result = build(options(site))
    assert not result.failed and not kept_file(site).exists()
    same_as_clean(site, tmp_path, result, "clean")


@pytest.mark.parametrize("kept", [True, False], ids=["kept-site", "no-kept-site"])
def test_front_matter_written_otherwise_with_the_same_meaning_is_assembled_again(site: Site, tmp_path: Path,
                                                                                 assembling, kept: bool):
    """Pages show a tag as the front matter writes it, and what assembling says names a field's line: a change
    to how the front matter is written is no body edit, even where its meaning (slugs, values) is the same."""
    write(site.content / "stories/held.md", "---\ntitle: Held\ndate: 2015-01-01\nsummary: S.\nauthors: [A]\n"
          "consent: pending\n---\nBody.\n")  # withheld: assembling says so, naming the consent line
    assert not build(options(site)).failed
    for step, (rel, old, new) in enumerate([
            (STORY, "tags: [belonging, voice]", "tags: [belonging, VOICE]"),  # the same tag, written otherwise
            ("stories/held.md", "title: Held\ndate: 2015-01-01\nsummary: S.\nauthors: [A]\nconsent: pending\n",
             "consent: pending\ntitle: Held\ndate: 2015-01-01\nsummary: S.\nauthors: [A]\n")]):
        if not kept:
            kept_file(site).unlink()
        assembling.clear()
        edit(site, rel, old, new)
        result = build(options(site))
        assert "assemble" in assembling
        same_as_clean(site, tmp_path, result, f"clean-{step}")
    assert "<h1>VOICE</h1>" in (site.out / "tags/voice/index.html").read_text()
    assert any(d.path.endswith("held.md") and d.line == 2 for d in result.diagnostics.warnings)


def test_a_body_edit_after_the_cache_lost_its_bodies_builds(site: Site, tmp_path: Path):
    """The story bodies kept in the build cache removed (by hand, or a cleaning tool): the next body edit cannot
    be compared with the body it had, so the site is made again, and so is every later build."""
    import shutil

    assert not build(options(site)).failed
    shutil.rmtree(site.root / ".showcase-cache/bodies")
    for step, new in enumerate(["We sang, once.", "We sang, twice."]):
        edit(site, STORY, "We sang" + (".", ", once.")[step], new)
        result = build(options(site))
        assert new in (site.out / PAGE).read_text()
        same_as_clean(site, tmp_path, result, f"clean-{step}")


def test_the_kept_pages_unpickle_their_breadcrumbs_and_structured_data_only_when_a_page_asks(site: Site,
                                                                                           tmp_path: Path):
    """PageInfo keeps them pickled apart (a fifth of what the kept site holds); the page rendered again still shows
    them as a clean build does (same_as_clean), and every other page's stay unread."""
    write(site.content / "site.yaml", (site.content / "site.yaml").read_text() + "base_url: https://example.org/\n")
    assert not build(options(site)).failed
    taken, _ = assembled.take(kept_file(site), *_taken_for(site))
    pages = {task.page.output: task.page for task in taken.tasks}
    assert all("_later" in vars(page) and "structured" not in vars(page) for page in pages.values())
    story = pages[PAGE]
    assert [crumb.title for crumb in story.breadcrumbs] == ["Home", "Stories"]
    assert story.structured[0]["@type"] == "Article" and "_later" not in vars(story)
    edit(site, STORY, "We sang.", "We sang together.")
    result = build(options(site))
    assert result.rendered == [PAGE]
    assert '"@type":"Article"' in (site.out / PAGE).read_text().replace(" ", "")
    same_as_clean(site, tmp_path, result, "clean")


def _taken_for(site: Site) -> tuple:
    """What `take` is asked with after a build: its key, the parse cache, the story files."""
    from showcase.buildcache import BuildCache

    cache, _ = BuildCache.read(site.root / ".showcase-cache/build.pickle")
    return cache.key, cache.parsed, {rel for rel in cache.parsed if rel.startswith("stories/")}
