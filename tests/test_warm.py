"""The preview's memory (warm.py): a story's body saved renders its page without the site being assembled
again, and every other change goes to the ordinary build. Either way the site is what a clean build makes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import pytest

from sitekit import Site, snapshot, worker_processes, write
from showcase.pipeline import BuildOptions, build
from showcase.snapshot import RACY_NS
from showcase.theme import default_theme_dir
from showcase.warm import WarmState


def options(site: Site, out: Path | None = None, cache: Path | None = None, **more) -> BuildOptions:
    more.setdefault("search", False)
    more.setdefault("workers", 1)
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        **more)


def clean(site: Site, name: str, **more) -> dict[str, str]:
    out = site.root / f"clean-{name}"
    assert not build(options(site, out, site.root / f"clean-cache-{name}", **more)).failed
    return snapshot(out)


def age(site: Site) -> None:
    """Files written a while ago, as an editor's are: their times can be trusted."""
    old = time.time() - 60
    for folder in (site.content, site.root / "themes"):
        for path in folder.rglob("*"):
            os.utime(path, (old, old))


def edit_body(site: Site, old: str = "We sang.", new: str = "We sang, loudly.") -> None:
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace(old, new))


def test_a_body_saved_in_the_preview_renders_its_page_from_memory(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed and warm.last is not None
    warm.settle()
    edit_body(site)
    result = build(options(site), warm)
    assert not result.failed and warm.declined == ""
    assert result.rendered == ["stories/second-story/index.html"]
    assert "We sang, loudly." in (site.out / "stories/second-story/index.html").read_text()
    assert snapshot(site.out) == clean(site, "1")
    # the records on disk follow, so a build from the command line starts where the preview left off
    warm.settle()
    assert build(options(site)).up_to_date
    edit_body(site, "We sang, loudly.", "We sang, softly.")
    again = build(options(site), warm)
    assert warm.declined == "" and again.rendered == ["stories/second-story/index.html"]
    assert snapshot(site.out) == clean(site, "2")


def test_the_preview_builds_from_memory_too(site: Site):
    from showcase.server.preview import Preview

    age(site)
    preview = Preview(options(site), port=0)
    preview._build_once([])
    assert preview.warm.last is not None and not preview.warm.unsaved
    edit_body(site)
    preview._build_once([str(site.content / "stories/second-story.md")])
    assert preview.warm.declined == "" and not preview.warm.unsaved  # shown, then the records saved
    assert "We sang, loudly." in (site.out / "stories/second-story/index.html").read_text()
    assert build(options(site)).up_to_date


def test_with_search_the_index_waits_for_the_pause_as_before(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site, search=True), warm).failed
    edit_body(site)
    later = build(options(site, search=True, search_later=True), warm)
    assert warm.declined == "" and later.search_behind and later.rendered == ["stories/second-story/index.html"]
    warm.settle()
    caught_up = build(options(site, search=True), warm)  # the preview's quiet moment
    assert warm.declined == "the search index is to be made" and not caught_up.search_behind
    assert snapshot(site.out) == clean(site, "after", search=True)


def _add(site: Site) -> None:
    write(site.content / "stories/added.md", "---\ntitle: Added\ndate: 2017-01-01\nsummary: s\nauthors: [A]\n"
          "consent: recorded\n---\nA new story.\n")


def _add_and_edit(site: Site) -> None:  # (a story added alone is built from memory: test_added.py)
    _add(site)
    edit_body(site)


def _own_theme(site: Site) -> Path:
    card = site.root / "themes/mine/templates/_story_card.html"
    if not card.exists():
        card.parent.mkdir(parents=True)
        card.write_text((default_theme_dir() / "templates/_story_card.html").read_text())
        (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    return card


def _template(site: Site) -> None:
    card = _own_theme(site)
    card.write_text(card.read_text() + "<!-- mine -->\n")


def _tag_written_otherwise(site: Site) -> None:  # the same tag (slug), shown as written
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("tags: [belonging, voice]", "tags: [belonging, VOICE]"))


def _hand_edited_asset(site: Site) -> None:
    edit_body(site)
    (site.out / "assets/style.css").write_text("/* edited by hand */\n")


@pytest.mark.parametrize("change, why", [
    (_tag_written_otherwise, "stories/second-story.md writes a practice or tag otherwise than as its address"),
    (_add_and_edit, "files came and others changed"),
    (_template, "not only stories or static files changed"),
    (_hand_edited_asset, "assets/style.css in the site was changed by hand"),
], ids=["a tag written otherwise", "story added and another edited", "template", "asset edited in the site"])
def test_every_other_change_goes_to_the_ordinary_build(site: Site, change, why):
    warm = WarmState()
    _own_theme(site)
    age(site)
    assert not build(options(site), warm).failed
    change(site)
    result = build(options(site), warm)
    assert warm.declined == why and not result.failed
    assert snapshot(site.out) == clean(site, "after")
    assert warm.last is not None  # the ordinary build leaves its state for the next save


def test_a_page_edited_by_hand_is_made_again_with_the_body(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    edit_body(site)
    result = build(options(site), warm)
    assert warm.declined == ""
    assert sorted(result.rendered) == ["stories/first-light/index.html", "stories/second-story/index.html"]
    assert snapshot(site.out) == clean(site, "after")


def test_a_site_written_by_another_build_meanwhile_is_not_taken_for_its_own(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    other = dataclasses.replace(options(site), base_url="https://example.org/elsewhere/")
    assert not build(other).failed  # `build` from a terminal, with other options, into the same folder
    edit_body(site)
    assert not build(options(site), warm).failed
    assert warm.declined == "another build wrote the site"
    assert snapshot(site.out) == clean(site, "after")


def test_the_previews_records_are_not_saved_over_those_of_a_build_in_between(site: Site):
    """The preview writes its records once the page is shown; a build from a terminal may write the site before
    that: its records stay."""
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    warm.settle()
    edit_body(site)
    assert not build(options(site), warm).failed and warm.declined == ""  # from memory: its records unsaved
    other = dataclasses.replace(options(site), base_url="https://example.org/elsewhere/")
    assert not build(other).failed
    warm.settle()
    assert build(other).up_to_date
    edit_body(site, "We sang, loudly.", "We sang, softly.")
    assert not build(options(site)).failed
    assert snapshot(site.out) == clean(site, "after")


def test_a_body_that_breaks_a_link_fails_and_leaves_the_site_as_it_was(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    before = snapshot(site.out)
    edit_body(site, "## Why", "## Because")  # the first story links to #why on this page
    result = build(options(site), warm)
    assert warm.declined == "" and result.failed
    assert any("#why" in d.message for d in result.diagnostics.errors)
    assert snapshot(site.out) == before and warm.last is None  # the next build starts from files
    edit_body(site, "## Because", "## Why")
    assert not build(options(site), warm).failed
    assert snapshot(site.out) == clean(site, "after")


def test_the_preview_starting_on_a_built_site_has_it_in_memory_at_once(site: Site):
    age(site)
    assert not build(options(site)).failed  # built earlier, from a terminal
    warm = WarmState()
    first = build(options(site), warm)  # the preview starts: nothing changed, but the site is read into memory
    assert not first.failed and not first.up_to_date and first.rendered == [] and warm.last is not None
    assert snapshot(site.out) == clean(site, "before")
    edit_body(site)
    result = build(options(site), warm)  # so the first save is already a quick one
    assert warm.declined == "" and result.rendered == ["stories/second-story/index.html"]
    assert build(options(site), warm).up_to_date  # and with the site in memory, nothing changed is said at once


# --- the preview's file watcher: its word taken, and checked ---------------------------------------------------

def _watched_build(site: Site, warm: WarmState, *reported: Path, **more):
    """A build of the preview, its watcher having reported `reported` since the last one."""
    warm.watching([str(path) for path in reported])
    return build(options(site, **more), warm)


def _first_build(site: Site, trusted: bool = False) -> WarmState:
    """The preview's first build, its watcher running since before it (as `serve` starts them). `trusted`: the
    files are left alone long enough first for the build to know them by size and time alone."""
    warm = WarmState()
    age(site)
    if trusted:
        time.sleep(RACY_NS / 1e9 + 0.1)
    assert not _watched_build(site, warm).failed
    warm.settle()
    return warm


def test_with_the_watchers_word_the_content_folder_is_not_walked(site: Site, monkeypatch):
    import showcase.watcher_word as watcher_word

    warm = _first_build(site)
    walked: list = []
    discover = watcher_word.discover
    monkeypatch.setattr(watcher_word, "discover", lambda *args: walked.append(args) or discover(*args))
    edit_body(site)
    result = _watched_build(site, warm, site.content / "stories/second-story.md")
    assert warm.declined == "" and result.rendered == ["stories/second-story/index.html"]
    assert walked == []  # the files found last time, and only the reported one asked for its size and time
    warm.settle()  # then, once the page is shown, every file is looked at: the watcher had missed nothing
    assert len(walked) == 1 and not warm.missed
    assert snapshot(site.out) == clean(site, "after")
    assert _watched_build(site, warm).up_to_date  # nothing reported, nothing changed: said at once


def _newest_story(site: Site) -> None:
    write(site.content / "stories/newest.md", "---\ntitle: Newest\ndate: 2024-05-01\nsummary: s\nauthors: [A]\n"
                                              "consent: recorded\n---\nNew.\n")


@pytest.mark.parametrize("change, walks", [
    (_newest_story, False),
    (lambda site: (site.content / "stories/newest.md").unlink(), False),
    (lambda site: write(site.content / "stories/notes.txt", "not a story"), True),
    (lambda site: write(site.content / "stories/more/deeper.md", "---\ntitle: Deeper\n---\n"), True),
    (lambda site: os.symlink(site.content / "stories/first-light.md", site.content / "stories/linked.md"), True),
    (lambda site: shutil.copy(site.content / "stories/first-light.md", site.content / "stories/First-light.md"),
     True),  # another name for a story, as a disk that does not tell capitals apart would give it
], ids=["a story came", "a story went", "another file", "a folder", "a link", "another name for a story"])
def test_a_story_that_came_or_went_is_found_without_walking_the_folder(site: Site, monkeypatch, change, walks):
    """Only the reported file is asked; the files found are those a walk finds."""
    import showcase.watcher_word as watcher_word
    from showcase.discover import discover
    from showcase.errors import Diagnostics

    if change is not _newest_story:
        _newest_story(site)
    warm = _first_build(site)
    walked: list = []
    monkeypatch.setattr(watcher_word, "discover", lambda *args: walked.append(args) or discover(*args))
    before = set(os.listdir(site.content / "stories"))
    change(site)
    reported = [site.content / "stories" / name for name in before ^ set(os.listdir(site.content / "stories"))]
    result = _watched_build(site, warm, *reported)
    assert bool(walked) == walks
    assert warm._found[0] == discover(site.content, Diagnostics())
    if not walks:
        assert not result.failed and warm.declined == ""  # built from memory, as a clean build makes it
        assert snapshot(site.out) == clean(site, "after")


def _another_body(site: Site) -> None:
    """Another story's body edited, its modification time put back (as `touch -r` would): its size and the time
    its inode changed give it away to a build that asks."""
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text() + "\nA line the watcher did not report.\n")
    old = time.time() - 30
    os.utime(path, (old, old))


@pytest.mark.parametrize("unreported, missed", [
    (_another_body, True), (_add, True), (_template, False),
], ids=["another story's body", "a story added", "a template (the theme is always looked at)"])
def test_a_change_the_watcher_did_not_report_is_found_and_built(site: Site, unreported, missed):
    _own_theme(site)
    warm = _first_build(site, trusted=True)  # else any build reads the files changed in the last seconds anyway
    edit_body(site)
    unreported(site)
    first = _watched_build(site, warm, site.content / "stories/second-story.md")
    assert not first.failed
    warm.settle()
    assert warm.missed == missed  # the preview then builds again, looking at every file
    if missed:
        assert warm.declined == "" and first.rendered == ["stories/second-story/index.html"]
        again = _watched_build(site, warm)
        assert not again.failed and not again.up_to_date
        warm.settle()
        assert not warm.missed
    assert snapshot(site.out) == clean(site, "after")
    assert _watched_build(site, warm).up_to_date


def test_a_save_during_the_build_reported_meanwhile_is_not_taken_for_a_miss(site: Site, monkeypatch):
    """An editor saves again while the build runs: the file differs from what the build saw, but the watcher
    reports it (perhaps a moment later): that is the next build's change, not one the watcher missed."""
    import showcase.watcher_word as watcher_word

    monkeypatch.setattr(watcher_word, "WATCHER_DELAY", 0.05)
    warm = _first_build(site)
    edit_body(site)
    assert not _watched_build(site, warm, site.content / "stories/second-story.md").failed
    _another_body(site)  # saved during the build, after the build looked
    later = [[], [str(site.content / "stories/first-light.md")]]  # reported only after a moment
    warm.settle(lambda: set(later.pop(0)))
    assert not warm.missed and later == []
    result = _watched_build(site, warm, site.content / "stories/first-light.md")  # the next build takes it
    assert result.rendered == ["stories/first-light/index.html"]
    warm.settle(set)
    assert not warm.missed
    assert snapshot(site.out) == clean(site, "after")


def test_a_build_that_fails_after_a_change_reported_meanwhile_is_not_taken_for_a_miss(site: Site, monkeypatch):
    """A body saved, then a broken file saved while that build ran: the failed build that follows is not followed
    by "found changes the file watcher had not reported" and a second build failing the same way."""
    import showcase.watcher_word as watcher_word

    monkeypatch.setattr(watcher_word, "WATCHER_DELAY", 0.05)
    warm = _first_build(site)
    edit_body(site)
    assert not _watched_build(site, warm, site.content / "stories/second-story.md").failed
    broken = site.content / "stories/first-light.md"
    broken.write_text(broken.read_text().replace("title: First light", "title: [unclosed"))
    warm.settle(lambda: {str(broken)})  # reported during the build: its check waits for the next build
    assert not warm.missed
    assert _watched_build(site, warm, broken).failed
    warm.settle(set)
    assert not warm.missed


def test_a_file_saved_unchanged_stays_reported_until_a_build_takes_its_new_time(site: Site):
    """A save that changes nothing finds the site up to date; the snapshot in memory keeps the file's old time, so
    the next build must still ask that file (found by the property test of test_incremental.py)."""
    warm = _first_build(site)
    first = site.content / "stories/first-light.md"
    first.write_text(first.read_text())  # saved, unchanged
    older = time.time() - 45
    os.utime(first, (older, older))
    assert _watched_build(site, warm, first).up_to_date
    warm.settle(set)
    assert not warm.missed
    second = site.content / "stories/second-story.md"
    second.write_text(second.read_text().replace("title: Second story", "title: Second story, again"))
    os.utime(second, (older + 1, older + 1))
    result = _watched_build(site, warm, second)  # an ordinary build: a title is seen on other pages
    assert not result.failed and "stories/second-story/index.html" in result.rendered
    warm.settle(set)
    assert not warm.missed  # the first file's new time was asked for, not taken from the snapshot
    assert snapshot(site.out) == clean(site, "after")


def test_a_file_gone_unreported_fails_one_build_at_most(site: Site):
    """A deletion the watcher missed: a build that took its word may fail on the file it still lists (settle
    only checks after good builds), so a failed build that took the word makes the next look at every file."""
    warm = _first_build(site)
    (site.content / "pages/get-support.md").unlink()  # not reported
    second = site.content / "stories/second-story.md"
    second.write_text(second.read_text().replace("title: Second story", "title: Second story, again"))
    first = _watched_build(site, warm, second)
    if first.failed:
        assert any("get-support.md" in d.format() for d in first.diagnostics.errors)
    warm.settle(set)
    again = _watched_build(site, warm)  # the watcher reports nothing more
    assert not again.failed, [d.format() for d in again.diagnostics.errors]
    warm.settle(set)
    assert snapshot(site.out) == clean(site, "after")


def test_a_change_never_reported_is_a_miss_even_while_others_are_pending(site: Site, monkeypatch):
    import showcase.watcher_word as watcher_word

    monkeypatch.setattr(watcher_word, "WATCHER_DELAY", 0.05)
    warm = _first_build(site)
    edit_body(site)
    assert not _watched_build(site, warm, site.content / "stories/second-story.md").failed
    _another_body(site)
    warm.settle(lambda: {str(site.content / "pages/about.md")})  # something else is pending, not this file
    assert warm.missed


def test_the_watchers_word_is_taken_only_while_it_vouches_for_every_build(site: Site):
    warm = _first_build(site)
    _another_body(site)
    stopped = (warm.watching(None), build(options(site), warm))[1]  # the watcher stopped: every file looked at
    assert stopped.rendered == ["stories/first-light/index.html"]
    warm.settle()
    assert not _watched_build(site, warm).failed  # watching again: this build looks at every file once more
    warm.settle()
    _another_body(site)
    untold = build(options(site), warm)  # a build not told what the watcher saw looks at every file
    assert untold.rendered == ["stories/first-light/index.html"]
    assert snapshot(site.out) == clean(site, "after")


def test_the_site_edited_by_hand_is_put_right_though_the_watcher_reported_nothing(site: Site):
    warm = _first_build(site)
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    (site.out / "about/index.html").unlink()
    result = _watched_build(site, warm)
    assert not result.failed and not result.up_to_date
    assert snapshot(site.out) == clean(site, "before")
    warm.settle()
    (site.out / "stories/first-light/index.html").write_text("edited by hand again")
    edit_body(site)
    result = _watched_build(site, warm, site.content / "stories/second-story.md")
    assert warm.declined == ""
    assert sorted(result.rendered) == ["stories/first-light/index.html", "stories/second-story/index.html"]
    assert snapshot(site.out) == clean(site, "after")


def test_files_put_in_the_site_by_hand_are_kept_by_builds_from_memory(site: Site):
    warm = _first_build(site)
    (site.out / "CNAME").write_text("example.org")
    (site.out / ".well-known").mkdir()
    (site.out / ".well-known/security.txt").write_text("Contact: mailto:a@example.org\n")
    (site.out / "stories/notes.txt").write_text("by hand")
    for step in range(4):  # the spare folder takes turns with the site: each build must keep them
        edit_body(site, "We sang.", f"We sang {step}.") if step == 0 else edit_body(site, f"{step - 1}.", f"{step}.")
        result = _watched_build(site, warm, site.content / "stories/second-story.md")
        assert warm.declined == "" and result.rendered == ["stories/second-story/index.html"]
        warm.settle()
        assert (site.out / "CNAME").read_text() == "example.org"
        assert (site.out / ".well-known/security.txt").is_file()
        assert (site.out / "stories/notes.txt").read_text() == "by hand"
    assert _watched_build(site, warm).up_to_date
    (site.out / "stories/notes.txt").unlink()
    (site.out / "stories/more.txt").write_text("more by hand")  # in a folder already known to hold one
    for step in range(4, 6):
        edit_body(site, f"{step - 1}.", f"{step}.")
        assert _watched_build(site, warm, site.content / "stories/second-story.md").rendered
        warm.settle()
        assert not (site.out / "stories/notes.txt").exists()
        assert (site.out / "stories/more.txt").read_text() == "more by hand"


def _folders(folder: Path) -> dict[str, int]:
    """Every folder under `folder` ("" itself) and its time."""
    found = {"": os.stat(folder).st_mtime_ns}
    for path in folder.rglob("*"):
        if path.is_dir():
            found[path.relative_to(folder).as_posix()] = os.stat(path).st_mtime_ns
    return found


def test_the_folder_times_the_record_keeps_are_the_sites_own(site: Site):
    from showcase.siterecord import load_record

    warm = _first_build(site)
    spare = site.out.parent / f".{site.out.name}.staging"

    def check() -> None:
        [path] = (site.root / ".showcase-cache/sites").glob("*.pickle")
        record, why = load_record(path)
        assert why is None and record.files
        assert record.folders == _folders(site.out)  # every folder of the site, with its time now
        assert record.spare_folders  # the spare's, as found while it was the site: asked for no more
        now = _folders(spare)
        assert {name: time for name, time in record.spare_folders.items() if name in now} == now

    (site.out / "stories/notes.txt").write_text("by hand")  # a folder's time changed by hand
    edit_body(site)
    _watched_build(site, warm, site.content / "stories/second-story.md")
    warm.settle()
    check()
    for step in range(3):
        edit_body(site, "loudly" if step == 0 else f"loudly {step - 1}", f"loudly {step}")
        assert _watched_build(site, warm, site.content / "stories/second-story.md").rendered
        warm.settle()
        check()
        assert _watched_build(site, warm).up_to_date  # (the snapshot's folder times come from the record)
    _add(site)  # new folders (built from memory: added.py)
    assert not _watched_build(site, warm, site.content / "stories/added.md").failed
    warm.settle()
    check()
    (site.content / "stories/added.md").unlink()  # folders removed
    assert not _watched_build(site, warm, site.content / "stories/added.md").failed
    warm.settle()
    check()
    edit_body(site, "loudly 2", "softly")
    assert _watched_build(site, warm, site.content / "stories/second-story.md").rendered
    warm.settle()
    check()
    built = snapshot(site.out)
    assert built.pop("stories/notes.txt") and built == clean(site, "after")  # the file put there by hand is kept


def test_the_preview_builds_again_when_its_watcher_missed_a_change(site: Site):
    from showcase.server.preview import Preview

    class Running:
        """A watcher that is running and lost nothing it knows of (the kernel may still drop events)."""

        def intact(self) -> bool:
            return True

    age(site)
    preview = Preview(options(site), port=0)
    preview._watcher = Running()  # type: ignore[assignment]
    preview._build_once([])
    edit_body(site)
    _another_body(site)  # never reported
    preview._changes.wake.clear()
    preview._build_once([str(site.content / "stories/second-story.md")])
    assert preview.warm.missed and preview._changes.wake.is_set()  # the build loop builds again at once
    preview._build_once([])
    assert not preview.warm.missed
    assert snapshot(site.out) == clean(site, "after")


def test_the_watcher_vouches_only_while_it_runs_and_has_lost_no_event(tmp_path: Path):
    from watchdog.events import FileModifiedEvent

    from showcase.server.watch import Watcher, _EventHandler

    def note(path: str) -> None:
        if path.endswith("bad.md"):
            raise RuntimeError("cannot note")

    watcher = Watcher([tmp_path], [], note, on_error=lambda exc: None)
    assert not watcher.intact()  # not started
    assert watcher.start() is None
    try:
        assert watcher.intact()
        _EventHandler(watcher).dispatch(FileModifiedEvent(str(tmp_path / "good.md")))
        assert watcher.intact()
        _EventHandler(watcher).dispatch(FileModifiedEvent(str(tmp_path / "bad.md")))  # a change lost to a bug
        assert not watcher.intact()
    finally:
        watcher.stop()
        watcher.join(5)
    assert not watcher.intact()


def test_a_sites_own_card_that_shows_the_body_is_rendered_again_with_it(site: Site):
    """The preview renders with one theme from build to build: a story card it rendered before, which read the
    body just edited, is not taken again for the listing pages."""
    card = _own_theme(site)
    card.write_text(card.read_text().replace("</article>", '<p class="length">{{ story.body.words }} words</p>\n'
                                                           "</article>"))
    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    for step, (old, new) in enumerate([("We sang.", "We sang, all of us, for a long while."),
                                       ("for a long while.", "for a long while, every week of the year.")]):
        edit_body(site, old, new)
        warm.watching([str(site.content / "stories/second-story.md")])
        result = build(options(site), warm)
        warm.settle(set)
        assert warm.declined == "" and "stories/index.html" in result.rendered and "index.html" in result.rendered
        assert snapshot(site.out) == clean(site, str(step))


def test_a_damaged_build_cache_is_said_by_the_build_that_finds_it_only(site: Site):
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()  # as the preview does once the page is shown: the records are on disk
    (site.root / ".showcase-cache/build.pickle").write_bytes(b"damaged")
    path = site.content / "pages/about.md"  # a change for the ordinary build, which reads the records
    path.write_text(path.read_text() + "\nMore about us.\n")
    found = build(options(site), warm)
    assert any("could not be read" in d.message for d in found.diagnostics.warnings)
    for step in range(2):
        edit_body(site, "We sang" + ("." if step == 0 else ", 0."), f"We sang, {step}.")
        result = build(options(site), warm)
        assert warm.declined == "" and not result.failed
        assert not any("could not be read" in d.message for d in result.diagnostics.items)


def test_a_link_a_body_edit_breaks_on_another_page_names_that_pages_file(site: Site):
    warm = WarmState()
    assert not build(options(site), warm).failed
    edit_body(site, "## Why", "## Because")  # first-light.md links to second-story.md#why
    result = build(options(site), warm)
    assert warm.declined == "" and result.failed
    broken = [d for d in result.diagnostics.errors if "#why" in d.message]
    assert broken and all(d.path.endswith("stories/first-light.md") for d in broken)


THIRD = """
    ---
    title: Third voice
    date: 2017-05-06
    summary: A new story.
    authors: [Ada Lane]
    consent: recorded
    practices: [music]
    tags: [voice]
    ---
    We listened.
    """


def test_the_story_cards_a_build_rendered_are_used_again_by_the_previews_next(site: Site):
    """A story added shifts every listing it is in; the cards of the other stories on those pages are the ones the
    last build rendered (in its workers, here), not rendered again; a card that read what changed is. A build of
    the whole site keeps none (handing them all back would cost more than the next build saves)."""
    warm = WarmState()
    age(site)
    with worker_processes(True):
        assert not build(options(site, workers=2), warm).failed
        theme = warm.last.theme
        assert not theme._cards
        write(site.content / "stories/third-voice.md", THIRD)
        assert not build(options(site, workers=2), warm).failed
        assert warm.last.theme is theme
        before = dict(theme._cards)
        assert {card[0] for card in before} >= {"stories/first-light.md", "stories/second-story.md"}
        write(site.content / "stories/fourth-voice.md", THIRD.replace("Third voice", "Fourth voice"))
        result = build(options(site, workers=2), warm)
        assert not result.failed and warm.last.theme is theme and "stories/index.html" in result.rendered
        assert {card[0] for card in theme._cards.keys() - before.keys()} == {"stories/fourth-voice.md"}
        assert snapshot(site.out) == clean(site, "added")
        path = site.content / "stories/second-story.md"
        path.write_text(path.read_text().replace("title: Second story", "title: Second song"))
        assert not build(options(site, workers=2), warm).failed
        cards = [html for card, (html, _) in theme._cards.items() if card[0] == "stories/second-story.md"]
        assert cards and all("Second song" in html for html in cards)
        assert snapshot(site.out) == clean(site, "title")


def test_cards_rendered_by_a_build_that_failed_are_not_used_again(site: Site):
    """A failed build may have rendered cards from content no good build had (a title since put back): the next
    build renders them afresh."""
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    path = site.content / "stories/second-story.md"
    text = path.read_text()
    path.write_text(text.replace("title: Second story", "title: Second song")
                    .replace("We sang.", "[x](first-light.md#nowhere)"))  # found once the pages are rendered
    assert build(options(site), warm).failed  # the cards were rendered with the new title, then a link broke
    path.write_text(text)
    write(site.content / "stories/third-voice.md", THIRD)  # the listings shift: their pages are made again
    result = build(options(site), warm)
    assert not result.failed and "stories/index.html" in result.rendered
    assert "Second song" not in (site.out / "stories/index.html").read_text()
    assert snapshot(site.out) == clean(site, "after")


def _spare(site: Site) -> Path:
    return site.out.parent / f".{site.out.name}.staging"


def _files(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.lstat().st_ino for path in folder.rglob("*") if path.is_file()}


def test_after_the_first_build_the_spare_folder_is_made_in_the_quiet_moment(site: Site):
    """So that the first save after the preview starts writes only its page (at 10,000 stories linking the site's
    files into the spare took about a second of that save)."""
    from showcase.siterecord import load_record

    warm = WarmState()
    age(site)
    assert not _watched_build(site, warm).failed
    assert not _spare(site).exists()  # the first build made the site itself: no spare yet
    page = site.out / "stories/first-light/index.html"
    page.write_text("edited by hand before the quiet moment")
    warm.settle()
    live, spare = _files(site.out), _files(_spare(site))
    assert spare and spare.keys() == live.keys() - {"stories/first-light/index.html"}
    assert all(spare[name] == live[name] for name in spare)  # the site's own files, linked: nothing copied
    [path] = (site.root / ".showcase-cache/sites").glob("*.pickle")
    record, why = load_record(path)
    assert why is None and record.spare == spare  # the next build trusts the spare as it is
    assert record.spare_folders == _folders(_spare(site))
    warm.settle()  # made once
    assert _files(_spare(site)) == spare
    edit_body(site)
    result = _watched_build(site, warm, site.content / "stories/second-story.md")
    assert warm.declined == ""
    assert sorted(result.rendered) == ["stories/first-light/index.html", "stories/second-story/index.html"]
    assert "edited by hand" not in page.read_text()
    assert snapshot(site.out) == clean(site, "spare")
    warm.settle()
    assert _watched_build(site, warm).up_to_date
    assert build(options(site)).up_to_date  # and a build from a terminal agrees


def test_the_spare_is_not_made_over_a_site_another_build_wrote(site: Site):
    warm = WarmState()
    age(site)
    assert not _watched_build(site, warm).failed
    other = options(site, cache=site.root / "other-cache")
    assert not build(other).failed  # (a build with a cache of its own: it swapped the site and its spare)
    had = _files(_spare(site))
    warm.settle()
    assert _files(_spare(site)) == had
    edit_body(site)
    assert not build(options(site), warm).failed
    assert snapshot(site.out) == clean(site, "other")


def test_pages_rendered_in_place_use_the_workers_only_when_they_are_many(site: Site):
    """Forking the preview's process (the whole site) pays only for a few thousand pages; the tests that force the
    workers on for small sites (worker_processes) still reach them with a handful of pages."""
    from showcase.warm import _workers

    two = options(site, workers=2)
    assert _workers(two, 660) == 1 and _workers(two, 2000) == 2
    with worker_processes(True):
        assert _workers(two, 5) == 2 and _workers(two, 4) == 1


def _card_renders(monkeypatch) -> list:
    """The keys of the cards and shared parts each build renders afresh in this process."""
    from showcase.theme import Theme

    made: list = []
    new_cards = Theme.new_cards
    monkeypatch.setattr(Theme, "new_cards", lambda self: made.extend(found := new_cards(self)) or found)
    return made


def test_after_a_build_of_the_whole_site_in_workers_its_cards_are_made_in_the_quiet_moment(site: Site,
                                                                                            monkeypatch):
    """The workers of a whole site's build do not hand back its cards; the first story added after it would render
    every card of the pages it changes, where the later ones find them made."""
    from showcase.shared_parts import SHARED

    from showcase import quiet_moment

    monkeypatch.setattr(quiet_moment, "CARDS_AT_A_TIME", 1)
    made = _card_renders(monkeypatch)
    warm = WarmState()
    age(site)
    with worker_processes(True):
        assert not _watched_build(site, warm, workers=2).failed
    state = warm.last
    assert not state.theme.holds_cards() and state.cards_to_warm
    assert state.cards_to_warm[0].startswith("stories/")  # the lists of stories first
    warm.settle()
    assert not state.theme.holds_cards() and state.cards_to_warm  # not while the records are written, under lock
    warm.make_cards(lambda: True)  # not while a change waits
    assert not state.theme.holds_cards() and state.cards_to_warm
    waits = iter([False, True])
    warm.make_cards(lambda: next(waits))  # stopped by a change after the first pages
    assert state.theme.holds_cards() and state.cards_to_warm
    warm.make_cards()
    assert state.cards_to_warm == []
    made.clear()
    _newest_story(site)
    result = _watched_build(site, warm, site.content / "stories/newest.md", workers=2)
    assert warm.declined == "" and "stories/index.html" in result.rendered and "index.html" in result.rendered
    # of the cards on the lists of stories (the only ones with an h2), only its own; the others are on its own page
    assert {key[0] for key in made if key[0] != SHARED and key[1] == "h2"} == {"stories/newest.md"}
    assert snapshot(site.out) == clean(site, "warmed")
    made.clear()
    (site.content / "stories/newest.md").unlink()
    unwarmed = WarmState()  # the same story added after a build whose cards were not made
    with worker_processes(True):
        assert not _watched_build(site, unwarmed, workers=2).failed
    unwarmed.settle()
    made.clear()
    _newest_story(site)
    assert not _watched_build(site, unwarmed, site.content / "stories/newest.md", workers=2).failed
    assert unwarmed.declined == ""
    assert len({key[0] for key in made if key[0] != SHARED and key[1] == "h2"}) > 1


def test_a_build_that_rendered_in_this_process_keeps_its_cards_already(site: Site):
    warm = WarmState()
    age(site)
    assert not _watched_build(site, warm).failed
    assert warm.last.theme.holds_cards() and warm.last.cards_to_warm == []
