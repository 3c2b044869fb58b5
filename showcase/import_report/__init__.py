"""Import a PDF report as a draft Markdown report for an editor to review.

`import_report(pdf, content)` writes `content/reports/<slug>.md`, with front matter valid for `ReportMeta`
and `draft: true`, beside a copy of the PDF as `content/reports/<slug>.pdf`. The steps, one module each:

1. `reading`  the PDF's lines with their fonts and positions (pdfminer.six), within `limits`, pieces of
              justified lines joined again (`page`);
2. `furniture` running headers, footers and page numbers removed; then `page` puts each page's lines
              in reading order;
3. `guess`    the title (not the heading that may follow it in the same type), the date and the authors;
4. `layout`   headings, paragraphs and list items, each re-flowed into one text;
5. `draft`    the Markdown body and the summary;
6. `write`    the front matter, the slug, and the files put in place.

Every step is linear (or n log n) in the number of lines. Any problem is a `ReportImportError` whose
message is one line naming the file.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..field_types import SLUG_PATTERN
from ..slugs import slugify
from .draft import make_draft
from .layout import Joiner
from .model import Line, ReportImportError
from .reading import check_file, read_pdf
from .write import (
    check_inside,
    check_other_reports,
    default_slug,
    front_matter,
    write_report,
)

__all__ = ["KINDS", "Joiner", "Line", "ReportImportError", "import_report"]

KINDS = ("final-report", "impact-statement", "report")


def import_report(pdf: Path, content: Path, kind: str = "report", slug: str | None = None,
                  force: bool = False) -> Path:
    """Write content/reports/<slug>.md (+ copy the PDF) and return the .md path. Raises ReportImportError."""
    pdf, content = Path(pdf), Path(content)
    if kind not in KINDS:
        raise ReportImportError(f"cannot import {pdf}: the kind must be one of {', '.join(KINDS)}, not '{kind}'",
                                exit_status=2)
    if slug is not None and not re.fullmatch(SLUG_PATTERN, slug):
        raise ReportImportError(f"cannot import {pdf}: '{slug}' is not a slug; use lower-case letters, digits "
                                f"and hyphens, e.g. '{slugify(slug)}'", exit_status=2)
    if not content.is_dir():
        raise ReportImportError(f"cannot import {pdf}: the content folder {content} does not exist", exit_status=2)
    size = check_file(pdf)
    draft = make_draft(pdf, read_pdf(pdf, size))

    slug = slug or default_slug(kind, draft.title, pdf)
    reports = content / "reports"
    check_inside(pdf, content, reports)
    md, copy = reports / f"{slug}.md", reports / f"{slug}.pdf"
    if not force:
        existing = [p for p in (md, copy) if p.exists() and not (p == copy and _same_file(copy, pdf))]
        if existing:
            names = " and ".join(str(p) for p in existing)
            raise ReportImportError(f"cannot import {pdf}: {names} already exist{'s' * (len(existing) == 1)}; "
                                    "use --force to overwrite, or --slug to choose another name", exit_status=2)
    check_other_reports(pdf, reports, md, slug, kind)
    try:
        text = front_matter(draft, kind, copy.name, pdf) + "\n" + draft.body
    except ValueError as exc:  # pydantic's ValidationError: what was recovered is not a valid report
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReportImportError(f"cannot import {pdf}: the draft made from it would not be a valid report "
                                f"({reason})") from None
    return write_report(pdf, reports, slug, text)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
