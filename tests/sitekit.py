"""Small real sites built into tmp_path, and helpers to look at what they produce (shared by the tests)."""

from __future__ import annotations

import hashlib
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

from showcase import workers
from showcase.cli import main

REPO = Path(__file__).resolve().parent.parent


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def build_example(root: Path) -> Path:
    """The example site (content/) built into root/site (its cache in root/cache); returns the site."""
    from showcase.pipeline import BuildOptions, build

    result = build(BuildOptions(content=REPO / "content", out=root / "site", cache=root / "cache"))
    assert not result.failed, [d.format() for d in result.diagnostics.sorted()]
    return root / "site"


def make_image(path: Path, size=(640, 480), colour=(170, 90, 50)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder by its bytes' digest (to prove nothing changed)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def worker_processes(on: bool) -> Iterator[None]:
    """Parse, render and make images in forked worker processes even for a small site (as a large one would), with
    two of them even on a machine with one core (`workers.cores`), or not."""
    saved = workers.PARALLEL_FROM, workers.SMALLEST_CHUNK, workers.cores
    if on:
        workers.PARALLEL_FROM, workers.SMALLEST_CHUNK = 1, 1
        workers.cores = lambda: 2
    try:
        yield
    finally:
        workers.PARALLEL_FROM, workers.SMALLEST_CHUNK, workers.cores = saved


class Site:
    """A small but complete content folder an editor might write."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.out = root / "_site"
        write(self.content / "site.yaml", """
            title: Making Together
            short_title: MT
            description: Stories and artworks from a community arts programme.
            language: en-GB
            funder: Arts Council
            grant: AB/123
            support:
              - name: Samaritans
                description: Free, any time.
                phone: "116 123"
                url: https://www.samaritans.org/
            """)
        write(self.content / "projects/clay.yaml", """
            title: Clay together
            summary: Working with clay in a shared studio.
            practices: [craft]
            hero: bowl
            description: |
              We met weekly.

              See [the first story](../stories/first-light.md).
            """)
        write(self.content / "stories/first-light.md", """
            ---
            title: First light
            date: 2015-04-01
            summary: How a morning class became a lifeline.
            authors:
              - name: Jane Quinnell
                display: initials
            consent: recorded
            project: clay
            practices: [craft]
            tags: [belonging]
            artworks: [bowl]
            hero: bowl
            content_note: Mentions a stay in hospital.
            ---
            ## Arriving

            I came with a friend. Read [the second story](second-story.md#why).

            ![](../artworks/bowl.jpg)

            A thought[^1].

            [^1]: A footnote.

            | When | What |
            |------|------|
            | May  | Firing |

            Term
            : Its definition.
            """)
        write(self.content / "stories/second-story.md", """
            ---
            title: Second story
            date: 2016-02-03
            summary: Singing with strangers.
            authors:
              - name: Rowan Birchall-Smythe
                display: anonymous
              - Sam Carter
            consent: recorded
            practices: [music]
            tags: [belonging, voice]
            ---
            ## Why

            We sang.
            """)
        make_image(self.content / "artworks/bowl.jpg")
        write(self.content / "artworks/bowl.yaml", """
            title: Blue bowl
            alt: A wide blue bowl with a cracked glaze.
            artist:
              name: Jane Quinnell
              display: initials
            year: 2015
            medium: Stoneware
            project: clay
            description: |
              Made in the *second* term.
            """)
        write(self.content / "reports/final.md", """
            ---
            title: The final report
            kind: final-report
            date: 2018-04-01
            authors: [A. Researcher]
            summary: What we learnt.
            key_figures:
              - {value: 42, label: participants}
            ---
            ## 1. Introduction

            Text.

            ### 1.1 Aims

            More.
            """)
        write(self.content / "reports/impact.md", """
            ---
            title: Impact statement
            kind: impact-statement
            date: 2018-04-01
            summary: What changed.
            ---
            Impact.
            """)
        write(self.content / "pages/about.md", """
            ---
            title: About
            nav_order: 1
            ---
            About us.
            """)
        write(self.content / "pages/get-support.md", """
            ---
            title: Get support
            nav_order: 2
            ---
            Help is available.
            """)
        write(self.content / "static/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")

    def build(self, *args: str) -> int:
        return main(["build", "--content", str(self.content), "--out", str(self.out), *args])

    def check(self, *args: str) -> int:
        return main(["check", "--content", str(self.content), *args])

    def page(self, url: str) -> str:
        path = self.out / url / "index.html" if not url.endswith(".html") else self.out / url
        return path.read_text(encoding="utf-8")

    def pages(self) -> dict[str, str]:
        return {p.relative_to(self.out).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(self.out.rglob("*.html"))}


def fails_cleanly(site: Site, capsys, *expected: str, command: str = "build") -> str:
    """The breakage is already made (after a good first build): the command fails, says so in lines of one
    problem each, and changes nothing: the site, the content folder, and nothing new beside them but the site's
    spare folder (the version before it, see showcase/writer.py) and its lock."""
    before_site = snapshot(site.out)
    before_content = snapshot(site.content)
    beside = {p.name for p in site.root.iterdir()}
    assert (site.build() if command == "build" else site.check()) == 1
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err
    for line in err.splitlines():  # one problem a line, then the summary
        assert re.match(r"^\S.*: (error|warning|note): ", line) or line.startswith("Build failed: "), line
    assert snapshot(site.out) == before_site
    assert snapshot(site.content) == before_content
    assert {p.name for p in site.root.iterdir()} - beside <= {"._site.staging", "._site.lock"}
    return err
