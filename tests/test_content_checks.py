"""Accessibility checks on content: editors are told, with file and line, before anything is published."""

from __future__ import annotations

import pytest

from sitekit import Site


def warnings_for(site: Site, capsys, body: str) -> str:
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\n" + body)
    assert site.build() == 0  # warnings do not stop a build...
    err = capsys.readouterr().err
    assert site.build("--strict") == 1  # ...unless it is strict
    return err


@pytest.mark.parametrize("body, column, message", [  # (the column of what the message is about)
    ("![IMG_2041.jpg](../artworks/bowl.jpg)\n", 3, "image text alternative 'IMG_2041.jpg' looks like a file name"),
    ("![Picture of a bowl](../artworks/bowl.jpg)\n", 3,
     "image text alternative 'Picture of a bowl' starts with 'Picture of'"),
    ("Read [click here](first-light.md).\n", 7, "link text 'click here' does not say where it goes"),
    ("See [Read more](first-light.md).\n", 6, "link text 'Read more' does not say where it goes"),
    ("An empty [](first-light.md) link.\n", 10, "a link has no text"),
    ("|   |   |\n|---|---|\n| a | b |\n", 1, "this table has no header row"),
    ("#### Too deep\n", 1, "heading level skipped: a ## heading is followed by a #### heading; make it ###"),
])
def test_content_warnings_name_file_and_line(site: Site, capsys, body: str, column: int, message: str):
    err = warnings_for(site, capsys, body)
    assert f"content/stories/second-story.md:17:{column}: warning: {message}" in err, err


def test_sidecar_alt_checks(site: Site, capsys):
    path = site.content / "artworks/bowl.yaml"
    path.write_text(path.read_text().replace("alt: A wide blue bowl with a cracked glaze.", "alt: An image of a bowl"))
    assert site.build() == 0
    assert "content/artworks/bowl.yaml:2:1: warning: alt 'An image of a bowl' starts with 'An image of'" in capsys.readouterr().err
    path.write_text(path.read_text().replace("alt: An image of a bowl", 'alt: ""'))
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "content/artworks/bowl.yaml:2:1: error: alt: write a text alternative" in err
    assert "Build failed: 1 error" in err  # and no knock-on errors from the stories that show it
    path.write_text(path.read_text().replace('alt: ""', 'alt: ""\ndecorative: true'))
    assert site.build() == 0
    assert 'alt=""' in site.page("artworks/bowl")


def test_body_headings_never_compete_with_the_page_title(site: Site):
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("## Why", "# Why\n\n## Because"))
    assert site.build() == 0
    html = site.page("stories/second-story")
    assert html.count("<h1") == 1 and '<h2 id="why">Why</h2>' in html and '<h3 id="because">Because</h3>' in html
