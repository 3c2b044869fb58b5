"""What the editor in the preview may save: where (the folders and kinds of files), how large, and what an
upload must be (an image of its type, a PDF, a recording or captions); the refusal it gets otherwise."""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from ..discover import MEDIA_EXTENSIONS
from ..editor import KINDS
from ..markdown import ARTWORK_EXTENSIONS

MAX_PATH = 1024
MAX_FILE = 20 * 1024 * 1024  # bytes in one upload (an image, a PDF, a recording)
MAX_TEXT = 2 * 1024 * 1024  # bytes in one entry (a story, a sidecar)

TEXT_SUFFIXES = {".md", ".yaml", ".yml"}
IMAGE_SUFFIXES = set(ARTWORK_EXTENSIONS)
# What the editor saves, by folder: entries (text) and the files uploaded beside them.
FOLDERS: dict[str, set[str]] = {
    "stories": {".md"},
    "pages": {".md"},
    "reports": {".md", ".pdf"},
    "projects": {".yaml", ".yml"},
    "people": {".yaml", ".yml"},
    "artworks": {".yaml", ".yml", *IMAGE_SUFFIXES},
    "media": {".yaml", ".yml", *MEDIA_EXTENSIONS},
    "exhibitions": {".yaml", ".yml", ".md"},
}
assert set(FOLDERS) == set(KINDS), "a collection of the editor has no folder here"
UPLOAD_SUFFIXES = {suffix for suffixes in FOLDERS.values() for suffix in suffixes} - TEXT_SUFFIXES

_FILE_KINDS = {".jpg": "a JPEG image", ".jpeg": "a JPEG image", ".png": "a PNG image", ".gif": "a GIF image",
               ".webp": "a WebP image", ".tif": "a TIFF image", ".tiff": "a TIFF image", ".pdf": "a PDF",
               ".mp4": "an MP4 video", ".webm": "a WebM video", ".mp3": "an MP3 recording",
               ".m4a": "an M4A recording", ".ogg": "an Ogg recording", ".vtt": "a WebVTT captions file"}
_PIL_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP", ".tif": "TIFF",
                ".tiff": "TIFF"}


class Refused(Exception):
    """A request the API does not carry out: its HTTP status and the plain-language reason Decap shows."""

    def __init__(self, status: int, message: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []


@dataclass
class Save:
    """One save: files to write (path -> bytes) and to remove, all relative to the content folder."""

    write: dict[str, bytes] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)
    # the version (SHA-256) of each text file the page that saves was given when its form was opened (see
    # editor_versions.js): the file must still be that version; None: the page says it makes new files
    opened: dict[str, str | None] = field(default_factory=dict)

    @property
    def paths(self) -> set[str]:
        return set(self.write) | self.remove



def relative(value: Any, what: str = "file") -> str:
    """A path Decap gave, relative to the content folder, refused unless it plainly names a place in it."""
    if not isinstance(value, str) or (not value and what == "file"):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The request names no {what}.")
    shown = repr(value[:80])
    if len(value) > MAX_PATH:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown}… is too long to be a file's name.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                      f"{shown} is not a name a file can have here (it is not Unicode text).") from None
    if "\x00" in value:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a NUL character, which no file name can.")
    if "\\" in value:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a backslash; write paths with / only.")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a control character.")
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} is an absolute path; the editor works only inside "
                                                       "the content folder, with paths relative to it.")
    if not value:
        return ""
    parts = value.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} leaves the content folder or is not a plain "
                                                       "path (.., . or an empty part); nothing was saved.")
    if any(part.startswith(".") for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} is a hidden file, which the editor does not touch.")
    if any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown}… has a name too long for a file.")
    return value


def uploaded(asset: dict) -> tuple[str, bytes]:
    """The path and bytes of an upload (Decap's asset: a path and base64 content); Refused when unreadable."""
    path = relative(asset.get("path"))
    content = asset.get("content")
    if asset.get("encoding", "base64") != "base64" or not isinstance(content, str):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The upload {path} must be base64-encoded.")
    if len(content) > (MAX_FILE * 4) // 3 + 8:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, too_large(path, len(content) * 3 // 4))
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The upload {path} is not valid base64.") from None
    return path, data


def too_large(path: str, size: int) -> str:
    return (f"{posixpath.basename(path)} is too large to upload ({megabytes(size)}; at most "
            f"{megabytes(MAX_FILE)}). Make the image smaller, or link a long recording from a video site.")


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def check_upload(rel: str, data: bytes) -> None:
    """An upload is no larger than MAX_FILE and is what its name says."""
    if len(data) > MAX_FILE:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, too_large(rel, len(data)))
    suffix = posixpath.splitext(rel)[1].lower()
    name = posixpath.basename(rel)
    expected = _FILE_KINDS.get(suffix, f"a {suffix} file")
    if not _looks_like(suffix, data):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{name} is not {expected}, as its name says; upload "
                                                       f"{expected} (or give the file its right name).")
    if suffix in _PIL_FORMATS:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PIL_FORMATS[suffix]:
                    raise ValueError(image.format)
                image.verify()
        except Exception:  # noqa: BLE001 - Pillow says "damaged" with many kinds of exception
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{name} cannot be read as {expected}: it may be "
                                                           "damaged or cut short.") from None


def _looks_like(suffix: str, data: bytes) -> bool:
    head = data[:16]
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix == ".gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix in (".tif", ".tiff"):
        return head.startswith((b"II*\x00", b"MM\x00*"))
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix in (".mp4", ".m4a"):
        return head[4:8] == b"ftyp"
    if suffix == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if suffix == ".mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if suffix == ".ogg":
        return head.startswith(b"OggS")
    if suffix == ".vtt":
        try:
            return data.decode("utf-8").lstrip("\ufeff").startswith("WEBVTT")
        except UnicodeDecodeError:
            return False
    return False
