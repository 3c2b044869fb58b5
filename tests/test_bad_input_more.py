"""More bad input (issue 18, findings 4 and 8): links that lead nowhere or round in a loop, static files in
the way of the showcase's own, text that is not UTF-8, addresses too long for a file system, dates that do
not exist, and messages that must stay one line each. Every one: exit 1, `path:line:col: error: ...`, no
traceback, the previous site byte for byte as it was, the content folder untouched."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import REPO, Site, fails_cleanly, write

from showcase.errors import Diagnostic, Diagnostics

needs_links = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")


pytestmark = pytest.mark.usefixtures("both_process_modes")  # see conftest.py


@pytest.fixture
def built(site: Site, capsys) -> Site:
    assert site.build() == 0
    capsys.readouterr()
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- links ------------------------------------------------------------------------------------------------

@needs_links
def test_link_to_itself_in_static(built: Site, capsys):
    os.symlink("a", built.content / "static/a")
    fails_cleanly(built, capsys, "content/static/a: error: this link leads round in a loop")


@needs_links
def test_links_round_in_a_circle(built: Site, capsys):
    os.symlink("b", built.content / "static/a")
    os.symlink("a", built.content / "static/b")
    fails_cleanly(built, capsys, "content/static/a: error: this link leads round in a loop",
                  "content/static/b: error: this link leads round in a loop")


@needs_links
def test_folder_link_to_its_own_parent(built: Site, capsys):
    (built.content / "static/deep").mkdir()
    os.symlink("..", built.content / "static/deep/up")
    os.symlink(".", built.content / "static/here")
    fails_cleanly(built, capsys, "content/static/deep/up: error: this link leads back to a folder it is in",
                  "content/static/here: error: this link leads back to a folder it is in")


@needs_links
def test_folder_link_inside_the_content_is_not_followed(built: Site, capsys):
    os.symlink("../pages", built.content / "static/pages")
    assert built.build() == 0
    err = capsys.readouterr().err
    assert "content/static/pages: warning: this is a link to a folder" in err
    assert not (built.out / "pages").exists()


@needs_links
def test_dangling_link_in_stories(built: Site, capsys):
    os.symlink("not-written-yet.md", built.content / "stories/gone.md")
    fails_cleanly(built, capsys, "content/stories/gone.md: error: this link points to 'not-written-yet.md', "
                  "which does not exist")


@needs_links
def test_dangling_link_in_stories_without_a_cache(built: Site, capsys):
    os.symlink("not-written-yet.md", built.content / "stories/gone.md")
    for name in ("inputs.pickle", "build.pickle"):  # nothing to compare with: every file is read
        (built.root / ".showcase-cache" / name).unlink(missing_ok=True)
    fails_cleanly(built, capsys, "content/stories/gone.md: error: this link points to")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_named_pipe_is_refused_not_read(built: Site, capsys):
    os.mkfifo(built.content / "stories/pipe.md")  # reading it would wait for ever
    os.mkfifo(built.content / "static/pipe")
    fails_cleanly(built, capsys, "content/stories/pipe.md: error: this is not an ordinary file (a named pipe)",
                  "content/static/pipe: error: this is not an ordinary file")


# --- static files in the showcase's way --------------------------------------------------------------------

def test_static_file_named_like_a_generated_folder(built: Site, capsys):
    write(built.content / "static/stories", "not a folder")
    fails_cleanly(built, capsys, "content/static/stories: error: the showcase makes a folder /stories/, "
                  "so a static file cannot be called 'stories'")


def test_static_file_named_like_a_page(built: Site, capsys):
    write(built.content / "static/about", "the page about/ is a folder")
    fails_cleanly(built, capsys, "content/static/about: error: the showcase makes a folder /about/")


def test_static_file_named_like_the_search_index(built: Site, capsys):
    write(built.content / "static/pagefind", "x")
    fails_cleanly(built, capsys, "content/static/pagefind: error: /pagefind/ is where the showcase puts the "
                  "search index")


def test_static_file_inside_the_search_index(built: Site, capsys):
    write(built.content / "static/pagefind/readme.txt", "mine")  # the index is made whole, with nothing else
    fails_cleanly(built, capsys, "content/static/pagefind/readme.txt: error: /pagefind/ is where the showcase "
                  "puts the search index", command="check")


def test_static_folder_named_like_a_generated_page(built: Site, capsys):
    write(built.content / "static/index.html/x.txt", "inside a page")
    fails_cleanly(built, capsys, "content/static/index.html/x.txt: error: the showcase makes a file /index.html, "
                  "so static/index.html/ cannot be a folder")


def test_static_folder_named_like_robots_txt(built: Site, capsys):
    write(built.content / "static/robots.txt/rules", "x")
    fails_cleanly(built, capsys, "content/static/robots.txt/rules: error: the showcase makes a file /robots.txt")


def test_static_file_replacing_a_deeper_page(built: Site, capsys):
    write(built.content / "static/tags/belonging/index.html", "<p>mine</p>")
    fails_cleanly(built, capsys, "content/static/tags/belonging/index.html: error: static file would replace "
                  "the showcase's own /tags/belonging/index.html")


def test_static_file_replacing_a_theme_asset(built: Site, capsys):
    write(built.content / "static/assets/style.css", "body { color: red }")  # found only while staging
    fails_cleanly(built, capsys, "content/static/assets/style.css: error: static file would replace the "
                  "showcase's own /assets/style.css")


def test_static_clash_found_by_check(built: Site, capsys):
    write(built.content / "static/stories", "x")
    write(built.content / "static/index.html/x.txt", "x")
    fails_cleanly(built, capsys, "content/static/stories: error:", "content/static/index.html/x.txt: error:",
                  command="check")


def test_static_files_beside_generated_ones_are_fine(built: Site, capsys):
    write(built.content / "static/stories/extra.txt", "shares a folder with the stories")
    write(built.content / "static/feed.xml", "no base_url, so the showcase makes no feed.xml")
    (built.content / "static/data.bin").write_bytes(b"\xff\xfe\x00\xe9 not text, copied as bytes")
    assert built.build() == 0, capsys.readouterr().err
    assert (built.out / "stories/extra.txt").read_text() == "shares a folder with the stories"
    assert (built.out / "data.bin").read_bytes() == b"\xff\xfe\x00\xe9 not text, copied as bytes"
    assert (built.out / "stories/index.html").is_file()


def test_robots_txt_that_is_not_utf8(built: Site, capsys):
    (built.content / "static/robots.txt").write_bytes(b"User-agent: *\nDisallow: /caf\xe9/\n")
    fails_cleanly(built, capsys, "content/static/robots.txt:2:15: error: this file is not UTF-8 text (byte 0xe9)")


def test_robots_txt_that_is_not_utf8_found_by_check(built: Site, capsys):
    (built.content / "static/robots.txt").write_bytes(b"Disallow: /caf\xe9/\n")
    fails_cleanly(built, capsys, "content/static/robots.txt:1:15: error: this file is not UTF-8 text", command="check")


# --- addresses too long ------------------------------------------------------------------------------------

def test_slug_too_long(built: Site, capsys):
    edit(built.content / "stories/second-story.md", "consent: recorded", "consent: recorded\nslug: " + "a" * 300)
    fails_cleanly(built, capsys, "content/stories/second-story.md:10:1: error: slug: 300 characters is too long "
                  "for an address; use at most 100, e.g. slug: " + "a" * 100 + "\n")


def test_slug_too_long_is_cut_at_a_hyphen(built: Site, capsys):
    slug = "-".join(["word"] * 60)  # 299 characters
    edit(built.content / "pages/about.md", "nav_order: 1", f"nav_order: 1\nslug: {slug}")
    err = fails_cleanly(built, capsys, "content/pages/about.md:4:1: error: slug: 299 characters is too long")
    suggested = re.search(r"e\.g\. slug: (\S+)", err).group(1)
    assert len(suggested) <= 100 and suggested.startswith("word-word") and suggested.endswith("word")


def test_file_name_too_long_for_an_address(built: Site, capsys):
    text = (built.content / "stories/second-story.md").read_text()
    write(built.content / ("stories/" + "b" * 240 + ".md"), text)
    fails_cleanly(built, capsys, "b" * 240 + ".md: error: this file name makes an address of 240 characters, "
                  "too long; rename the file to at most 100 characters")


def test_artwork_name_too_long_for_an_address(built: Site, capsys):
    stem = "c" * 200  # its resized images would be named longer than a file system allows
    os.rename(built.content / "artworks/bowl.jpg", built.content / f"artworks/{stem}.jpg")
    os.rename(built.content / "artworks/bowl.yaml", built.content / f"artworks/{stem}.yaml")
    err = fails_cleanly(built, capsys, f"{stem}.yaml: error: this file name makes an address of 200 characters")
    assert "artwork 'bowl' does not exist" in err  # the stories and projects that used it say so


def test_tag_too_long(built: Site, capsys):
    edit(built.content / "stories/second-story.md", "tags: [belonging, voice]", "tags: [belonging, " + "v" * 300 + "]")
    fails_cleanly(built, capsys, "content/stories/second-story.md:11:19: error: tags: 'vvvv", "has 300 characters")


# --- dates -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("date, said", [("2026-02-30", "there is no 30 February 2026"),
                                        ("2026-11-31", "there is no 31 November 2026"),
                                        ("2025-02-29", "there is no 29 February 2025"),
                                        ("2026-13-01", "there is no month 13 in 2026-13-01")])
def test_impossible_date(built: Site, capsys, date, said):
    edit(built.content / "stories/second-story.md", "date: 2016-02-03", f"date: {date}")
    fails_cleanly(built, capsys, f"content/stories/second-story.md:3:7: error: date: {said}; dates are written "
                  "YYYY-MM-DD, e.g. 2026-11-30")


def test_impossible_date_in_quotes(built: Site, capsys):
    edit(built.content / "stories/second-story.md", "date: 2016-02-03", "date: '2026-02-30'")
    fails_cleanly(built, capsys, "content/stories/second-story.md:3:1: error: date: there is no 30 February 2026; "
                  "dates are written YYYY-MM-DD")


def test_impossible_date_in_a_sidecar_and_site_yaml(built: Site, capsys):
    path = built.content / "projects/clay.yaml"
    path.write_text(path.read_text() + "events:\n  - title: Opening\n    start: 2015-04-31\n")
    path = built.content / "site.yaml"
    path.write_text(path.read_text() + "period: {start: 2013-02-29}\n")
    fails_cleanly(built, capsys, "content/projects/clay.yaml:11:12: error: events, item 1, start: there is no 31 April 2015",
                  "content/site.yaml:12:17: error: period.start: there is no 29 February 2013")


def test_leap_day_is_a_date(built: Site, capsys):
    edit(built.content / "stories/second-story.md", "date: 2016-02-03", "date: 2024-02-29")
    assert built.build() == 0, capsys.readouterr().err


@pytest.mark.parametrize("value, said", [("9" * 5000, "this number is too long to read (5000 digits)"),
                                         ("!!int abc", "'abc' is not a whole number")],
                         ids=["number-of-5000-digits", "tagged-int-that-is-not"])
def test_yaml_value_that_cannot_be_made(built: Site, capsys, value, said):
    edit(built.content / "artworks/bowl.yaml", "year: 2015", f"year: {value}")
    fails_cleanly(built, capsys, f"content/artworks/bowl.yaml:6:7: error: year: {said}")


# --- messages: one line each, each once, at the right file -------------------------------------------------

def test_message_with_a_line_break_stays_on_one_line(built: Site, capsys):
    edit(built.content / "stories/second-story.md", "consent: recorded", 'consent: recorded\n"sum\\nmary": x')
    fails_cleanly(built, capsys, "content/stories/second-story.md:10:1: error: unknown field 'sum / mary'")


def test_file_name_with_a_line_break_stays_on_one_line(built: Site, capsys):
    write(built.content / "stories/a\nb.md", "no front matter\n")
    fails_cleanly(built, capsys, "content/stories/a\\x0ab.md:1:1: error: the file must start with front matter")


def test_same_problem_counted_once(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\n[one](gone.md) and [two](gone.md)\n")
    err = fails_cleanly(built, capsys, "second-story.md:17:7: error: 'gone.md' points to a file that does not exist")
    assert err.count("points to a file that does not exist") == 1
    assert "Build failed: 1 error," in err


def test_captions_that_are_not_utf8_are_blamed_on_the_captions(built: Site, capsys):
    write(built.content / "media/film.yaml", """
        title: Film
        kind: video
        file: film.webm
        captions: film.vtt
        transcript: Hello.
        """)
    (built.content / "media/film.webm").write_bytes(b"\x1a\x45\xdf\xa3")
    (built.content / "media/film.vtt").write_bytes(b"WEBVTT\n\n00:00.000 --> 00:01.000\nCaf\xe9\n")
    err = fails_cleanly(built, capsys, "content/media/film.vtt:4:4: error: this file is not UTF-8 text (byte 0xe9)")
    assert not [line for line in err.splitlines() if "film.yaml" in line and ": error: " in line]  # blamed on the .vtt


def test_diagnostics_are_one_line_and_kept_once():
    diagnostics = Diagnostics()
    for _ in range(3):
        diagnostics.error("a\nb.md", "first\r\nsecond\u2028third\x1b[2J\tend", 2, 1)
    diagnostics.extend([Diagnostic("c.md", None, None, "warning", "w"), Diagnostic("c.md", None, None, "warning", "w")])
    assert len(diagnostics.errors) == 1 and len(diagnostics.warnings) == 1 and len(diagnostics.items) == 2
    shown = diagnostics.items[0].format()
    assert "\n" not in shown and "\r" not in shown and "\x1b" not in shown and "\u2028" not in shown
    assert shown.endswith("a\\x0ab.md:2:1: error: first / second / third\\x1b[2J end")
    assert Diagnostic("x", 1, 1, "error", "caf\udce9").message == "caf\\xe9"  # a file name's byte, shown


def test_no_traceback_from_the_command_line(tmp_path: Path):
    site = Site(tmp_path)
    edit(site.content / "stories/second-story.md", "date: 2016-02-03", "date: 2026-02-30")
    write(site.content / "static/stories", "x")
    (site.content / "static/robots.txt").write_bytes(b"Disallow: /caf\xe9/\n")
    if hasattr(os, "symlink"):
        os.symlink("a", site.content / "static/a")
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--content", str(site.content), "--out",
                          str(site.out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "content/stories/second-story.md:3:7: error: date: there is no 30 February 2026" in run.stderr
    assert not site.out.exists()


# --- links check and build find alike, said where they can be mended ------------------------------------------------

@pytest.mark.parametrize("command", ["check", "build"])
def test_a_menu_link_to_no_page_is_said_once_at_its_line_by_check_and_build(built: Site, capsys, command: str):
    """A typo in the menu's address broke a link on every page: the build said it once per page (and named each
    story), and check said nothing. Both now say it once, at its line in site.yaml, with the nearest page."""
    site_yaml = built.content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "navigation:\n  - title: Stories\n    url: /storeis/\n"
                         "  - title: Gallery\n    url: artworks/\n")
    lines = site_yaml.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "/storeis/" in text)
    err = fails_cleanly(built, capsys, f"content/site.yaml:{line}:5: error: navigation url: '/storeis/' is not a page "
                                       "or file of the site (did you mean stories/?)", command=command)
    assert err.count("error:") == 1, err


def test_an_address_without_https_is_said_at_its_line(built: Site, capsys):
    """`url: www.samaritans.org` was taken for a file of the site: check passed, the build failed on every page."""
    site_yaml = built.content / "site.yaml"
    text = site_yaml.read_text()
    url = re.search(r"url: \"?(https://[^\s\"]+)", text).group(1)
    site_yaml.write_text(text.replace(url, url.removeprefix("https://"), 1))
    err = fails_cleanly(built, capsys, f"is not a full web address: write {url}", command="check")
    assert err.count("error:") == 1 and "content/site.yaml:" in err, err


def test_a_link_the_theme_breaks_on_every_page_is_said_once(built: Site, capsys):
    theme = built.root / "themes/mine/templates"
    footer = (REPO / "themes/default/templates/_site_footer.html").read_text(encoding="utf-8")  # (on every page)
    assert "</footer>" in footer
    write(theme / "_site_footer.html", footer.replace("</footer>", '<a href="{{ url(\'nowhere/\') }}">x</a></footer>'))
    edit(built.content / "site.yaml", "title:", "theme: mine\ntitle:")
    err = fails_cleanly(built, capsys, "other pages: broken link to /nowhere", command="check")
    assert err.count("error:") == 1, err


def test_check_finds_the_broken_links_build_finds(built: Site, capsys):
    story = built.content / "stories/first-light.md"
    story.write_text(story.read_text() + '\n<a href="../nowhere/">a page that is not there</a>\n')
    said = fails_cleanly(built, capsys, "broken link to /stories/nowhere", command="check")
    assert "content/stories/first-light.md" in said
    fails_cleanly(built, capsys, "broken link to /stories/nowhere")


# --- photos in formats browsers cannot show ---------------------------------------------------------------

@pytest.mark.parametrize("name, said", [
    ("IMG_0412.HEIC", "content/artworks/IMG_0412.HEIC: error: this is a photo in the format iPhones save (HEIC), "
                      "which web browsers cannot show: save it as a JPEG (.jpg) and put that here instead (most photo "
                      "apps can export or share a photo as JPEG; on an iPhone, Settings > Camera > Formats > Most "
                      "Compatible takes JPEG photos from then on). Artworks must be jpg, jpeg, png, webp, gif, tif, "
                      "tiff images with a .yaml sidecar."),
    ("kiln.nef", "content/artworks/kiln.nef: error: this is a camera's raw photo, which web browsers cannot show: "
                 "save it as a JPEG (.jpg) and put that here instead (most photo apps can export or share a photo as "
                 "JPEG). Artworks must be"),
    ("notes.docx", "content/artworks/notes.docx: error: artworks must be jpg, jpeg, png, webp, gif, tif, tiff images "
                   "with a .yaml sidecar"),
], ids=["an iPhone photo", "a raw photo", "another file"])
def test_a_photo_browsers_cannot_show_says_what_to_do(built: Site, capsys, name: str, said: str):
    (built.content / "artworks" / name).write_bytes(b"\x00\x00\x00\x18ftypheic")
    fails_cleanly(built, capsys, said)


# --- where on its line a link's problem is ------------------------------------------------------------------

def test_a_broken_link_is_said_at_the_column_of_its_address(built: Site, capsys):
    """In a story's text, and in a project's description indented in its YAML: the column where the address is
    written, so that an editor's "go to" lands on it; two on one line each at its own."""
    story = built.content / "stories/second-story.md"
    story.write_text(story.read_text() + "\nWe went to [the old hall](old-hall.md), then [home](../pages/hom.md).\n"
                     "\nSee [the hall](old-hall.md#stage) and [again](old-hall.md), ![](../artworks/bowl.jpg) and [](x.md)."
                     "\n\nThe `gone.md` [notes][n] are [here]( gone.md ).\n\n[n]: gone.md\n")
    edit(built.content / "projects/clay.yaml", "See [the first story](../stories/first-light.md).",
         "See [the first story](../stories/frist-light.md).")
    fails_cleanly(built, capsys, "content/stories/second-story.md:17:27: error: 'old-hall.md' points to a file",
                  "content/stories/second-story.md:17:53: error: '../pages/hom.md' points to a file",
                  "content/stories/second-story.md:19:16: error: 'old-hall.md#stage' points to a file",
                  "content/stories/second-story.md:19:47: error: 'old-hall.md' points to a file",
                  "content/stories/second-story.md:19:91: warning: a link has no text",
                  "content/stories/second-story.md:21:1: error: 'gone.md' points to a file",  # not as written here
                  "content/projects/clay.yaml:8:25: error: '../stories/frist-light.md' points to a file")
