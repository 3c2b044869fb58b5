"""Drafts, stories not yet due and withheld items: `check` checks them all and says which are not published;
nothing `new` left unfinished goes live; a preview (`--drafts`) marks them and keeps them out of feeds,
the sitemap, search and structured data; build and check give the same warnings."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from sitekit import Site, write
from test_search import everything_indexed, fragments, has_pagefind_body

from showcase.cli import main

BASE = "https://example.org/"


def story(site: Site, slug: str, extra: str, body: str = "Body of the story.", title: str | None = None) -> Path:
    return write(site.content / f"stories/{slug}.md",
                 f"---\ntitle: {title or slug.title()}\ndate: 2015-01-01\nsummary: About {slug}.\nauthors: [A. Writer]\n"
                 f"{extra}\n---\n{body}\n")


def said(capsys, site: Site) -> list[str]:
    """What the command printed, each file named from beside the content folder (content/stories/x.md)."""
    err = capsys.readouterr().err  # files are named as the build names them: relative, or absolute if shorter
    return err.replace(f"{os.path.relpath(site.root)}/", "").replace(f"{site.root}/", "").splitlines()


def problems(lines: list[str]) -> list[str]:
    return [line for line in lines if re.search(r": (error|warning): ", line)]


# --- check checks what is not published ---------------------------------------------------------------------------

@pytest.mark.parametrize("extra", ["consent: recorded\ndraft: true", "consent: recorded\npublish_date: 2999-01-01",
                                   "consent: pending"], ids=["draft", "not yet due", "withheld"])
def test_check_finds_the_problems_of_what_is_not_published(site: Site, capsys, extra: str):
    story(site, "hidden", "consent: pending")
    story(site, "unfinished", f"{extra}\nproject: nope\nartworks: [no-such-artwork]",
          body="See [the hidden story](hidden.md).")
    assert site.build() == 0  # not published: the build does not look at it
    capsys.readouterr()
    assert site.check() == 1
    lines = said(capsys, site)
    for expected in ("content/stories/unfinished.md:{}: error: project 'nope' does not exist",
                     "content/stories/unfinished.md:{}: error: artwork 'no-such-artwork' does not exist",
                     "content/stories/unfinished.md:{}: error: links to stories/hidden.md, which is not published"):
        assert any(re.match(expected.format(r"\d+:\d+"), line) for line in lines), (expected, lines)
    assert lines[-1].startswith("Build failed: 3 errors") and "2 files not published" in lines[-1]


def test_check_notes_what_is_not_published_and_why_without_counting_it(site: Site, capsys):
    story(site, "draft-one", "consent: recorded\ndraft: true")
    story(site, "draft-two", "consent: pending\ndraft: true")
    story(site, "later", "consent: recorded\npublish_date: 2999-01-01")
    story(site, "withheld", "consent: pending")
    write(site.content / "pages/notes.md", "---\ntitle: Notes\ndraft: true\n---\nText.\n")
    write(site.content / "reports/interim.md", "---\ntitle: Interim\ndate: 2016-01-01\ndraft: true\n---\nText.\n")
    assert site.check() == 0
    lines = said(capsys, site)
    assert "content/stories/draft-one.md:7:1: note: draft, not published (draft: true)" in lines
    assert "content/stories/draft-two.md:7:1: note: draft, not published (draft: true); consent is pending" in lines
    assert "content/stories/later.md:7:1: note: not published until 2999-01-01 (publish_date)" in lines
    assert "content/stories/withheld.md:6:1: note: withheld: consent is pending" in lines
    assert "content/pages/notes.md:3:1: note: draft, not published (draft: true)" in lines
    assert "content/reports/interim.md:4:1: note: draft, not published (draft: true)" in lines
    # the withheld story's warning (as the build gives it) and no base_url: two warnings, the notes not counted
    assert re.fullmatch(r"Content checked: 0 errors, 2 warnings, \d+ pages would be built; 6 files not published "
                        r"\(see the notes\)\.", lines[-1]), lines[-1]
    assert site.check("--strict") == 1  # the withheld story's warning, not the notes


def test_check_notes_for_tools(site: Site, capsys):
    story(site, "draft-one", "consent: recorded\ndraft: true")
    assert main(["check", "--content", str(site.content), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 0 and data["warnings"] == 1  # no base_url
    assert [n["message"] for n in data["notes"]] == ["draft, not published (draft: true)"]
    assert data["notes"][0]["file"].endswith("stories/draft-one.md") and data["notes"][0]["line"] == 7
    assert all(p["severity"] in ("error", "warning") for p in data["problems"])
    assert main(["check", "--content", str(site.content), "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert "::notice file=" in out and "draft-one.md,line=7,col=1::draft, not published (draft: true)" in out


def test_drafts_may_link_to_each_other_but_published_stories_may_not_link_to_drafts(site: Site, capsys):
    story(site, "draft-one", "consent: recorded\ndraft: true", body="See [the other draft](draft-two.md).")
    story(site, "draft-two", "consent: recorded\ndraft: true", body="See [the first draft](draft-one.md).")
    assert site.check() == 0
    capsys.readouterr()
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\nSee [a draft](draft-one.md).\n")
    for command in (site.check, site.build):
        assert command() == 1
        assert any("second-story.md" in line and "links to stories/draft-one.md, which is not published" in line
                   for line in said(capsys, site))


def test_a_draft_with_an_unpublished_artwork_is_an_error_for_check(site: Site, capsys):
    path = site.content / "artworks/bowl.yaml"
    path.write_text(path.read_text() + "consent: pending\n")
    for name in ("projects/clay.yaml", "stories/first-light.md"):  # the published uses of the bowl go
        item = site.content / name
        item.write_text(item.read_text().replace("hero: bowl\n", "").replace("artworks: [bowl]\n", "")
                        .replace("![](../artworks/bowl.jpg)", ""))
    story(site, "draft-one", "consent: recorded\ndraft: true\nhero: bowl")
    assert site.build() == 0
    capsys.readouterr()
    assert site.check() == 1
    assert any(re.match(r"content/stories/draft-one\.md:\d+:1: error: artwork 'bowl' is not published", line)
               for line in said(capsys, site))


# --- the same warnings from build and check -----------------------------------------------------------------------

def test_build_and_check_give_the_same_warnings(site: Site, capsys):
    story(site, "withheld", "consent: pending")
    story(site, "draft-one", "consent: pending\ndraft: true")
    write(site.content / "stories/empty.md", "---\ntitle: Empty\ndate: 2015-01-01\nsummary: ''\nauthors: [A]\n"
                                             "consent: recorded\n---\nText.\n")
    for drafts in ((), ("--drafts",)):
        assert site.build(*drafts) == 0
        built = problems(said(capsys, site))
        assert site.check(*drafts) == 0
        checked = problems(said(capsys, site))
        assert built == checked and len(built) == 3, (built, checked)
        base_url = [line for line in built if "base_url" in line]
        assert base_url == ["content/site.yaml:1:1: warning: base_url is not set, so feed.xml, sitemap.xml, canonical "
                            "links and sharing images are left out. Add the address the site will be published at "
                            "to site.yaml, e.g. base_url: \"https://example.org/showcase/\" (the built folder still "
                            "works opened from disk), or pass --base-url URL"]
    assert site.build("--base-url", BASE) == 0 and site.check("--base-url", BASE) == 0
    assert not any("base_url" in line for line in said(capsys, site))


# --- nothing unfinished goes live ---------------------------------------------------------------------------------

def new_story(site: Site, capsys, title: str = "Singing on Thursdays") -> Path:
    assert main(["new", "story", title, "--content", str(site.content)]) == 0
    return Path(capsys.readouterr().out.strip())


def test_new_story_starts_as_a_draft_with_consent_pending(site: Site, capsys):
    path = new_story(site, capsys)
    text = path.read_text()
    assert re.search(r"^consent: pending\b", text, re.M) and re.search(r"^draft: true\b", text, re.M)
    assert site.check() == 0  # an untouched draft is not a problem yet...
    lines = said(capsys, site)
    assert ("content/stories/singing-on-thursdays.md:13:1: note: draft, not published (draft: true); consent is "
            "pending; still to replace before it is published: the placeholder text from `new` in summary, "
            "authors, the story") in lines  # ...but check says what is left to do
    assert site.build() == 0
    assert not (site.out / "stories/singing-on-thursdays").exists()


def test_placeholders_are_errors_once_the_story_is_not_a_draft(site: Site, capsys):
    path = new_story(site, capsys)
    path.write_text(path.read_text().replace("draft: true", "").replace("consent: pending", "consent: recorded"))
    for command in (site.build, site.check):
        assert command() == 1
        lines = said(capsys, site)
        where = "content/stories/singing-on-thursdays.md"
        assert f"{where}:4:1: error: summary still has the placeholder text from `new`; write a one-sentence " \
               "summary" in lines
        assert f"{where}:6:5: error: authors still has the placeholder 'Your name' from `new`; write the author's " \
               "name (with display: initials or display: anonymous if they prefer)" in lines
        assert f"{where}:16:1: error: the story still has the placeholder text from `new` ('Write the story here " \
               "in Markdown. ...'); replace it with the story" in lines
    assert not (site.out / "stories/singing-on-thursdays").exists()


def test_placeholders_withheld_for_consent_are_errors_too(site: Site, capsys):
    story(site, "withheld", "consent: pending", body="Write the story here in Markdown. Then more.")
    assert site.build() == 1
    assert any(re.match(r"content/stories/withheld\.md:8:1: error: the story still has the placeholder", line)
               for line in said(capsys, site))


def new_file(site: Site, capsys, kind: str, title: str = "River walks") -> Path:
    assert main(["new", kind, title, "--content", str(site.content)]) == 0
    return Path(capsys.readouterr().out.strip())


def test_a_new_page_starts_as_a_draft_and_its_placeholders_are_errors_once_it_is_not(site: Site, capsys):
    path = new_file(site, capsys, "page")
    assert re.search(r"^draft: true\b", path.read_text(), re.M)
    assert site.build() == 0 and not (site.out / "river-walks").exists()  # a draft is left out, no error
    assert site.build("--drafts") == 0 and (site.out / "river-walks/index.html").is_file()  # and previewed
    assert site.check() == 0
    assert ("content/pages/river-walks.md:5:1: note: draft, not published (draft: true); still to replace before "
            "it is published: the placeholder text from `new` in summary, the page") in said(capsys, site)
    path.write_text(re.sub(r"^draft: true.*\n", "", path.read_text(), flags=re.M))
    for command in (site.build, site.check, lambda: site.build("--drafts")):
        assert command() == 1
        lines = said(capsys, site)
        where = "content/pages/river-walks.md"
        assert f"{where}:3:1: error: summary still has the placeholder text from `new`; write one or two plain " \
               "sentences about this page" in lines
        assert f"{where}:7:1: error: the page still has the placeholder text from `new` ('Write the page here in " \
               "Markdown. ...'); replace it with the page's text" in lines
    path.write_text(path.read_text().replace("One sentence about this page.", "Walks along the river.")
                    .replace("Write the page here in Markdown.", "We walk on Sundays."))
    assert site.build() == 0 and "We walk on Sundays." in site.page("river-walks")


def test_a_new_projects_placeholders_are_errors_since_a_project_is_always_published(site: Site, capsys):
    path = new_file(site, capsys, "project")
    for command in (site.build, site.check, lambda: site.build("--drafts")):
        assert command() == 1
        lines = said(capsys, site)
        where = "content/projects/river-walks.yaml"
        assert f"{where}:2:1: error: summary still has the placeholder text from `new`; write one or two plain " \
               "sentences about the project" in lines
        assert f"{where}:6:1: error: description still has the placeholder text from `new`; describe the project " \
               "in a few sentences, or remove description" in lines
    assert not (site.out / "projects/river-walks").exists()
    path.write_text(path.read_text().replace("One or two plain sentences about this strand of work.", "Walking.")
                    .replace("A longer description in Markdown.", "We walk along the river on Sundays."))
    assert site.build() == 0 and "We walk along the river on Sundays." in site.page("projects/river-walks")


# --- a preview marks what is not published and keeps it out of everything public ----------------------------------

@pytest.fixture
def preview(site: Site) -> Site:
    story(site, "quimbrok", "consent: recorded\ndraft: true\nproject: clay\npractices: [craft]\ntags: [snerdwick]",
          body="The quimbrok story is a draft.", title="Quimbrok draft")
    story(site, "unconsented", "consent: pending\ndraft: true\nproject: clay",
          body="The vrendolt story waits for consent.", title="Vrendolt draft")
    story(site, "later", "consent: recorded\npublish_date: 2999-01-01\nproject: clay",
          body="The flindtrop story is not due.", title="Flindtrop later")
    story(site, "withheld", "consent: pending\nproject: clay", body="The zorblaxk story is withheld.")
    write(site.content / "pages/plans.md", "---\ntitle: Glimmerwort plans\ndraft: true\n---\nGlimmerwort.\n")
    write(site.content / "reports/interim.md",
          "---\ntitle: Snorvel interim\ndate: 2016-01-01\nsummary: s\ndraft: true\n---\nSnorvel findings.\n")
    # a walk whose second stop is the draft: that stop's page is only in the preview, the others are not
    write(site.content / "exhibitions/clay-walk.yaml", "title: Clay walk\nsummary: A walk.\ncurators: [R. C.]\n"
          "introduction: We begin.\nstops:\n  - artwork: bowl\n    text: A bowl.\n"
          "  - story: quimbrok\n    text: Wibblethorpe says the stop.\n")
    assert site.build("--drafts", "--base-url", BASE) == 0
    return site


HELD = {"tags/snerdwick/": "snerdwick", "exhibitions/clay-walk/2/": "wibblethorpe", "stories/quimbrok/": "quimbrok", "stories/unconsented/": "vrendolt", "stories/later/": "flindtrop",
        "plans/": "glimmerwort", "reports/interim/": "snorvel"}


def test_a_preview_marks_every_page_that_is_not_published(preview: Site):
    for url in HELD:
        html = preview.page(url)
        assert '<meta name="robots" content="noindex">' in html, url
        banner = re.search(r'<section class="draft-banner" aria-labelledby="draft-banner-title"[^>]*>(.*?)</section>',
                           html, re.S)
        assert banner and "Draft, not published" in banner.group(1), url
        assert "built with --drafts" in banner.group(1)
        assert html.index("draft-banner") > html.index('<main id="main"'), "the banner is read first in <main>"
        assert "application/ld+json" not in html and 'rel="canonical"' not in html and "og:url" not in html, url
        assert not has_pagefind_body(html), url
    assert "is due to be published on 1 January 2999 (publish_date)" in preview.page("stories/later")
    assert "Consent is pending: it cannot be published" in preview.page("stories/unconsented")
    assert "citation_title" not in preview.page("reports/interim")
    assert "This stop shows a story that is not published yet" in preview.page("exhibitions/clay-walk/2")
    assert "Every story filed under it is a draft or not yet due" in preview.page("tags/snerdwick")
    assert "draft-banner" not in preview.page("exhibitions/clay-walk/1")  # the published work's stop
    assert not (preview.out / "stories/withheld").exists()  # consent is never overridden on what is not a draft
    for url, html in preview.pages().items():
        if not any(url.startswith(held) for held in HELD):
            assert "draft-banner" not in html and "noindex" not in html, url


def test_a_preview_writes_nothing_of_drafts_into_feeds_sitemap_search_or_structured_data(preview: Site):
    out = preview.out
    public = [out / "feed.xml", out / "projects/clay/feed.xml", out / "sitemap.xml"]
    text = "\n".join(p.read_text() for p in public).lower()
    assert "first light" in text  # the control: a published story is there
    for url, word in HELD.items():
        assert word not in text and url not in text, url
    indexed = everything_indexed(out)
    assert "first light" in indexed
    for url, word in HELD.items():
        assert word not in indexed, word
    assert not {f"/{url}" for url in HELD} & set(fragments(out))
    for url, html in preview.pages().items():
        for data in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            for word in HELD.values():
                assert word not in data.lower(), (url, word)
    # the preview itself lists them, for the editor to see
    assert "Quimbrok draft" in preview.page("stories")


def test_a_real_build_after_a_preview_drops_the_drafts(preview: Site):
    (preview.content / "exhibitions/clay-walk.yaml").unlink()  # a real build refuses a stop that is not published
    assert preview.build("--base-url", BASE) == 0
    for url in HELD:
        assert not (preview.out / url).exists(), url
    assert "draft-banner" not in "\n".join(preview.pages().values())


def test_a_draft_is_not_indexed_even_when_nothing_published_marks_what_to_index(tmp_path: Path):
    """With no published content page, Pagefind indexes whole pages: the draft's page is still left out, title and
    all. (Its card on the preview's list of stories is not: a site with nothing published is only ever a preview.)"""
    content = tmp_path / "content"
    write(content / "site.yaml", "title: Only drafts\ndescription: Nothing is published yet.\nlanguage: en-GB\n")
    write(content / "stories/draft.md", "---\ntitle: Quimbrok draft\ndate: 2015-01-01\nsummary: s\nauthors: [A]\n"
                                        "consent: recorded\ndraft: true\n---\nThe quimbrok story.\n")
    out = tmp_path / "_site"
    assert main(["build", "--content", str(content), "--out", str(out), "--drafts"]) == 0
    assert not any(has_pagefind_body(p.read_text()) for p in out.rglob("*.html"))
    assert "the quimbrok story" not in everything_indexed(out)
    assert "/stories/draft/" not in fragments(out) and "/stories/" in fragments(out)
