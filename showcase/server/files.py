"""Which file of the site folder answers an address, as what type, and which bytes of it a `Range` asks for.

Nothing outside the site folder is ever returned, hidden files are never served and folders are never listed;
an address no file could have (a name longer than the file system allows, bytes that are not UTF-8) is simply
not there.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

MAX_NAME = 255  # bytes in one file name on every common file system: a longer segment names nothing

_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json", ".webmanifest": "application/manifest+json", ".map": "application/json",
    ".xml": "application/xml", ".atom": "application/atom+xml", ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8", ".bib": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8", ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
    ".pdf": "application/pdf", ".zip": "application/zip",
    ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
}


def content_type(path: Path) -> str:
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def decode_path(url_path: str) -> str | None:
    """The percent-decoded path of a request, or None if its bytes are not UTF-8. (The request line arrives
    as Latin-1 text: each character is one byte as sent.)"""
    try:
        raw = unquote_to_bytes(url_path.encode("latin-1"))
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def resolve(root: Path, url_path: str) -> tuple[str, Path | None]:
    """Map a request path to a file under root: ("file", path), ("redirect", None), ("missing", None) or
    ("bad", None)."""
    path = decode_path(url_path)
    if path is None or "\x00" in path or "\\" in path:
        return "bad", None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return "bad", None
    if any(part.startswith(".") for part in parts):  # the build's manifest and anything else hidden
        return "missing", None
    if any(len(part.encode("utf-8")) > MAX_NAME for part in parts):
        return "missing", None
    try:
        real_root = root.resolve()
        real = root.joinpath(*parts).resolve()
        if real != real_root and not real.is_relative_to(real_root):
            return "missing", None
        if real.is_dir():
            if not url_path.endswith("/"):
                return "redirect", None
            index = real / "index.html"
            return ("file", index) if index.is_file() else ("missing", None)
        if real.is_file():
            return "file", real
    except (OSError, RuntimeError, ValueError):  # too long or too deep for the file system, a link loop
        pass
    return "missing", None


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """A single `Range: bytes=` request as (first, last) byte; None to send it all; "invalid" for 416."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or not (match[1] or match[2]):
        return None  # several ranges or nonsense: the whole file is a valid answer
    if match[1]:
        start = _number(match[1])
        end = min(_number(match[2]), size - 1) if match[2] else size - 1
        if start >= size:
            return "invalid"
        return None if end < start else (start, end)
    suffix = _number(match[2])
    if suffix == 0 or size == 0:
        return "invalid"
    return max(0, size - suffix), size - 1


def _number(digits: str) -> int:
    """A byte position; any number of more than 18 digits is past the end of every file (and Python refuses
    to read numbers of thousands of digits)."""
    return int(digits) if len(digits) <= 18 else 10 ** 18
