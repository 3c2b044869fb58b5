"""Import a PDF report as a draft Markdown report for an editor to review.

`import_report(pdf, content)` reads the PDF's text with its fonts and positions (pdfminer.six),
removes what repeats on every page (running headers, footers, page numbers), recovers the title,
the date and the headings from font size and weight, re-flows paragraphs (joining words hyphenated
at line ends), and writes `content/reports/<slug>.md` with front matter valid for `ReportMeta` and
`draft: true`, beside a copy of the PDF as `content/reports/<slug>.pdf`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import yaml

from .errors import UsageError
from .markdown import slugify
from .models import SLUG_PATTERN, ReportMeta

KINDS = ("final-report", "impact-statement", "report")
SPECIAL_KINDS = ("final-report", "impact-statement")
SUMMARY_PLACEHOLDER = "Summary to write."


class ReportImportError(UsageError):
    """The PDF cannot be imported; str() is the message for the editor and names the file."""


# --- reading the PDF ---------------------------------------------------------------------------


@dataclass
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


@dataclass
class PdfText:
    info: dict[str, str]
    pages: list[list[Line]]


_BOLD = re.compile(r"bold|black|heavy|demi|[-,](bd|hv|sb)\b", re.I)
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "ft",
              "\ufb06": "st", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " "}
_CID = re.compile(r"\(cid:\d+\)")


def _clean(text: str) -> str:
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = re.sub(r"^\s*\(cid:\d+\)\s+(?=\S)", "• ", text)  # a glyph without a character: a bullet
    text = _CID.sub("", text)
    text = "".join(ch for ch in text if ch >= " " and not 0xFFF0 <= ord(ch) <= 0xFFFF and ch != "\x7f")
    return " ".join(text.split())


def _read_pdf(pdf: Path) -> PdfText:
    """Every line of every page, in reading order; raises ReportImportError for unreadable files."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import (
        PDFDocument,
        PDFEncryptionError,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    def lines_of(item):
        if isinstance(item, LTTextLine):
            yield item
        elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            for child in item:
                yield from lines_of(child)

    pages: list[list[Line]] = []
    info: dict[str, str] = {}
    try:
        with pdf.open("rb") as handle:
            document = PDFDocument(PDFParser(handle), password="")
            for entries in document.info:
                try:
                    for key, value in resolve1(entries).items():
                        value = resolve1(value)
                        if isinstance(value, bytes):
                            value = decode_text(value)
                        if isinstance(value, str) and _clean(value):
                            info[str(key)] = _clean(value)
                except Exception:  # damaged metadata: the text may still be readable
                    continue
            resources = PDFResourceManager(caching=True)
            device = PDFPageAggregator(resources, laparams=LAParams(boxes_flow=None))
            interpreter = PDFPageInterpreter(resources, device)
            for number, page in enumerate(PDFPage.create_pages(document)):
                interpreter.process_page(page)
                layout = device.get_result()
                found: list[Line] = []
                for line in lines_of(layout):
                    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                    if not chars or sum(c.upright for c in chars) * 2 < len(chars):
                        continue  # no visible text, or rotated text (a watermark, a spine label)
                    text = _clean(line.get_text())
                    if not text:
                        continue
                    sizes = Counter(round(c.size, 1) for c in chars)
                    bold = sum(bool(_BOLD.search(str(c.fontname).split("+")[-1])) for c in chars)
                    found.append(Line(number, text, sizes.most_common(1)[0][0], bold >= 0.8 * len(chars),
                                      line.x0, line.x1, line.y0, line.y1, float(layout.height)))
                pages.append(_reading_order(_merge_fragments(found)))
    except ReportImportError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReportImportError(f"{pdf} is password-protected or encrypted: save an unprotected copy of it "
                                "and import that") from None
    except OSError as exc:
        raise ReportImportError(f"{pdf} cannot be read: {exc.strerror or exc}") from None
    except Exception as exc:  # a damaged file can fail anywhere inside the parser
        reason = str(exc).strip() or type(exc).__name__
        raise ReportImportError(f"{pdf} is damaged and cannot be read as a PDF ({reason}); "
                                "export or download it again") from None
    if not pages:
        raise ReportImportError(f"{pdf} is damaged and cannot be read as a PDF (it has no pages); "
                                "export or download it again")
    return PdfText(info, pages)


def _merge_fragments(lines: list[Line]) -> list[Line]:
    """Put back together a line that the layout analysis cut where justification left wide spaces.

    A piece to the right of another on the same baseline, close to it and not starting where many
    lines start (the left edge of a column), is the rest of that line."""
    starts = Counter(round(line.x0) for line in lines)

    def column_edge(x: float) -> bool:
        return sum(starts[round(x) + d] for d in (-1, 0, 1)) >= 3

    out = list(lines)
    while True:
        pair = None
        for right in out:
            if column_edge(right.x0):
                continue
            lefts = [left for left in out if left is not right and left.cls == right.cls
                     and abs(left.y0 - right.y0) <= 0.25 * right.size and -1 <= right.x0 - left.x1 <= 3 * right.size]
            if lefts:
                pair = (max(lefts, key=lambda left: left.x1), right)
                break
        if pair is None:
            return out
        left, right = pair
        merged = Line(left.page, f"{left.text} {right.text}", left.size, left.bold and right.bold, left.x0,
                      right.x1, min(left.y0, right.y0), max(left.y1, right.y1), left.page_height)
        out[out.index(left)] = merged
        out.remove(right)


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The empty stretches between intervals, as (start, end)."""
    gaps, reach = [], None
    for start, end in sorted(spans):
        if reach is not None and start > reach:
            gaps.append((reach, start))
        reach = end if reach is None else max(reach, end)
    return gaps


def _reading_order(lines: list[Line], depth: int = 0) -> list[Line]:
    """Columns left to right, each top to bottom (a recursive XY cut).

    A region is split at a gutter that runs its whole height where there is one, so that columns are
    read one after the other; otherwise at its widest gaps between lines, from the top."""
    if len(lines) <= 1 or depth > 60:
        return sorted(lines, key=lambda line: (-line.y1, line.x0))
    columns = _gaps([(line.x0, line.x1) for line in lines])
    rows = _gaps([(-line.y1, -line.y0) for line in lines])
    widest_row = max((b - a for a, b in rows), default=0.0)
    gutter = max(columns, key=lambda gap: gap[1] - gap[0], default=None)
    if gutter and gutter[1] - gutter[0] >= max(6.0, 0.4 * widest_row):
        cut = (gutter[0] + gutter[1]) / 2
        left = [line for line in lines if line.x1 <= cut]
        right = [line for line in lines if line.x1 > cut]
        return _reading_order(left, depth + 1) + _reading_order(right, depth + 1)
    if rows:
        cuts = [(a + b) / 2 for a, b in rows if b - a >= 0.75 * widest_row]
        bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
        for line in lines:
            bands[sum(-line.y1 > cut for cut in cuts)].append(line)
        if len(bands) > 1:
            return [line for band in bands for line in _reading_order(band, depth + 1)]
    return sorted(lines, key=lambda line: (-line.y1, line.x0))


def _check_file(pdf: Path) -> None:
    """Refuse early what is not a whole PDF file: missing, a folder, another format, cut short."""
    if not pdf.exists():
        raise ReportImportError(f"{pdf} does not exist")
    if not pdf.is_file():
        raise ReportImportError(f"{pdf} is not a file")
    try:
        with pdf.open("rb") as handle:
            head = handle.read(1024)
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - 4096))
            tail = handle.read()
    except OSError as exc:
        raise ReportImportError(f"{pdf} cannot be read: {exc.strerror or exc}") from None
    if b"%PDF-" not in head:
        raise ReportImportError(f"{pdf} is not a PDF file (it does not start with %PDF-)")
    if b"%%EOF" not in tail:
        raise ReportImportError(f"{pdf} is incomplete or damaged: it does not end as a PDF file does "
                                "(no %%EOF); was the download or copy cut short? Export or download it again")


# --- running headers, footers and page numbers ---------------------------------------------------


_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?)?\s*(?:\d{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)


def _furniture_key(line: Line) -> tuple[str, float]:
    text = re.sub(r"\d+", "#", line.text.lower())
    return " ".join(text.split()), line.cls


def _margin_lines(page: list[Line]) -> list[Line]:
    """The lines that could be a running header or footer: near the top or bottom edge."""
    if not page:
        return []
    by_height = sorted(page, key=lambda line: -line.y1)
    height = page[0].page_height
    top = [line for line in by_height[:3] if line.y1 >= height * 0.85]
    bottom = [line for line in by_height[-3:] if line.y0 <= height * 0.15]
    return top + [line for line in bottom if line not in top]


def _is_page_number(text: str) -> bool:
    bare = text.strip(" -–—|·•[](){}.").strip()
    return bool(bare) and bool(_PAGE_NUMBER.match(bare))


def _remove_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    candidates = [_margin_lines(page) for page in pages]
    seen: Counter[tuple[str, float]] = Counter()
    for page in candidates:
        seen.update({_furniture_key(line) for line in page})
    kept = []
    for page, margin in zip(pages, candidates, strict=True):
        drop = {id(line) for line in margin
                if _is_page_number(line.text) or (len(pages) > 1 and seen[_furniture_key(line)] >= 2)}
        kept.append([line for line in page if id(line) not in drop])
    return kept


# --- title, date and authors ----------------------------------------------------------------------


_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), lambda m: (m[1], m[2], m[3])),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})\b", re.I),
     lambda m: (m[3], _MONTHS[m[2].lower()], m[1])),
    (re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,\s*(\d{4})\b", re.I),
     lambda m: (m[3], _MONTHS[m[1].lower()], m[2])),
    (re.compile(r"\b" + _MONTH + r",?\s+(\d{4})\b", re.I), lambda m: (m[2], _MONTHS[m[1].lower()], 1)),
]
_DATE_LABEL = re.compile(r"^(?:published|publication date|date|dated|issued|updated|version|first published)?"
                         r"\s*(?:on|in)?\s*[:,–—-]?\s*$", re.I)


def _find_date(text: str) -> tuple[dt.date, str] | None:
    """The first date written in the text, and the text left around it."""
    for pattern, parts in _DATES:
        for match in pattern.finditer(text):
            try:
                year, month, day = (int(p) for p in parts(match))
                if 1900 <= year <= 2200:
                    rest = (text[: match.start()] + " " + text[match.end():]).strip()
                    return dt.date(year, month, day), rest
            except ValueError:
                continue
    return None


def _pdf_date(value: str | None) -> dt.date | None:
    """A PDF date string, `D:YYYYMMDDHHmmSS...`, or a plain date."""
    if not value:
        return None
    match = re.match(r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
        except ValueError:
            pass
    found = _find_date(value)
    return found[0] if found else None


def _meaningful_title(title: str | None, pdf: Path) -> bool:
    if not title:
        return False
    low = title.lower().strip()
    if len(re.findall(r"[^\W\d_]", title)) < 3:
        return False
    if low in {"untitled", "untitled document", "document", "title", "no title", "(anonymous)", "anonymous"}:
        return False
    if re.match(r"^(microsoft (word|powerpoint|excel)|untitled\b|document\d)", low):
        return False
    if re.search(r"\.(docx?|pdf|indd|pptx?|odt|rtf|pages|txt|qxp|ai|psd|tex)$", low):
        return False
    if " " not in title.strip() and re.search(r"[_.-]", title):  # a file name such as Final_Report_v3
        return False
    return title.strip().lower() != pdf.stem.lower()


_NOT_AUTHORS = {"anonymous", "unknown", "user", "admin", "administrator", "owner", "author", "microsoft office user",
                "reportlab", "unspecified"}


def _authors(value: str | None) -> list[str]:
    if not value or value.strip().strip("()").lower() in _NOT_AUTHORS:
        return []
    parts = [p.strip() for p in re.split(r";|\s+&\s+|\s+and\s+", value) if p.strip()]
    split = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        split.extend(pieces if len(pieces) > 1 and all(" " in p for p in pieces) else [part])
    return [p for p in split if p.strip("()").lower() not in _NOT_AUTHORS]


def _similar(a: str, b: str) -> bool:
    a, b = " ".join(slugify(a).split("-")), " ".join(slugify(b).split("-"))
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() > 0.8


# --- blocks: headings, paragraphs and list items --------------------------------------------------


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "item"
    lines: list[Line] = field(default_factory=list)
    level: int = 0
    text: str = ""

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


_STRONG_BULLET = re.compile(r"^([•●▪■◦○‣➢►✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc])\s*")
_WEAK_BULLET = re.compile(r"^([-–*])\s+")
_NUMBERED = re.compile(r"^(\(?[0-9]{1,2}[.)]|\([a-z]\)|[a-z]\))\s+")
_TERMINAL = re.compile(r"[.!?:…][\"'”’»)\]]*$")


class Layout:
    """Statistics of a document's text that tell body text from headings."""

    def __init__(self, lines: list[Line]):
        weights: Counter[float] = Counter()
        for line in lines:
            weights[line.cls] += len(line.text.replace(" ", ""))
        self.body = weights.most_common(1)[0][0]
        body = [line for line in lines if self.is_body_size(line)]
        deltas: Counter[float] = Counter()
        for a, b in pairwise(body):
            delta = a.y0 - b.y0
            if a.page == b.page and a.cls == b.cls and 0 < delta < 2.5 * a.size:
                deltas[round(delta * 2) / 2] += 1
        self.leading = deltas.most_common(1)[0][0] if deltas else self.body * 1.25
        widths = sorted(line.width for line in body) or [1.0]
        self.width = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
        self.left: dict[int, float] = {}
        for line in body:
            self.left[line.page] = min(self.left.get(line.page, line.x0), line.x0)

    def is_big(self, line: Line) -> bool:
        return line.cls >= self.body * 1.12 and line.cls >= self.body + 0.9

    def is_body_size(self, line: Line) -> bool:
        return not self.is_big(line) and line.cls >= self.body * 0.92

    def style(self, line: Line) -> tuple[float, bool]:
        return (line.cls, line.bold)

    def full(self, line: Line) -> bool:
        return line.width >= 0.93 * self.width

    def short(self, line: Line) -> bool:
        return line.width < 0.75 * self.width

    def indented(self, line: Line, than: float) -> bool:
        return line.x0 > than + 0.8 * line.size


def _bullet(line: Line, block_start: bool) -> re.Match | None:
    return _STRONG_BULLET.match(line.text) or _NUMBERED.match(line.text) or (
        _WEAK_BULLET.match(line.text) if block_start else None)


def _continues(block: Block, line: Line, layout: Layout) -> bool:
    """Whether `line` goes on the block that `block.last` ends."""
    prev = block.last
    if layout.style(prev) != layout.style(line):
        return False
    if block.kind == "heading":
        return line.page == prev.page and 0 < prev.y0 - line.y0 <= 1.7 * line.size
    if _STRONG_BULLET.match(line.text) or _NUMBERED.match(line.text):
        return False
    if _WEAK_BULLET.match(line.text) and block.kind == "item" and abs(line.x0 - block.first.x0) < 2:
        return False
    ended = bool(_TERMINAL.search(prev.text))
    if line.page != prev.page:  # a paragraph that goes on over a page break
        left = layout.left.get(line.page, line.x0)
        if line.page != prev.page + 1 or layout.indented(line, left):
            return False
        return not ended or layout.full(prev)
    if line.x0 >= prev.x1 - 1 and line.y1 > prev.y1:  # on at the top of the next column
        return not ended or layout.full(prev)
    delta = prev.y0 - line.y0
    if not 0 < delta <= layout.leading * 1.2 + 0.5:
        return False
    if line.x0 >= prev.x1 or line.x1 <= prev.x0:  # another column
        return False
    if block.kind == "item":
        return line.x0 > block.first.x0 + 0.3 * line.size or not ended
    if layout.indented(line, prev.x0):  # a first-line indent starts a paragraph
        return False
    return not (ended and layout.short(prev))


def _blocks(lines: list[Line], layout: Layout) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        if blocks and _continues(blocks[-1], line, layout):
            blocks[-1].lines.append(line)
            continue
        if layout.is_big(line):
            kind = "heading"
        elif _bullet(line, True):
            kind = "item"
        else:
            kind = "paragraph"
        blocks.append(Block(kind, [line]))
    return blocks


# --- joining lines -------------------------------------------------------------------------------


_HYPHENATED = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
_KEEP_HYPHEN_PREFIXES = {"self", "well", "non", "co", "cross", "ex", "mid", "post", "pre", "anti", "inter"}


class Joiner:
    """Re-flows the lines of a block, joining words hyphenated at line ends."""

    def __init__(self, lines: list[Line]):
        self.compounds: set[str] = set()
        self.words: set[str] = set()
        for line in lines:
            text = line.text[:-1] if line.text.endswith("-") else line.text
            self.compounds.update(w.lower() for w in _HYPHENATED.findall(text))
            self.words.update(w.lower() for w in re.findall(r"[^\W\d_]+", text))

    def join(self, lines: list[Line]) -> str:
        text = ""
        for line in lines:
            text = self.pair(text, line.text) if text else line.text
        return text

    def pair(self, a: str, b: str) -> str:
        if a.endswith("\u00ad"):
            return a[:-1] + b
        hyphen = re.search(r"([^\W\d_]+)-$", a)
        if hyphen and b[:1].isalpha() and b[:1].islower():
            head = hyphen.group(1)
            tail = re.match(r"[^\W\d_]+", b)
            rest = tail.group(0) if tail else ""
            whole = (head + rest).lower()
            if f"{head}-{rest}".lower() in self.compounds:
                return a + b
            if whole in self.words or head.lower() not in _KEEP_HYPHEN_PREFIXES:
                return a[:-1] + b
            return a + b
        if hyphen and b[:1].isalnum():  # pre-\nCOVID, COVID-\n19: a real hyphen
            return a + b
        if re.search(r"\S[—–/]$", a) or (re.search(r"(https?://|www\.)\S*[-./_]$", a)):
            return a + b  # an em dash or a URL broken at the line end
        return a.replace("\u00ad", "") + " " + b


# --- Markdown ---------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    text = text.replace("\u00ad", "")
    text = re.sub(r"([\\`*_<\[])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    return text.replace("~~", r"\~\~")


def _escape_paragraph(text: str) -> str:
    text = _escape(text)
    if re.match(r"[#>+=:|-]", text):
        text = "\\" + text
    return re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)


def _item(text: str) -> str:
    strong = _STRONG_BULLET.match(text) or _WEAK_BULLET.match(text)
    if strong:
        return "- " + _escape_paragraph(text[strong.end():]) if text[strong.end():] else "-"
    number = re.match(r"^(\d{1,2})([.)])\s+", text)
    if number:
        return f"{number[1]}. " + _escape(text[number.end():])
    return "- " + _escape(text)  # (a), a) and the like: keep the letter as text


def _summary(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])", text)
    summary = ""
    for sentence in sentences:
        if summary and len(summary) + len(sentence) > 300:
            break
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= 80:
            break
    if len(summary) > 300:
        summary = summary[:300].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary


# --- putting it together --------------------------------------------------------------------------


@dataclass
class Draft:
    title: str
    date: dt.date | None
    authors: list[str]
    summary: str
    body: str
    notes: list[str]


def _draft(pdf: Path, text: PdfText) -> Draft:
    raw = [line for page in text.pages for line in page]
    if not raw:
        raise ReportImportError(f"{pdf} has no text that can be extracted: is it a scanned image? "
                                "Run it through text recognition (OCR) first, or write the report by hand")
    pages = _remove_furniture(text.pages)
    lines = [line for page in pages for line in page]
    if not lines:
        raise ReportImportError(f"{pdf} has no text to import besides page headers, footers and numbers")
    layout = Layout(lines)
    notes: list[str] = []
    used: set[int] = set()

    # The title: the metadata's if it says something, else the largest text on the first page.
    first_page = next(page for page in pages if page)
    biggest = max(line.cls for line in first_page)
    title_lines: list[Line] = []
    for line in first_page:  # the first run of lines in the largest type (or in bold if none is larger)
        if line.cls == biggest and (layout.is_big(line) or line.bold) and (not title_lines or (
                line.bold == title_lines[-1].bold and 0 < title_lines[-1].y0 - line.y0 <= 1.8 * line.size)):
            title_lines.append(line)
        elif title_lines:
            break
    layout_title = " ".join(line.text for line in title_lines)
    meta_title = text.info.get("Title")
    if _meaningful_title(meta_title, pdf):
        title = meta_title or ""
        if layout_title and not _similar(title, layout_title):
            title_lines = []  # the big text says something else: keep it in the body
    elif layout_title:
        title = layout_title
        if not layout.is_big(title_lines[0]):
            notes.append("title: taken from the first bold line of the PDF; check it")
    else:
        short = next((line.text for line in first_page if len(line.text.split()) <= 15), "")
        title = short or re.sub(r"[_-]+", " ", pdf.stem).strip() or "Imported report"
        notes.append("title: guessed from the first line of the PDF; check it")
    used.update(id(line) for line in title_lines)

    # The date: a short line on the first page that is a date, else when the PDF was made.
    date = None
    for line in first_page:
        if id(line) in used or len(line.text.split()) > 8:
            continue
        found = _find_date(line.text)
        if found:
            date, rest = found
            if _DATE_LABEL.match(rest):
                used.add(id(line))
            break
    if date is None:
        date = _pdf_date(text.info.get("CreationDate")) or _pdf_date(text.info.get("ModDate"))
        if date is not None:
            notes.append("date: when the PDF was made, not a date printed in it; check it")

    body_lines = [line for line in lines if id(line) not in used]
    blocks = _blocks(body_lines, layout)
    joiner = Joiner(lines)

    # Heading levels: sizes above the body from the largest down, then short bold lines of body size.
    for block in blocks:
        block.text = joiner.join(block.lines)
        if block.kind == "heading" and (len(block.text.split()) > 20 or len(block.lines) > 3):
            block.kind = "paragraph"  # large type, but a paragraph (an introduction set large)
        elif (block.kind == "paragraph" and all(line.bold for line in block.lines)
              and layout.is_body_size(block.first) and len(block.lines) <= 2
              and len(block.text.split()) <= 14 and not re.search(r"[.,;]$", block.text)):
            block.kind = "bold-heading"  # a short bold line on its own
    sizes = sorted({b.first.cls for b in blocks if b.kind == "heading"}, reverse=True)
    previous = 1
    for block in blocks:
        if block.kind not in ("heading", "bold-heading"):
            continue
        rank = sizes.index(block.first.cls) if block.kind == "heading" else len(sizes)
        block.level = min(2 + rank, previous + 1, 6)
        block.kind, previous = "heading", block.level

    out: list[str] = []
    previous_kind = ""
    for block in blocks:
        if block.kind == "heading":
            heading = _escape(block.text)
            heading = re.sub(r"#+$", lambda m: "\\#" * len(m.group(0)), heading)
            out.append(("\n" if out else "") + "#" * block.level + " " + heading)
        elif block.kind == "item":
            out.append(("\n" if out and previous_kind != "item" else "") + _item(block.text))
        else:
            out.append(("\n" if out else "") + _escape_paragraph(block.text))
        previous_kind = block.kind
    body = "\n".join(out).strip() + "\n"

    summary = next((_summary(b.text) for b in blocks if b.kind == "paragraph" and len(b.text.split()) >= 6), "")
    if not summary:
        summary = SUMMARY_PLACEHOLDER
    return Draft(title=" ".join(title.split()), date=date, authors=_authors(text.info.get("Author")),
                 summary=summary, body=body, notes=notes)


def _front_matter(draft: Draft, kind: str, pdf_name: str, source: Path) -> str:
    date = draft.date
    notes = list(draft.notes)
    if date is None:
        date = dt.date.today()
        notes.append("date: none found in the PDF, so today's date stands in; set the report's date")
    data = {
        "title": draft.title,
        "kind": kind,
        "date": date,
        "authors": draft.authors,
        "summary": draft.summary,
        "pdf": pdf_name,
        "draft": True,
    }
    ReportMeta.model_validate(data)  # what we write must be what the build accepts
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    comments = [f"# Imported from {source.name}: a draft to check against the PDF (title, date, authors,",
                "# summary, headings and paragraphs), then remove `draft: true` to publish it."]
    comments += [f"# Check {note}" for note in notes]
    if not draft.authors:
        comments.append("# Check authors: none found in the PDF; add them as a list of names")
    return "---\n" + "\n".join(comments) + "\n" + dumped + "---\n"


def _default_slug(kind: str, title: str, pdf: Path) -> str:
    if kind in SPECIAL_KINDS:
        return kind
    for text in (title, pdf.stem):
        slug = slugify(text)
        if slug != "section" or "section" in text.lower():  # slugify says "section" for no ASCII at all
            return slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]
    return "report"


def _front_matter_of(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            return {}
        data = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))
        return data if isinstance(data, dict) else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


def _check_other_reports(pdf: Path, reports: Path, md: Path, slug: str, kind: str) -> None:
    """An imported report must not clash with another one's slug or special kind."""
    if not reports.is_dir():
        return
    for other in sorted(reports.glob("*.md")):
        if other.name == md.name:
            continue
        meta = _front_matter_of(other)
        if meta.get("slug") == slug:
            raise ReportImportError(f"cannot import {pdf}: {other} already has the slug '{slug}'; "
                                    "choose another with --slug")
        if kind in SPECIAL_KINDS and meta.get("kind") == kind:
            raise ReportImportError(f"cannot import {pdf} as the {kind}: {other} already is one (kind: {kind}) "
                                    "and there can be only one; import it with --kind report, or replace that file")


def import_report(pdf: Path, content: Path, kind: str = "report", slug: str | None = None,
                  force: bool = False) -> Path:
    """Write content/reports/<slug>.md (+ copy the PDF) and return the .md path. Raises ReportImportError."""
    pdf, content = Path(pdf), Path(content)
    if kind not in KINDS:
        raise ReportImportError(f"cannot import {pdf}: the kind must be one of {', '.join(KINDS)}, not '{kind}'")
    if slug is not None and not re.fullmatch(SLUG_PATTERN, slug):
        raise ReportImportError(f"cannot import {pdf}: '{slug}' is not a slug; use lower-case letters, digits "
                                f"and hyphens, e.g. '{slugify(slug)}'")
    if not content.is_dir():
        raise ReportImportError(f"cannot import {pdf}: the content folder {content} does not exist")
    _check_file(pdf)
    draft = _draft(pdf, _read_pdf(pdf))

    slug = slug or _default_slug(kind, draft.title, pdf)
    reports = content / "reports"
    md, copy = reports / f"{slug}.md", reports / f"{slug}.pdf"
    same_file = copy.exists() and os.path.samefile(copy, pdf)
    if not force:
        existing = [p for p in (md, copy) if p.exists() and not (p == copy and same_file)]
        if existing:
            names = " and ".join(str(p) for p in existing)
            raise ReportImportError(f"cannot import {pdf}: {names} already exist{'s' * (len(existing) == 1)}; "
                                    "use --force to overwrite, or --slug to choose another name")
    _check_other_reports(pdf, reports, md, slug, kind)
    text = _front_matter(draft, kind, copy.name, pdf) + "\n" + draft.body

    reports.mkdir(parents=True, exist_ok=True)
    temporary: list[Path] = []
    try:
        if not same_file:
            handle, name = tempfile.mkstemp(prefix=f".{slug}.", suffix=".pdf.tmp", dir=reports)
            os.close(handle)
            temporary.append(Path(name))
            shutil.copyfile(pdf, name)
        handle, name = tempfile.mkstemp(prefix=f".{slug}.", suffix=".md.tmp", dir=reports)
        temporary.append(Path(name))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        for done in temporary:
            os.chmod(done, 0o644)
        if not same_file:
            os.replace(temporary[0], copy)
        os.replace(temporary[-1], md)
    except OSError as exc:
        raise ReportImportError(f"cannot import {pdf}: {md} cannot be written ({exc.strerror or exc})") from None
    finally:
        for leftover in temporary:
            leftover.unlink(missing_ok=True)
    return md
