"""Slugs for every script (issue 13, item 5) and plain table of contents text (item 6), with real builds."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import yaml
from sitekit import Site, write

from showcase.cli import main

STORY = """---
title: "{title}"
date: 2016-05-{day:02d}
summary: A story.
authors: [Sam Carter]
consent: recorded
{extra}---
Text.
"""

SCRIPTS = [  # title, the file `new story` writes and the address it is published at
    ("Τα πρώτα βήματα", "ta-prota-vimata"),              # Greek
    ("Первые шаги", "pervye-shagi"),                      # Cyrillic
    ("Dŵr a thŷ", "dwr-a-thy"),                           # Welsh
    ("初めての一歩", "chu-meteno-yi-bu"),                   # Japanese: kanji read one by one, kana joined
    ("第一年", "di-yi-nian"),                              # Chinese
    ("السنة الأولى", "lsnh-lwla"),                         # Arabic
    ("Singing 🎶 on Thursdays", "singing-on-thursdays"),  # emoji beside words: left out
    ("🎉🎨", "tada-art"),                                   # emoji alone: their names
    ("?!", "question-mark-exclamation-mark"),             # symbols alone: their names
]


def new_story(site: Site, title: str, capsys) -> Path:
    assert main(["new", "story", title, "--content", str(site.content)]) == 0
    return Path(next(line for line in capsys.readouterr().out.splitlines() if line.endswith(".md")))


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_new_story_names_the_file_readably_in_every_script(site: Site, capsys):
    for day, (title, slug) in enumerate(SCRIPTS, 1):
        path = new_story(site, title, capsys)
        assert path == site.content / f"stories/{slug}.md", title
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))
        assert front["title"] == title
        path.write_text(STORY.format(title=title, day=day, extra=""), encoding="utf-8")  # finished
    assert site.build() == 0
    for title, slug in SCRIPTS:
        assert f"{title}</h1>" in site.page(f"stories/{slug}"), slug
    names = {p.name for p in (site.out / "stories").iterdir()}
    assert not names & {"section", "story", "section-2"}


def test_new_story_never_overwrites_and_never_collides(site: Site, capsys):
    assert new_story(site, "Café", capsys) == site.content / "stories/cafe.md"
    # another title with the same slug: the next free name, as for a second file with that slug in a build
    assert new_story(site, "Cafe", capsys) == site.content / "stories/cafe-2.md"
    assert new_story(site, "CAFÉ!", capsys) == site.content / "stories/cafe-3.md"
    # the same title again is a mistake, as before
    assert main(["new", "story", "Café", "--content", str(site.content)]) == 2
    assert "stories/cafe.md already exists" in capsys.readouterr().err
    # a file whose name already makes that slug counts too
    write(site.content / "stories/Τα πρώτα βήματα.md", STORY.format(title="x", day=1, extra=""))
    assert new_story(site, "Ta prota vimata", capsys) == site.content / "stories/ta-prota-vimata-2.md"
    # a title with nothing in it is asked for (the build refuses an empty title, drafts' too)
    for blank in ("", "   ", "\u200b"):
        assert main(["new", "story", blank, "--content", str(site.content)]) == 2
        assert "give the story a title" in capsys.readouterr().err


def test_new_writes_the_title_as_typed_and_takes_no_address_already_taken(site: Site, capsys):
    """Backslashes and quotes reach the file as typed (YAML escapes read back as the title, not as a line break or a
    tab); a slug another file chose with slug:, or (for a page) an address the showcase keeps for itself, is not
    taken again: the next build would refuse it, naming the other file."""
    for title in ('Notes from C:\\new and \\today', 'Back\\slash', 'Price \\x41\\u00e9', 'She said "yes"'):
        path = new_story(site, title, capsys)
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))
        assert front["title"] == title
    write(site.content / "stories/other.md", STORY.format(title="Other", day=1, extra="slug: hello\n"))
    assert new_story(site, "Hello", capsys) == site.content / "stories/hello-2.md"
    assert main(["new", "page", "Search", "--content", str(site.content)]) == 0
    assert capsys.readouterr().out.strip().endswith("pages/search-2.md")
    for path in (site.content / "stories").glob("*.md"):  # the drafts new wrote build with the rest
        if path.name != "other.md":
            path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: true  # kept"),
                            encoding="utf-8")
    assert site.check() == 0


def test_new_writes_only_into_a_content_folder(site: Site, tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert main(["new", "story", "A", "--content", str(a_file)]) == 2
    assert "is a file; --content names the content folder" in capsys.readouterr().err
    bare = tmp_path / "bare"
    bare.mkdir()
    assert main(["new", "story", "A", "--content", str(bare)]) == 2
    assert "has no site.yaml, so it is not a content folder" in capsys.readouterr().err
    assert not any(bare.iterdir())
    (site.content / "pages").rename(site.root / "pages-moved")
    (site.content / "pages").write_text("x")
    assert main(["new", "page", "A", "--content", str(site.content)]) == 2
    assert "pages is a file, where the folder of pages should be" in capsys.readouterr().err


def test_long_titles_make_file_names_within_the_limit(site: Site, capsys):
    path = new_story(site, "Ένα πολύ μακρύ ταξίδι " * 12, capsys)
    assert len(path.stem) <= 100 and path.stem.startswith("ena-poly-makry-taxidi-") and not path.stem.endswith("-")


def test_file_names_in_any_script_become_readable_addresses(site: Site):
    write(site.content / "stories/Τα πρώτα βήματα.md", STORY.format(title="First steps", day=1, extra=""))
    write(site.content / "stories/🎉.md", STORY.format(title="A party", day=2, extra=""))
    write(site.content / "pages/Про нас.md", "---\ntitle: About us in Russian\n---\nText.\n")
    assert site.build() == 0
    assert "First steps" in site.page("stories/ta-prota-vimata")
    assert "A party" in site.page("stories/tada")
    assert "About us in Russian" in site.page("pro-nas")


def test_two_file_names_with_one_slug_get_a_suffix_and_a_warning(site: Site, capsys):
    write(site.content / "stories/cafe.md", STORY.format(title="The café", day=1, extra=""))
    write(site.content / "stories/Café.md", STORY.format(title="Another café", day=2, extra=""))
    write(site.content / "stories/CAFÉ.md", STORY.format(title="A third café", day=3, extra=""))
    assert site.build() == 0
    err = capsys.readouterr().err
    # the file named exactly as the slug keeps it; the others get the next free ones, in file name order
    assert "The café" in site.page("stories/cafe")
    assert "A third café" in site.page("stories/cafe-2")
    assert "Another café" in site.page("stories/cafe-3")
    assert ("content/stories/CAFÉ.md: warning: stories/cafe.md and stories/CAFÉ.md both make the slug 'cafe', "
            "so this one is published as 'cafe-2': rename the file or set slug: to choose its address") in err
    assert "content/stories/Café.md: warning: stories/cafe.md and stories/Café.md both make the slug 'cafe'" in err
    assert site.build("--strict") == 1  # not silent: a warning like any other


def test_a_slug_that_is_taken_is_an_error_naming_both_files_with_a_free_one(site: Site, capsys):
    write(site.content / "stories/cafe.md", STORY.format(title="The café", day=1, extra=""))
    write(site.content / "stories/cafe-2.md", STORY.format(title="Second café", day=2, extra=""))
    write(site.content / "stories/later.md", STORY.format(title="Later", day=3, extra="slug: cafe\n"))
    assert site.build() == 1
    err = capsys.readouterr().err
    assert ("content/stories/later.md:7:1: error: two stories have the slug 'cafe': stories/cafe.md and "
            "stories/later.md; choose another here, e.g. slug: cafe-3") in err


REPORT = """---
title: The final report
kind: final-report
date: 2018-04-01
summary: What we learnt.
---
## The *first* year

See [the Greek section](#ta-prota-vimata) and [the second one](#now-3).

## Working with `clay` and [friends](https://example.org)

## Τα πρώτα βήματα

### Dŵr a thŷ

## 初めての一歩

## Now

## Now

## Now 2

## Main

## 🎉

## Results[^1]

[^1]: A footnote.
"""


def test_heading_ids_are_readable_unique_and_the_contents_are_plain_text(site: Site):
    write(site.content / "reports/final.md", REPORT)
    assert site.build() == 0  # the #links above exist
    html = site.page("final-report")
    nav = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', html, re.S).group(1)
    contents = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', nav)
    assert contents == [
        ("the-first-year", "The first year"),
        ("working-with-clay-and-friends", "Working with clay and friends"),
        ("ta-prota-vimata", "Τα πρώτα βήματα"),
        ("dwr-a-thy", "Dŵr a thŷ"),
        ("chu-meteno-yi-bu", "初めての一歩"),
        ("now", "Now"),
        ("now-3", "Now"),  # "now-2" belongs to the heading that says "Now 2"
        ("now-2", "Now 2"),
        ("main-2", "Main"),  # "main" is the theme's <main>
        ("tada", "🎉"),
        ("results", "Results"),  # no footnote mark
    ]
    # the headings themselves keep their markup
    assert '<h2 id="the-first-year">The <em>first</em> year' in html
    assert ('<h2 id="working-with-clay-and-friends">Working with <code>clay</code> and '
            '<a href="https://example.org">friends</a>') in html
    assert '<span class="visually-hidden">Link to the section The first year</span>' in html
    duplicates = [ident for ident, count in Counter(ids(html)).items() if count > 1]
    assert duplicates == []


def test_heading_ids_are_unique_on_story_pages_too(site: Site):
    write(site.content / "stories/headings.md", STORY.format(title="Headings", day=4, extra="") + """
## Support

## Support

## Story body

## fn1

Text[^1].

[^1]: A note.

## 🎉🎉

##

## Ένα πολύ μακρύ ταξίδι Ένα πολύ μακρύ ταξίδι Ένα πολύ μακρύ ταξίδι Ένα πολύ μακρύ ταξίδι Ένα πολύ μακρύ ταξίδι
""")
    assert site.build() == 0
    html = site.page("stories/headings")
    found = ids(html)
    assert [ident for ident, count in Counter(found).items() if count > 1] == []
    headings = re.findall(r'<h[2-6] id="([^"]+)"', html)
    # the theme's "support" (its support lines) and "story-body", and footnotes' ids, are never taken
    assert headings[:7] == ["support-2", "support-3", "story-body-2", "fn1-2", "tada-tada", "heading-6", headings[6]]
    assert len(headings[6]) <= 100 and headings[6].startswith("ena-poly-makry-taxidi-")


def test_headings_leave_every_id_of_the_default_theme_alone():
    from showcase.headings import THEME_IDS

    templates = Path(__file__).resolve().parent.parent / "themes/default/templates"
    fixed = {ident for path in templates.rglob("*.html") for ident in ids(path.read_text(encoding="utf-8"))
             if "{" not in ident}
    fixed |= {"support-note", "support-page", "support-heading-note", "support-heading-page"}  # _support.html
    assert fixed <= THEME_IDS, "add the theme's new ids to showcase.headings.THEME_IDS"


def test_practices_and_tags_in_any_script(site: Site, capsys):
    write(site.content / "stories/one.md", STORY.format(
        title="One", day=1, extra="practices: [Κεραμική]\ntags: [Καλλιτεχνία, Mental health, Café, Καλλιτεχνία]\n"))
    write(site.content / "stories/two.md", STORY.format(
        title="Two", day=2, extra="practices: [keramiki]\ntags: [mental-health, Cafe, 🎉]\n"))
    assert site.build() == 0
    err = capsys.readouterr().err
    tag = site.page("tags/kallitechnia").split("</main>")[0]
    assert "Καλλιτεχνία</h1>" in tag
    assert tag.count('href="../../stories/one/"') == 1 and "stories/two/" not in tag  # written twice, listed once
    assert "Mental health" in site.page("tags/mental-health") and "stories/two/" in site.page("tags/mental-health")
    assert "Κεραμική" in site.page("practices/keramiki")
    assert (site.out / "tags/tada/index.html").is_file()
    assert ("content/stories/one.md: warning: tags: 'Café' here and 'Cafe' in stories/two.md make one address, "
            "tags/cafe/, shown as 'Cafe': write it the same way everywhere") in err
    story = site.page("stories/one")  # a tag written twice is shown once, on the page and in its structured data
    assert story.count('href="../../tags/kallitechnia/"') == 1
    keywords = re.search(r'"keywords":"([^"]*)"', story)[1].split(", ")
    assert len(keywords) == len(set(keywords)) == 4


def test_a_practice_written_twice_in_two_ways_is_shown_once(site: Site):
    write(site.content / "stories/one.md", STORY.format(
        title="One", day=1, extra="practices: [music, Music]\ntags: [voice, voice]\n"))
    assert site.build() == 0
    story = site.page("stories/one")
    assert story.count('href="../../practices/music/"') == 1 and story.count('href="../../tags/voice/"') == 1
    assert '"keywords":"music, voice"' in story
