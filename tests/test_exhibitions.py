"""Exhibitions: a curator's walk through artworks, stories and films, built into real sites: the overview, one page
per stop with its place in the walk, the list of exhibitions, the works that say where they are shown, drafts,
incremental builds, and every mistake an editor can make in one, said at its line."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from sitekit import REPO, Site, fails_cleanly, snapshot, write
from test_search import has_pagefind_body

from showcase.pipeline import BuildOptions, build

BASE = "https://example.org/mt/"
VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nHello.\n"

WALK = """
    title: "Clay: a walk"
    summary: From the studio table to the gallery wall.
    curators: [Robin Curator]
    introduction: |
      We begin at the *table*.
    stops:
      - artwork: bowl
        text: |
          Made in the second term.
      - media: studio-film
        text: A film of a Tuesday.
      - story: first-light
        text: |
          Where the bowl began; see [the second story](../stories/second-story.md).
    """


def add_film(site: Site, extra: str = "") -> None:
    (site.content / "media").mkdir(parents=True, exist_ok=True)
    (site.content / "media/film.webm").write_bytes(b"\x1aE\xdf\xa3 not really a film")
    (site.content / "media/film.vtt").write_text(VTT)
    write(site.content / "media/studio-film.yaml", "title: Studio film\nkind: video\nfile: film.webm\n"
          f"captions: film.vtt\nposter: bowl\ntranscript: We make pots.\n{extra}")


@pytest.fixture
def walk(site: Site) -> Site:
    add_film(site)
    write(site.content / "exhibitions/clay-walk.yaml", WALK)
    return site


def text_of(html: str) -> str:
    """What a screen reader says of some HTML: its words, without what is hidden from it."""
    shown = re.sub(r'<span [^>]*aria-hidden="true">.*?</span>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", shown)).strip()


def main_of(html: str) -> str:
    return html[html.index('<main id="main"'):html.index("</main>")]


# --- the pages ------------------------------------------------------------------------------------------------


def test_an_exhibition_has_an_overview_and_one_page_per_stop(walk: Site, both_process_modes):
    assert walk.build("--base-url", BASE) == 0
    overview = walk.page("exhibitions/clay-walk")
    assert "<h1>Clay: a walk</h1>" in overview and "Curated by Robin Curator" in overview
    assert "We begin at the <em>table</em>." in overview
    start = re.search(r'<a class="button" href="([^"]+)"[^>]*>Start the walk</a>', overview)
    assert start and start.group(1) == "1/"
    stops = re.search(r'<ol class="stops"[^>]*>(.*?)</ol>', overview, re.S).group(1)
    items = re.findall(r'<a class="stops__link" href="([^"]+)">(.*?)</a>', stops, re.S)
    assert [(href, text_of(inner)) for href, inner in items] == [
        ("1/", "Stop 1: Blue bowl Artwork, J.Q."), ("2/", "Stop 2: Studio film Film"), ("3/", "Stop 3: First light Story")]
    # each picture once: the film's poster and the story's lead are the bowl, which the first stop shows already
    assert ['<img ' in inner for _, inner in items] == [True, False, False]
    assert 'alt=""' in items[0][1]  # the link's words name it: the thumbnail is decoration
    assert '<span class="stops__picture stops__picture--none" aria-hidden="true">2</span>' in items[1][1]

    first, second, third = (walk.page(f"exhibitions/clay-walk/{n}") for n in (1, 2, 3))
    assert "<title>Stop 2 of 3: Studio film – MT</title>" in second
    assert "Stop 2 of 3 · Film" in second and "<h1>Studio film</h1>" in second
    assert '<video controls preload="metadata"' in second and "A film of a Tuesday." in second
    assert re.search(r'<a href="\.\./1/" rel="prev" data-walk="previous">.*?Previous stop.*?Blue bowl</a>', second, re.S)
    assert re.search(r'<a href="\.\./3/" rel="next" data-walk="next">.*?Next stop.*?First light</a>', second, re.S)
    assert 'href="../#exhibition-stops">All 3 stops of the exhibition</a>' in second
    crumbs = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', second, re.S).group(1)
    assert re.findall(r'href="([^"]*)"', crumbs) == ["../../../", "../../", "../", "./"]
    # the ends of the walk lead back to the overview, without claiming to be a previous or next stop
    assert re.search(r'<a href="\.\./" data-walk="previous">.*?Back to the start', first, re.S)
    assert 'rel="prev"' not in first
    assert re.search(r'<a href="\.\./" data-walk="next">.*?End of the walk', third, re.S) and 'rel="next"' not in third
    # the words at each stop, and a way on to the work itself
    assert "Made in the second term." in first and "More about “Blue bowl”" in first
    assert 'href="../../../stories/second-story/"' in third  # a link in a stop's text, resolved from its page
    assert "Read the whole story, “First light”" in third and "How a morning class became a lifeline." in third
    assert '<script src="../../../assets/exhibition.js" defer></script>' in first
    assert (walk.out / "assets/exhibition.js").is_file() and (walk.out / "assets/exhibition.css").is_file()
    # the keyboard tip is shown only by the script that makes the keys work
    assert re.search(r'<p class="walk-keys" hidden>Keyboard: the ← \(left arrow\) and → \(right arrow\) keys', first)


def test_the_exhibitions_are_listed_linked_from_the_navigation_and_shown_on_their_works(walk: Site):
    assert walk.build("--base-url", BASE) == 0
    listing = walk.page("exhibitions")
    assert '<a href="clay-walk/">Clay: a walk</a>' in listing and "3 stops · Curated by Robin Curator" in listing
    home = walk.page("")
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', home, re.S).group(1)
    assert re.findall(r">([^<]+)</a>", nav)[:4] == ["Stories", "Gallery", "Exhibitions", "Projects"]
    assert 'href="../" aria-current="true">Exhibitions</a>' in walk.page("exhibitions/clay-walk")
    for url, stop in (("artworks/bowl", 1), ("media/studio-film", 2), ("stories/first-light", 3)):
        page = walk.page(url)
        section = re.search(r'<section class="in-exhibitions[^"]*"[^>]*>(.*?)</section>', page, re.S)
        assert section, url
        assert f'<a href="../../exhibitions/clay-walk/{stop}/">Clay: a walk</a>, stop {stop} of 3' in section.group(1)
    assert "in-exhibitions" not in walk.page("stories/second-story")
    sitemap = (walk.out / "sitemap.xml").read_text()
    for url in ("exhibitions/", "exhibitions/clay-walk/", "exhibitions/clay-walk/1/", "exhibitions/clay-walk/3/"):
        assert f"<loc>{BASE}{url}</loc>" in sitemap, url
    for url in ("exhibitions/clay-walk", "exhibitions/clay-walk/2"):
        assert has_pagefind_body(walk.page(url)) and "kind:Exhibition" in walk.page(url)


def test_no_exhibitions_no_link(site: Site):
    assert site.build() == 0
    assert ">Exhibitions</a>" not in site.page("") and not (site.out / "exhibitions").exists()


def test_an_md_exhibition_is_introduced_by_its_text(site: Site):
    write(site.content / "exhibitions/voices.md", """
        ---
        title: Voices
        summary: Singing together.
        stops:
          - story: second-story
            text: We sang.
        ---
        Two **choirs**, one walk.
        """)
    assert site.build() == 0
    assert "Two <strong>choirs</strong>, one walk." in site.page("exhibitions/voices")
    assert "Stop 1 of 1 · Story" in site.page("exhibitions/voices/1")


def test_two_builds_are_byte_identical(walk: Site, tmp_path: Path):
    assert walk.build("--base-url", BASE) == 0
    other = tmp_path / "again"
    assert build(BuildOptions(content=walk.content, out=other, cache=tmp_path / "cache2", base_url=BASE)).failed is False
    assert snapshot(walk.out) == {k: v for k, v in snapshot(other).items()}


def test_a_story_may_link_to_an_exhibition(walk: Site):
    path = walk.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\nSee [the clay walk](../exhibitions/clay-walk.yaml).\n")
    assert walk.build() == 0
    assert 'href="../../exhibitions/clay-walk/">the clay walk</a>' in walk.page("stories/second-story")


# --- drafts --------------------------------------------------------------------------------------------------


def test_a_draft_exhibition_is_only_in_a_preview(walk: Site, capsys):
    path = walk.content / "exhibitions/clay-walk.yaml"
    path.write_text(path.read_text() + "draft: true\n")
    assert walk.build("--base-url", BASE) == 0
    assert not (walk.out / "exhibitions").exists()
    assert ">Exhibitions</a>" not in walk.page("") and "in-exhibitions" not in walk.page("artworks/bowl")
    assert walk.build("--drafts", "--base-url", BASE) == 0
    for url in ("exhibitions/clay-walk", "exhibitions/clay-walk/2"):
        page = walk.page(url)
        assert "Draft, not published" in page and "This exhibition is a draft (draft: true)" in page
        assert '<meta name="robots" content="noindex">' in page and not has_pagefind_body(page)
        assert "application/ld+json" not in page
    assert "exhibitions/clay-walk" not in (walk.out / "sitemap.xml").read_text()
    capsys.readouterr()
    assert walk.check() == 0
    assert "exhibitions/clay-walk.yaml:15:1: note: draft, not published (draft: true)" in capsys.readouterr().err


def test_check_checks_a_draft_exhibition_too(walk: Site, capsys):
    path = walk.content / "exhibitions/clay-walk.yaml"
    path.write_text(path.read_text().replace("artwork: bowl", "artwork: bowls") + "draft: true\n")
    assert walk.build() == 0  # a draft is not published: a real build does not look at it
    capsys.readouterr()
    assert walk.check() == 1
    assert "exhibitions/clay-walk.yaml:7:5: error: artwork 'bowls' does not exist (no artworks/bowls.yaml); did you " \
           "mean bowl?" in capsys.readouterr().err


def test_a_published_exhibition_may_not_show_a_draft_story(walk: Site, capsys):
    assert walk.build() == 0
    capsys.readouterr()
    path = walk.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("consent: recorded", "consent: recorded\ndraft: true"))
    fails_cleanly(walk, capsys, "exhibitions/clay-walk.yaml:12:5: error: story 'first-light' is not published "
                                "(a draft (draft: true))")
    assert walk.build("--drafts") == 0  # a preview shows the draft, and the walk through it
    assert "<h1>First light</h1>" in walk.page("exhibitions/clay-walk/3")


# --- bad input, each said at its line ---------------------------------------------------------------------------


@pytest.fixture
def built(walk: Site) -> Site:
    assert walk.build() == 0
    return walk


def edit(site: Site, old: str, new: str) -> None:
    path = site.content / "exhibitions/clay-walk.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_missing_work_is_an_error_with_the_nearest_one(built: Site, capsys):
    edit(built, "artwork: bowl", "artwork: bowel")
    edit(built, "story: first-light", "story: frist-light")
    edit(built, "media: studio-film", "media: studio-flim")
    err = fails_cleanly(built, capsys)
    assert "exhibitions/clay-walk.yaml:7:5: error: artwork 'bowel' does not exist (no artworks/bowel.yaml); did you " \
           "mean bowl?" in err
    assert "exhibitions/clay-walk.yaml:10:5: error: media item 'studio-flim' does not exist (no media/studio-flim.yaml)" \
           "; did you mean studio-film?" in err
    assert "exhibitions/clay-walk.yaml:12:5: error: story 'frist-light' does not exist (no stories/frist-light.md); " \
           "did you mean first-light?" in err


def test_the_same_stop_twice_is_an_error_at_the_second(built: Site, capsys):
    edit(built, "  - story: first-light\n", "  - artwork: bowl\n    text: Again.\n  - story: first-light\n")
    fails_cleanly(built, capsys, "exhibitions/clay-walk.yaml:12:5: error: stops: artwork 'bowl' is stop 1 already; "
                                 "an exhibition shows each work once")


@pytest.mark.parametrize("stops, where, message", [
    ("stops: []\n", "6:1", "stops: an exhibition needs at least one stop"),
    ("", "1:1", "missing required field 'stops'"),
    ("stops:\n  - text: Nothing shown.\n", "7:5", "stops, item 1: a stop shows one work: give one of artwork, story or media"),
    ("stops:\n  - artwork: bowl\n    story: first-light\n    text: Two.\n", "7:5",
     "stops, item 1: a stop shows one work: give one of artwork, story or media, not artwork and story"),
    ("stops:\n  - artwork: bowl\n", "7:5", "missing required field 'stops, item 1, text'"),
])
def test_an_exhibition_needs_stops_that_each_show_one_work(built: Site, capsys, stops: str, where: str, message: str):
    path = built.content / "exhibitions/clay-walk.yaml"
    path.write_text(path.read_text().split("stops:")[0] + stops)
    fails_cleanly(built, capsys, f"exhibitions/clay-walk.yaml:{where}: error: {message}")


def test_markup_in_a_stop_is_sanitised_and_unsafe_html_refused(walk: Site, capsys):
    edit(walk, "Made in the second term.", "Made in the <abbr title=\"second\">2nd</abbr> term, "
         "<span style=\"color: red\" class=\"x\">fired</span> twice.")
    assert walk.build() == 0
    page = walk.page("exhibitions/clay-walk/1")
    assert '<abbr title="second">2nd</abbr>' in page and "fired</span> twice" in page
    assert "color: red" not in page
    capsys.readouterr()
    edit(walk, "A film of a Tuesday.", "A film <img src=x onerror=alert(1)> of a Tuesday.")
    edit(walk, "      Made in the", "      <script>alert(1)</script>\n\n      Made in the")
    err = fails_cleanly(walk, capsys)
    assert "exhibitions/clay-walk.yaml:9:1: error: unsafe HTML: the <script> element is not allowed" in err
    assert "exhibitions/clay-walk.yaml:13:1: error: unsafe HTML: event handler attributes (on...=) are not allowed" in err


def test_a_missing_file_in_a_stop_s_text_is_said_at_its_line(built: Site, capsys):
    edit(built, "      Made in the second term.", "      Made in [the story](../stories/frist-light.md).")
    fails_cleanly(built, capsys, "exhibitions/clay-walk.yaml:9:27: error: '../stories/frist-light.md' points to a file "
                                 "that does not exist (stories/frist-light.md); did you mean ../stories/first-light.md?")


def test_the_introduction_is_written_once(site: Site, capsys):
    write(site.content / "exhibitions/voices.md", "---\ntitle: V\nsummary: S.\nintroduction: Here.\nstops:\n"
          "  - story: second-story\n    text: We sang.\n---\nAnd here.\n")
    assert site.build() == 1
    assert "exhibitions/voices.md:4:1: error: introduction: the introduction is the text after the front matter " \
           "already" in capsys.readouterr().err


def test_the_showcase_keeps_the_exhibitions_address(site: Site, capsys):
    write(site.content / "pages/exhibitions.md", "---\ntitle: Our exhibitions\n---\nText.\n")
    assert site.build() == 1
    assert "the page address '/exhibitions/' is used by the showcase itself" in capsys.readouterr().err


# --- incremental builds ------------------------------------------------------------------------------------------


def options(site: Site, out: Path | None = None, cache: Path | None = None) -> BuildOptions:
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        base_url=BASE, workers=1, search=False)


def same_as_a_clean_build(site: Site) -> list[str]:
    result = build(options(site))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    clean = Path(tempfile.mkdtemp(prefix="clean-", dir=site.root))
    assert not build(options(site, clean / "site", clean / "cache")).failed
    assert snapshot(site.out) == snapshot(clean / "site")
    return sorted(result.rendered)


@pytest.mark.parametrize("change", ["exhibition title", "stop text", "artwork title", "story title", "order",
                                    "draft", "new exhibition", "film title"])
def test_an_edit_renders_exactly_what_a_clean_build_would_give(walk: Site, change: str):
    assert not build(options(walk)).failed
    path = walk.content / "exhibitions/clay-walk.yaml"
    if change == "exhibition title":
        path.write_text(path.read_text().replace('"Clay: a walk"', '"Clay: a slower walk"'))
    elif change == "stop text":
        path.write_text(path.read_text().replace("A film of a Tuesday.", "A film of a Wednesday."))
    elif change == "artwork title":
        sidecar = walk.content / "artworks/bowl.yaml"
        sidecar.write_text(sidecar.read_text().replace("title: Blue bowl", "title: Cobalt bowl"))
    elif change == "story title":
        story = walk.content / "stories/first-light.md"
        story.write_text(story.read_text().replace("title: First light", "title: First glow"))
    elif change == "order":
        text = path.read_text()
        film = text[text.index("  - media:"):text.index("  - story:")]
        path.write_text(text.replace(film, "") + film)
    elif change == "draft":
        path.write_text(path.read_text() + "draft: true\n")
    elif change == "new exhibition":
        write(walk.content / "exhibitions/another.yaml", "title: Another\nsummary: S.\nstops:\n"
              "  - artwork: bowl\n    text: Again.\n")
    elif change == "film title":
        sidecar = walk.content / "media/studio-film.yaml"
        sidecar.write_text(sidecar.read_text().replace("Studio film", "Studio reel"))
    rendered = same_as_a_clean_build(walk)
    if change == "stop text":  # the text is on its stop's page (and the pages that link to it read it whole)
        assert "exhibitions/clay-walk/2/index.html" in rendered
        assert not any(name.startswith(("stories/", "artworks/", "projects/")) for name in rendered), rendered
    if change == "artwork title":
        assert {"exhibitions/clay-walk/index.html", "exhibitions/clay-walk/1/index.html",
                "exhibitions/clay-walk/2/index.html"} <= set(rendered)
    if change == "exhibition title":
        showing = {name for name, html in walk.pages().items() if "Clay: a slower walk" in html}
        assert set(rendered) == showing


def test_the_example_exhibitions_build(tmp_path: Path):
    result = build(BuildOptions(content=REPO / "content", out=tmp_path / "site", cache=tmp_path / "cache",
                                search=False))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    titles = {e.meta.title: len(e.stops) for e in result.site.exhibitions.values()}
    assert titles == {"Clay: from the table to the wall": 7, "Voices of the choir": 5}
    for exhibition in result.site.exhibitions.values():
        assert {stop.kind for stop in exhibition.stops} == {"artwork", "story", "media"}
