"""Audio description for films and recordings: an audio-described version (a file in media/) and a text description
(Markdown in the sidecar, or an .md file beside it), offered next to the captions and the transcript; real builds."""

from __future__ import annotations

import re

import pytest
from sitekit import Site, fails_cleanly, write

VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nHello.\n"


def add_film(site: Site, extra: str, files: dict[str, bytes | str] | None = None) -> None:
    """media/film.yaml (a video with captions and a transcript) with `extra` lines, and the files beside it."""
    for name, data in {"film.webm": b"\x1aE\xdf\xa3 not really a film", "film.vtt": VTT, **(files or {})}.items():
        path = site.content / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    write(site.content / "media/film.yaml", "title: Studio film\nkind: video\nfile: film.webm\ncaptions: film.vtt\n"
          "transcript: We make pots.\n" + extra)
    story = site.content / "stories/first-light.md"
    if "media/film.yaml" not in story.read_text():
        story.write_text(story.read_text() + "\n[Watch the film](../media/film.yaml)\n")


def test_a_text_description_is_offered_beside_the_transcript(site: Site):
    add_film(site, "text_description: |\n  One slow view of a *teal* pot on a brown table.\n")
    assert site.build() == 0
    page = site.page("media/film")
    section = re.search(r'<section id="text-description"[^>]*>(.*?)</section>', page, re.S)
    assert section and '<h2 id="text-description-heading">Text description</h2>' in section.group(1)
    assert "One slow view of a <em>teal</em> pot on a brown table." in section.group(1)
    assert page.index('id="transcript"') < page.index('id="text-description"')
    assert '<a href="#text-description">Read the text description</a>' in page
    story = site.page("stories/first-light")  # the player in a story links to it on the film's page
    assert '<a href="../../media/film/#text-description">Read the text description</a>' in story
    assert 'href="../../media/film/#transcript">Read the transcript</a>' in story


def test_a_text_description_may_be_a_file_beside_the_sidecar(site: Site, capsys):
    add_film(site, "text_description: film-description.md\n",
             {"film-description.md": "The camera rests on a *teal* pot.\n\nNobody is seen.\n"})
    assert site.build() == 0
    err = capsys.readouterr().err
    assert "film-description.md" not in err  # neither "not part of the showcase" nor "not used"
    section = re.search(r'<section id="text-description"[^>]*>(.*?)</section>', site.page("media/film"), re.S)
    assert "The camera rests on a <em>teal</em> pot." in section.group(1) and "<p>Nobody is seen.</p>" in section.group(1)
    assert not (site.out / "media/film-description.md").exists()  # read into the page, not published as a file
    (site.content / "media/film-description.md").write_text("The camera moves across a pot.\n")
    assert site.build() == 0  # an edit to the file alone is seen by the next build
    assert "The camera moves across a pot." in site.page("media/film")


def test_problems_of_a_text_description_are_said_at_their_line(site: Site, capsys):
    add_film(site, "")
    assert site.build() == 0
    capsys.readouterr()
    add_film(site, "text_description: |\n  A pot.\n\n  <script>alert(1)</script>\n")
    fails_cleanly(site, capsys, "content/media/film.yaml:9:1: error: unsafe HTML: the <script> element is not allowed")


def test_a_missing_text_description_file_is_an_error_at_its_line(site: Site, capsys):
    add_film(site, "")
    assert site.build() == 0
    capsys.readouterr()
    add_film(site, "text_description: film-descripton.md\n", {"film-description.md": "Words.\n"})
    fails_cleanly(site, capsys, "content/media/film.yaml:6:1: error: text_description: 'film-descripton.md' is not a "
                                "file in media/")


@pytest.mark.parametrize("name, message", [
    ("gone.webm", "audio_description: 'gone.webm' is not a file in media/"),
    ("film.vtt", "audio_description: 'film.vtt' is not a video or audio file (use .mp4, .webm, .mp3, .m4a, .ogg)"),
    ("../../elsewhere.webm", "audio_description: '../../elsewhere.webm' points outside the content folder"),
])
def test_an_audio_description_must_be_a_recording_in_media(site: Site, capsys, name: str, message: str):
    add_film(site, "")
    assert site.build() == 0
    capsys.readouterr()
    add_film(site, f"audio_description: {name}\n")
    fails_cleanly(site, capsys, f"content/media/film.yaml:6:1: error: {message}")


def test_the_audio_described_version_is_published_like_the_captions(site: Site):
    add_film(site, "audio_description: film-described.webm\n", {"film-described.webm": b"\x1aE\xdf\xa3 described"})
    assert site.build() == 0
    assert (site.out / "media/film-described.webm").read_bytes() == b"\x1aE\xdf\xa3 described"
    assert '<a href="../film-described.webm" type="video/webm">Watch the film with audio description</a>' in \
        site.page("media/film")
    story = site.page("stories/first-light")
    assert '<a href="../../media/film-described.webm" type="video/webm">Watch the film with audio description</a>' in story


def test_the_content_contracts_names_and_forms_are_accepted(site: Site, capsys):
    """The content contract writes the text description as `description` and lets the audio-described version be a
    URL: both build, said at their own line when wrong, and a URL is linked, not copied."""
    add_film(site, "description: |\n  One slow view of a *teal* pot.\n"
                   "audio_description: https://video.example.org/films/studio-described\n")
    assert site.build() == 0
    page = site.page("media/film")
    assert "One slow view of a <em>teal</em> pot." in page
    assert '<a href="https://video.example.org/films/studio-described">Watch the film with audio description</a>' in page
    capsys.readouterr()
    add_film(site, "description: |\n  A pot.\n\n  <script>alert(1)</script>\n")
    fails_cleanly(site, capsys, "content/media/film.yaml:9:1: error: unsafe HTML: the <script> element is not allowed")
    capsys.readouterr()
    add_film(site, "description: A pot.\ntext_description: A pot again.\n")
    fails_cleanly(site, capsys, "content/media/film.yaml:6:1: error: description and text_description are one field "
                                "written two ways; give it once")


def test_the_editor_block_takes_the_content_contracts_repository(site: Site):
    text = (site.content / "site.yaml").read_text()
    (site.content / "site.yaml").write_text(text + "editor:\n  backend: github\n  repository: cpmr/showcase\n")
    assert site.build() == 0
    assert "repo: cpmr/showcase" in (site.out / "admin/config.yml").read_text()
