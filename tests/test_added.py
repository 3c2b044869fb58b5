"""A story added in the preview, or its details edited (added.py): put into the site it keeps in memory, the pages
that show it rendered, nothing else assembled or planned again. The site is byte for byte a clean build's, and the pages rendered are
exactly those the ordinary build renders for the same change; anything it cannot add so goes to the ordinary
build, which says why."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from sitekit import REPO, Site, snapshot, worker_processes, write
from test_warm import age, clean, edit_body, options

from showcase.pipeline import build
from showcase.related import _score_related, memo_to_save, relate, relate_added
from showcase.warm import WarmState


def _story(site: Site, name: str, front: str, body: str = "A new story.") -> None:
    write(site.content / f"stories/{name}.md", f"---\n{front.strip()}\n---\n{body}\n")


def _newest(site: Site) -> None:  # newest of all: the home page, every list page and its terms
    _story(site, "newest", "title: Newest\ndate: 2024-05-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                           "tags: [belonging]\npractices: [music]")


def _between(site: Site) -> None:  # in the clay project, with a neighbour on either side; its artwork's list
    _story(site, "between", "title: Between\ndate: 2015-09-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                            "project: clay\npractices: [craft]\nartworks: [bowl]")
    _story(site, "a-later-clay", "title: Later clay\ndate: 2017-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                               "project: clay\nhero: bowl")  # (added first)


def _new_tag(site: Site) -> None:  # a theme and a practice nobody used: their pages, and the lists of them
    _story(site, "a-new-theme", "title: A new theme\ndate: 2015-01-01\nsummary: s\nauthors: [A]\n"
                                "consent: recorded\ntags: [weaving-words]\npractices: [film]",
           "It links to [the first story](first-light.md).")


def _with_a_draft_in_the_preview(site: Site) -> None:  # a draft a `--drafts` preview shows, with its banner
    _story(site, "a-draft", "title: A draft\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                            "draft: true\ntags: [voice]")


CHANGES = {"the newest story": _newest, "two stories in a project": _between, "new terms": _new_tag}


def _twins(tmp_path: Path, before=None) -> tuple[Site, Site, WarmState]:
    """Two sites alike (`before` done to each), both built: the first by the preview (memory settled), the second from
    files."""
    sites = Site(tmp_path / "preview"), Site(tmp_path / "files")
    warm = WarmState()
    for site in sites:
        if before is not None:
            before(site)
        age(site)
    assert not build(options(sites[0]), warm).failed
    warm.settle()
    assert not build(options(sites[1])).failed
    return sites[0], sites[1], warm


def _said(result, site: Site) -> list[str]:
    """What a build said, its site's folder written <site> (shown from the current folder, or whole when far)."""
    return [d.format().replace(str(site.root), "<site>").replace(os.path.relpath(site.root), "<site>")
            for d in result.diagnostics.sorted()]


def _both(preview: Site, files: Site, warm: WarmState, change, workers: int = 1) -> tuple:
    """The same change made to both sites and built: the preview's from memory, the other's by the ordinary build.
    The same pages rendered, and the site a clean build's. Returns both results."""
    for site in (preview, files):
        change(site)
    quick = build(options(preview, workers=workers), warm)
    assert warm.declined == "" and not quick.failed, warm.declined
    ordinary = build(options(files, workers=workers))
    assert not ordinary.failed
    assert sorted(quick.rendered) == sorted(ordinary.rendered)  # the same pages, found another way
    assert snapshot(preview.out) == snapshot(files.out) == clean(preview, "after")
    return quick, ordinary


def _readers_kept_up(warm: WarmState) -> bool:
    """The index of which page reads each dependency key, as brought up to date by the builds in memory, is the one
    made afresh from the pages' records."""
    fresh: dict[str, set[str]] = {}
    for name, record in warm.last.records.items():
        for key in record.deps:
            fresh.setdefault(key, set()).add(name)
    return {key: names for key, names in warm.last.readers.items() if names} == fresh


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "two worker processes"])
def test_a_story_added_renders_what_the_ordinary_build_would_and_makes_a_clean_builds_site(tmp_path: Path, change,
                                                                                          workers: int):
    with worker_processes(workers > 1):
        preview, files, warm = _twins(tmp_path)
        quick, ordinary = _both(preview, files, warm, change, workers)
        assert ordinary.rendered and quick.pages == ordinary.pages
        assert _said(quick, preview) == _said(ordinary, files)
        assert _readers_kept_up(warm)
        # what it keeps goes on working: the records on disk for a build from the command line, and the next save
        warm.settle()
        assert build(options(preview)).up_to_date
        _story(preview, "one-more", "title: One more\ndate: 2015-06-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                                    "project: clay\ntags: [voice]")
        assert not build(options(preview, workers=workers), warm).failed and warm.declined == ""
        assert _readers_kept_up(warm)
        edit = preview.content / "stories/one-more.md"
        edit.write_text(edit.read_text().replace("A new story.", "A new story, edited."))
        assert build(options(preview, workers=workers), warm).rendered == ["stories/one-more/index.html"]
        assert warm.declined == ""
        assert snapshot(preview.out) == clean(preview, "again")


def _listed(count: int):
    def before(site: Site) -> None:  # `count` older stories in music, so that its list and the site's have pages
        for n in range(count):
            _story(site, f"older-{n:02}", f"title: Older {n}\ndate: {dt.date(2014, 1, 1) + dt.timedelta(days=n)}\n"
                                          "summary: s\nauthors: [A]\nconsent: recorded\npractices: [music]")
    return before


def test_stories_added_and_removed_around_a_lists_pages_in_memory_make_the_ordinary_builds_site(tmp_path: Path):
    """The list pages are counted from the oldest story, so a story added with the newest date changes only the first
    page of its lists, until a new page is cut from it (every page numbered again), and one taken out of an older
    page shifts the pages after it. Each change in memory renders what the ordinary build does, to the byte."""
    preview, files, warm = _twins(tmp_path, before=_listed(45))  # 47 stories: one page
    kept = (preview.out / "stories/index.html").read_text()
    _both(preview, files, warm, _newest)  # 48: cut into two pages of 24
    page_two = preview.out / "stories/page/2/index.html"
    assert page_two.is_file() and kept != (preview.out / "stories/index.html").read_text()
    quick, _ = _both(preview, files, warm, lambda site: _story(site, "newer", "title: Newer\ndate: 2024-05-02\n"
                                                                "summary: s\nauthors: [A]\nconsent: recorded\n"
                                                                "practices: [music]"))  # 49: the first page grows
    assert "stories/index.html" in quick.rendered and "practices/music/index.html" in quick.rendered
    # the site's list keeps its second page; music's, of 48 stories now, is cut into two
    assert [name for name in quick.rendered if "/page/" in name] == ["practices/music/page/2/index.html"]
    quick, _ = _both(preview, files, warm, lambda site: (site.content / "stories/older-03.md").unlink())  # 48
    assert "stories/page/2/index.html" in quick.rendered
    assert _readers_kept_up(warm)


def test_a_draft_added_to_a_drafts_preview_gets_its_banner(tmp_path: Path):
    site = Site(tmp_path)
    age(site)
    warm = WarmState()
    assert not build(options(site, drafts=True), warm).failed
    warm.settle()
    _with_a_draft_in_the_preview(site)
    result = build(options(site, drafts=True), warm)
    assert warm.declined == "" and "stories/a-draft/index.html" in result.rendered
    assert "This is a preview, built with --drafts." in (site.out / "stories/a-draft/index.html").read_text()
    assert snapshot(site.out) == clean(site, "after", drafts=True)


def _hidden(site: Site) -> None:  # a draft, there from the start
    _story(site, "hidden", "title: Hidden\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                           "draft: true")


def _slug_of_a_draft(site: Site) -> None:
    _story(site, "shown", "slug: hidden\ntitle: Shown\ndate: 2016-01-01\nsummary: s\nauthors: [A]\n"
                          "consent: recorded")


def _a_draft(site: Site) -> None:
    _with_a_draft_in_the_preview(site)


def _no_such_project(site: Site) -> None:
    _story(site, "lost", "title: Lost\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\nproject: glass")


def _says_something(site: Site) -> None:  # a heading level skipped: a warning at its line
    _story(site, "loud", "title: Loud\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded",
           "## One\n\n#### Three")


def _typed_tag(site: Site) -> None:
    _story(site, "typed", "title: Typed\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                          "tags: [Voice]")


def _static_in_the_way(site: Site) -> None:
    write(site.content / "static/stories/in-the-way/index.html", "<p>by hand</p>\n")


def _added_and_a_page_edited(site: Site) -> None:
    _newest(site)
    about = site.content / "pages/about.md"
    about.write_text(about.read_text() + "\nMore.\n")


def _links_to_a_draft(site: Site) -> None:
    _story(site, "pointer", "title: Pointer\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded",
           "See [the hidden one](hidden.md).")


@pytest.mark.parametrize("change, why, fails", [
    (_slug_of_a_draft, "stories/shown.md takes a slug already taken", True),
    (_a_draft, "stories/a-draft.md is not published", False),
    (_no_such_project, "stories/lost.md names a project that is not there", True),
    (_says_something, "stories/loud.md has something to say", False),
    (_typed_tag, "stories/typed.md writes a practice or tag otherwise than as its address", False),
    (_added_and_a_page_edited, "not only stories or static files changed", False),
    (_links_to_a_draft, "an added story has something to say", True),
], ids=["slug of a draft", "a draft", "no such project", "a warning", "a tag as written", "and a page edited",
        "a link to a draft"])
def test_what_cannot_be_added_in_memory_goes_to_the_ordinary_build(site: Site, change, why: str, fails: bool):
    _hidden(site)
    _goes_to_the_ordinary_build(site, change, why, fails)


def _goes_to_the_ordinary_build(site: Site, change, why: str, fails: bool) -> None:
    """After the preview's first build, `change` is declined for `why` and the ordinary build fails, leaving the site as
    it was, or makes a clean build's site."""
    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    before = snapshot(site.out)
    change(site)
    result = build(options(site), warm)
    assert warm.declined == why and result.failed == fails
    assert snapshot(site.out) == (before if fails else clean(site, "after"))


def test_a_static_file_at_an_added_storys_address_goes_to_the_ordinary_build(site: Site):
    age(site)
    warm = WarmState()
    _static_in_the_way(site)
    assert not build(options(site), warm).failed
    warm.settle()
    _story(site, "in-the-way", "title: In the way\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded")
    result = build(options(site), warm)
    assert warm.declined == "stories/in-the-way.md has the address of a static file" and result.failed


def test_a_page_edited_by_hand_is_made_again_with_the_story_added(site: Site):
    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    (site.out / "artworks/bowl/index.html").write_text("edited by hand")
    _newest(site)
    result = build(options(site), warm)
    assert warm.declined == "" and "artworks/bowl/index.html" in result.rendered
    assert snapshot(site.out) == clean(site, "after")


def test_the_related_stories_worked_out_around_an_added_one_are_those_of_the_whole_site():
    rng = random.Random(7)

    def story(number: int) -> SimpleNamespace:
        meta = SimpleNamespace(date=dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(900)),
                               project=rng.choice([None, "clay", "film", "song"]),
                               practices=rng.sample(["craft", "music", "film"], rng.randrange(3)),
                               tags=rng.sample([f"t{n}" for n in range(9)], rng.randrange(4)))
        return SimpleNamespace(source=f"stories/s{number}.md", slug=f"s{number}", meta=meta, related=[])

    def order(stories: list) -> list:
        return sorted(stories, key=lambda s: (s.meta.date, s.slug), reverse=True)

    for trial in range(60):
        stories = order([story(n) for n in range(rng.randrange(1, 120))])
        memo: dict = {}
        relate(stories, memo)
        added = [story(1000 + n) for n in range(rng.randrange(1, 4))]
        together = order(stories + added)
        relate_added(together, added, memo)
        got = {s.source: [o.source for o in s.related] for s in together}
        _score_related(together)
        assert got == {s.source: [o.source for o in s.related] for s in together}, trial
        again: dict = {}
        relate(together, again)
        assert again == memo_to_save(memo, together)  # the next ordinary build takes them as they are



# --- a story's details edited ----------------------------------------------------------------------------------

def _edit(site: Site, name: str, old: str, new: str) -> None:
    path = site.content / f"stories/{name}.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


DETAILS = {
    "a title": lambda site: _edit(site, "second-story", "title: Second story", "title: Second story, again"),
    "a body with a new link": lambda site: _edit(site, "second-story", "We sang.",
                                                 "We sang. See [the first](first-light.md)."),
    "the date, to the front": lambda site: _edit(site, "first-light", "date: 2015-04-01", "date: 2024-04-01"),
    "the date, within its project": lambda site: _edit(site, "between", "date: 2015-09-01", "date: 2014-01-01"),
    "its themes, one new": lambda site: _edit(site, "second-story", "tags: [belonging, voice]", "tags: [voice, hope]"),
    "its project": lambda site: _edit(site, "second-story", "consent: recorded", "consent: recorded\nproject: clay"),
    "its lead picture": lambda site: _edit(site, "first-light", "hero: bowl\n", ""),
}


@pytest.mark.parametrize("change", DETAILS.values(), ids=DETAILS.keys())
@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "two worker processes"])
def test_a_storys_details_edited_render_what_the_ordinary_build_would(tmp_path: Path, change, workers: int):
    with worker_processes(workers > 1):
        preview, files, warm = _twins(tmp_path)
        for site in (preview, files):
            _between(site)  # more stories, in a project, to move among
        assert not build(options(preview, workers=workers), warm).failed and warm.declined == ""
        assert not build(options(files, workers=workers)).failed
        warm.settle()
        assert _both(preview, files, warm, change, workers)[1].rendered
        warm.settle()
        assert build(options(preview)).up_to_date


def _warned(site: Site) -> None:  # a heading level skipped: said at its line by every build
    _edit(site, "second-story", "We sang.", "#### Deeper\n\nWe sang.")


@pytest.mark.parametrize("change, why, fails", [
    (lambda site: _edit(site, "second-story", "title: Second story", "slug: sung\ntitle: Second story"),
     "stories/second-story.md has another slug", False),  # (links name its file: they follow it)
    (lambda site: _edit(site, "second-story", "practices: [music]", "practices: [craft]"),
     "stories/second-story.md leaves a practice or tag with no stories", False),
    (lambda site: _edit(site, "second-story", "consent: recorded", "consent: recorded\ndraft: true"),
     "stories/second-story.md is not published", True),
    (lambda site: (_edit(site, "second-story", "title: Second story", "title: Second"), _warned(site)),
     "stories/second-story.md has something to say", False),
], ids=["its slug", "a practice left empty", "made a draft", "a warning now"])
def test_details_that_cannot_be_put_right_in_memory_go_to_the_ordinary_build(site: Site, change, why: str,
                                                                             fails: bool):
    _goes_to_the_ordinary_build(site, change, why, fails)


def test_a_story_something_was_said_of_goes_to_the_ordinary_build(site: Site):
    _warned(site)
    age(site)
    warm = WarmState()
    assert build(options(site), warm).diagnostics.warnings
    warm.settle()
    _edit(site, "second-story", "title: Second story", "title: Second")
    result = build(options(site), warm)
    assert warm.declined == "stories/second-story.md had something said of it" and not result.failed
    assert snapshot(site.out) == clean(site, "after")


# --- static files ------------------------------------------------------------------------------------------------

STATIC = {
    "a file": lambda site: write(site.content / "static/notes/reading-list.txt", "Books we read together.\n"),
    "a favicon every page asks for": lambda site: write(site.content / "static/favicon.svg", "<svg "
                                                        "xmlns='http://www.w3.org/2000/svg'></svg>\n"),
    "a file saved again": lambda site: write(site.content / "static/hello.txt", "Hello again, changed.\n"),
}


@pytest.mark.parametrize("change", STATIC.values(), ids=STATIC.keys())
def test_static_files_added_or_saved_are_copied_into_the_site_in_memory(tmp_path: Path, change):
    def before(site: Site) -> None:  # a file to save again; no favicon yet
        write(site.content / "static/hello.txt", "Hello.\n")
        (site.content / "static/favicon.svg").unlink()

    preview, files, warm = _twins(tmp_path, before)
    quick, _ = _both(preview, files, warm, change)
    warm.settle()
    assert build(options(preview)).up_to_date
    if "favicon.svg" in preview.out.joinpath("index.html").read_text():  # every page links it now
        assert len(quick.rendered) == quick.pages


@pytest.mark.parametrize("change, why", [
    (lambda site: write(site.content / "static/stories/index.html", "<p>mine</p>\n"),
     "static/stories/index.html has the place of a file or folder of the site"),
    (lambda site: write(site.content / "static/robots.txt", "Disallow: /drafts/\n"),
     "static/robots.txt is merged with the showcase's own rules"),
    (lambda site: (write(site.content / "static/a.txt", "a\n"), _newest(site)),
     "stories and static files changed together"),
    (lambda site: (site.content / "static/favicon.svg").unlink(), "static files went"),
    (lambda site: ((site.content / "static/favicon.svg").unlink(), write(site.content / "static/a.txt", "a\n")),
     "files went and others came or changed"),
], ids=["at a page's place", "robots.txt", "with a story", "removed", "removed and another added"])
def test_static_files_that_cannot_be_copied_so_go_to_the_ordinary_build(site: Site, change, why: str):
    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    change(site)
    result = build(options(site), warm)
    assert warm.declined == why
    if not result.failed:
        assert snapshot(site.out) == clean(site, "after")


# --- stories removed ---------------------------------------------------------------------------------------------

REMOVALS = {
    "between two in a project": lambda site: (site.content / "stories/between.md").unlink(),
    "the newest": lambda site: (site.content / "stories/newest.md").unlink(),
    "two at once": lambda site: [(site.content / f"stories/{name}.md").unlink() for name in ("a-later-clay", "newest")],
}


@pytest.mark.parametrize("change", REMOVALS.values(), ids=REMOVALS.keys())
@pytest.mark.parametrize("workers", [1, 2], ids=["one process", "two worker processes"])
def test_a_story_removed_is_taken_out_of_the_site_in_memory(tmp_path: Path, change, workers: int):
    with worker_processes(workers > 1):
        preview, files, warm = _twins(tmp_path, before=lambda site: (_between(site), _newest(site)))
        quick, ordinary = _both(preview, files, warm, change, workers)
        assert quick.pages == ordinary.pages and quick.removed == ordinary.removed > 0
        assert _readers_kept_up(warm)
        warm.settle()
        assert build(options(preview)).up_to_date
        _newest(preview)  # and back: added in memory again
        assert not build(options(preview, workers=workers), warm).failed and warm.declined == ""
        assert _readers_kept_up(warm)
        assert snapshot(preview.out) == clean(preview, "again")


@pytest.mark.parametrize("change, why, fails", [
    (lambda site: (site.content / "stories/second-story.md").unlink(),
     "stories/first-light.md links to a story removed", True),
    (lambda site: (site.content / "stories/lonely.md").unlink(),
     "stories/lonely.md leaves a practice or tag with no stories", False),
    (lambda site: ((site.content / "stories/lonely.md").unlink(), edit_body(site)),
     "files went and others came or changed", False),
], ids=["linked from another", "the last of its theme", "and a body edited"])
def test_a_story_removed_that_others_need_goes_to_the_ordinary_build(site: Site, change, why: str, fails: bool):
    _story(site, "lonely", "title: Lonely\ndate: 2016-01-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
                           "tags: [solitude]")
    _goes_to_the_ordinary_build(site, change, why, fails)


def test_a_build_from_the_command_line_after_details_edited_in_the_preview_shows_them(site: Site):
    """The site a build from files keeps for a later change to story bodies (assembled.py) is the one it assembled,
    not the preview's: a title edited in the preview, then another story's body edited and built from a terminal."""
    age(site)
    assert not build(options(site)).failed  # from files: it keeps its assembled site
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    _edit(site, "second-story", "title: Second story", "title: Second story, renamed")
    assert not build(options(site), warm).failed and warm.declined == ""
    warm.settle()
    _edit(site, "first-light", "I came with a friend.", "I came with a friend, early.")
    result = build(options(site))
    assert not result.failed
    assert snapshot(site.out) == clean(site, "after")


def test_a_story_an_exhibition_shows_changes_the_stops_picture_with_its_lead_picture(tmp_path: Path):
    """The example's clay exhibition opens with a story: its lead picture stands for the stop and the exhibition."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    site = SimpleNamespace(root=tmp_path, content=content, out=tmp_path / "_site")
    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    for hero in ("hero: quiet-blue\n", ""):  # another picture, then none
        story = content / "stories/hands-in-the-clay.md"
        text = story.read_text()
        story.write_text(re.sub(r"hero: [a-z-]+\n", hero, text, count=1))
        result = build(options(site), warm)
        assert warm.declined == "" and not result.failed
        assert "exhibitions/clay-from-the-table-to-the-wall/index.html" in result.rendered
        assert snapshot(site.out) == clean(site, f"after-{bool(hero)}")
        warm.settle()


def test_a_file_is_read_once_to_tell_whether_it_changed(site: Site, monkeypatch):
    """The preview asks which files changed once for each kind of change it could build from memory (a body edited,
    details edited...); a file whose time changed but not its size is read to tell, once."""
    import showcase.snapshot

    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text().replace("title: Second story", "title: Second stori"))  # the same size
    age(site)  # and not so recent that its bytes are read before the build starts
    reads: list[str] = []
    real = showcase.snapshot._digest_if_there
    monkeypatch.setattr(showcase.snapshot, "_digest_if_there", lambda path: reads.append(path) or real(path))
    result = build(options(site), warm)
    assert warm.declined == "" and "stories/second-story/index.html" in result.rendered
    assert reads.count(str(story)) == 1
    assert snapshot(site.out) == clean(site, "after")


def test_the_related_stories_worked_out_in_memory_are_saved_for_the_next_build(site: Site, monkeypatch):
    """A story added in the preview: the related stories it worked out are saved once the page is shown, with what they
    depend on, so that a build from a terminal after it (a page edited: everything assembled again) uses them."""
    import showcase.related as related

    age(site)
    warm = WarmState()
    assert not build(options(site), warm).failed
    warm.settle()
    _newest(site)
    assert not build(options(site), warm).failed and warm.declined == ""
    warm.settle()
    scored = []
    monkeypatch.setattr(related, "_score_related", lambda stories: scored.append(stories) or _score_related(stories))
    about = site.content / "pages/about.md"
    about.write_text(about.read_text() + "\nMore.\n")
    assert not build(options(site)).failed
    assert scored == [] and snapshot(site.out) == clean(site, "after")
