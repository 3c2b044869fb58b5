"""Guessing the report's title, date and authors from its first page and its document information."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

from ..dates_in_words import DAY, MONTH, MONTHS
from ..slugs import slugify
from .layout import Layout
from .model import Line

# --- title ---------------------------------------------------------------------------------------------


def guess_title(first_page: list[Line], layout: Layout, info: dict[str, str],
                pdf: Path) -> tuple[str, list[Line], list[str]]:
    """The title, the lines of the page it was read from (not to repeat in the body) and what to check.

    The metadata's title if it says something, else the first run of lines in the largest type of the
    first page (or in bold if none is larger), else a short first line, else the file's name. The run
    stops where a heading set in the same type begins (see `_title_run`), unless the metadata's title
    says exactly where."""
    notes: list[str] = []
    biggest = max(line.cls for line in first_page)
    start = next((i for i, line in enumerate(first_page)
                  if line.cls == biggest and (layout.is_big(line) or line.bold)), None)
    same = [] if start is None else _same_type(first_page[start:], layout)
    title_lines = _title_run(same, layout) if same else []
    layout_title = " ".join(line.text for line in title_lines)
    meta_title = info.get("Title")
    if meaningful_title(meta_title, pdf):
        title = meta_title or ""
        exact = next((same[:k] for k in range(1, len(same) + 1)
                      if slugify(" ".join(line.text for line in same[:k])) == slugify(title)), None)
        if exact:
            title_lines = exact
        elif layout_title and not similar(title, layout_title):
            title_lines = []  # the big text says something else: keep it in the body
    elif layout_title:
        title = layout_title
        if not layout.is_big(title_lines[0]):
            notes.append("title: taken from the first bold line of the PDF; check it")
    else:
        short = next((line.text for line in first_page if len(line.text.split()) <= 15), "")
        title = short or re.sub(r"[_-]+", " ", pdf.stem).strip() or "Imported report"
        notes.append("title: guessed from the first line of the PDF; check it")
    return " ".join(title.split()), title_lines, notes


def _same_type(lines: list[Line], layout: Layout) -> list[Line]:
    """lines[0] and the lines after it in its type, each at most two sizes below the one before (eight at most)."""
    run = lines[:1]
    for line in lines[1:8]:
        if layout.style(line) != layout.style(run[0]) or not 0 < run[-1].y0 - line.y0 <= 2 * line.size:
            break
        run.append(line)
    return run


_SECTION = re.compile(r"^(?:(?:chapter|section|part)\s+\w+\b|\d+(?:\.\d+)*\.?\s|[ivx]+[.)]\s|[a-z][.)]\s)"
                      r"|^(?:executive\s+)?(?:introduction|summary|foreword|preface|abstract|background|contents"
                      r"|table of contents|overview|acknowledge?ments|key findings|about this report)\W*$", re.I)


def _title_run(lines: list[Line], layout: Layout) -> list[Line]:
    """The lines of the title among `lines` (one type): from the first, those that go on in its spacing and
    alignment.

    A title page often carries the first heading too, and a word processor may set it in the title's
    type: the run stops at a line set further below than the title's own lines are apart, at a line
    aligned otherwise (a centred title, a heading at the left margin), and at a line that reads as a
    heading ("1 Introduction", "Summary") in a type that headings elsewhere in the document use."""
    run = lines[:1]
    ratio = max(1.45, layout.leading / layout.body + 0.15)
    for line in lines[1:]:
        gap = run[-1].y0 - line.y0
        allowed = ratio * line.size if len(run) == 1 else run[0].y0 - run[1].y0 + 0.15 * line.size
        if gap > allowed or not _aligned(run[-1], line):
            break
        if _SECTION.match(line.text) and layout.styles[layout.style(line)] > len(run) + 1:
            break  # more lines have this type than the title and this one: a heading's type
        run.append(line)
    return run


def _aligned(a: Line, b: Line) -> bool:
    """Whether two lines share a left edge, a centre or a right edge."""
    reach = a.size
    return (abs(a.x0 - b.x0) <= reach or abs(a.x1 - b.x1) <= reach
            or abs((a.x0 + a.x1) - (b.x0 + b.x1)) <= 2 * reach)


def meaningful_title(title: str | None, pdf: Path) -> bool:
    """Whether a metadata title says something (not "Untitled", "Microsoft Word - x.docx", a file name)."""
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


def similar(a: str, b: str) -> bool:
    a, b = " ".join(slugify(a).split("-")), " ".join(slugify(b).split("-"))
    return a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() > 0.8


# --- date ----------------------------------------------------------------------------------------------

_DATES = [
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), lambda m: (m[1], m[2], m[3])),
    (re.compile(r"\b" + DAY + r"\s+" + MONTH + r",?\s+(\d{4})\b", re.I), lambda m: (m[3], MONTHS[m[2].lower()], m[1])),
    (re.compile(r"\b" + MONTH + r"\s+" + DAY + r",\s*(\d{4})\b", re.I), lambda m: (m[3], MONTHS[m[1].lower()], m[2])),
    (re.compile(r"\b" + MONTH + r",?\s+(\d{4})\b", re.I), lambda m: (m[2], MONTHS[m[1].lower()], 1)),
]
_YEARS = (1900, 2200)  # a report's year, not a typing slip or a placeholder (0001, 9999)
_DATE_LABEL = re.compile(r"^(?:published|publication date|date|dated|issued|updated|version|first published)?"
                         r"\s*(?:on|in)?\s*[:,–—-]?\s*$", re.I)


def guess_date(first_page: list[Line], used: set[int],
               info: dict[str, str]) -> tuple[dt.date | None, Line | None, list[str]]:
    """The date, the line it was read from if that line says nothing else, and what to check.

    A short line of the first page that is a date, else when the PDF was made (its metadata)."""
    for line in first_page:
        if id(line) in used or len(line.text.split()) > 8:
            continue
        found = find_date(line.text)
        if found:
            date, rest = found
            return date, (line if _DATE_LABEL.match(rest) else None), []
    date = pdf_date(info.get("CreationDate")) or pdf_date(info.get("ModDate"))
    if date is None:
        return None, None, []
    return date, None, ["date: when the PDF was made, not a date printed in it; check it"]


def find_date(text: str) -> tuple[dt.date, str] | None:
    """The first date written in the text, and the text left around it. A date that does not exist ("31st
    February 2017") is no date: not read again as its month and year."""
    impossible: list[tuple[int, int]] = []
    for pattern, parts in _DATES:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in impossible):
                continue
            year, month, day = (int(p) for p in parts(match))
            if not _YEARS[0] <= year <= _YEARS[1]:
                continue
            try:
                date = dt.date(year, month, day)
            except ValueError:
                impossible.append(match.span())
                continue
            return date, (text[: match.start()] + " " + text[match.end():]).strip()
    return None


def pdf_date(value: str | None) -> dt.date | None:
    """A PDF date string, `D:YYYYMMDDHHmmSS...`, or a plain date."""
    if not value:
        return None
    match = re.match(r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?", value)
    if match and value[match.end():match.end() + 1] not in ("-", "/", "."):  # not the start of 2023-02-30
        try:
            date = dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
        except ValueError:
            return None  # a date that does not exist
        return date if _YEARS[0] <= date.year <= _YEARS[1] else None
    found = find_date(value)
    return found[0] if found else None


# --- authors -------------------------------------------------------------------------------------------

_NOT_AUTHORS = {"anonymous", "unknown", "user", "admin", "administrator", "owner", "author", "microsoft office user",
                "reportlab", "unspecified"}


def guess_authors(value: str | None) -> list[str]:
    """The names in the metadata's Author ("A; B", "A and B", "A, B" when each has a space)."""
    if not value or value.strip().strip("()").lower() in _NOT_AUTHORS:
        return []
    parts = [p.strip() for p in re.split(r";|\s+&\s+|\s+and\s+", value) if p.strip()]
    split = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        split.extend(pieces if len(pieces) > 1 and all(" " in p for p in pieces) else [part])
    return [p for p in split if p.strip("()").lower() not in _NOT_AUTHORS]
