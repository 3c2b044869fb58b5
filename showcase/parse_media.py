"""Films and recordings: a media sidecar read into its item, with its file, captions, running time, audio-described
version and text description checked."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .content import Media
from .content_models import MediaMeta
from .errors import Diagnostic
from .exhibitions import text_line
from .mediafile import TOLERANCE as DURATION_TOLERANCE
from .mediafile import (
    MediaFileError,
    clock,
    duration_seconds,
    not_its_kind,
    parse_clock,
)
from .sources import ContentProblem, YamlDocument, read_text
from .urls import clean_url
from .validation import validation_diagnostics

if TYPE_CHECKING:
    from .parse import Parser, Result


MEDIA_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
               ".ogg": "audio/ogg"}


def external_video(url: str) -> tuple[str, str | None]:
    """The host a video is loaded from, and the privacy-friendlier player address where one is known."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    host = parts.hostname or url
    if host.endswith("youtube.com") and parse_qs(parts.query).get("v"):
        return host, f"https://www.youtube-nocookie.com/embed/{parse_qs(parts.query)['v'][0]}"
    if host == "youtu.be":
        return host, f"https://www.youtube-nocookie.com/embed/{parts.path.strip('/')}"
    if host.endswith("vimeo.com") and parts.path.strip("/").isdigit():
        return host, f"https://player.vimeo.com/video/{parts.path.strip('/')}?dnt=1"
    return host, None  # unknown host: linked, never embedded


def parse_media(parser: Parser, rel: str, path: Path) -> Result:
    doc = parser.read_yaml(path)
    meta, found = validation_diagnostics(path, doc, MediaMeta)
    if meta is None:
        return None, found
    media = Media(slug=parser.slug_of(rel, meta), source=rel, meta=meta, front=doc)
    media.transcript = parser.render_field(rel, path, doc, "transcript", meta.transcript, found)
    if meta.file:
        file = _media_file(parser, path, doc, "file", meta.file, found)
        if file:
            media.file_url = file
            media.file_type = MEDIA_TYPES.get(posixpath.splitext(file)[1].lower())
            if media.file_type is None or not media.file_type.startswith(meta.kind):
                line, col = doc.locate(("file",))
                found.append(Diagnostic(str(path), line, col, "error",
                                        f"file: '{meta.file}' is not a {meta.kind} file (use "
                                        f"{', '.join(e for e, t in MEDIA_TYPES.items() if t.startswith(meta.kind))})"))
            else:
                _running_time(parser, path, doc, media, found)
    if meta.captions:
        captions = _media_file(parser, path, doc, "captions", meta.captions, found)
        if captions:
            line, col = doc.locate(("captions",))
            if not captions.endswith(".vtt"):
                found.append(Diagnostic(str(path), line, col, "error", "captions must be a WebVTT (.vtt) file"))
            elif (text := _captions_text(parser.root / captions, found)) is None:
                pass  # the captions file's own problem is said at that file
            elif not _webvtt_first_line(text):  # as browsers read it: nothing before, nothing glued to it
                found.append(Diagnostic(str(parser.root / captions), 1, 1, "error",
                                        "this is not a WebVTT file: its first line must be WEBVTT"))
            elif "-->" not in text:
                found.append(Diagnostic(str(parser.root / captions), 1, 1, "error",
                                        "this WebVTT file has no captions in it (no line with a time such as "
                                        "00:00:01.000 --> 00:00:04.000)"))
            else:
                media.captions_url = captions
    if meta.url:
        media.host, media.embed_url = external_video(meta.url)
    _descriptions(parser, rel, path, doc, media, found)
    return media, found


def _descriptions(parser: Parser, rel: str, path: Path, doc: YamlDocument, media: Media,
                  found: list[Diagnostic]) -> None:
    """The audio-described version (a file in media/) and the text description (Markdown, or an .md file)."""
    meta = media.meta
    if meta.audio_description and re.match(r"(?i)https?://", meta.audio_description):  # a version published elsewhere
        try:
            media.audio_description_url = clean_url(meta.audio_description, ("http", "https"))
        except ValueError as exc:
            line, col = doc.locate(("audio_description",))
            found.append(Diagnostic(str(path), line, col, "error", f"audio_description: {exc}"))
    elif meta.audio_description:
        described = _media_file(parser, path, doc, "audio_description", meta.audio_description, found)
        kind = MEDIA_TYPES.get(posixpath.splitext(described or "")[1].lower())
        if described and kind is None:
            line, col = doc.locate(("audio_description",))
            found.append(Diagnostic(str(path), line, col, "error", f"audio_description: '{meta.audio_description}' "
                                    f"is not a video or audio file (use {', '.join(MEDIA_TYPES)})"))
        elif described:
            media.audio_description_url, media.audio_description_type = described, kind
    text = meta.text_description
    if not text:
        return
    key = "description" if isinstance(doc.data, dict) and "description" in doc.data else "text_description"
    if "\n" not in text.strip() and text.strip().lower().endswith(".md"):  # the name of a file beside it
        source = _media_file(parser, path, doc, key, text.strip(), found)
        if source is None:
            return
        try:
            written = read_text(parser.root / source)
        except ContentProblem as problem:
            found.append(Diagnostic(str(parser.root / source), problem.line, problem.col, "error", problem.message))
            return
        media.text_description_source = source
        media.text_description = parser.render_body(source, parser.root / source, written, 1, found, 3)
        return
    line = text_line(doc, (key,))
    media.text_description = parser.render_body(rel, path, text, line, found, 3)


def _running_time(parser: Parser, path: Path, doc: YamlDocument, media: Media, found: list[Diagnostic]) -> None:
    """The running time read from the file; a `duration` written in the sidecar must agree with it."""
    meta = media.meta
    if not_its_kind(parser.root / media.file_url):  # published, it would play for no one
        line, col = doc.locate(("file",))
        kind = posixpath.splitext(media.file_url)[1].lstrip(".").upper()
        found.append(Diagnostic(str(path), line, col, "error", f"file: '{meta.file}' is not a {kind} file (it does not "
                                f"begin as one does): export the recording again as {kind}, or name it by its kind"))
        return
    try:
        media.duration = duration_seconds(parser.root / media.file_url)
    except MediaFileError as problem:
        line, col = doc.locate(("file",))
        instead = f"; the duration written here ({meta.duration}) is shown instead" if meta.duration else ""
        found.append(Diagnostic(str(path), line, col, "warning",
                                f"file: how long '{meta.file}' runs cannot be read: {problem}{instead}"))
        return
    if not meta.duration:
        return
    written = parse_clock(meta.duration)
    line, col = doc.locate(("duration",))
    if written is None:
        found.append(Diagnostic(str(path), line, col, "warning",
                                f"duration: '{meta.duration}' is not a running time such as 4:05; "
                                f"'{meta.file}' runs {clock(media.duration)}, which is shown"))
    elif abs(written - media.duration) > DURATION_TOLERANCE:
        found.append(Diagnostic(str(path), line, col, "warning",
                                f"duration: {meta.duration} does not match '{meta.file}', which runs "
                                f"{clock(media.duration)} ({media.duration:.1f} s); the file's running time is "
                                f"shown. Correct the duration or leave it out: it is read from the file"))


def _captions_text(path: Path, found: list[Diagnostic]) -> str | None:
    try:
        return read_text(path)
    except ContentProblem as problem:
        found.append(Diagnostic(str(path), problem.line, problem.col, "error", problem.message))
    except OSError as exc:
        found.append(Diagnostic(str(path), None, None, "error", f"cannot be read: {exc.strerror or exc}"))
    return None


def _webvtt_first_line(text: str) -> bool:
    first = text.removeprefix("\ufeff").split("\n", 1)[0].rstrip("\r")
    return first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))


def _media_file(parser: Parser, path: Path, doc: YamlDocument, key: str, name: str,
                found: list[Diagnostic]) -> str | None:
    target = posixpath.normpath(posixpath.join("media", name))
    line, col = doc.locate((key,))
    if target.startswith("../") or target == "..":
        found.append(Diagnostic(str(path), line, col, "error", f"{key}: '{name}' points outside the content folder"))
    elif not target.startswith("media/"):  # another folder's file (a draft story, say) is not the item's to publish
        found.append(Diagnostic(str(path), line, col, "error", f"{key}: '{name}' is not in media/: put the file "
                                                                 "beside this one"))
    elif target not in parser.files.all:
        found.append(Diagnostic(str(path), line, col, "error", f"{key}: '{name}' is not a file in media/"))
    else:
        return target
    return None
