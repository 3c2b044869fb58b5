"""Importing a PDF report: real multi-page PDFs made here, read back into a draft that builds."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import textwrap
import zlib
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate, Paragraph

from showcase.cli import main
from showcase.content_models import ReportMeta
from showcase.import_report import Joiner, Line, ReportImportError, import_report
from showcase.import_report import limits
from showcase.import_report.page import merge_fragments
from showcase.sources import split_front_matter


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder by its bytes' digest (to prove nothing changed)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 72.0, WIDTH - 72.0, HEIGHT - 80.0, 80.0
HEADER = "Making Together · Final report 2024"
TITLE = "Making Together: Final Report"

#          font,             size, leading, space before
STYLES = {
    "title": ("Helvetica-Bold", 24, 30, 0),
    "date": ("Helvetica", 12, 16, 6),
    "h2": ("Helvetica-Bold", 16, 20, 16),
    "h2 in the title's type": ("Helvetica-Bold", 24, 30, 0),
    "title, loosely set": ("Helvetica-Bold", 24, 30, 12),
    "h3": ("Helvetica-Bold", 13, 17, 12),
    "h4": ("Helvetica-Bold", 11, 14, 10),
    "p": ("Helvetica", 11, 14, 8),
    "li": ("Helvetica", 11, 14, 4),
}
LEVELS = {"h2": 2, "h2 in the title's type": 2, "h3": 3, "h4": 4}

WORDS = (
    "people met every week in a shared studio to make music clay film and stories together with artists "
    "and researchers from the programme while carers nurses and volunteers joined the sessions as equals "
    "the work asked what creative practice can offer to recovery and how mutual support grows in groups "
    "that meet over many months sharing skills food worries and small victories along the way"
).split()


def sentences(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
        if rng.random() < 0.4:
            words[rng.randint(2, len(words) - 3)] += ","
        out.append(" ".join(words).capitalize() + ".")
    return out


@dataclass
class Made:
    """A PDF made by `make_pdf` and what was put into it."""

    path: Path
    headings: list[tuple[int, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    pages: int = 0
    split_paragraphs: int = 0  # paragraphs that go on over a page break


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking; a word written `partici|patory` (or `community-|led`) is broken at a line end
    there with a hyphen."""
    lines, current = [], ""
    for word in text.split():
        if "|" in word:
            head, tail = word.split("|")
            lines.append(f"{current} {head.removesuffix('-')}-".strip())
            current = tail
            continue
        trial = f"{current} {word}".strip()
        if current and stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


def make_pdf(path: Path, blocks: list[tuple[str, str]], footer: str = "{n}", header: str = HEADER,
             title: str | None = None, author: str | None = None, title_page_furniture: bool = True) -> Made:
    """Lay out blocks on A4 pages as a word processor would, with a running header and footer (each may
    hold the page's number as {n}, and a header "left | right" goes to the outer side of a spread); the
    first page without them if not `title_page_furniture`."""
    made = Made(path)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)  # invariant: CreationDate 2000-01-01
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    page = 1

    def furniture() -> None:
        if page == 1 and not title_page_furniture:
            return
        pdf.setFont("Helvetica", 9)
        if " | " in header:  # on the outer side: even pages on the left, odd pages on the right
            words = header.format(n=page).split(" | ")
            (pdf.drawString(LEFT, HEIGHT - 45, words[0]) if page % 2 == 0
             else pdf.drawRightString(RIGHT, HEIGHT - 45, words[1]))
        elif header:
            pdf.drawString(LEFT, HEIGHT - 45, header.format(n=page))
        pdf.drawCentredString(WIDTH / 2, 40, footer.format(n=page))

    def new_page() -> None:
        nonlocal page, y
        pdf.showPage()
        page += 1
        furniture()
        y = TOP

    y = TOP
    furniture()
    for style, text in blocks:
        if style == "break":  # a page break
            new_page()
            continue
        font, size, leading, before = STYLES[style]
        indent = 14 if style == "li" else 0
        lines = wrap(text.removeprefix("• "), font, size, RIGHT - LEFT - indent)
        keep = 3 if style in LEVELS else 1  # a heading is not left alone at the foot of a page
        if y - before - keep * leading < BOTTOM:
            new_page()
        elif y != TOP:
            y -= before
        start_page = page
        for number, line in enumerate(lines):
            if y - leading < BOTTOM:
                new_page()
            y -= leading
            pdf.setFont(font, size)
            if style == "li" and number == 0:
                pdf.drawString(LEFT, y, "•")
            pdf.drawString(LEFT + indent, y, line)
        plain = text.replace("|", "")
        if style in LEVELS:
            made.headings.append((LEVELS[style], plain))
        elif style == "p":
            made.paragraphs.append(plain)
            made.split_paragraphs += page != start_page
        elif style == "li":
            made.items.append(plain.removeprefix("• "))
    pdf.save()
    made.pages = page
    return made


def report_blocks(seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)

    def para(count: int, extra: str = "") -> tuple[str, str]:
        parts = sentences(rng, count)
        if extra:
            parts.insert(len(parts) // 2, extra)
        return ("p", " ".join(parts))

    return [
        ("title", TITLE),
        ("date", "Published March 2024"),
        ("h2", "1 Introduction"),
        para(6, "This community-led programme ran for five years."),
        para(5),
        ("h3", "1.1 How we worked"),
        para(4, "Sessions were open and the approach was partici|patory from the first week."),
        para(7),
        ("h4", "A note on method"),
        para(5),
        ("li", "• Weekly sessions in the studio."),
        ("li", ("• Open evenings where people brought friends, family and carers to see what the groups had "
                "made over the term, and to join in.")),
        ("li", "• A shared meal."),
        ("h2", "2 What we found"),
        ("h3", "2.1 Findings"),
        para(8, "Groups that were truly community-|led kept meeting after the funding ended."),
        para(6),
        para(7),
        ("h3", "2.2 Limits of the study"),
        para(9),
        para(5),
        ("h2", "3 Recommendations"),
        para(8),
        para(6),
        para(9),
        para(4),
    ]


def typeset_pdf(path: Path, columns: int, indent: float, space_after: float, seed: int) -> tuple[str, list[str]]:
    """A justified report typeset by reportlab's own layout engine, in one or two columns."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], alignment=TA_JUSTIFY, fontSize=10, leading=13,
                          firstLineIndent=indent, spaceBefore=0, spaceAfter=space_after)
    margin, gap = 56.0, 18.0
    width = (WIDTH - 2 * margin - gap * (columns - 1)) / columns
    frames = [Frame(margin + i * (width + gap), margin, width, HEIGHT - 2 * margin, id=str(i)) for i in range(columns)]

    def furniture(pdf, doc) -> None:
        pdf.saveState()
        pdf.setFont("Helvetica", 8)
        pdf.drawString(margin, HEIGHT - 36, "Arts on Prescription")
        pdf.drawRightString(WIDTH - margin, 30, f"Page {doc.page}")
        pdf.restoreState()

    rng = random.Random(seed)
    paragraphs = [" ".join(sentences(rng, rng.randint(3, 9))) for _ in range(16)]
    title = "Arts on Prescription: An Evaluation"
    story = [Paragraph(title, styles["Title"]), Paragraph("12 June 2023", styles["Normal"])]
    story += [Paragraph(text, body) for text in paragraphs]
    BaseDocTemplate(str(path), pagesize=A4, invariant=True,
                    pageTemplates=[PageTemplate(frames=frames, onPage=furniture)]).build(story)
    return title, paragraphs


def body_of(md: Path) -> tuple[ReportMeta, str]:
    source = split_front_matter(md.read_text(encoding="utf-8"))
    return ReportMeta.model_validate(source.front_matter.data), source.body


def blocks_of(body: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]


def headings_of(body: str) -> list[tuple[int, str]]:
    return [(len(m[1]), m[2]) for m in re.finditer(r"^(#{1,6}) (.+)$", body, re.M)]


def paragraphs_of(body: str) -> list[str]:
    return [b for b in blocks_of(body) if not b.startswith(("#", "- ", "1. "))]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    write(folder / "site.yaml", """
        title: Making Together
        description: Stories and artworks from a community arts programme.
        language: en-GB
        support:
          - name: Samaritans
            phone: "116 123"
        """)  # (without support lines or a get-support page the theme's "Get support" link is broken)
    return folder


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Made:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "Final report (print).pdf", report_blocks())


# --- what comes out of a real report ------------------------------------------------------------------


def test_the_test_pdf_is_what_the_importer_must_handle(made: Made):
    assert made.pages >= 3
    assert made.split_paragraphs >= 1  # a paragraph goes on over a page break
    assert len(made.paragraphs) >= 12


@pytest.mark.parametrize("footer", ["{n}", "Page {n}", "- {n} -", "Page {n} of 9"])
def test_headings_paragraphs_and_front_matter(made: Made, content: Path, tmp_path: Path, footer: str):
    pdf = made.path if footer == "{n}" else make_pdf(tmp_path / "in.pdf", report_blocks(), footer=footer).path
    md = import_report(pdf, content, kind="final-report")
    assert md == content / "reports" / "final-report.md"
    meta, body = body_of(md)

    assert headings_of(body) == made.headings
    assert paragraphs_of(body) == made.paragraphs  # each one paragraph, in order, words exact
    assert "participatory" in body and "partici-" not in body
    assert body.count("community-led") == 2  # a compound hyphen at a line end is kept
    items = [line[2:] for line in body.splitlines() if line.startswith("- ")]
    assert items == made.items

    assert "Making Together ·" not in body and "Final report 2024" not in body
    assert not re.search(r"^\s*(page\s*)?[-\s]*\d+[-\s]*(of \d+)?$", body, re.I | re.M)
    assert TITLE not in body and "Published March 2024" not in body

    assert meta.title == TITLE
    assert meta.kind == "final-report"
    assert meta.date == dt.date(2024, 3, 1)
    assert meta.draft is True
    assert meta.pdf == "final-report.pdf"
    assert meta.summary and made.paragraphs[0].startswith(meta.summary)
    assert (content / "reports" / "final-report.pdf").read_bytes() == pdf.read_bytes()


def test_the_imported_report_builds(made: Made, content: Path, tmp_path: Path):
    import_report(made.path, content, kind="final-report")
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--drafts"]) == 0
    page = (out / "final-report" / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{TITLE}</h1>" in re.sub(r"<h1[^>]*>", "<h1>", page)
    for level, heading in made.headings:  # the page title is h1, so the report's own levels stand
        assert re.search(rf"<h{level}[^>]*>{re.escape(heading)}\s*<", page), heading
    assert "final-report.pdf" in page
    assert list(out.rglob("final-report.pdf"))


def test_without_drafts_the_imported_report_is_not_published(made: Made, content: Path, tmp_path: Path):
    import_report(made.path, content, kind="final-report")
    out = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(out)]) == 0
    assert not (out / "final-report" / "index.html").exists()


@pytest.mark.parametrize(("columns", "indent", "space_after"), [(1, 18, 0), (2, 0, 6), (2, 12, 0)])
def test_justified_text_indents_and_two_columns(content: Path, tmp_path: Path, columns, indent, space_after):
    # justified lines have wide spaces, paragraphs are marked by an indent or by space, and a paragraph
    # goes on from the foot of one column to the top of the next
    title, paragraphs = typeset_pdf(tmp_path / "typeset.pdf", columns, indent, space_after, seed=columns + indent)
    md = import_report(tmp_path / "typeset.pdf", content)
    meta, body = body_of(md)
    assert (meta.title, meta.date) == (title, dt.date(2023, 6, 12))
    assert paragraphs_of(body) == paragraphs
    assert headings_of(body) == []


# --- every word kept, whatever made the PDF ----------------------------------------------------------------
# Reports made several ways: reportlab's layout engine with the first heading on the title page in the
# title's own type and paragraphs going on over page breaks, two columns under a title across the page,
# running headers and page numbers in their usual places, and a page printed by Chromium. In each draft every
# heading is a Markdown heading of its level, every sentence of the PDF is in the body once, and nothing of
# the headers, footers and page numbers is.


def sentences_in(texts: list[str]) -> list[str]:
    """The sentences of the texts put into a PDF, as they read."""
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text.replace("|", "")) if s]


def normalised(text: str) -> str:
    """Text compared as read: Markdown escapes, soft hyphens and line-end hyphens undone, spaces single."""
    text = re.sub(r"\\(.)", r"\1", text.replace("\u00ad", ""))
    return " ".join(re.sub(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])", "", text).split())


def assert_every_sentence_once(texts: list[str], body: str) -> None:
    """Each sentence of `texts` is in the draft's body exactly once, inside one of its blocks (a sentence
    cut in two by a page break, a column break or a running header would be in none)."""
    blocks = [normalised(block) for block in blocks_of(body)]
    wrong = {}
    for sentence in sentences_in(texts):
        found = sum(block.count(normalised(sentence)) for block in blocks)
        if found != 1:
            wrong[sentence] = found
    assert not wrong, f"sentences found other than once: {wrong}"


PAGE_NUMBER = re.compile(r"^\W*(page\s*)?\d+(\s*(of|/)\s*\d+)?\W*$", re.I | re.M)


def assert_no_furniture(body: str, *furniture: str) -> None:
    for words in furniture:
        assert words not in body, words
    assert not PAGE_NUMBER.search(body), PAGE_NUMBER.search(body)


def page_count(pdf: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with pdf.open("rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))


def straddling(pdf: Path, texts: list[str]) -> list[str]:
    """The sentences that the PDF begins on one page and ends on another (read by pdfminer alone)."""
    from pdfminer.high_level import extract_text

    pages = extract_text(str(pdf)).split("\f")
    return [s for s in sentences_in(texts) if not any(normalised(s) in normalised(page) for page in pages)]


@dataclass
class Typeset:
    """A PDF typeset by reportlab's layout engine and what went into it."""

    path: Path
    title: str
    headings: list[tuple[int, str]]
    paragraphs: list[str]
    furniture: tuple[str, ...]


def typeset_report(path: Path, *, seed: int = 3, layout: str = "centred", first: str = "1 Introduction",
                   metadata: bool = False, columns: int = 1) -> Typeset:
    """A report from reportlab's layout engine whose title page carries the first heading, set in the
    title's type (18 pt bold: reportlab's Title and Heading1 styles), with subheadings, paragraphs going on
    over page breaks, a running header and page numbers from the second page on. `layout`: "centred" (the
    Title style), "left" (a title at the left margin like the heading under it) or "tight" (that, and
    no more space between title and heading than between the title's own lines). With `columns` 2, the
    title stands across the page and the text below it is set in two justified columns."""
    styles = getSampleStyleSheet()
    title_style = styles["Title"]
    if layout != "centred":
        title_style = ParagraphStyle("left", parent=title_style, alignment=0,
                                     spaceAfter=0 if layout == "tight" else 6)
    body = ParagraphStyle("body", parent=styles["BodyText"], alignment=TA_JUSTIFY if columns == 2 else 0)
    rng = random.Random(seed)
    title = "Singing Together: An Evaluation of Group Singing on Three Wards"
    story: list = [Paragraph("12 June 2023", styles["Normal"]), Paragraph(title, title_style)]
    headings, paragraphs = [], []
    for number, name in enumerate([first, "2 What we did", "3 What we found"], 1):
        story.append(Paragraph(name, styles["Heading1"]))
        headings.append((2, name))
        for part in range(1, 3):
            if number > 1:
                sub = f"{number}.{part} " + ("Who came", "How it felt")[part - 1]
                story.append(Paragraph(sub, styles["Heading2"]))
                headings.append((3, sub))
            for _ in range(rng.randint(2, 3)):
                paragraphs.append(" ".join(sentences(rng, rng.randint(4, 9))))
                story.append(Paragraph(paragraphs[-1], body))
    header = "Singing Together · evaluation report"

    def furniture(pdf, doc) -> None:
        if doc.page > 1:  # the title page has none
            pdf.saveState()
            pdf.setFont("Helvetica", 8)
            pdf.drawString(56, HEIGHT - 36, header)
            pdf.drawCentredString(WIDTH / 2, 30, f"Page {doc.page}")
            pdf.restoreState()

    margin, gap = 56.0, 18.0
    width = (WIDTH - 2 * margin - gap * (columns - 1)) / columns
    if columns == 1:
        templates = [PageTemplate(frames=[Frame(margin, margin, WIDTH - 2 * margin, HEIGHT - 2 * margin)],
                                  onPage=furniture)]
    else:  # the title across the top of the first page, two columns under it and on every other page
        top = 110.0
        below = HEIGHT - 2 * margin - top
        templates = [PageTemplate("first", [Frame(margin, HEIGHT - margin - top, WIDTH - 2 * margin, top)] + [
            Frame(margin + i * (width + gap), margin, width, below) for i in range(2)], onPage=furniture),
                     PageTemplate("later", [Frame(margin + i * (width + gap), margin, width, HEIGHT - 2 * margin)
                                            for i in range(2)], onPage=furniture)]
        story[2:2] = [NextPageTemplate("later"), FrameBreak()]
    BaseDocTemplate(str(path), pagesize=A4, invariant=True, pageTemplates=templates,
                    **({"title": title} if metadata else {})).build(story)
    return Typeset(path, title, headings, paragraphs, (header,))


@pytest.mark.parametrize(("layout", "first", "metadata", "columns"), [
    ("centred", "1 Introduction", False, 1),
    ("centred", "1 Introduction", True, 1),  # the metadata names the title: the heading is still not in it
    ("left", "1 Introduction", False, 1),
    ("tight", "1 Introduction", False, 1),  # only the heading's number and type tell it from the title
    ("tight", "Introduction", False, 1),  # ... or its name and type
    ("tight", "Introduction", True, 1),
    ("centred", "1 Introduction", False, 2),
])
def test_the_first_heading_on_the_title_page_and_paragraphs_over_page_breaks(content: Path, tmp_path: Path, layout,
                                                                            first, metadata, columns):
    made = typeset_report(tmp_path / "report.pdf", layout=layout, first=first, metadata=metadata, columns=columns)
    assert straddling(made.path, made.paragraphs), "no sentence goes on over a page or column break"
    meta, body = body_of(import_report(made.path, content))
    assert meta.title == made.title
    assert meta.date == dt.date(2023, 6, 12)
    assert headings_of(body) == made.headings
    assert body.lstrip().startswith(f"## {first}\n")  # the first thing in the body
    assert_every_sentence_once(made.paragraphs, body)
    assert_no_furniture(body, *made.furniture)


def test_running_headers_with_page_numbers_and_headings_at_the_top_of_pages(content: Path, tmp_path: Path):
    # the header says the page's number on the outer side of each spread; headings open pages, numbered
    # as pages are (Case study 1 on page 3, Case study 2 on page 4...), yet they are headings, and stay
    rng = random.Random(8)
    blocks: list[tuple[str, str]] = [("title", TITLE), ("date", "Published March 2024"), ("h2", "1 Introduction")]
    blocks += [("p", " ".join(sentences(rng, 9))) for _ in range(6)] + [("h3", "1.1 Case studies")]
    blocks += [("p", " ".join(sentences(rng, 3)))]
    for number in range(1, 5):
        blocks += [("break", ""), ("h4", f"Case study {number}")]
        blocks += [("p", " ".join(sentences(rng, rng.randint(4, 8)))) for _ in range(3)]
    made = make_pdf(tmp_path / "in.pdf", blocks, header="Making Together, page {n} | Final report 2024 · {n}",
                    footer="- {n} -")
    assert made.pages == 6 and made.split_paragraphs >= 1
    meta, body = body_of(import_report(made.path, content))
    assert meta.title == TITLE
    assert headings_of(body) == made.headings
    assert [text for level, text in made.headings if level == 4] == [f"Case study {n}" for n in range(1, 5)]
    assert_every_sentence_once(made.paragraphs, body)
    assert_no_furniture(body, "Making Together,", "Final report 2024")


def test_a_header_that_the_title_page_does_not_have(content: Path, tmp_path: Path):
    # two pages: the title page without furniture, the second with its header and its footer (which says
    # the page's number); a sentence goes on from one to the other, and the header between its halves is
    # not part of it
    rng = random.Random(4)
    blocks = [("title", TITLE), ("h2", "1 Introduction")] + [("p", " ".join(sentences(rng, 9))) for _ in range(5)]
    made = make_pdf(tmp_path / "in.pdf", blocks, footer="Final report, page {n}", title_page_furniture=False)
    assert made.pages == 2 and made.split_paragraphs == 1
    _, body = body_of(import_report(made.path, content))
    assert headings_of(body) == made.headings
    assert paragraphs_of(body) == made.paragraphs
    assert_every_sentence_once(made.paragraphs, body)
    assert_no_furniture(body, HEADER, "Final report, page")


def test_a_title_in_the_type_of_the_headings(content: Path, tmp_path: Path):
    # a word processor's title set as its first-level headings are, with no more space after it than
    # between its lines: the heading under it begins where its number and the headings' type say so
    rng = random.Random(5)
    blocks = [("title", "Making Together:"), ("title", "A Final Report"), ("h2 in the title's type", "1 Introduction")]
    blocks += [("p", " ".join(sentences(rng, 8))) for _ in range(4)]
    blocks += [("h2 in the title's type", "2 Findings")] + [("p", " ".join(sentences(rng, 8))) for _ in range(3)]
    made = make_pdf(tmp_path / "in.pdf", blocks)
    meta, body = body_of(import_report(made.path, content))
    assert meta.title == "Making Together: A Final Report"
    assert headings_of(body) == made.headings == [(2, "1 Introduction"), (2, "2 Findings")]
    assert_every_sentence_once(made.paragraphs, body)


def test_a_title_set_loosely_is_taken_whole_when_the_metadata_names_it(content: Path, tmp_path: Path):
    rng = random.Random(9)
    blocks = [("title", "Making Together:"), ("title, loosely set", "A Final Report"), ("h2", "1 Introduction")]
    blocks += [("p", " ".join(sentences(rng, 8))) for _ in range(3)]
    made = make_pdf(tmp_path / "in.pdf", blocks, title="Making Together: A Final Report")
    meta, body = body_of(import_report(made.path, content))
    assert meta.title == "Making Together: A Final Report"
    assert headings_of(body) == [(2, "1 Introduction")] and "Final Report" not in body
    assert_every_sentence_once(made.paragraphs, body)


CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")


def print_with_chromium(html: str, pdf: Path) -> Path:
    """A page printed to PDF by Chromium, with its own header (date and title) and footer (address and
    page n/N) on every page. Skipped without Chromium (a failure under CI=true, as in tests/browser)."""
    chromium = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if not chromium:
        message = "Chromium is needed to print a PDF the way a browser does (apt-get install chromium)"
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
            pytest.fail(message + " (CI=true, so this is a failure, not a skip)", pytrace=False)
        pytest.skip(message)
    source = pdf.with_suffix(".html")
    source.write_text(html, encoding="utf-8")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={pdf.parent / 'chromium-profile'}", f"--print-to-pdf={pdf}", source.as_uri()],
                   capture_output=True, timeout=120, check=True)
    return pdf


def test_a_report_printed_by_a_browser(content: Path, tmp_path: Path):
    # Chromium's own PDF writer: the title and the first heading in one type, two-column stretches
    # (CSS columns) between headings, justified text, and the browser's header and footer on every page
    rng = random.Random(6)
    title = "Singing Together: An Evaluation"
    parts, headings, paragraphs = [f"<h1>{title}</h1>", "<p>12 June 2023</p>"], [], []
    for number, name in enumerate(["Introduction", "What we did", "What we found", "Next steps"], 1):
        parts.append(f"<h2>{number} {name}</h2>")
        headings.append((2, f"{number} {name}"))
        columns = number % 2 == 0
        parts.append("<div class=columns>" if columns else "<div>")
        for part in range(1, 3):
            if number > 1:
                parts.append(f"<h3>{number}.{part} Part {part}</h3>")
                headings.append((3, f"{number}.{part} Part {part}"))
            for _ in range(rng.randint(2, 3)):
                paragraphs.append(" ".join(sentences(rng, rng.randint(4, 9))))
                parts.append(f"<p>{paragraphs[-1]}</p>")
        parts.append("</div>")
    css = ("body { font: 11pt/1.4 sans-serif } h1, h2 { font-size: 16pt; margin: 0 0 6pt } h2 { margin-top: 14pt } "
           "h3 { font-size: 12.5pt; margin: 10pt 0 4pt } p { text-align: justify; margin: 0 0 8pt } "
           ".columns { column-count: 2; column-gap: 18pt }")
    html = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title><style>{css}</style>"
            f"</head><body>{''.join(parts)}</body></html>")
    pdf = print_with_chromium(html, tmp_path / "printed.pdf")
    assert page_count(pdf) >= 3 and straddling(pdf, paragraphs)
    meta, body = body_of(import_report(pdf, content))
    assert meta.title == title and meta.date == dt.date(2023, 6, 12)
    assert headings_of(body) == headings
    assert_every_sentence_once(paragraphs, body)
    assert_no_furniture(body, title, "file://")
    assert not re.search(r"\d+/\d+/\d+, \d+:\d+", body)  # the date and time of printing


def test_report_slug_comes_from_the_title(made: Made, content: Path):
    md = import_report(made.path, content)
    assert md.name == "making-together-final-report.md"
    meta, _ = body_of(md)
    assert meta.kind == "report" and meta.pdf == "making-together-final-report.pdf"
    assert (content / "reports" / "making-together-final-report.pdf").exists()


def test_given_slug_and_impact_statement(made: Made, content: Path):
    assert import_report(made.path, content, kind="impact-statement").name == "impact-statement.md"
    md = import_report(made.path, content, slug="year-one")
    assert md == content / "reports" / "year-one.md"
    assert body_of(md)[0].pdf == "year-one.pdf"


def test_metadata_title_and_authors_are_used(content: Path, tmp_path: Path):
    blocks = [("title", "Cover words"), ("h2", "Background"), ("p", " ".join(sentences(random.Random(1), 5)))]
    pdf = make_pdf(tmp_path / "x.pdf", blocks, title="Singing Together: An Evaluation",
                   author="Ada Lovelace; Sam Carter").path
    md = import_report(pdf, content)
    meta, body = body_of(md)
    assert md.name == "singing-together-an-evaluation.md"
    assert meta.title == "Singing Together: An Evaluation"
    assert [a.name for a in meta.authors] == ["Ada Lovelace", "Sam Carter"]
    assert headings_of(body) == [(2, "Cover words"), (3, "Background")]  # big text that is not the title stays
    assert meta.date == dt.date(2000, 1, 1)  # no date printed: when the PDF was made
    assert "# Check date" in md.read_text(encoding="utf-8")


def test_dates_written_in_other_ways(content: Path, tmp_path: Path):
    for written, expected in [("2023-11-05", dt.date(2023, 11, 5)), ("5th November 2023", dt.date(2023, 11, 5)),
                              ("Date: Sept 2021", dt.date(2021, 9, 1)), ("November 5, 2023", dt.date(2023, 11, 5))]:
        blocks = [("title", "A Year of Clay"), ("date", written), ("p", " ".join(sentences(random.Random(2), 4)))]
        pdf = make_pdf(tmp_path / "d.pdf", blocks).path
        md = import_report(pdf, content, force=True)
        meta, body = body_of(md)
        assert meta.date == expected, written
        assert written not in body


def test_markdown_characters_in_the_text_stay_text(content: Path, tmp_path: Path):
    text = "Scores were 3 * 4 and <b>bold</b> [not a link](x.md) with file_name and `code` here."
    pdf = make_pdf(tmp_path / "m.pdf", [("title", "Odd Text"), ("p", text), ("p", "# not a heading at all")]).path
    md = import_report(pdf, content)
    out = content.parent / "site"
    assert main(["build", "--content", str(content), "--out", str(out), "--drafts"]) == 0
    page = (out / "reports" / "odd-text" / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "[not a link](x.md)" in page and "file_name" in page
    assert "# not a heading at all" in page
    assert headings_of(body_of(md)[1]) == []


def test_joining_words_hyphenated_at_line_ends():
    def line(text: str) -> Line:
        return Line(0, text, 11, False, 0, 100, 0, 11, 800)

    joiner = Joiner([line("a well-being survey"), line("co-production")])
    assert joiner.pair("the partici-", "patory work") == "the participatory work"
    assert joiner.pair("our well-", "being grew") == "our well-being grew"
    assert joiner.pair("before co-", "production") == "before co-production"
    assert joiner.pair("pre-", "COVID days") == "pre-COVID days"
    assert joiner.pair("end of a", "line") == "end of a line"
    assert joiner.pair("see https://example.org/", "path") == "see https://example.org/path"


# --- what is refused -----------------------------------------------------------------------------------


def test_never_overwrites_without_force(made: Made, content: Path):
    existing = write(content / "reports" / "final-report.md", "---\ntitle: Mine\ndate: 2020-01-01\n---\nKeep me.\n")
    before = snapshot(content)
    with pytest.raises(ReportImportError) as caught:
        import_report(made.path, content, kind="final-report")
    assert str(existing) in str(caught.value) and "--force" in str(caught.value)
    assert snapshot(content) == before

    md = import_report(made.path, content, kind="final-report", force=True)
    assert "Keep me." not in md.read_text(encoding="utf-8")
    assert body_of(md)[0].title == TITLE


def test_an_existing_pdf_is_not_overwritten_either(made: Made, content: Path):
    write(content / "reports" / "final-report.pdf", "not really a pdf")
    before = snapshot(content)
    with pytest.raises(ReportImportError, match="final-report.pdf"):
        import_report(made.path, content, kind="final-report")
    assert snapshot(content) == before
    import_report(made.path, content, kind="final-report", force=True)
    assert (content / "reports" / "final-report.pdf").read_bytes() == made.path.read_bytes()


def test_a_pdf_already_in_reports_is_not_copied_onto_itself(made: Made, content: Path):
    inside = content / "reports" / "final-report.pdf"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(made.path.read_bytes())
    md = import_report(inside, content, kind="final-report")
    assert body_of(md)[0].pdf == "final-report.pdf"
    assert inside.read_bytes() == made.path.read_bytes()


def test_a_second_final_report_is_refused(made: Made, content: Path):
    write(content / "reports" / "old.md", "---\ntitle: Old\nkind: final-report\ndate: 2020-01-01\n---\n")
    before = snapshot(content)
    with pytest.raises(ReportImportError, match="old.md") as caught:
        import_report(made.path, content, kind="final-report", slug="new-final")
    assert str(made.path) in str(caught.value)
    assert snapshot(content) == before


def _refused(pdf: Path, content: Path, *expected: str) -> str:
    before = snapshot(content)
    with pytest.raises(ReportImportError) as caught:
        import_report(pdf, content, kind="final-report")
    message = str(caught.value)
    assert str(pdf) in message
    for words in expected:
        assert words in message
    assert snapshot(content) == before
    assert not (content / "reports").exists()
    return message


def test_random_bytes_with_a_pdf_header(content: Path, tmp_path: Path):
    rng = random.Random(3)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20000)) + b"\n%%EOF\n")
    _refused(garbage, content, "damaged")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(5000)))
    _refused(cut, content)


def test_a_truncated_pdf(made: Made, content: Path, tmp_path: Path):
    data = made.path.read_bytes()
    for fraction in (0.3, 0.6, 0.95):
        truncated = tmp_path / f"truncated-{fraction}.pdf"
        truncated.write_bytes(data[: int(len(data) * fraction)])
        _refused(truncated, content, "incomplete")


def test_a_missing_file_a_folder_an_empty_file_and_not_a_pdf(content: Path, tmp_path: Path):
    _refused(tmp_path / "nowhere.pdf", content, "does not exist")
    _refused(tmp_path, content, "not a file")
    text = write(tmp_path / "notes.pdf", "Just some notes saved with the wrong name.\n")
    _refused(text, content, "not a PDF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    _refused(empty, content, "is empty")


def test_a_pdf_without_text(content: Path, tmp_path: Path):
    scan = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scan), pagesize=A4)
    pdf.rect(100, 100, 300, 400, fill=1)  # a page that is only a picture
    pdf.showPage()
    pdf.save()
    _refused(scan, content, "no text")


def test_an_encrypted_pdf(content: Path, tmp_path: Path):
    locked = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(locked), pagesize=A4, encrypt="secret-password")
    pdf.drawString(100, 700, "Hidden words")
    pdf.save()
    _refused(locked, content, "password")


def test_bad_kind_slug_and_content_folder(made: Made, content: Path, tmp_path: Path):
    with pytest.raises(ReportImportError, match="kind"):
        import_report(made.path, content, kind="summary")
    with pytest.raises(ReportImportError, match="my-report"):
        import_report(made.path, content, slug="My Report")
    with pytest.raises(ReportImportError, match="content folder"):
        import_report(made.path, tmp_path / "missing")
    assert not (content / "reports").exists()


def test_reports_that_cannot_be_made_are_refused(made: Made, content: Path):
    (content / "reports").write_text("a file where the reports folder should be")
    before = snapshot(content)
    with pytest.raises(ReportImportError, match="cannot be written"):
        import_report(made.path, content, kind="final-report")
    assert snapshot(content) == before


# --- long documents: every step linear in the number of lines --------------------------------------------


def test_a_text_that_never_ends_a_paragraph_is_one_paragraph(content: Path, tmp_path: Path):
    # a transcript without full stops over several pages: all its lines are one block, which the joining of
    # lines once did in quadratic time; here its words must come out exact, hyphenated words joined again
    rng = random.Random(5)
    words = [rng.choice(WORDS) for _ in range(2500)]
    for at in range(40, len(words), 97):
        words[at] = {0: "partici|patory", 1: "community-|led", 2: "well-|being"}[at % 3]
    words[10] = "community-led"  # (a hyphen at a line end is kept where the text has the word with one)
    made = make_pdf(tmp_path / "unbroken.pdf", [("title", "A Long Conversation"), ("p", " ".join(words))])
    assert made.pages >= 4
    _, body = body_of(import_report(made.path, content))
    assert paragraphs_of(body) == made.paragraphs


def _pairwise_join(joiner: Joiner, lines: list[Line]) -> str:
    """Joining as defined: each line onto the whole text so far (what `Joiner.join` does in linear time)."""
    return reduce(joiner.pair, [line.text for line in lines]).replace("\u00ad", "")


def test_joining_a_block_is_joining_its_lines_one_by_one():
    rng = random.Random(11)
    ends = ["", "", "", "-", "\u00ad", "—", "/", " www.example.org/", " https://example.org/a-", "well-", "co-"]
    starts = ["", "", "being", "production", "COVID", "19", "path"]
    for _ in range(300):
        texts = []
        for _ in range(rng.randint(1, 12)):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
            texts.append((rng.choice(starts) + " " + text).strip() + rng.choice(ends))
        lines = [Line(0, text, 11, False, 0, 100, 0, 11, 800) for text in texts]
        joiner = Joiner([*lines, Line(0, "a well-being and co-production survey", 11, False, 0, 100, 0, 11, 800)])
        assert joiner.join(lines) == _pairwise_join(joiner, lines), texts


def _merge_fragments_by_definition(lines: list[Line]) -> list[Line]:
    """The definition of `merge_fragments`, in cubic time: while some piece (the first in order) that is not
    at a column's edge has a piece of its size just to its left on its baseline that is not a whole line of a
    column, join it to the one of those that ends furthest right. A piece is at a column's edge where
    three lines start (within a point), or a line 0.5 to 2 sizes above or below it starts, unless lines 0.5
    to 3.5 sizes above it and below it run across its start; a line is a whole line of a column if no line of
    its size that starts where it does 0.5 to 3.5 sizes above or below it ends further right, and one 0.5 to
    2 sizes away ends where it does and no piece could join that one on its right (all neighbours as the
    PDF had them)."""
    starts: dict[int, int] = {}
    for line in lines:
        starts[round(line.x0)] = starts.get(round(line.x0), 0) + 1

    def near(piece: Line, reach: float) -> tuple[list[Line], list[Line]]:
        y, size = piece.y0, piece.size
        return ([o for o in lines if y + 0.5 * size < o.y0 <= y + reach * size],
                [o for o in lines if y - reach * size < o.y0 <= y - 0.5 * size])

    def at_edge(piece: Line) -> bool:
        x = piece.x0
        over, under = near(piece, 3.5)
        crossed = [any(o.x0 < x - 1 and o.x1 > x + 1 for o in side) for side in (over, under)]
        aligned = any(abs(o.x0 - x) <= 1 for side in near(piece, 2) for o in side)
        many = sum(starts.get(round(x) + d, 0) for d in (-1, 0, 1)) >= 3
        return (many or aligned) and not all(crossed)

    def goes_on(line: Line) -> bool:
        return any(o is not line and o.cls == line.cls and abs(line.y0 - o.y0) <= 0.25 * o.size
                   and -1 <= o.x0 - line.x1 <= 3 * o.size for o in lines)

    def whole(piece: Line) -> bool:
        over, under = near(piece, 3.5)
        aligned = [o for o in over + under if o.cls == piece.cls and abs(o.x0 - piece.x0) <= 1]
        return all(o.x1 <= piece.x1 + 1 for o in aligned) and any(
            abs(o.x1 - piece.x1) <= 1 and abs(o.y0 - piece.y0) <= 2 * piece.size and not goes_on(o) for o in aligned)

    edges = {id(line): line for line in lines if at_edge(line)}  # (the lines kept, so that no id is reused)
    out = list(lines)
    while True:
        for right in out:
            if id(right) in edges:
                continue
            lefts = [left for left in out if left is not right and left.cls == right.cls and not whole(left)
                     and abs(left.y0 - right.y0) <= 0.25 * right.size and -1 <= right.x0 - left.x1 <= 3 * right.size]
            if lefts:
                left = max(lefts, key=lambda line: line.x1)
                joined = Line(left.page, f"{left.text} {right.text}", left.size, left.bold and right.bold, left.x0,
                              right.x1, min(left.y0, right.y0), max(left.y1, right.y1), left.page_height)
                if id(left) in edges:  # a joined line is at an edge where its left piece was
                    edges[id(joined)] = joined
                out[next(i for i, line in enumerate(out) if line is left)] = joined
                out = [line for line in out if line is not right]
                break
        else:
            return out


def test_pieces_of_justified_lines_are_joined_as_defined():
    rng = random.Random(2)
    for _ in range(200):
        lines = []
        for row in range(rng.randint(1, 14)):
            y, size, x = 700 - row * rng.choice([3, 13]), rng.choice([10, 10, 10.2, 12]), rng.choice([50, 50, 60, 300])
            pieces = rng.choice([1, 1, 2, 3, 4])
            for piece in range(pieces):
                width = rng.uniform(5, 120)
                edge = 290 if x < 290 else 480  # the right edge of a justified column
                if piece == pieces - 1 and x + 5 < edge and rng.random() < 0.4:
                    width = edge - x + rng.uniform(-0.8, 0.8)
                lines.append(Line(0, f"r{row}p{piece}", size, rng.random() < 0.5, x, x + width,
                                  y + rng.uniform(-3, 3), y + size, 842))
                x += width + rng.choice([rng.uniform(-2, 40), rng.uniform(-2, 3)])
        rng.shuffle(lines)
        expected = _merge_fragments_by_definition(lines)
        assert [(line.text, line.x0, line.x1, line.y0) for line in merge_fragments(lines)] == \
               [(line.text, line.x0, line.x1, line.y0) for line in expected]


# --- PDFs that expand: bounded memory, a clear message ------------------------------------------------


def pdf_file(path: Path, objects: list[bytes]) -> Path:
    """A PDF written by hand: the objects numbered from 1 (1 the catalog), a cross-reference table, %%EOF."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


def pdf_stream(data: bytes, filters: bytes = b"/FlateDecode", extra: bytes = b"") -> bytes:
    return b"<< /Length %d /Filter %s %s >>\nstream\n%s\nendstream" % (len(data), filters, extra, data)


def one_page_pdf(path: Path, contents: bytes, form: bytes | None = None) -> Path:
    """One A4 page with Helvetica as /F1 whose content stream is `contents` (an object), and a form /X."""
    xobject = b"/XObject << /X 6 0 R >>" if form else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> %s >> "
               b"/Contents 4 0 R >>" % xobject,
               contents, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    if form:
        objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
                       b"/Length %d >>\nstream\n%s\nendstream" % (len(form), form))
    return pdf_file(path, objects)


def deflated(*parts: bytes, repeat: int = 1) -> bytes:
    """zlib of parts[0] + parts[1] * repeat + parts[2:], compressed piece by piece (never all in memory)."""
    compressor = zlib.compressobj(9)
    out = [compressor.compress(parts[0])]
    out += [compressor.compress(parts[1]) for _ in range(repeat)] if len(parts) > 1 else []
    out += [compressor.compress(part) for part in parts[2:]]
    return b"".join(out) + compressor.flush()


HELLO = b"BT /F1 12 Tf 72 720 Td (Hello, this is the only sentence here.) Tj ET\n"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """1 page whose content stream inflates to 300 MB (a sentence, then spaces): about 300 KB of PDF."""
    data = deflated(HELLO, b" " * MB, repeat=300)
    assert len(data) < 400_000
    return one_page_pdf(tmp_path_factory.mktemp("bomb") / "bomb.pdf", pdf_stream(data))


def run_cli(*args: str) -> tuple[int, str, float]:
    """`python -m showcase ARGS` in a process of its own: exit status, stderr, and that process's peak memory
    in MB (os.wait4 gives the rusage of this one child, not of every child the tests ever ran)."""
    child = subprocess.Popen([sys.executable, "-m", "showcase", *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    child.communicate()
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return child.returncode, err + out, peak


def expect_exit_1(status: int) -> None:
    """The PDF's problems exit with 1 (a command used wrongly, 2)."""
    assert status == 1


def test_a_compressed_bomb_stops_early_with_bounded_memory(bomb: Path, content: Path):
    before = snapshot(content)
    status, said, peak = run_cli("import-report", str(bomb), "--content", str(content))
    assert said.strip() == (f"showcase: {bomb}: this PDF expands to more than 32 MB of text and drawing "
                            "instructions; showcase stops here to keep your computer responsive")
    assert "Traceback" not in said and len(said.strip().splitlines()) == 1
    assert peak < 500, f"{peak:.0f} MB"
    assert snapshot(content) == before and not (content / "reports").exists()
    expect_exit_1(status)


@pytest.mark.parametrize("name", ["filters within filters", "ascii85 zeros", "run lengths", "a form run 40,000 times",
                                  "an endless array", "deep nesting", "too many characters on a page"])
def test_other_ways_to_expand_are_stopped(name: str, content: Path, tmp_path: Path):
    pdf = tmp_path / "expands.pdf"
    if name == "filters within filters":  # zlib of zlib of 200 MB
        one_page_pdf(pdf, pdf_stream(zlib.compress(deflated(HELLO, b" " * MB, repeat=200), 9),
                                     b"[/FlateDecode /FlateDecode]"))
    elif name == "ascii85 zeros":  # each z is four zero bytes
        one_page_pdf(pdf, pdf_stream(deflated(b"", b"z" * MB, b"~>", repeat=40), b"[/FlateDecode /ASCII85Decode]"))
    elif name == "run lengths":  # two bytes for 128
        one_page_pdf(pdf, pdf_stream(deflated(b"", bytes([129, 32]) * (MB // 2), b"\x80", repeat=40),
                                     b"[/FlateDecode /RunLengthDecode]"))
    elif name == "a form run 40,000 times":  # each run costs what it draws and the objects it makes
        one_page_pdf(pdf, pdf_stream(deflated(HELLO, b"/X Do\n", repeat=40_000)), form=b"q Q\n")
    elif name == "an endless array":
        one_page_pdf(pdf, pdf_stream(deflated(b"[", b"1 " * 1000, b"] TJ\n" + HELLO, repeat=210)))
    elif name == "deep nesting":
        one_page_pdf(pdf, pdf_stream(deflated(b"", b"[" * 1000, HELLO, repeat=2)))
    else:
        one_page_pdf(pdf, pdf_stream(deflated(b"BT /F1 1 Tf 72 720 Td (", b"a" * 1000, b") Tj ET\n", repeat=120)))
    message = _refused(pdf, content, "showcase stops here to keep your computer responsive")
    assert "\n" not in message


def test_every_token_parsed_is_counted(content: Path, tmp_path: Path, monkeypatch):
    # short operators take long to parse for their size (`q` is two bytes): each token costs as much as
    # 16 bytes of text, so that the budget bounds the time as well (here a budget of 4 MB: 250,000 tokens)
    monkeypatch.setattr(limits, "FLOOR", 4 * MB)
    pdf = one_page_pdf(tmp_path / "operators.pdf", pdf_stream(deflated(HELLO, b"q\n" * 1000, repeat=300)))
    assert len(pdf.read_bytes()) < 10_000
    assert "more than 4 MB" in _refused(pdf, content, "stops here")


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "not a PDF", "cut short", "random bytes",
                                  "encrypted", "no text", "too large"])
def test_bad_input_from_the_command_line(case: str, content: Path, tmp_path: Path, bomb: Path, capsys):
    pdf = tmp_path / "input.pdf"
    if case == "folder":
        pdf = tmp_path
    elif case == "empty":
        pdf.write_bytes(b"")
    elif case == "not a PDF":
        pdf.write_text("Just some notes.\n")
    elif case == "cut short":
        pdf.write_bytes(make_pdf(tmp_path / "whole.pdf", report_blocks()).path.read_bytes()[:5000])
    elif case == "random bytes":
        pdf.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(20000) + b"\n%%EOF\n")
    elif case == "encrypted":
        locked = canvas.Canvas(str(pdf), pagesize=A4, encrypt="secret-password")
        locked.drawString(100, 700, "Hidden words")
        locked.save()
    elif case == "no text":
        one_page_pdf(pdf, pdf_stream(zlib.compress(b"0 0 100 100 re f\n")))
    elif case == "too large":
        pdf = bomb
    before = snapshot(content)
    status = main(["import-report", str(pdf), "--content", str(content)])
    said = capsys.readouterr()
    assert said.out == ""
    assert len(said.err.strip().splitlines()) == 1 and "Traceback" not in said.err
    assert said.err.startswith("showcase: ") and str(pdf) in said.err
    assert snapshot(content) == before
    expect_exit_1(status)


# --- names, metadata and folders that are not what they seem ----------------------------------------------------

@pytest.mark.parametrize("name", ["minutes\nslug: index\n.pdf", "evil\n---\ntitle: x\n.pdf", "bad\udcffname.pdf"],
                         ids=["a line break", "a front matter's end", "a byte that is not UTF-8"])
def test_a_pdf_name_is_shown_in_the_draft_as_text_only(made: Made, content: Path, tmp_path: Path, name: str):
    pdf = tmp_path / name
    shutil.copyfile(made.path, pdf)
    md = import_report(pdf, content, slug="minutes")
    text = md.read_text(encoding="utf-8")
    front = split_front_matter(text).front_matter
    assert set(front.data) == {"title", "kind", "date", "authors", "summary", "pdf", "draft"}
    comment = text.splitlines()[1]
    assert comment.startswith("# Imported from ") and ("\\n" in comment or "\\udcff" in comment)
    assert body_of(md)[0].title == TITLE


def test_line_breaks_in_the_metadata_are_spaces(content: Path, tmp_path: Path):
    blocks = [("title", "Cover words"), ("p", " ".join(sentences(random.Random(4), 5)))]
    pdf = make_pdf(tmp_path / "m.pdf", blocks, title="Creative practice\r\nas mutual\x90 recovery",
                   author="Paul\rCrawford; Ada\nLane").path
    meta, _ = body_of(import_report(pdf, content))
    assert meta.title == "Creative practice as mutual recovery"
    assert [a.name for a in meta.authors] == ["Paul Crawford", "Ada Lane"]


def test_a_reports_folder_that_links_outside_the_content_folder_is_refused(made: Made, content: Path,
                                                                             tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (content / "reports").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ReportImportError, match="outside the content folder"):
        import_report(made.path, content)
    assert list(elsewhere.iterdir()) == []


def test_a_date_that_does_not_exist_is_no_date(content: Path, tmp_path: Path):
    blocks = [("title", "A Year of Clay"), ("date", "31st February 2017"), ("p", " ".join(sentences(random.Random(2), 4)))]
    md = import_report(make_pdf(tmp_path / "d.pdf", blocks).path, content)
    meta, _ = body_of(md)
    assert meta.date == dt.date(2000, 1, 1)  # not 1 February 2017: when the PDF was made, to be checked
    assert "# Check date" in md.read_text(encoding="utf-8")
    from showcase.import_report.guess import pdf_date

    assert [pdf_date(v) for v in ["(2023-02-30)", "D:20230230", "D:00010101", "D:99991231", "D:20230405120000Z",
                                  "D:202304"]] == [None, None, None, None, dt.date(2023, 4, 5), dt.date(2023, 4, 1)]
