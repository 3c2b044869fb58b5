"""README's "Adding a story in five lines", run exactly as written: its commands are read from the README and run
as an editor would, in a copy of the example content, and what they print and build is checked."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitekit import REPO
from test_search import everything_indexed, has_pagefind_body

STORY = "content/stories/singing-on-thursdays.md"


def walkthrough() -> list[list[str]]:
    """The commands of the README's walkthrough, as argument lists (comments dropped)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Adding a story in five lines", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.startswith("python build.py")]


class Editor:
    """A copy of the example content and build.py in a folder of its own, used from the command line."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "build.py", root / "build.py")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        assert args[:2] == ("python", "build.py"), args
        return subprocess.run([sys.executable, "build.py", *args[2:]], cwd=self.root, capture_output=True,
                              text=True, timeout=600)

    @property
    def story(self) -> Path:
        return self.root / STORY

    def edit(self, *replacements: tuple[str, str]) -> None:
        text = self.story.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, old
            text = text.replace(old, new)
        self.story.write_text(text, encoding="utf-8")

    def write_the_story(self) -> None:
        front, _ = self.story.read_text(encoding="utf-8").split("\n---\n", 1)
        self.story.write_text(front + "\n---\n\nWe met on Thursdays in the church hall and sang in four parts.\n\n"
                              "Nobody asked why we had come.\n", encoding="utf-8")

    def site(self, rel: str) -> str:
        return (self.root / "_site" / rel).read_text(encoding="utf-8")


FILLED_IN = (("summary: One or two plain sentences saying what this story is about.",
              "summary: How a Thursday choir became the part of the week that held the rest together."),
             ("  - Your name ", "  - { name: Nell Ashworth, display: initials } "),
             ("consent: pending ", "consent: recorded "),
             ("project:            #", "project: making-music  #"),
             ("practices: []", "practices: [music]"))


@pytest.fixture
def editor(tmp_path: Path) -> Editor:
    return Editor(tmp_path)


def test_the_readme_walkthrough_is_five_commands():
    assert walkthrough() == [["python", "build.py", "new", "story", "Singing on Thursdays"],
                             ["python", "build.py", "check"], ["python", "build.py", "--drafts"]]
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "# remove `draft: true` and run `python build.py` to publish it" in text


def test_the_walkthrough_as_written(editor: Editor):
    new, check, preview = walkthrough()
    made = editor.run(*new)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == STORY
    text = editor.story.read_text(encoding="utf-8")
    assert re.search(r"^draft: true\b", text, re.M) and re.search(r"^consent: pending\b", text, re.M)

    # edit the file: summary, authors, consent, project, practices, artworks; then write the story
    editor.edit(*FILLED_IN)
    editor.write_the_story()

    checked = editor.run(*check)
    assert checked.returncode == 0, checked.stderr
    assert f"{STORY}:13:1: note: draft, not published (draft: true)\n" in checked.stderr
    assert "Content checked: 0 errors, 0 warnings" in checked.stderr and "1 file not published" in checked.stderr
    assert not (editor.root / "_site").exists()  # nothing written

    shown = editor.run(*preview)
    assert shown.returncode == 0, shown.stderr
    page = editor.site("stories/singing-on-thursdays/index.html")
    assert "Draft, not published" in page and '<meta name="robots" content="noindex">' in page
    assert not has_pagefind_body(page)
    assert "singing-on-thursdays" not in editor.site("feed.xml") + editor.site("sitemap.xml")
    assert "thursday choir" not in everything_indexed(editor.root / "_site")

    # remove `draft: true` and run `python build.py` to publish it
    editor.edit(("draft: true ", ""))
    published = editor.run("python", "build.py")
    assert published.returncode == 0, published.stderr
    page = editor.site("stories/singing-on-thursdays/index.html")
    assert "Draft, not published" not in page and "noindex" not in page and has_pagefind_body(page)
    assert "N.A." in page and "Nell" not in page
    assert "https://cpmr.example.org/stories/singing-on-thursdays/" in editor.site("feed.xml")
    assert "https://cpmr.example.org/stories/singing-on-thursdays/" in editor.site("sitemap.xml")
    assert "thursday choir" in everything_indexed(editor.root / "_site")
    assert "warning" not in published.stderr  # base_url is set in the example content
    assert_opens_from_disk(editor.root / "_site")


def test_check_catches_the_broken_draft_and_nothing_unfinished_goes_live(editor: Editor):
    new, check, preview = walkthrough()
    assert editor.run(*new).returncode == 0

    untouched = editor.run(*check)  # a fresh draft is not wrong yet: check says what is left to do
    assert untouched.returncode == 0, untouched.stderr
    assert (f"{STORY}:13:1: note: draft, not published (draft: true); consent is pending; still to replace before "
            "it is published: the placeholder text from `new` in summary, authors, the story") in untouched.stderr

    editor.edit(("project:            #", "project: singing-group  #"))
    broken = editor.run(*check)
    assert broken.returncode == 1
    assert f"{STORY}:8:1: error: project 'singing-group' does not exist" in broken.stderr
    assert editor.run("python", "build.py").returncode == 0  # the draft is not published, so the build passes
    editor.edit(("project: singing-group  #", "project: making-music  #"))

    shown = editor.run(*preview)  # consent still pending: a draft is previewed all the same, and says so
    assert shown.returncode == 0, shown.stderr
    page = editor.site("stories/singing-on-thursdays/index.html")
    assert "Draft, not published" in page and "Consent is pending" in page

    editor.edit(("draft: true ", ""))
    before = snapshot(editor.root / "_site")
    unfinished = editor.run("python", "build.py")
    assert unfinished.returncode == 1
    for line, message in ((4, "summary still has the placeholder text from `new`; write a one-sentence summary"),
                          (6, "authors still has the placeholder 'Your name' from `new`"),
                          (16, "the story still has the placeholder text from `new`")):
        assert re.search(rf"^{re.escape(STORY)}:{line}:\d+: error: {re.escape(message)}", unfinished.stderr, re.M), \
            unfinished.stderr
    assert snapshot(editor.root / "_site") == before  # the preview stays as it was: nothing half-done goes live

    editor.edit(*FILLED_IN[:3])  # summary, author and consent (the project is set already)
    editor.write_the_story()
    published = editor.run("python", "build.py")
    assert published.returncode == 0, published.stderr
    assert "Draft, not published" not in editor.site("stories/singing-on-thursdays/index.html")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name in ("href", "src") or (name == "srcset" and tag in ("img", "source"))):
                self.targets += [part.split()[0] for part in value.split(",")] if name == "srcset" else [value]


def assert_opens_from_disk(site: Path) -> None:
    """Every link and image of every page (but the 404 page, served at any address) is relative and leads to a
    file of the folder: the site works opened from disk, with base_url set."""
    missing = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" or "pagefind" in page.parts:
            continue
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # elsewhere on the web, or on this page
            assert not parts.path.startswith("/"), (page, target)
            found = (page.parent / unquote(parts.path)).resolve()
            if found.is_dir():
                found = found / "index.html"
            if not found.is_file():
                missing.append(f"{page.relative_to(site)} -> {target}")
    assert not missing, missing
