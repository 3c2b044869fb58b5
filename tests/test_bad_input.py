"""Every bad input: exit 1, a message naming the file (and line), the previous site and the content untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import REPO, Site, fails_cleanly, make_image, write


pytestmark = pytest.mark.usefixtures("both_process_modes")  # see conftest.py


@pytest.fixture
def built(site: Site, capsys) -> Site:
    assert site.build() == 0
    capsys.readouterr()
    return site


def test_malformed_front_matter(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("summary: Singing with strangers.", "summary: [unclosed"))
    fails_cleanly(built, capsys, "content/stories/second-story.md:4:10: error: summary: the list that starts with [ "
                  "is not closed: end it with ]")


def test_malformed_sidecar(built: Site, capsys):
    write(built.content / "artworks/bowl.yaml", "title: Blue bowl\nalt: 'open quote\nyear: 2015\n")
    fails_cleanly(built, capsys, "content/artworks/bowl.yaml:2:6: error: alt: this value opens a quote (') but does "
                  "not close it")


def test_malformed_site_yaml(built: Site, capsys):
    path = built.content / "site.yaml"
    path.write_text(path.read_text() + "support: {name: [\n")
    fails_cleanly(built, capsys, "content/site.yaml:12:10: error: support: the group that starts with { is not closed")


def test_required_field_missing(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("consent: recorded\n", ""))
    fails_cleanly(built, capsys, "content/stories/second-story.md:2:1: error: missing required field 'consent'")


def test_field_of_wrong_type(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("date: 2016-02-03", "date: last spring"))
    fails_cleanly(built, capsys, "content/stories/second-story.md:3:1: error: date:")


def test_unknown_field_is_named(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("consent: recorded", "consent: recorded\nsumary: typo"))
    fails_cleanly(built, capsys, "second-story.md:10:1: error: unknown field 'sumary'")


def test_missing_project(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("project: clay", "project: pottery"))
    fails_cleanly(built, capsys, "content/stories/first-light.md:9:1: error: project 'pottery' does not exist")


def test_missing_artwork(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("artworks: [bowl]", "artworks: [bowl, vase]"))
    fails_cleanly(built, capsys, "content/stories/first-light.md:12:", "artwork 'vase' does not exist")


def test_link_to_missing_story(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("second-story.md#why", "third-story.md"))
    fails_cleanly(built, capsys, "content/stories/first-light.md:18:47: error: 'third-story.md' points to a file that does not exist")


def test_image_of_missing_file(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("../artworks/bowl.jpg", "../artworks/jug.jpg"))
    fails_cleanly(built, capsys, "content/stories/first-light.md:20:5:", "artworks/jug.jpg")


def test_link_to_unpublished_story(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("consent: recorded", "consent: recorded\ndraft: true"))
    fails_cleanly(built, capsys, "content/stories/first-light.md:18:1: error: links to stories/second-story.md, which is not published")


def test_path_leaving_the_content_folder(built: Site, capsys):
    write(built.root / "secret.md", "secret")
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\nSee [this](../../secret.md).\n")
    fails_cleanly(built, capsys, "content/stories/second-story.md:17:12: error: '../../secret.md' points outside the content folder")


def test_pdf_leaving_the_content_folder(built: Site, capsys):
    path = built.content / "reports/final.md"
    path.write_text(path.read_text().replace("kind: final-report", "kind: final-report\npdf: ../../x.pdf"))
    fails_cleanly(built, capsys, "content/reports/final.md:4:1: error: pdf: '../../x.pdf' points outside the content folder")


def test_symlink_out_of_the_content_folder(built: Site, capsys):
    write(built.root / "elsewhere.md", "---\ntitle: x\n---\n")
    os.symlink(built.root / "elsewhere.md", built.content / "pages/elsewhere.md")
    fails_cleanly(built, capsys, "content/pages/elsewhere.md: error: this link points outside the content folder")


def test_folder_link_out_of_the_content_folder(built: Site, capsys):
    write(built.root / "outside/story.md", "---\ntitle: x\n---\n")
    os.symlink(built.root / "outside", built.content / "stories/more")
    fails_cleanly(built, capsys, "content/stories/more: error: this link points outside the content folder")


def test_two_items_with_one_slug(built: Site, capsys):
    text = (built.content / "stories/second-story.md").read_text()
    write(built.content / "stories/another.md", text.replace("consent: recorded", "consent: recorded\nslug: second-story"))
    fails_cleanly(built, capsys, "content/stories/another.md:10:1:", "two stories have the slug 'second-story'")


def test_non_utf8_file(built: Site, capsys):
    path = built.content / "pages/about.md"
    path.write_bytes(path.read_bytes().replace(b"About us.", b"Caf\xe9 about us."))
    fails_cleanly(built, capsys, "content/pages/about.md:5:4: error: this file is not UTF-8 text")


def test_image_without_sidecar(built: Site, capsys):
    make_image(built.content / "artworks/lonely.png")
    fails_cleanly(built, capsys, "content/artworks/lonely.png: error: this image has no sidecar")


def test_sidecar_without_image(built: Site, capsys):
    write(built.content / "artworks/ghost.yaml", "title: Ghost\nalt: Nothing.\n")
    fails_cleanly(built, capsys, "content/artworks/ghost.yaml: error: this sidecar has no image")


def test_unreadable_image(built: Site, capsys):
    (built.content / "artworks/bowl.jpg").write_bytes(b"this is not a picture")
    fails_cleanly(built, capsys, "content/artworks/bowl.jpg: error: this image cannot be used")


def test_missing_alt(built: Site, capsys):
    path = built.content / "artworks/bowl.yaml"
    path.write_text(path.read_text().replace("alt: A wide blue bowl with a cracked glaze.", 'alt: ""'))
    fails_cleanly(built, capsys, "content/artworks/bowl.yaml:", "alt:")


def test_unsafe_html_in_a_story(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text() + '\n<img src="x.png" onerror="alert(1)">\n\n<script>alert(2)</script>\n')
    fails_cleanly(built, capsys, "second-story.md:17:1: error: unsafe HTML: event handler",
                  "second-story.md:19:1: error: unsafe HTML: the <script> element")


def test_unsafe_url_in_front_matter(built: Site, capsys):
    path = built.content / "site.yaml"
    path.write_text(path.read_text().replace("https://www.samaritans.org/", "javascript:alert(1)"))
    fails_cleanly(built, capsys, "content/site.yaml:11:5:", "not 'javascript:'")


def test_front_matter_html_is_escaped(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("title: Second story", "title: Second <script>alert(1)</script>"))
    assert built.build() == 0
    html = built.page("stories/second-story")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_missing_content_folder(tmp_path: Path, capsys):
    from showcase.cli import main

    assert main(["build", "--content", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 1
    assert "nope: error: the content folder does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_empty_content_folder(tmp_path: Path, capsys):
    from showcase.cli import main

    (tmp_path / "content").mkdir()
    assert main(["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out")]) == 1
    assert "site.yaml: error: site.yaml is missing" in capsys.readouterr().err


def test_all_problems_are_reported_together(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("project: clay", "project: pottery"))
    write(built.content / "artworks/ghost.yaml", "title: Ghost\nalt: Nothing.\n")
    (built.content / "pages/about.md").write_bytes(b"\xff\xfe")
    err = fails_cleanly(built, capsys, "project 'pottery'", "ghost.yaml", "about.md")
    assert "not published" not in err  # no knock-on errors from the page that could not be read
    assert "Build failed: 3 errors" in err


def test_no_traceback_from_the_command_line(tmp_path: Path):
    site = Site(tmp_path)
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("summary: Singing with strangers.", "summary: [oops"))
    run = subprocess.run([sys.executable, str(REPO / "build.py"), "--content", str(site.content), "--out",
                          str(site.out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "content/stories/second-story.md:4:10: error: summary: the list that starts with [" in run.stderr


def test_link_to_a_missing_anchor_in_another_story(built: Site, capsys):
    path = built.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("second-story.md#why", "second-story.md#nowhere"))
    fails_cleanly(built, capsys, "content/stories/first-light.md: error: /stories/first-light/index.html: "
                  "broken link to /stories/second-story#nowhere (no such anchor)")


def test_script_link_written_in_markdown(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\n[press me](javascript:alert(1))\n")
    fails_cleanly(built, capsys, "content/stories/second-story.md:17:1: error: 'javascript:' links are not allowed")


def test_root_link_warns_about_sub_folders(built: Site, capsys):
    path = built.content / "stories/second-story.md"
    path.write_text(path.read_text() + "\n[about](/about/)\n")
    assert built.build() == 0
    assert "second-story.md:17:9: warning: '/about/' starts at the web server's root" in capsys.readouterr().err


def test_static_robots_rules_are_added(built: Site):
    (built.content / "static/robots.txt").write_text("Disallow: /drafts/\n")
    assert built.build() == 0
    robots = (built.out / "robots.txt").read_text()
    assert robots.startswith("User-agent: *") and "Disallow: /drafts/" in robots
