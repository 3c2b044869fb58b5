"""Video and audio: captions, transcripts, native players, and videos elsewhere loaded only on request."""

from __future__ import annotations

from sitekit import Site, write

VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nHello.\n"


MP4_HEAD = b"\x00\x00\x00\x18ftypmp42...."  # begins as an MP4 file does (its running time cannot be read)


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
    add_media(site, "title: Film\nkind: video\nfile: film.mp4\ntranscript: Words.\n", {"film.mp4": MP4_HEAD})
    assert site.build() == 1
    assert "error: captions: a video needs a WebVTT captions file" in capsys.readouterr().err


def test_captions_must_be_webvtt(site: Site, capsys):
    add_media(site, "title: Film\nkind: video\nfile: film.mp4\ncaptions: film.vtt\ntranscript: Words.\n",
              {"film.mp4": MP4_HEAD, "film.vtt": "1\n00:00:00,000 --> 00:00:01,000\nSRT, not VTT\n"})
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


# --- running times, read from the files themselves (issue 14) --------------------------------------

import json  # noqa: E402
import re  # noqa: E402
import struct  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from sitekit import REPO  # noqa: E402
from showcase.mediafile import MediaFileError, clock, duration_seconds, iso_duration, parse_clock  # noqa: E402

EXAMPLE_MEDIA = REPO / "content" / "media"
FILM = (EXAMPLE_MEDIA / "clay-studio-film.webm").read_bytes()  # WebM, 24.17 s (its Info says so)
SONG = (EXAMPLE_MEDIA / "joining-the-altos.ogg").read_bytes()  # Ogg Vorbis, 22.31 s


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: float, timescale: int = 1000, brand: bytes = b"isom") -> bytes:
    """The smallest MP4 whose movie header (mvhd) gives its running time."""
    mvhd = _box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, timescale, round(seconds * timescale)) + bytes(80))
    return _box(b"ftyp", brand + bytes(4) + brand) + _box(b"moov", mvhd) + _box(b"mdat", bytes(64))


def mp3(frames: int) -> bytes:
    """MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz (417 bytes and 1152 samples each), with silent data."""
    return (bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)) * frames


def _ebml(element: int, payload: bytes = b"", unknown: bool = False) -> bytes:
    ident = element.to_bytes((element.bit_length() + 7) // 8, "big")
    size = b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown else b"\x01" + len(payload).to_bytes(7, "big")
    return ident + size + payload


def live_webm() -> bytes:
    """A WebM as a browser records it live: no Duration, a Segment and Clusters of unknown size."""
    def block(relative: int) -> bytes:
        return b"\x81" + struct.pack(">hB", relative, 0x80) + bytes(20)
    header = _ebml(0x1A45DFA3, _ebml(0x4282, b"webm"))
    info = _ebml(0x1549A966, _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")))
    first = _ebml(0x1F43B675, unknown=True) + _ebml(0xE7, b"\x00") + _ebml(0xA3, block(0)) + _ebml(0xA3, block(1000))
    second = (_ebml(0x1F43B675, unknown=True) + _ebml(0xE7, (5000).to_bytes(2, "big")) + _ebml(0xA3, block(2500))
              + _ebml(0xA0, _ebml(0xA1, block(2000)) + _ebml(0x9B, (1000).to_bytes(2, "big"))))
    return header + _ebml(0x18538067, unknown=True) + info + first + second  # ends at 5 + 2 + 1 = 8 s


@pytest.mark.parametrize("name, data, seconds", [
    ("film.webm", FILM, 24.173),
    ("song.ogg", SONG, 22.305),
    ("clip.mp4", mp4(95.5), 95.5),
    ("talk.m4a", mp4(61.25, 44100, b"M4A "), 61.25),
    ("talk.mp3", mp3(400), 400 * 1152 / 44100),
    ("live.webm", live_webm(), 8.0),
])
def test_running_time_is_read_from_the_file(tmp_path: Path, name: str, data: bytes, seconds: float):
    path = tmp_path / name
    path.write_bytes(data)
    assert duration_seconds(path) == pytest.approx(seconds, abs=0.01)


@pytest.mark.parametrize("name, data", [
    ("fake.webm", b"\x1aE\xdf\xa3 not really a film"),
    ("fake.webm", b"RIFF....WEBPVP8 "),
    ("empty.ogg", b""),
    ("cut.ogg", SONG[:40]),
    ("fake.mp4", b"\x00\x00\x00\x18ftypisom" + bytes(12)),
    ("noise.mp3", bytes(range(256)) * 4),
    ("cut.webm", FILM[:30]),
])
def test_a_file_whose_running_time_cannot_be_read_says_so(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(MediaFileError):
        duration_seconds(path)


def test_clock_shows_what_players_show():
    assert [clock(s) for s in (24.173, 22.3, 59.9, 245.0, 3727.5, 0.2)] == ["0:24", "0:22", "0:59", "4:05", "1:02:07",
                                                                           "0:01"]
    assert [iso_duration(s) for s in (24.173, 245.0, 3600.0)] == ["PT24S", "PT4M5S", "PT1H"]
    assert [parse_clock(t) for t in ("0:24", "4:05", "1:02:07", "24", "PT4M5S")] == [24, 245, 3727, 24, 245]
    assert [parse_clock(t) for t in ("soon", "4:75", "1:2:3:4", "PT", "")] == [None] * 5


def test_the_caption_shows_the_files_running_time(site: Site):
    add_media(site, """
        title: Studio film
        kind: video
        file: film.webm
        captions: film.vtt
        project: clay
        transcript: |
          We make pots.
        """, {"film.webm": FILM, "film.vtt": VTT})
    assert site.build("--strict", "--base-url", "https://example.org/") == 0  # nothing to warn about
    page = site.page("media/item")
    assert "Studio film (0:24)" in re.sub(r"\s+", " ", page)
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)]
    assert any(d.get("duration") == "PT24S" for d in data), data
    assert "Studio film</a> <span>Film, 0:24, with transcript" in site.page("projects/clay")


def test_a_sidecar_duration_that_contradicts_the_file_is_a_warning_naming_both(site: Site, capsys):
    add_media(site, """
        title: Song
        kind: audio
        file: song.ogg
        duration: "0:24"
        transcript: Words.
        """, {"song.ogg": SONG})
    assert site.build() == 0
    err = capsys.readouterr().err
    assert re.search(r"content/media/item\.yaml:4:1: warning: duration: 0:24 does not match 'song\.ogg', which runs "
                     r"0:22 \(22\.3 s\)", err), err
    assert "Song (0:22)" in re.sub(r"\s+", " ", site.page("media/item"))  # the file is right
    assert site.build("--strict", "--base-url", "https://example.org/") == 1


def test_a_sidecar_duration_within_a_second_of_the_file_is_fine(site: Site, capsys):
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\nduration: '0:23'\ntranscript: Words.\n",
              {"song.ogg": SONG})
    assert site.build("--strict", "--base-url", "https://example.org/") == 0
    assert "Song (0:22)" in re.sub(r"\s+", " ", site.page("media/item"))


def test_an_unreadable_file_is_a_warning_and_the_sidecar_duration_is_shown(site: Site, capsys):
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\nduration: '3:10'\ntranscript: Words.\n",
              {"song.ogg": b"OggS but nothing more"})
    assert site.build() == 0
    err = capsys.readouterr().err
    assert "content/media/item.yaml:3:1: warning: file: how long 'song.ogg' runs cannot be read" in err, err
    assert "the duration written here (3:10) is shown instead" in err
    assert "Song (3:10)" in re.sub(r"\s+", " ", site.page("media/item"))


def test_the_example_recordings_show_their_real_running_times():
    from showcase.parse_media import MEDIA_TYPES

    assert set(MEDIA_TYPES) == {".mp4", ".webm", ".mp3", ".m4a", ".ogg"}  # every kind tested above
    assert clock(duration_seconds(EXAMPLE_MEDIA / "clay-studio-film.webm")) == "0:24"  # the player's 0:24
    assert clock(duration_seconds(EXAMPLE_MEDIA / "joining-the-altos.ogg")) == "0:22"


def test_captions_as_browsers_read_them(site: Site, capsys):
    """A browser drops captions whose first line is not WEBVTT itself (blank lines first, WEBVTTX), and a file
    with no cue shows nothing: each is an error, not a film published without working captions."""
    for captions, said in [("\n\nWEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHi.\n", "its first line must be WEBVTT"),
                           ("WEBVTTX garbage\n\n00:00:00.000 --> 00:00:01.000\nHi.\n", "its first line must be WEBVTT"),
                           ("WEBVTT\n\nNOTE only a note\n", "has no captions in it")]:
        add_media(site, "title: Film\nkind: video\nfile: film.mp4\ncaptions: film.vtt\ntranscript: Words.\n",
                  {"film.mp4": MP4_HEAD, "film.vtt": captions})
        assert site.build() == 1
        assert said in capsys.readouterr().err
    add_media(site, "title: Film\nkind: video\nfile: film.mp4\ncaptions: film.vtt\ntranscript: Words.\n",
              {"film.mp4": MP4_HEAD, "film.vtt": "\ufeffWEBVTT - with a title\r\n\r\n00:00:00.000 --> 00:00:01.000\r\nHi.\r\n"})
    assert site.build() == 0


def test_a_media_item_publishes_only_files_of_media(site: Site, capsys):
    """A text description, captions or recording named in another folder (a draft story, say) is refused at its
    line: it was published whole, front matter included, and went into the search index."""
    write(site.content / "stories/secret.md", """
        ---
        title: Secret zebracorn
        date: 2016-01-01
        summary: Private.
        authors: [Zelda Quux]
        consent: pending
        ---
        The zebracorn passage is private.
        """)
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\ntranscript: Words.\n"
                    "text_description: ../stories/secret.md\n", {"song.ogg": b"OggS"})
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "content/media/item.yaml:5:" in err and "text_description: '../stories/secret.md' is not in media/" in err
    assert not site.out.exists() or "zebracorn" not in "".join(
        p.read_text(errors="ignore") for p in site.out.rglob("*") if p.is_file())


def test_a_text_description_linking_to_what_is_not_published_is_an_error(site: Site, capsys):
    write(site.content / "stories/secret.md", "---\ntitle: Secret\ndate: 2016-01-01\nsummary: s\nauthors: [A]\n"
                                              "consent: pending\n---\nPrivate.\n")
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\ntranscript: Words.\n"
                    "text_description: See [the story](../stories/secret.md).\n", {"song.ogg": b"OggS"})
    assert site.build() == 1
    assert "links to stories/secret.md, which is not published" in capsys.readouterr().err


def test_the_structured_data_has_the_transcript_as_the_page_shows_it(site: Site):
    add_media(site, "title: Song\nkind: audio\nfile: song.ogg\ntranscript: |\n  We *sang* together.\n\n"
                    "  <!-- speaker is Plughina Xyzzyfield: not to be published -->\n", {"song.ogg": b"OggS"})
    assert site.build("--base-url", "https://example.org/") == 0
    page = site.page("media/item")
    assert "Xyzzyfield" not in page
    assert '"transcript":"We sang together."' in page


@pytest.mark.parametrize("name", ["film.webm", "film.mp4", "song.mp3", "song.ogg", "song.m4a"])
def test_a_file_that_is_not_a_recording_is_refused_at_its_line(site: Site, capsys, name: str):
    """A text or an image saved under a recording's name was published with a warning (its running time could not
    be read), and played for no one."""
    kind = "video" if name.startswith("film") else "audio"
    captions = "captions: film.vtt\n" if kind == "video" else ""
    add_media(site, f"title: Item\nkind: {kind}\nfile: {name}\n{captions}transcript: Words.\n",
              {name: "These are notes, not a recording.\n", "film.vtt": "WEBVTT\n\n00:00.000 --> 00:01.000\nHi.\n"})
    assert site.build() == 1
    err = capsys.readouterr().err
    suffix = name.rsplit(".", 1)[1].upper()
    assert (f"content/media/item.yaml:3:1: error: file: '{name}' is not a {suffix} file (it does not begin as one "
            f"does): export the recording again as {suffix}") in err, err
