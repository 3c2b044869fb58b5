"""Video and audio: captions, transcripts, native players, and videos elsewhere loaded only on request."""

from __future__ import annotations

from sitekit import Site, write

VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nHello.\n"


def add_media(site: Site, sidecar: str, files: dict[str, bytes | str]) -> None:
    for name, data in files.items():
        path = site.content / "media" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    write(site.content / "media/item.yaml", sidecar)


def test_local_video_with_captions_and_transcript(site: Site):
    add_media(site, """
        title: Studio film
        kind: video
        file: film.webm
        captions: film.vtt
        project: clay
        transcript: |
          We make pots.
        """, {"film.webm": b"\x1aE\xdf\xa3 not really a film", "film.vtt": VTT})
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text() + "\n[Watch the film](../media/item.yaml)\n")
    assert site.build() == 0
    page = site.page("media/item")
    assert '<video controls preload="metadata"' in page
    assert '<track kind="captions" src="../film.vtt" srclang="en" label="Captions" default>' in page
    assert '<source src="../film.webm" type="video/webm">' in page
    assert 'id="transcript"' in page and "We make pots." in page
    assert (site.out / "media/film.webm").is_file() and (site.out / "media/film.vtt").read_text() == VTT
    story = site.page("stories/first-light")
    assert '<video controls preload="metadata"' in story and 'href="../../media/item/#transcript"' in story
    assert "<p><figure" not in story
    assert 'href="../../media/item/"' in site.page("projects/clay")


def test_audio_needs_a_transcript(site: Site, capsys):
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\n", {"song.ogg": b"OggS"})
    assert site.build() == 1
    assert "content/media/item.yaml:1:1: error: transcript: every audio needs a transcript" in capsys.readouterr().err


def test_video_needs_captions(site: Site, capsys):
    add_media(site, "title: Film\nkind: video\nfile: film.mp4\ntranscript: Words.\n", {"film.mp4": b"...."})
    assert site.build() == 1
    assert "error: captions: a video needs a WebVTT captions file" in capsys.readouterr().err


def test_captions_must_be_webvtt(site: Site, capsys):
    add_media(site, "title: Film\nkind: video\nfile: film.mp4\ncaptions: film.vtt\ntranscript: Words.\n",
              {"film.mp4": b"....", "film.vtt": "1\n00:00:00,000 --> 00:00:01,000\nSRT, not VTT\n"})
    assert site.build() == 1
    assert "content/media/film.vtt:1:1: error: this is not a WebVTT file" in capsys.readouterr().err


def test_missing_media_file(site: Site, capsys):
    add_media(site, "title: Film\nkind: audio\nfile: gone.mp3\ntranscript: Words.\n", {})
    assert site.build() == 1
    assert "content/media/item.yaml:3:1: error: file: 'gone.mp3' is not a file in media/" in capsys.readouterr().err


def test_external_video_is_a_facade_until_clicked(site: Site):
    add_media(site, """
        title: Hosted film
        kind: video
        url: https://www.youtube.com/watch?v=abc123XYZ
        poster: bowl
        transcript: Words of the film.
        """, {})
    assert site.build() == 0
    page = site.page("media/item")
    assert "<iframe" not in page
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abc123XYZ"' in page
    assert 'href="https://www.youtube.com/watch?v=abc123XYZ">Play<span class="facade__host"> (loads content from www.youtube.com)</span>' in page
    assert "Words of the film." in page
