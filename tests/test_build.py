"""A complete small site builds into the pages the content contract promises."""

from __future__ import annotations

import datetime as dt

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitekit import Site, write


class Outline(HTMLParser):
    """Counts what accessibility and structure tests need from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)

    def first(self, tag: str) -> dict | None:
        return next((a for t, a in self.tags if t == tag), None)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_builds_every_section(site: Site):
    assert site.build() == 0
    for url in ["", "stories/", "stories/first-light/", "stories/second-story/", "artworks/", "artworks/bowl/",
                "projects/", "projects/clay/", "practices/", "practices/craft/", "tags/", "tags/belonging/",
                "final-report/", "impact-statement/", "reports/", "about/", "get-support/"]:
        assert (site.out / url / "index.html").is_file(), url
    assert (site.out / "404.html").is_file()
    assert (site.out / "favicon.svg").is_file()
    assert (site.out / "robots.txt").is_file()
    assert (site.out / "assets/style.css").is_file()


def test_every_page_has_landmarks_skip_link_and_one_h1(site: Site):
    assert site.build() == 0
    for name, html in site.pages().items():
        page = outline(html)
        assert page.count("h1") == 1, name
        for landmark in ("header", "nav", "main", "footer"):
            assert page.count(landmark) >= 1, (name, landmark)
        first_link = page.first("a")
        assert first_link is not None and first_link.get("href") == "#main", name
        assert page.first("main").get("id") == "main"
        assert page.first("html").get("lang") == "en-GB"
        if name != "search/index.html":  # search is the one page that needs JavaScript, and says so without it
            assert not re.search(r"<script(?![^>]*application/ld\+json)", html), name  # data only
        assert "Get support" in html, name  # the same help link on every page
        assert re.search(r'class="support-link" href="([^"]*get-support/|\./)"', html), name


def test_links_between_content_files_resolve_to_relative_pages(site: Site):
    assert site.build() == 0
    story = site.page("stories/first-light")
    assert 'href="../second-story/#why"' in story
    project = site.page("projects/clay")
    assert 'href="../../stories/first-light/"' in project
    # every relative link in every page points at a file that exists
    for name, html in site.pages().items():
        if name == "404.html":
            continue
        base = (site.out / name).parent
        for target in re.findall(r'(?:href|src)="([^"#:]+)(?:#[^"]*)?"', html):
            resolved = (base / target).resolve()
            assert resolved.exists(), (name, target)
            if resolved.is_dir():
                assert (resolved / "index.html").is_file(), (name, target)


def test_markdown_features(site: Site):
    assert site.build() == 0
    html = site.page("stories/first-light")
    assert '<h2 id="arriving">Arriving</h2>' in html
    assert "footnote" in html and "A footnote." in html
    assert "<table>" in html and "<th>When</th>" in html
    assert "<dl>" in html and "<dt>Term</dt>" in html
    # the story's lead image (hero: bowl) is shown once, above the text: its image in the text is left out
    head, body = html.split('id="story-body"')
    assert 'alt="A wide blue bowl with a cracked glaze."' in head.split("<main")[1]
    assert "<picture>" not in body.split("</main>")[0]
    # without a hero, the standalone Markdown image became the responsive artwork with its sidecar alt and a caption
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("hero: bowl\n", ""))
    assert site.build() == 0
    body = site.page("stories/first-light").split('id="story-body"')[1]
    assert "<figure" in body and "<picture>" in body
    assert 'alt="A wide blue bowl with a cracked glaze."' in body
    assert "<p><figure" not in html


def test_artwork_published_as_reencoded_image_with_size(site: Site):
    assert site.build() == 0
    html = site.page("artworks/bowl")
    img = re.search(r"<img [^>]+>", html.split("<main")[1]).group(0)
    assert 'width="' in img and 'height="' in img
    src = re.search(r'src="([^"]+)"', img).group(1)
    assert (site.out / "artworks/bowl" / src).resolve().is_file()
    assert "Stoneware" in html and "<em>second</em>" in html
    assert "First light" in html  # the stories it appears in


def test_reports_are_pulled_out_and_featured(site: Site):
    assert site.build() == 0
    final = site.page("final-report")
    assert "<h1>The final report</h1>" in final
    assert "42" in final and "participants" in final
    assert 'href="#1-introduction"' in final  # contents built from the headings
    home = site.page("")
    assert "The final report" in home and "Impact statement" in home
    assert 'href="final-report/"' in home and 'href="impact-statement/"' in home


def test_content_note_comes_before_the_story_with_support_links(site: Site):
    assert site.build() == 0
    html = site.page("stories/first-light")
    note = html.index("Mentions a stay in hospital.")
    assert note < html.index('id="story-body"')
    assert html.index("tel:116123") < html.index('id="story-body"')
    assert "https://www.samaritans.org/" in html[note:html.index('id="story-body"')]


@pytest.mark.parametrize("layout", ["default", "feature"])
def test_a_content_note_comes_before_the_summary_and_the_lead_picture(site: Site, layout: str):
    """A reader in distress meets the note before anything it may warn about, in either layout; the note's own
    support heading sits under the note's heading; "Continue to the story" moves focus to the story."""
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("hero: bowl", f"hero: bowl\nlayout: {layout}"))
    assert site.build() == 0
    html = site.page("stories/first-light")
    html = html[html.index("<main"):]  # (the summary is the page's description in its head too)
    note = html.index('id="content-note-heading"')
    assert note < html.index("How a morning class became a lifeline.") < html.index('id="story-body"')
    assert note < html.index('class="story-hero') < html.index('id="story-body"')
    assert re.search(r'<h3 id="support-heading-note">', html)
    assert re.search(r'<div id="story-body" class="prose wrap" tabindex="-1">', html)
    second = site.page("stories/second-story")  # no note: the summary with the title, as before
    assert second.index('class="lede"') < second.index('id="story-body"')
    cards = site.page("stories")
    card = cards[cards.index("First light"):]
    assert card.index("Content note:") < card.index("How a morning class became a lifeline.")


def test_initials_and_anonymous_are_honoured_on_every_surface(site: Site):
    assert site.build() == 0
    everything = "\n".join(p.read_text(errors="ignore") for p in site.out.rglob("*") if p.is_file())
    for hidden in ("Jane Quinnell", "Quinnell", "Rowan", "Birchall"):
        assert hidden not in everything
    assert "J.Q." in site.page("stories/first-light")
    assert "Anonymous contributor" in site.page("stories/second-story")
    assert "Sam Carter" in site.page("stories/second-story")
    assert "J.Q." in site.page("stories")  # cards


def test_withheld_draft_and_future_stories_are_not_published(site: Site):
    for slug, extra in (("withheld", "consent: pending"), ("draft-one", "consent: recorded\ndraft: true"),
                        ("future", "consent: recorded\npublish_date: 2999-01-01")):
        write(site.content / f"stories/{slug}.md",
              f"---\ntitle: Secret {slug}\ndate: 2015-01-01\nsummary: s\nauthors: [A]\n{extra}\n---\nBody.\n")
    assert site.build() == 0
    everything = "\n".join(site.pages().values())
    assert "Secret" not in everything
    assert not (site.out / "stories/withheld").exists()
    assert site.build("--drafts") == 0
    assert (site.out / "stories/draft-one/index.html").is_file()
    assert (site.out / "stories/future/index.html").is_file()
    assert not (site.out / "stories/withheld").exists()  # consent is never overridden


def test_withheld_story_warns_and_fails_in_strict(site: Site, capsys):
    write(site.content / "stories/withheld.md",
          "---\ntitle: W\ndate: 2015-01-01\nsummary: s\nauthors: [A]\nconsent: pending\n---\nBody.\n")
    assert site.build() == 0
    err = capsys.readouterr().err
    assert "stories/withheld.md:6:1: warning: not published: consent is 'pending'" in err
    assert site.build("--strict") == 1


def test_theme_override_replaces_one_template_only(site: Site):
    write(site.root / "themes/mine/templates/page.html",
          '{% extends "base.html" %}{% block main %}<h1>Custom {{ page_content.meta.title }}</h1>{% endblock %}')
    write(site.root / "themes/mine/assets/extra.css", "body{}")
    text = (site.content / "site.yaml").read_text() + "theme: mine\n"
    (site.content / "site.yaml").write_text(text)
    assert site.build() == 0
    assert "<h1>Custom About</h1>" in site.page("about")
    assert "<h1>First light</h1>" in site.page("stories/first-light")  # default theme for the rest
    assert (site.out / "assets/extra.css").is_file() and (site.out / "assets/style.css").is_file()


def test_base_url_gives_canonical_links_and_404_works_from_any_address(site: Site):
    assert site.build("--base-url", "https://example.org/cpmr/") == 0
    assert '<link rel="canonical" href="https://example.org/cpmr/stories/first-light/">' in site.page("stories/first-light")
    not_found = site.page("404.html")
    assert 'href="/cpmr/assets/style.css"' in not_found
    assert "Sitemap: https://example.org/cpmr/sitemap.xml" in (site.out / "robots.txt").read_text()


def _extras(site: Site, count: int, front: str = "") -> None:
    """`count` stories older than the site's two, one a day from 1 January 2014."""
    for n in range(count):
        day = dt.date(2014, 1, 1) + dt.timedelta(days=n)
        write(site.content / f"stories/extra-{n:02}.md",
              f"---\ntitle: Extra {n}\ndate: {day}\nsummary: s\nauthors: [A]\nconsent: recorded\n{front}---\nB.\n")


def test_pagination_of_stories(site: Site):
    """A listing's later pages hold 24 stories each, counted from the oldest; the first holds the newest, 24 to 47
    of them (52 stories: 28 + 24). Fewer than 48 stories are all on one page."""
    _extras(site, 45)
    assert site.build() == 0
    assert site.page("stories").count('class="card"') == 47 and not (site.out / "stories/page/2").exists()
    _extras(site, 50)
    assert site.build() == 0
    first, second = site.page("stories"), site.page("stories/page/2")
    assert first.count('class="card"') == 28 and second.count('class="card"') == 24
    assert 'aria-label="Story pages"' in first and 'href="page/2/"' in first
    assert 'href="../../"' in second and 'aria-current="page"' in second
    assert "52 stories from the people who took part" in first
    assert "Extra 23<" in second and "Extra 0<" in second and "Extra 24<" in first  # the oldest 24, newest first
    assert ('Stories from <time datetime="2014-01-01">1 January 2014</time> to <time datetime="2014-01-24">'
            '24 January 2014</time>, newest first.') in second


def test_a_story_added_with_todays_date_leaves_the_later_pages_of_its_lists_as_they_were(site: Site):
    """Which is what keeps adding a story to a large showcase quick: its lists' first pages change, no others, until
    the first page would hold 48 stories; then it is cut in two and every page is numbered again."""
    _extras(site, 68, "practices: [music]\n")  # 70 stories, 69 of them music
    assert site.build() == 0
    later = {name: site.page(name) for name in ("stories/page/2", "practices/music/page/2")}
    write(site.content / "stories/today.md", "---\ntitle: Today\ndate: 2024-06-01\nsummary: s\nauthors: [A]\n"
                                             "consent: recorded\npractices: [music]\n---\nB.\n")
    assert site.build() == 0
    assert {name: site.page(name) for name in later} == later
    assert site.page("stories").count('class="card"') == 47 and site.page("practices/music").count('class="card"') == 46
    write(site.content / "stories/tomorrow.md", "---\ntitle: Tomorrow\ndate: 2024-06-02\nsummary: s\nauthors: [A]\n"
                                                "consent: recorded\n---\nB.\n")
    assert site.build() == 0
    assert [site.page(f"stories{n}").count('class="card"') for n in ("", "/page/2", "/page/3")] == [24, 24, 24]
    oldest = site.page("stories/page/3")  # still the oldest 24
    assert "Extra 0<" in oldest and "Extra 23<" in oldest and "Extra 24<" not in oldest and "page 3 of 3" in oldest
    assert site.page("practices/music/page/2") == later["practices/music/page/2"]


def test_example_content_meets_the_brief(tmp_path: Path):
    from showcase.pipeline import BuildOptions, build

    repo = Path(__file__).resolve().parent.parent
    result = build(BuildOptions(content=repo / "content", out=tmp_path / "site", cache=tmp_path / "cache"))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    site = result.site
    assert len(site.projects) >= 6
    assert len(site.stories) >= 12
    assert len(site.practices) >= 5
    assert len(site.artworks) >= 12
    assert site.final_report and site.impact_statement
    assert site.final_report.meta.key_figures and site.impact_statement.meta.key_figures
    assert {p.slug for p in site.pages} >= {"about", "accessibility", "get-support"}
    assert site.config.grant == "AH/K003364/1" and site.config.quote and site.config.support
    for artwork in site.artworks.values():
        assert artwork.meta.alt and not artwork.meta.alt.lower().startswith(("image of", "picture of"))
        assert (repo / "content" / artwork.image_source).stat().st_size < 400_000
    from PIL import Image

    for artwork in site.artworks.values():  # every artwork as responsive WebP + JPEG (or PNG), no metadata
        formats = {d.format for d in artwork.image.sources}
        assert "webp" in formats and formats & {"jpeg", "png"}, artwork.slug
        for derivative in (*artwork.image.sources, artwork.image.full, artwork.image.og):
            with Image.open(tmp_path / "site/images" / derivative.name) as img:
                assert not img.getexif() and "icc_profile" not in img.info and "xmp" not in img.info
    unexpected = [d.format() for d in result.diagnostics.warnings if "base_url is not set" not in d.message]
    assert not unexpected, unexpected


def test_the_link_scan_reads_links_to_the_root_as_links_to_the_home_page():
    from showcase.links import scan

    found = scan("stories/x/index.html", '<a href="../../?page=2#top">a</a> <a href="../..//y/">b</a>'
                                         '<a\fhref="../../tags/z/">c</a> <img data-src="../../nowhere.png">')
    assert found.targets == [(".", "top"), ("y", ""), ("tags/z", "")]


def test_a_line_of_dashes_inside_a_field_does_not_end_the_front_matter(site: Site):
    """The browser editor writes a multi-line field as an indented block, which may hold a line '---' or '...'
    of the editor's own: only a line that starts with the marker ends the front matter, so a content note stays
    whole, before the story."""
    write(site.content / "stories/rounds.md", """
        ---
        title: Rounds
        date: 2016-05-02
        summary: |-
          We sang in rounds.
          ---
          Then we were silent.
        authors: [Sam Carter]
        consent: recorded
        content_note: |-
          Mentions grief.
          ...
          And a stay in hospital.
        ---
        The story itself.
        """)
    assert site.build() == 0
    html = site.page("stories/rounds")
    note, body = html.index("And a stay in hospital."), html.index('id="story-body"')
    assert html.index("Mentions grief.") < note < body
    assert "Then we were silent." in html and "The story itself." in html[body:]
    assert "---" not in html[body:]


def test_a_site_without_dates_has_no_timeline_and_no_link_to_one(site: Site):
    """The timeline page is made when there is a date to show (a period, an event, a report); the home page's link
    to it and the menu's entry come and go with it (a site with projects but no dates failed on its own link)."""
    for report in (site.content / "reports").glob("*.md"):
        report.unlink()
    assert site.build() == 0
    assert not (site.out / "timeline").exists()
    assert "timeline/" not in site.page("") and "Timeline" not in site.page("stories")
    write(site.content / "reports/final.md", "---\ntitle: Final\ndate: 2016-01-01\nsummary: s\n---\nFindings.\n")
    assert site.build() == 0
    assert 'href="timeline/"' in site.page("") and (site.out / "timeline/index.html").is_file()


def test_robots_txt_keeps_an_editors_disallow(site: Site):
    """An editor's `Disallow: /` is theirs alone: no `Allow: /` of the showcase's beside it (robots read the rule
    that allows as the winner of a tie), and the sitemap's address comes after their rules."""
    write(site.content / "static/robots.txt", "# not yet\nUser-agent: *\nDisallow: /\n")
    assert site.build("--base-url", "https://example.org/cpmr/") == 0
    robots = (site.out / "robots.txt").read_text()
    assert "Allow: /" not in robots.replace("Disallow: /", "")
    assert robots == "# not yet\nUser-agent: *\nDisallow: /\n\nSitemap: https://example.org/cpmr/sitemap.xml\n"
    (site.content / "static/robots.txt").unlink()
    assert site.build("--base-url", "https://example.org/cpmr/") == 0
    assert (site.out / "robots.txt").read_text() == ("User-agent: *\nAllow: /\n\n"
                                                     "Sitemap: https://example.org/cpmr/sitemap.xml\n")
