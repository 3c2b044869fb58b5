"""What the importer's steps hand to each other: lines of text as laid out, the PDF's text, the draft,
and the one kind of error an editor sees."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from ..errors import UsageError


class ReportImportError(UsageError):
    """The PDF cannot be imported; str() is the message for the editor, in one line, naming the file.

    `exit_status` is 1 when the PDF itself is the problem (missing, damaged, encrypted, no text, too
    large) and 2 when the command was used wrongly (a bad kind or slug, a file that would be replaced)."""

    def __init__(self, message: str, exit_status: int = 1):
        super().__init__("".join(ch if ch.isprintable() else _escaped(ch) for ch in message))
        self.exit_status = exit_status


def _escaped(ch: str) -> str:
    """A line break, a control character or an undecodable byte of a file name, made visible."""
    if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that is not UTF-8, as Python keeps it in a file name
        return f"\\x{ord(ch) - 0xDC00:02x}"
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


@dataclass(slots=True)
class Line:
    """One line of text as laid out on a page (PDF coordinates: y grows upwards)."""

    page: int
    text: str
    size: float  # the font size most of its characters have
    bold: bool
    x0: float
    x1: float
    y0: float
    y1: float
    page_height: float

    @property
    def cls(self) -> float:
        """The size rounded to half a point: lines of one style share it."""
        return round(self.size * 2) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def body_size(lines: list[Line]) -> float:
    """The size class most of the text is set in (by characters, not lines)."""
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.cls] += len(line.text) - line.text.count(" ")
    return weights.most_common(1)[0][0] if weights else 0.0


@dataclass
class PdfText:
    """The document information (Title, Author, CreationDate...) and every page's lines, as laid out."""

    info: dict[str, str]
    pages: list[list[Line]]


@dataclass
class Draft:
    """What the importer recovered: front matter values, the Markdown body and what to check."""

    title: str
    date: dt.date | None
    authors: list[str]
    summary: str
    body: str
    notes: list[str]
