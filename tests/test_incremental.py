"""Incremental builds: only what changed is rendered again, and the result is always what a clean build gives."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitekit import Site, make_image, snapshot, worker_processes, write
from showcase.pipeline import BuildOptions, build
from showcase.theme import default_theme_dir
from showcase.warm import WarmState


def options(site: Site, out: Path | None = None, cache: Path | None = None, workers: int = 1,
            search: bool = True) -> BuildOptions:
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        workers=workers, search=search)


def test_unchanged_build_renders_and_writes_nothing(site: Site):
    assert not build(options(site)).failed
    again = build(options(site))
    assert not again.failed and again.rendered == [] and again.written == 0


def test_a_rebuild_with_nothing_changed_says_so_before_reading_anything_again(site: Site):
    write(site.content / "stories/quiet.md", "---\ntitle: Quiet\ndate: 2015-01-01\nsummary: ''\nauthors: [A]\n"
          "consent: recorded\n---\nA quiet story.\n")
    first = build(options(site))
    assert not first.failed and not first.up_to_date
    warnings = [d.format() for d in first.diagnostics.warnings]
    assert any("summary is empty" in w for w in warnings)
    before = snapshot(site.out)
    again = build(options(site))
    assert again.up_to_date and not again.failed and again.rendered == [] and again.written == 0
    assert [d.format() for d in again.diagnostics.warnings] == warnings  # told again, not forgotten
    assert again.pages == first.pages and again.artworks == first.artworks
    assert snapshot(site.out) == before
    strict = build(BuildOptions(**{**vars(options(site)), "strict": True}))
    assert strict.failed and snapshot(site.out) == before


def test_files_too_recent_to_trust_are_read_once_then_known_by_their_time(site: Site, monkeypatch):
    """A fresh clone's every file was written just before the first build: a rebuild reads them to be sure,
    and says so for the next one, which then trusts their size and time (and still sees an edit)."""
    from showcase import lastbuild, snapshot as snapshot_module

    monkeypatch.setattr(snapshot_module, "RACY_NS", 300_000_000)
    monkeypatch.setattr(lastbuild, "RACY_NS", 300_000_000)
    assert not build(options(site, search=False)).failed  # every file written a moment ago
    read: list[str] = []
    digest = snapshot_module.file_digest
    monkeypatch.setattr(snapshot_module, "file_digest", lambda path: read.append(path) or digest(path))
    time.sleep(0.4)
    assert build(options(site, search=False)).up_to_date and read  # too recent to trust: read
    read.clear()
    assert build(options(site, search=False)).up_to_date and read == []  # now known by size and time
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text().replace("We sang.", "We sang, then."))
    again = build(options(site, search=False))
    assert not again.up_to_date and again.rendered == ["stories/second-story/index.html"]


def test_touching_files_without_changing_them_leaves_the_site_up_to_date(site: Site):
    import os
    import time

    assert not build(options(site)).failed
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text())  # saved again, same bytes, a moment after the build
    assert build(options(site)).up_to_date
    old = time.time() - 3600
    os.utime(story, (old, old))
    assert build(options(site)).up_to_date
    story.write_text(story.read_text().replace("We sang.", "We hummed."))
    os.utime(story, (old, old))  # changed, with the time it had: the size gives it away
    result = build(options(site))
    assert not result.up_to_date and result.rendered == ["stories/second-story/index.html"]


def test_a_missing_output_file_or_a_changed_theme_asset_is_never_up_to_date(site: Site):
    assert not build(options(site)).failed
    (site.out / "stories/second-story/index.html").unlink()
    result = build(options(site))
    assert not result.up_to_date and (site.out / "stories/second-story/index.html").is_file()
    assets = site.root / "themes/mine/assets"
    shutil.copytree(default_theme_dir() / "assets", assets)
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    assert not build(options(site)).failed
    (assets / "style.css").write_text((assets / "style.css").read_text() + "\n/* warmer */\n")
    result = build(options(site))
    assert not result.up_to_date and "/* warmer */" in (site.out / "assets/style.css").read_text()


def test_editing_a_story_body_renders_only_that_story(site: Site):
    assert not build(options(site)).failed
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("We sang.", "We sang, loudly."))
    result = build(options(site))
    assert result.rendered == ["stories/second-story/index.html"]


def test_a_body_edit_is_decided_from_the_story_alone(site: Site, tmp_path: Path, monkeypatch):
    """A change to story bodies alone leaves the plan as it was: no page's plan or dependencies are digested
    again (render.unchanged is not asked), and the site is what a clean build makes."""
    from showcase import lastbuild
    assert not build(options(site)).failed
    asked: list[int] = []
    full = lastbuild.unchanged
    monkeypatch.setattr(lastbuild, "unchanged", lambda tasks, *rest: (asked.append(len(tasks)), full(tasks, *rest))[1])
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("We sang.", "We sang, loudly, and a word new to the site: marchetti."))
    result = build(options(site))
    assert result.rendered == ["stories/second-story/index.html"] and asked == []
    clean = build(options(site, tmp_path / "clean", tmp_path / "clean-cache"))
    assert snapshot(site.out) == snapshot(tmp_path / "clean")
    assert not clean.failed
    path.write_text(path.read_text().replace("title: Second story", "title: Second tale"))
    assert len(build(options(site)).rendered) > 1 and asked  # more than the body: every page's plan is compared


@pytest.mark.parametrize("also", ["template", "artwork", "another story's title", "static file"])
def test_a_body_edit_beside_any_other_change_is_built_as_that_change(site: Site, tmp_path: Path, also: str):
    theme = site.root / "themes/mine/templates"
    theme.mkdir(parents=True)
    shutil.copy(default_theme_dir() / "templates/term.html", theme / "term.html")
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    assert not build(options(site)).failed
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("We sang.", "We sang, loudly."))
    if also == "template":
        (theme / "term.html").write_text((theme / "term.html").read_text().replace("<h1>", '<h1 class="term">'))
    elif also == "artwork":
        make_image(site.content / "artworks/bowl.jpg", (640, 480), (10, 160, 90))
    elif also == "another story's title":
        other = site.content / "stories/first-light.md"
        other.write_text(other.read_text().replace("title: First light", "title: First light again"))
    else:
        write(site.content / "static/notes.txt", "Notes.\n")
    result = build(options(site))
    assert len(result.rendered) > 1 or also == "static file"
    assert not build(options(site, tmp_path / "clean", tmp_path / "clean-cache")).failed
    assert snapshot(site.out) == snapshot(tmp_path / "clean")


def test_editing_a_title_renders_exactly_the_pages_that_show_it(site: Site):
    assert not build(options(site)).failed
    showing = {name for name, html in site.pages().items() if "Second story" in html}
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("title: Second story", "title: Second tale"))
    result = build(options(site))
    assert set(result.rendered) == showing
    assert {name for name, html in site.pages().items() if "Second tale" in html} == showing


def test_editing_a_template_renders_the_pages_that_use_it(site: Site):
    theme = site.root / "themes/mine/templates"
    theme.mkdir(parents=True)
    shutil.copy(default_theme_dir() / "templates/term.html", theme / "term.html")
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    assert not build(options(site)).failed
    (theme / "term.html").write_text((theme / "term.html").read_text().replace("<h1>", '<h1 class="term-title">'))
    result = build(options(site))
    assert set(result.rendered) == {"practices/craft/index.html", "practices/music/index.html",
                                    "tags/belonging/index.html", "tags/voice/index.html"}


def test_editing_site_yaml_renders_everything(site: Site):
    first = build(options(site))
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "tagline: Made together.\n")
    assert len(build(options(site)).rendered) == first.pages


# --- the property: any sequence of edits gives exactly what a clean build gives -------------------------

EDITS = st.lists(st.sampled_from([
    "story body", "story title", "story practices", "add story", "delete story", "rename story",
    "add artwork", "repaint artwork", "delete artwork", "template", "site", "page", "break story", "draft",
    "nothing", "save unchanged",
]), min_size=1, max_size=5)


def apply(site: Site, edit: str, step: int) -> None:
    stories = site.content / "stories"
    extra = sorted(stories.glob("extra-*.md"))
    if edit == "story body":
        path = stories / "second-story.md"
        path.write_text(path.read_text() + f"\nMore words, step {step}.\n")
    elif edit == "story title":
        path = stories / "first-light.md"
        path.write_text(path.read_text().replace("title: First light", f"title: First light {step}", 1)
                        .replace(f"title: First light {step - 1}", f"title: First light {step}", 1))
    elif edit == "story practices":
        path = stories / "second-story.md"
        text = path.read_text()
        path.write_text(text.replace("practices: [music]", "practices: [music, craft]") if "craft" not in text
                        else text.replace("practices: [music, craft]", "practices: [music]"))
    elif edit == "add story":
        write(stories / f"extra-{step}.md", f"---\ntitle: Extra {step}\ndate: 2014-0{step % 9 + 1}-01\nsummary: s\n"
              f"authors: [A]\nconsent: recorded\nproject: clay\ntags: [belonging]\nhero: bowl\n---\nExtra body {step}.\n")
    elif edit == "delete story" and extra:
        extra[0].unlink()
    elif edit == "rename story" and extra:
        extra[0].rename(stories / f"extra-renamed-{step}.md")
    elif edit == "add artwork":
        make_image(site.content / f"artworks/piece-{step}.png", (64 + step, 48), (step * 20 % 255, 90, 120))
        write(site.content / f"artworks/piece-{step}.yaml", f"title: Piece {step}\nalt: A small coloured panel.\nproject: clay\n")
    elif edit == "repaint artwork":
        make_image(site.content / "artworks/bowl.jpg", (640, 480), (step * 37 % 255, 60, 200))
    elif edit == "delete artwork":
        for path in sorted((site.content / "artworks").glob("piece-*"))[:2]:
            path.unlink()
    elif edit == "template":
        theme = site.root / "themes/mine/templates"
        if not theme.exists():
            theme.mkdir(parents=True)
            shutil.copy(default_theme_dir() / "templates/_story_card.html", theme / "_story_card.html")
            (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
        card = theme / "_story_card.html"
        card.write_text(card.read_text() + f"\n{{# edit {step} #}}<!-- card {step} -->\n")
    elif edit == "site":
        path = site.content / "site.yaml"
        path.write_text(path.read_text().replace("short_title: MT", f"short_title: MT{step}", 1)
                        .replace(f"short_title: MT{step - 1}", f"short_title: MT{step}", 1))
    elif edit == "page":
        path = site.content / "pages/about.md"
        path.write_text(path.read_text() + f"\nStep {step}.\n")
    elif edit == "break story":
        path = stories / "second-story.md"
        text = path.read_text()
        path.write_text(text.replace("summary: Singing with strangers.", "summary: [broken") if "[broken" not in text
                        else text.replace("summary: [broken", "summary: Singing with strangers."))
    elif edit == "save unchanged":
        for path in [stories / "second-story.md", site.content / "site.yaml"]:
            path.write_text(path.read_text())
    elif edit == "draft" and extra:
        text = extra[-1].read_text()
        extra[-1].write_text(text.replace("consent: recorded", "consent: recorded\ndraft: true") if "draft" not in text
                             else text.replace("\ndraft: true", ""))


def _files(site: Site) -> dict[str, tuple[int, int, int]]:
    """Every file of the content folder and the site's own themes, as a file watcher sees them."""
    found = {}
    for folder in (site.content, site.root / "themes"):
        for path in folder.rglob("*"):
            if path.is_file():
                st = path.stat()
                found[str(path)] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return found


def _watched(site: Site, memory: WarmState, watcher: str, step: int, files_before: dict) -> None:
    """Tell the preview's memory what its file watcher saw: every file changed, or nothing (a watcher that
    missed every change). Changed files are dated back out of the last seconds, where a build would read
    them to be sure, so that only the watcher's word, or looking at every file, finds them."""
    files = _files(site)
    changed = sorted(path for path in files.keys() | files_before.keys() if files.get(path) != files_before.get(path))
    old = time.time() - 100 + step / 1000
    for path in changed:
        if path in files:
            os.utime(path, (old, old))
    memory.watching(changed if watcher == "every change" else [])


@pytest.mark.parametrize("workers, warm, watcher", [
    (1, False, None), (2, False, None), (1, True, None), (2, True, None), (1, True, "every change"),
    (1, True, "no change"),
], ids=["one process", "two worker processes", "the preview's memory",
        "the preview's memory and two worker processes", "the preview's memory and its watcher",
        "the preview's memory and a watcher that misses every change"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS)
def test_incremental_output_equals_a_clean_build(workers: int, warm: bool, watcher: str | None, edits: list[str]):
    memory = WarmState() if warm else None  # as `serve` builds: a body edit is built from memory (warm.py)
    search = not warm  # (with the index, the preview's body edits leave it for a quiet moment)
    with tempfile.TemporaryDirectory() as tmp, worker_processes(workers > 1):
        site = Site(Path(tmp))
        if watcher:
            memory.watching([])  # the watcher runs from before the first build
        assert not build(options(site, workers=workers, search=search), memory).failed
        for step, edit in enumerate(edits, 1):
            files_before = _files(site) if watcher else {}
            apply(site, edit, step)
            if watcher:
                _watched(site, memory, watcher, step, files_before)
            before = snapshot(site.out)
            incremental = build(options(site, workers=workers, search=search), memory)
            if memory is not None:
                memory.settle()  # after a build that took the watcher's word, every file is looked at
                if watcher == "every change":
                    assert not memory.missed, (edits, step)
                if memory.missed:  # the preview builds again at once, looking at every file
                    memory.watching([])
                    incremental = build(options(site, workers=workers, search=search), memory)
                    memory.settle()
                    assert not memory.missed, (edits, step)
            clean_out = Path(tmp) / f"clean-{step}"
            clean = build(options(site, clean_out, Path(tmp) / f"clean-cache-{step}", workers=1, search=search))
            assert incremental.failed == clean.failed, (edits, step)
            if clean.failed:
                assert snapshot(site.out) == before  # a failed build leaves the site as it was
                assert [d.format() for d in incremental.diagnostics.errors] == [d.format() for d in clean.diagnostics.errors]
            else:
                assert snapshot(site.out) == snapshot(clean_out), (edits, step)


def test_an_image_added_beside_a_sidecar_is_noticed(site: Site):
    assert not build(options(site)).failed
    make_image(site.content / "artworks/bowl.PNG")
    result = build(options(site))
    assert result.failed
    assert any("more than one image has this name" in d.message for d in result.diagnostics.errors)


def test_files_a_template_includes_are_dependencies_too(site: Site):
    theme = site.root / "themes/mine/templates"
    theme.mkdir(parents=True)
    (theme / "page.html").write_text('{% extends "base.html" %}{% block main %}'
                                     '<h1>{{ page.title }}</h1>{% include "mark.svg" %}{% endblock %}')
    (theme / "mark.svg").write_text('<svg aria-hidden="true"><circle r="1"/></svg>')
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    assert not build(options(site)).failed
    (theme / "mark.svg").write_text('<svg aria-hidden="true"><circle r="2"/></svg>')
    result = build(options(site))
    assert set(result.rendered) == {"about/index.html", "get-support/index.html"}
    assert 'r="2"' in site.page("about")


def test_an_anchor_removed_from_one_page_is_noticed_on_the_unchanged_pages_linking_to_it(site: Site):
    assert not build(options(site)).failed
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("## Why", "## Because"))
    result = build(options(site))
    assert result.failed
    assert [d.format().split(": error: ")[1] for d in result.diagnostics.errors] == [
        "/stories/first-light/index.html: broken link to /stories/second-story#why (no such anchor)"]
    path.write_text(path.read_text().replace("## Because", "## Why"))
    assert not build(options(site)).failed


def test_links_of_pages_kept_from_the_last_build_are_checked_again_only_where_a_file_went(site: Site, monkeypatch):
    import showcase.link_check as link_check
    asked = []
    checker = link_check.broken_links
    monkeypatch.setattr(link_check, "broken_links", lambda pages, files, changed=None, gone=(): (
        asked.append((changed, set(gone))), checker(pages, files, changed, gone))[1])
    notes = write(site.content / "static/notes.txt", "Notes from the workshop.\n")
    about = site.content / "pages/about.md"
    about.write_text(about.read_text().replace("About us.", 'About us. <a href="../notes.txt">Notes</a>.'))
    assert not build(options(site, search=False)).failed
    first = site.content / "stories/first-light.md"
    write(site.content / "stories/third-story.md", first.read_text().replace("title: First light",
                                                                             "title: Third story"))
    result = build(options(site, search=False))
    assert not result.failed and "about/index.html" not in result.rendered
    assert asked[-1] == (set(result.rendered), set())  # a file came, none went: the pages rendered, whole
    notes.unlink()
    result = build(options(site, search=False))
    assert result.failed and asked[-1] == (set(), {"notes.txt"})  # nothing rendered: the links to what went
    assert [d.format().split(": error: ")[1] for d in result.diagnostics.errors] == [
        "/about/index.html: broken link to /notes.txt"]


def test_a_template_saved_while_a_build_runs_is_seen_by_the_next(site: Site, monkeypatch):
    import showcase.staging as staging

    theme = site.root / "themes/mine/templates"
    theme.mkdir(parents=True)
    original = (default_theme_dir() / "templates/page.html").read_text()
    (theme / "page.html").write_text(original)
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    stage_feeds = staging.stage_feeds

    def saved_meanwhile(*args, **kwargs):  # the pages are rendered; images and feeds are still being made
        (theme / "page.html").write_text(original.replace("<article", "<!-- edited --><article", 1))
        return stage_feeds(*args, **kwargs)

    monkeypatch.setattr(staging, "stage_feeds", saved_meanwhile)
    assert not build(options(site)).failed
    monkeypatch.setattr(staging, "stage_feeds", stage_feeds)
    result = build(options(site))
    assert set(result.rendered) == {"about/index.html", "get-support/index.html"}
    clean = site.root / "clean"
    assert not build(options(site, clean, site.root / "clean-cache")).failed
    assert snapshot(site.out) == snapshot(clean) and "<!-- edited -->" in site.page("about")


def test_a_changed_output_file_is_put_right(site: Site):
    assert not build(options(site)).failed
    before = snapshot(site.out)
    (site.out / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    result = build(options(site))
    assert not result.up_to_date and snapshot(site.out) == before


def test_the_cache_folder_named_two_ways_keeps_every_body_it_points_to(site: Site, monkeypatch):
    from showcase.buildcache import BuildCache

    monkeypatch.chdir(site.root)
    relative = BuildOptions(content=Path("content"), out=Path("_site"), cache=Path("cache"), workers=1)
    assert not build(relative).failed
    assert not build(BuildOptions(**{**vars(relative), "cache": site.root / "cache"})).failed
    parsed = BuildCache.read(site.root / "cache/build.pickle")[0].parsed
    bodies = {entry[3] for entry in parsed.values() if entry[3]}
    assert bodies and all(Path(body).is_file() for body in bodies)
    assert {str(p) for p in (site.root / "cache/bodies").rglob("*.html")} == bodies  # and nothing else is left


def test_a_build_into_another_folder_leaves_the_bodies_this_one_reads(site: Site):
    assert not build(options(site)).failed
    bodies = sorted((site.root / ".showcase-cache/bodies").rglob("*.html"))
    assert bodies
    assert not build(options(site, out=site.root / "public")).failed  # same cache, another site folder
    assert all(body.is_file() for body in bodies)


def test_small_sites_can_be_built_by_worker_processes_as_large_ones_are(site: Site, monkeypatch):
    """The tests that use worker_processes(True) do reach the forked pool (not the one-process path)."""
    import concurrent.futures

    pools = []
    real = concurrent.futures.ProcessPoolExecutor.__init__

    def counting(self, *args, **kwargs):
        pools.append(args[0] if args else kwargs.get("max_workers"))
        real(self, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "__init__", counting)
    with worker_processes(True):
        assert not build(options(site, workers=2)).failed
    assert len(pools) >= 2 and set(pools) == {2}  # parsing and rendering, each in two processes
    pools.clear()
    assert not build(options(site, site.root / "other", site.root / "other-cache", workers=2)).failed
    assert pools == []  # a small site without it: one process


def _changed_in_place(path: Path, data: bytes) -> None:
    """What `exiftool -P` or an edit followed by `touch -r` does: the same number of bytes written into the file,
    its modification time put back."""
    before = path.stat()
    assert len(data) == before.st_size
    with open(path, "r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_file_changed_in_place_with_its_time_put_back_is_built_again(site: Site):
    from PIL import Image

    from showcase.snapshot import RACY_NS

    image = site.content / "artworks/bowl.jpg"  # uncompressed pixels: any colour makes the same number of bytes
    Image.new("RGB", (64, 48), (170, 90, 50)).save(image, format="PNG", compress_level=0)
    old = time.time() - 3600
    for path in site.content.rglob("*"):
        os.utime(path, (old, old))
    time.sleep(RACY_NS / 1e9 + 0.1)  # the files known by their size and time alone
    assert not build(options(site, search=False)).failed
    story = site.content / "stories/second-story.md"
    _changed_in_place(story, story.read_bytes().replace(b"We sang.", b"We rang."))
    recoloured = site.root / "recoloured.png"
    Image.new("RGB", (64, 48), (40, 90, 170)).save(recoloured, compress_level=0)
    _changed_in_place(image, recoloured.read_bytes())
    result = build(options(site, search=False))
    assert not result.failed and not result.up_to_date
    assert "We rang." in (site.out / "stories/second-story/index.html").read_text()
    assert snapshot(site.out) == snapshot(_clean(site))


def _clean(site: Site) -> Path:
    out = site.root / "clean"
    assert not build(options(site, out, site.root / "clean-cache", search=False)).failed
    return out
