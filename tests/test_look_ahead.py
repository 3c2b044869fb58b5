"""The site looked over by a helper process while the preview plans a story added (look_ahead.py): the build sees
everything done to the site since the helper was started, as when it looks itself, and looks itself whenever the
helper cannot answer."""

from __future__ import annotations

import shutil

import pytest
from sitekit import Site, snapshot
from test_added import _newest, _story
from test_warm import _first_build, _watched_build, clean, options

from showcase import look_ahead
from showcase.pipeline import build
from showcase.siterecord import load_record
from showcase.spare import look_over


@pytest.fixture
def helped(monkeypatch):
    """Helpers started for the small test sites too; what each build got from one (None: nothing)."""
    monkeypatch.setattr(look_ahead, "LOOK_AHEAD_FROM", 1)
    answers: list = []
    result = look_ahead.Helper.result

    def noted(self):
        answers.append(result(self))
        return answers[-1]

    monkeypatch.setattr(look_ahead.Helper, "result", noted)
    started: list = []
    start = look_ahead.Helper.__init__

    def noting(self, *args):
        start(self, *args)
        started.append(self)

    monkeypatch.setattr(look_ahead.Helper, "__init__", noting)
    yield answers
    for helper in started:
        helper.stop()


def _record(site: Site):
    [path] = (site.root / ".showcase-cache/sites").glob("*.pickle")
    record, why = load_record(path)
    assert why is None
    return record


def test_a_story_added_is_built_with_the_site_the_helper_looked_over(site: Site, helped):
    warm = _first_build(site)
    helper = warm._helper
    assert helper is not None and helper.process.poll() is None  # waiting, with the record of the site
    _newest(site)
    result = _watched_build(site, warm, site.content / "stories/newest.md")
    assert not result.failed and warm.declined == ""
    assert len(helped) == 1 and helped[0] is not None  # what it found was taken
    assert helper.process.returncode == 0 and warm._helper is None
    assert snapshot(site.out) == clean(site, "added")
    warm.settle()  # a new helper, for the site as this build left it
    assert warm._helper is not None and warm._helper is not helper and warm._helper.record is warm.last.site_record
    _story(site, "another", "title: Another\ndate: 2024-06-01\nsummary: s\nauthors: [A]\nconsent: recorded")
    assert not _watched_build(site, warm, site.content / "stories/another.md").failed and warm.declined == ""
    assert len(helped) == 2 and helped[1] is not None
    assert snapshot(site.out) == clean(site, "another")


def test_what_is_done_to_the_site_after_the_helper_started_is_seen(site: Site, helped):
    warm = _first_build(site)
    assert warm._helper is not None
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    (site.out / "about/index.html").unlink()
    (site.out / "CNAME").write_text("example.org")
    _newest(site)
    result = _watched_build(site, warm, site.content / "stories/newest.md")
    assert not result.failed and warm.declined == "" and helped[0] is not None
    assert {"stories/first-light/index.html", "about/index.html"} <= set(result.rendered)  # made again
    assert helped[0].edited.keys() == {"stories/first-light/index.html"}
    assert (site.out / "CNAME").read_text() == "example.org"  # put there by hand: kept
    made = snapshot(site.out)
    del made["CNAME"]
    assert made == clean(site, "hand")


def test_the_helpers_answer_is_the_look_the_build_would_take(site: Site):
    """It sends only what the record does not say: the look made again from that is the look itself."""
    warm = _first_build(site)
    warm.settle()
    live, record = site.out.resolve(), _record(site)
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    (site.out / "about/index.html").unlink()
    (site.out / "stories/notes.txt").write_text("by hand")
    shutil.rmtree(site.out / "projects")
    look = look_over(live, record)
    assert look.edited and look.foreign and look.live_folders != record.folders  # (something to send)
    again = look_ahead._look(look_ahead._differences(look, record), record)
    assert again == look
    assert list(again.trusted) == list(look.trusted) and list(again.live_folders) == list(look.live_folders)


def test_without_an_answer_from_its_helper_the_build_looks_itself(site: Site, helped):
    warm = _first_build(site)
    warm._helper.process.kill()  # (ended by a limit, say)
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    _newest(site)
    result = _watched_build(site, warm, site.content / "stories/newest.md")
    assert not result.failed and warm.declined == "" and helped == []  # not asked: it was not running
    assert "stories/first-light/index.html" in result.rendered
    assert snapshot(site.out) == clean(site, "without")


def test_a_helper_not_needed_is_stopped(site: Site, helped):
    warm = _first_build(site)
    helper = warm._helper
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("We sang.", "We sang, loudly."))  # a body: looked over at once
    assert not _watched_build(site, warm, path).failed and warm.declined == ""
    assert helper.process.returncode is not None and helped == []
    warm.settle()
    helper = warm._helper
    assert not build(options(site, cache=site.root / "other-cache")).failed  # another build wrote the site
    _newest(site)
    assert not _watched_build(site, warm, site.content / "stories/newest.md").failed
    assert helped[0].others and warm.declined.endswith("changed by hand")  # seen: the ordinary build took it
    assert snapshot(site.out) == clean(site, "other")
    warm.settle()
    assert helper.process.returncode is not None and warm._helper is not helper


def test_small_sites_are_looked_over_by_the_build_itself(site: Site):
    warm = _first_build(site)
    assert warm._helper is None
    _newest(site)
    assert not _watched_build(site, warm, site.content / "stories/newest.md").failed and warm.declined == ""
    assert snapshot(site.out) == clean(site, "small")


@pytest.mark.parametrize("hand", ["deleted", "replaced", "edited in place"])
def test_a_page_changed_by_hand_after_the_helper_looked_is_made_again(site: Site, helped, monkeypatch, hand: str):
    """The helper looks as the build starts to plan; what is done to the site before the build links the site's
    files into its spare is seen then (the files the last build wrote, which the spare does not hold yet)."""
    warm = _first_build(site)
    about = site.content / "pages/about.md"
    about.write_text(about.read_text() + "\nMore about us.\n")
    assert not _watched_build(site, warm, about).failed  # (its page written again: the spare holds the old one)
    warm.settle()
    page = site.out / "about/index.html"  # (a page the story added does not change)
    answer = look_ahead.Helper.result

    def then_by_hand(self):
        found = answer(self)
        if hand == "deleted":
            page.unlink()
        elif hand == "replaced":
            page.unlink()
            page.write_text("replaced by hand")
        else:
            with page.open("a") as handle:
                handle.write("edited by hand")
        return found

    monkeypatch.setattr(look_ahead.Helper, "result", then_by_hand)
    _newest(site)
    result = _watched_build(site, warm, site.content / "stories/newest.md")
    assert not result.failed and warm.declined == ""
    assert "about/index.html" in result.rendered
    assert snapshot(site.out) == clean(site, hand.replace(" ", "-"))
    warm.settle()
    assert build(options(site)).up_to_date  # and the record says what is there


def test_the_helper_runs_the_previews_own_code(site: Site, helped, monkeypatch, tmp_path: Path):
    """Not a `showcase` the folder the preview was started from holds (`python -c` looks there first)."""
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    (elsewhere / "showcase.py").write_text("open(__file__ + '.ran', 'w').close()\nraise SystemExit(3)\n")
    monkeypatch.chdir(elsewhere)
    warm = _first_build(site)
    _newest(site)
    assert not _watched_build(site, warm, site.content / "stories/newest.md").failed
    assert helped and helped[0] is not None and not (elsewhere / "showcase.py.ran").exists()
