"""Messages an editor can act on: each mistake an editor makes in a YAML file or front matter is told as one
plain sentence with the fix, at the line of the mistake, with no word of the YAML reader or the field checks.

Each row breaks a real content folder one way and runs the real `check` command; the message line expected
is exact (after the path of the content folder)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from sitekit import REPO, Site, write

STORY = "stories/second-story.md"  # 1 ---, 2 title, 3 date, 4 summary, 5 authors:, 6 - name:, 7 display:,
#                                    8 - Sam Carter, 9 consent, 10 practices, 11 tags, 12 ---
FIRST = "stories/first-light.md"  # 9 project: clay, 12 artworks: [bowl], 18 the link to the second story
PROJECT = "projects/clay.yaml"  # 1 title, 2 summary, 3 practices, 4 hero, 5 description: |
ARTWORK = "artworks/bowl.yaml"  # 1 title, 2 alt, 3 artist:, 4 name, 5 display, 6 year, 7 medium, 8 project
SITE = "site.yaml"  # 1 title, 2 short_title, 3 description, 4 language, ..., 7 support:, 10 phone, 11 url; 12 is new
PERSON = "people/jane.yaml"  # written by the row
MEDIA = "media/film.yaml"  # written by the row

FILM = "title: Film\nkind: video\nurl: https://vimeo.com/123\ntranscript: Hello.\n"
DATE_HINT = "dates are written YYYY-MM-DD, e.g. 2026-11-30"
YES_NO = "yes, no, on and off are read as true or false unless quoted"

# (what the editor did, file, text replaced (None: the file is written whole), with what, the message expected)
MISTAKES = [
    # --- stories' front matter ---------------------------------------------------------------------------
    ("colon in an unquoted summary", STORY, "summary: Singing with strangers.", "summary: Clay: a beginning",
     '4:10: error: summary: this value contains a colon, so put it in quotes: summary: "Clay: a beginning"'),
    ("quote opened on line 2 and never closed", STORY, "title: Second story", 'title: "Second story',
     '2:8: error: title: this value opens a quote (") but does not close it; add " at the end of the value'),
    ("quote opened and closed only by the next value's", STORY, "title: Second story\ndate: 2016-02-03",
     'title: "Second story\ndate: "2016-02-03"',
     '2:8: error: title: this value opens a quote (") but does not close it; add " at the end of the value'),
    ("a tab to indent", STORY, "    display: anonymous", "\tdisplay: anonymous",
     "7:1: error: this line is indented with a tab: use spaces, not tabs, to indent"),
    ("consent: yes", STORY, "consent: recorded", "consent: yes",
     f"9:1: error: consent: write recorded or not-needed (or pending while you wait for consent); {YES_NO}"),
    ("a date written day first, that does not exist", STORY, "date: 2016-02-03", "date: 31/11/2026",
     f"3:1: error: date: there is no 31 November 2026; {DATE_HINT}"),
    ("a date written day first", STORY, "date: 2016-02-03", "date: 30/11/2026",
     "3:1: error: date: write 30 November 2026 as 2026-11-30 (dates are written YYYY-MM-DD)"),
    ("a date a digit short", STORY, "date: 2016-02-03", "date: 2015-10-5",
     "3:1: error: date: write 2015-10-5 as 2015-10-05 (dates are written with two digits for the month and the day)"),
    ("a date in words", STORY, "date: 2016-02-03", "date: 5th October 2015",
     "3:1: error: date: write 5th October 2015 as 2015-10-05 (dates are written YYYY-MM-DD)"),
    ("a date in words, month first", STORY, "date: 2016-02-03", "date: Sept 30, 2015",
     "3:1: error: date: write Sept 30, 2015 as 2015-09-30 (dates are written YYYY-MM-DD)"),
    ("a word that is not a month's name", STORY, "date: 2016-02-03", "date: 5 Marzipan 2015",
     f"3:1: error: date: '5 Marzipan 2015' is not a date; {DATE_HINT}"),
    ("a date in words that does not exist", STORY, "date: 2016-02-03", "date: 31 June 2015",
     f"3:1: error: date: there is no 31 June 2015; {DATE_HINT}"),
    ("a date that does not exist", STORY, "date: 2016-02-03", "date: 2026-11-31",
     f"3:7: error: date: there is no 31 November 2026; {DATE_HINT}"),
    ("a date with a time", STORY, "date: 2016-02-03", "date: 2016-02-03 10:30",
     "3:1: error: date: write the date without a time: date: 2016-02-03"),
    ("a misspelt field", STORY, "consent: recorded", "consent: recorded\nsumary: typo",
     "10:1: error: unknown field 'sumary' (did you mean 'summary'?)"),
    ("no space after a colon", STORY, "consent: recorded", "consent:recorded",
     "9:1: error: put a space after the colon: consent: recorded"),
    ("a field with no colon", STORY, "consent: recorded", "consent recorded",
     "9:1: error: 'consent recorded' has no colon: write each field as name: value, or remove the line"),
    ("a field written twice", STORY, "consent: recorded", "consent: recorded\ntitle: Another title",
     "10:1: error: title: this field is written twice (first on line 2); keep one of them"),
    ("an apostrophe inside single quotes", STORY, "summary: Singing with strangers.", "summary: 'It's ours'",
     "4:10: error: summary: there is more text after the closing quote ('); put quotes around the whole value: "
     "summary: \"It's ours\""),
    ("quotes inside double quotes", STORY, "summary: Singing with strangers.",
     'summary: "She said "hello" to me"',
     '4:10: error: summary: there is more text after the closing quote ("); put quotes around the whole value: '
     "summary: 'She said \"hello\" to me'"),
    ("a list not closed", STORY, "tags: [belonging, voice]", "tags: [belonging, voice",
     "11:7: error: tags: the list that starts with [ is not closed: end it with ], e.g. tags: [first, second]; "
     'if this is text, put it in quotes: tags: "[belonging, voice"'),
    ("a value starting with @", STORY, "summary: Singing with strangers.", "summary: @home with friends",
     '4:10: error: summary: a value that starts with @ has a special meaning in YAML; put the whole value in '
     'quotes: summary: "@home with friends"'),
    ("a list item after a field with a value", STORY, "tags: [belonging, voice]", "tags: belonging\n- voice",
     "12:1: error: this list item ('- ') follows a field that already has a value: put it under a field of its "
     "own, or remove the '- '"),
    ("a choice misspelt", STORY, "display: anonymous", "display: anonymus",
     "7:5: error: authors, item 1, display: 'anonymus' is not one of the choices: write full, initials or anonymous "
     "(did you mean anonymous?)"),
    ("a layout that is not one", STORY, "consent: recorded", "consent: recorded\nlayout: wide",
     "10:1: error: layout: 'wide' is not one of the choices: write default or feature"),
    ("an artwork named, not by its slug", FIRST, "artworks: [bowl]", "artworks: [bowl, Blue Bowl]",
     "12:18: error: artworks, item 2: 'Blue Bowl' is not written as a slug: use lower-case letters, digits and hyphens, "
     "e.g. blue-bowl"),
    ("draft: maybe", STORY, "consent: recorded", "consent: recorded\ndraft: maybe",
     "10:1: error: draft: write true or false, not 'maybe'"),
    ("an empty title", STORY, "title: Second story", 'title: ""',
     "2:1: error: title: this is empty; write some text after the colon"),
    ("no authors", FIRST, "authors:\n  - name: Jane Quinnell\n    display: initials", "authors: []",
     "5:1: error: authors: the list is empty; give at least one"),
    ("a summary that is yes", STORY, "summary: Singing with strangers.", "summary: yes",
     f'4:1: error: summary: {YES_NO}; put the text in quotes, e.g. summary: "yes"'),
    ("a missing project", FIRST, "project: clay", "project: cly",
     "9:1: error: project 'cly' does not exist (no projects/cly.yaml); did you mean clay?"),
    ("a missing artwork", FIRST, "artworks: [bowl]", "artworks: [bowls]",
     "12:12: error: artwork 'bowls' does not exist (no artworks/bowls.yaml); did you mean bowl?"),
    ("a link to a missing story", FIRST, "(second-story.md#why)", "(secnd-story.md#why)",
     "18:47: error: 'secnd-story.md#why' points to a file that does not exist (stories/secnd-story.md); "
     "did you mean second-story.md#why?"),
    ("a page's nav_order in words", "pages/about.md", "nav_order: 1", "nav_order: first",
     "3:1: error: nav_order: 'first' is not a whole number; write one, e.g. nav_order: 2"),
    # --- project YAML ----------------------------------------------------------------------------------------
    ("colon in a project summary", PROJECT, "summary: Working with clay in a shared studio.",
     "summary: Clay: a beginning",
     '2:10: error: summary: this value contains a colon, so put it in quotes: summary: "Clay: a beginning"'),
    ("a project's hero misspelt", PROJECT, "hero: bowl", "hero: bowel",
     "4:1: error: artwork 'bowel' does not exist (no artworks/bowel.yaml); did you mean bowl?"),
    ("an event date in words", PROJECT, "hero: bowl", "hero: bowl\nevents:\n  - title: Opening\n    start: soon",
     f"7:5: error: events, item 1, start: 'soon' is not a date; {DATE_HINT}"),
    ("practices as one word", PROJECT, "practices: [craft]", "practices: craft",
     "3:1: error: practices: write a list, e.g. practices: [craft], or one '- item' a line below it"),
    ("text with | on the same line", PROJECT, "description: |", "description: | We met weekly.",
     "5:14: error: description: after | or > the text starts on the next line, indented with spaces"),
    # --- artwork sidecars ------------------------------------------------------------------------------------
    ("an artwork's project misspelt", ARTWORK, "project: clay", "project: clays",
     "8:1: error: project 'clays' does not exist (no projects/clays.yaml); did you mean clay?"),
    ("a misspelt artwork field", ARTWORK, "artist:", "artst:",
     "3:1: error: unknown field 'artst' (did you mean 'artist'?)"),
    ("an unclosed quote in an alt", ARTWORK, "alt: A wide blue bowl with a cracked glaze.", "alt: 'A wide blue bowl",
     "2:6: error: alt: this value opens a quote (') but does not close it; add ' at the end of the value"),
    ("a year that is a list", ARTWORK, "year: 2015", "year: [2015, 2016]",
     "6:1: error: year: write a whole number or text, not a list"),
    ("a line indented too far", ARTWORK, "medium: Stoneware", "  medium: Stoneware",
     "7:3: error: medium: this line is indented more than the line above it; start it where the other fields "
     "start, or, if it continues the text above, put that text in quotes"),
    ("a field out of line in a group", ARTWORK, "  display: initials", " display: initials",
     "5:2: error: display: this line is not lined up with the lines above it: start each field of a group at the "
     "same place, indenting with spaces"),
    ("an artwork named by its file", FIRST, "artworks: [bowl]", "artworks: [bowl.jpg]",
     "12:12: error: artworks, item 1: 'bowl.jpg' is not written as a slug: use lower-case letters, digits and hyphens, "
     "e.g. bowl"),
    ("a title starting with [", STORY, "title: Second story", "title: [Draft] Second story",
     '2:8: error: title: a value starting with [ is read as a list; put the whole value in quotes: '
     'title: "[Draft] Second story"'),
    ("a title starting with {", STORY, "title: Second story", "title: {Second} story",
     '2:8: error: title: a value starting with { is read as a group of fields; put the whole value in quotes: '
     'title: "{Second} story"'),
    ("a no-break space after a colon", STORY, "title: Second story", "title:\u00a0Second story",
     "2:1: error: this line holds a non-breaking space (U+00A0), pasted with the text, where YAML needs an "
     "ordinary space or nothing: delete it and type the line's spaces again"),
    ("a zero-width space before a field", STORY, "title: Second story", "\u200btitle: Second story",
     "2:1: error: unknown field '\u200btitle': this line holds a zero-width space (U+200B), pasted with the text, "
     "where YAML needs an ordinary space or nothing: delete it and type the line's spaces again"),
    # --- site.yaml -------------------------------------------------------------------------------------------
    ("a language that is not a tag", SITE, "language: en-GB", "language: English",
     "4:1: error: language: 'English' is not a language tag; write e.g. en-GB (British English), cy (Welsh) or "
     "fr (French)"),
    ("a period given as a year", SITE, "grant: AB/123", "grant: AB/123\nperiod: 2013",
     "7:1: error: period: write its fields (start, end) on indented lines below it, not a single value"),
    ("a period start in words", SITE, "grant: AB/123", "grant: AB/123\nperiod: {start: soon}",
     "7:10: error: period.start: write a year (e.g. 2013) or a date (e.g. 2013-09-01), not 'soon'"),
    ("a phone number without quotes", SITE, 'phone: "116 123"', "phone: 116123",
     '10:5: error: support, item 1, phone: 116123 is read as a number; to keep it as text, put it in quotes: '
     'phone: "116123"'),
    ("an image quality of 0", SITE, "grant: AB/123", "grant: AB/123\nimages: {quality: 0}",
     "7:10: error: images.quality: 0 is too small; use 1 or more"),
    ("a second document", SITE, "grant: AB/123", "grant: AB/123\n---\ntheme: default",
     "7:1: error: a '---' line here starts a second set of fields, but a file has only one: remove this line"),
    # --- people ----------------------------------------------------------------------------------------------
    ("a person's project misspelt", PERSON, None, "name: Jane Quinnell\nprojects: [cly]\n",
     "2:12: error: project 'cly' does not exist (no projects/cly.yaml); did you mean clay?"),
    ("a person without a name", PERSON, None, "role: Potter\n",
     "1:1: error: missing required field 'name'"),
    ("a person's name with a # in it", PERSON, None, 'name: "Jane #1\nrole: Potter\n',
     '1:7: error: name: this value opens a quote (") but does not close it; add " at the end of the value'),
    # --- media -----------------------------------------------------------------------------------------------
    ("a kind that is not one", MEDIA, None, FILM.replace("kind: video", "kind: vidoe"),
     "2:1: error: kind: 'vidoe' is not one of the choices: write video or audio (did you mean video?)"),
    ("a poster misspelt", MEDIA, None, FILM + "poster: bowel\n",
     "5:1: error: artwork 'bowel' does not exist (no artworks/bowel.yaml); did you mean bowl?"),
    ("a backslash in double quotes", MEDIA, None, FILM.replace("title: Film", 'title: "C:\\Films\\clay"'),
     "1:11: error: title: inside double quotes a backslash (\\) starts a special character: write \\\\ for a "
     "backslash, or use single quotes: title: 'C:\\Films\\clay'"),
]

# words of the YAML reader and of the field checks, which must never reach an editor
PARSER_WORDS = ["pydantic", "Input should", "mapping values", "could not find expected", "did not find expected",
                "token", "scalar", "while parsing", "while scanning", "Value error", "validation error",
                "Field required", "Extra inputs", "String should", "unhashable", "end of stream", "constructor",
                "tag:yaml.org", "errors.pydantic.dev", "YAML cannot be read", "<block end>", "Traceback"]


@pytest.mark.parametrize("what, rel, old, new, expected", MISTAKES, ids=[row[0] for row in MISTAKES])
def test_each_mistake_is_told_plainly_at_its_line(site: Site, capsys, what, rel, old, new, expected):
    path = site.content / rel
    if old is None:
        write(path, new)
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"the row's text to replace is not in {rel} once"
        path.write_text(text.replace(old, new), encoding="utf-8")
    assert site.check() == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if f"{rel}:" in line and ": error: " in line]
    assert any(line.endswith(f"content/{rel}:{expected}") for line in lines), "\n".join(lines) or err
    for words in PARSER_WORDS:
        assert words.lower() not in err.lower(), f"{words!r} reached the editor:\n{err}"


def test_the_table_has_many_distinct_mistakes():
    assert len({row[0] for row in MISTAKES}) == len(MISTAKES) >= 25
    assert {row[1].split("/")[0] for row in MISTAKES} >= {"stories", "projects", "artworks", "site.yaml", "people",
                                                          "media", "pages"}


def test_every_problem_starts_with_its_place(site: Site, capsys):
    """Many mistakes at once: each is one line `path:line:col: error: message`, none in a parser's words."""
    for rel, old, new in [(STORY, "consent: recorded", "consent: yes"), (PROJECT, "hero: bowl", "hero: bowel"),
                          (ARTWORK, "year: 2015", "year: [2015]"), (PERSON, None, "role: Potter\n")]:
        path = site.content / rel
        write(path, new) if old is None else path.write_text(path.read_text(encoding="utf-8").replace(old, new))
    assert site.check() == 1
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if ": error: " in line]
    assert len(problems) == 4, err
    assert all(re.match(r"^\S+:\d+:\d+: error: [a-z'.]", line) for line in problems), err
    assert not any(words.lower() in err.lower() for words in PARSER_WORDS), err


def test_a_suggestion_follows_the_files_there_are_now(site: Site, capsys):
    """The nearest file suggested for a broken link is the one that exists at this build, not the last."""
    path = site.content / FIRST
    path.write_text(path.read_text(encoding="utf-8").replace("(second-story.md#why)", "(secnd-story.md#why)"))
    assert site.build() == 1
    assert "did you mean second-story.md#why?" in capsys.readouterr().err
    (site.content / STORY).rename(site.content / "stories/second-tale.md")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "did you mean second-tale.md#why?" in err and "second-story.md#why?" not in err, err


SYNTAX_MISTAKES = [  # (file, text replaced (None: written whole), with what, the message expected)
    (STORY, "summary: Singing with strangers.", "summary: Clay: a beginning",
     '4:10: error: summary: this value contains a colon, so put it in quotes: summary: "Clay: a beginning"'),
    (STORY.replace("second-story", "first-light"), "title: First light", 'title: "First light',
     '2:8: error: title: this value opens a quote (") but does not close it; add " at the end of the value'),
    (PROJECT, "practices: [craft]", "practices: [craft",
     "3:12: error: practices: the list that starts with [ is not closed: end it with ], e.g. practices: "
     '[first, second]; if this is text, put it in quotes: practices: "[craft"'),
    (ARTWORK, "  display: initials", "\tdisplay: initials",
     "5:1: error: this line is indented with a tab: use spaces, not tabs, to indent"),
    (PERSON, None, "name: Jane Quinnell\nrole: *lead\n",
     '2:7: error: role: a value that starts with * has a special meaning in YAML; put the whole value in quotes: '
     'role: "*lead"'),
    (MEDIA, None, FILM.replace("title: Film", "title: Film\ntitle: Clay film"),
     "2:1: error: title: this field is written twice (first on line 1); keep one of them"),
]


def test_the_same_words_with_or_without_libyaml(site: Site):
    """The reader in C (libyaml) and the one in Python word their problems differently; the editor reads the
    same sentences from either."""
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was installed without libyaml: there is only one reader to compare")
    for rel, old, new, _ in SYNTAX_MISTAKES:
        path = site.content / rel
        write(path, new) if old is None else path.write_text(path.read_text(encoding="utf-8").replace(old, new))
    said = []
    for without_c in (False, True):
        code = ("import sys, yaml\n"
                + ("del yaml.CSafeLoader\n" if without_c else "assert yaml.__with_libyaml__\n")
                + "from showcase import sources\n"
                + f"assert sources._BaseLoader is yaml.{'SafeLoader' if without_c else 'CSafeLoader'}\n"
                + "from showcase.cli import main\n"
                + f"sys.exit(main(['check', '--content', {str(site.content)!r}]))\n")
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=site.root,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
        assert run.returncode == 1, run.stderr
        said.append(sorted(line for line in run.stderr.splitlines() if ": error: " in line))
    assert said[0] == said[1]
    for rel, _, _, expected in SYNTAX_MISTAKES:
        assert f"content/{rel}:{expected}" in said[0], "\n".join(said[0])
    assert len(said[0]) == len(SYNTAX_MISTAKES), "\n".join(said[0])


def test_text_yaml_leaves_out_is_said_where_it_is(site: Site, capsys):
    """Unquoted, ' #' starts a YAML comment and a first word starting with '&' is an anchor: the rest of the title
    was published cut, with no word said. Both are warned of at their place, with the line to write."""
    path = site.content / FIRST
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: First light", "title: First light #1 at the studio")
                    .replace("summary: How a morning", "summary: &Then a morning"), encoding="utf-8")
    assert site.check() == 0
    err = capsys.readouterr().err
    assert (f"content/{FIRST}:2:20: warning: title: only 'First light' is read: YAML takes ' #' and what follows "
            'for a comment. If it is part of the title, put the whole title in quotes: title: "First light #1 at the '
            'studio"') in err, err
    assert (f"content/{FIRST}:4:10: warning: summary: '&Then' is left out: YAML takes a word starting with '&' for "
            'an anchor. Put the whole summary in quotes: summary: "&Then a morning class became a lifeline."') in err


def test_text_cut_by_a_comment_after_a_tab_or_holding_quotes_is_said_with_a_line_that_works(site: Site, capsys):
    """A tab before the # (the check crashed the build) and a title holding double quotes (the line suggested was
    not YAML): the suggested line reads back as the title written."""
    path = site.content / FIRST
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: First light", 'title: She said "light"\t#1'), encoding="utf-8")
    assert site.check() == 0
    err = capsys.readouterr().err
    said = next(line for line in err.splitlines() if "YAML takes ' #'" in line)
    assert f"content/{FIRST}:2:25: warning: title: only 'She said \"light\"' is read" in said, err
    suggested = said.split("put the whole title in quotes: ", 1)[1]
    assert yaml.safe_load(suggested) == {"title": 'She said "light" #1'}  # (a message shows a tab as a space)


def test_consent_written_almost_right_and_a_theme_misspelt_are_said(site: Site, capsys):
    path = site.content / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("consent: recorded", "consent: Recorded"),
                    encoding="utf-8")
    (site.content / SITE).write_text((site.content / SITE).read_text() + "theme: defualt\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert "warning: not published: consent is 'Recorded'; if consent is in place, write it as 'recorded'" in err
    assert (f"content/{FIRST}:18:1: error: links to stories/second-story.md, which is not published (withheld: "
            "consent is 'Recorded')") in err  # the reason, not "a draft, withheld, or not yet due"
    assert "error: theme: there is no folder themes/defualt/ beside the content folder" in err
    assert "did you mean default? Remove the line to use the default theme." in err


def test_files_the_computer_makes_by_itself_are_not_content(site: Site, capsys):
    for name in ("artworks/Thumbs.db", "stories/desktop.ini", "artworks/ehthumbs.db"):
        (site.content / name).write_bytes(b"\x00\x01")
    assert site.check() == 0
    assert "Thumbs.db" not in capsys.readouterr().err


def test_a_project_that_cannot_be_read_gives_no_knock_on_errors(site: Site, capsys):
    write(site.content / PERSON, "name: Jane Quinnell\nprojects: [clay]\n")
    (site.content / PROJECT).write_text((site.content / PROJECT).read_text() + "partners: {name: x}\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert "project 'clay' does not exist" not in err and "people/jane.yaml" not in err, err


def test_an_address_with_a_space_is_said_and_the_advice_works(site: Site, capsys):
    """`![](../artworks/Two Bowls.jpg)` is no image to Markdown: it was published as that text, with no word said,
    and the suggestion for a near name with a space was that very form. Both now say to write it between < and >,
    which builds."""
    from sitekit import make_image

    make_image(site.content / "artworks/Two Bowls.jpg")
    write(site.content / "artworks/Two Bowls.yaml", "title: Two bowls\nalt: Two bowls side by side.\n")
    path = site.content / FIRST
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n![](../artworks/Two Bowls.jpg)\n\n![](../artworks/Two-Bowls.jpg)\n", encoding="utf-8")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert ("warning: this image is shown as plain text: its address '../artworks/Two Bowls.jpg' has a space; write "
            "it between < and >, as in (<../artworks/Two Bowls.jpg>)") in err, err
    assert "did you mean <../artworks/Two Bowls.jpg>? (an address with a space is written between < and >)" in err
    path.write_text(text + "\n![](<../artworks/Two Bowls.jpg>)\n", encoding="utf-8")
    assert site.build() == 0
    assert "Two bowls side by side." in site.page("stories/first-light")


def test_a_file_named_in_capitals_is_suggested(site: Site, capsys):
    (site.content / "artworks/bowl.jpg").rename(site.content / "artworks/bowl.JPG")
    assert site.check() == 1
    assert "points to a file that does not exist (artworks/bowl.jpg); did you mean ../artworks/bowl.JPG?" in \
        capsys.readouterr().err
