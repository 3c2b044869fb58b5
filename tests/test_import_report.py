"""Importing a PDF report: real multi-page PDFs made here, read back into a draft that builds."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from showcase.cli import main
from showcase.import_report import Joiner, Line, ReportImportError, import_report
from showcase.models import ReportMeta
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
    "h3": ("Helvetica-Bold", 13, 17, 12),
    "h4": ("Helvetica-Bold", 11, 14, 10),
    "p": ("Helvetica", 11, 14, 8),
    "li": ("Helvetica", 11, 14, 4),
}
LEVELS = {"h2": 2, "h3": 3, "h4": 4}

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
             title: str | None = None, author: str | None = None) -> Made:
    """Lay out blocks on A4 pages as a word processor would, with a running header and footer."""
    made = Made(path)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)  # invariant: CreationDate 2000-01-01
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    page = 1

    def furniture() -> None:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(LEFT, HEIGHT - 45, header)
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


def test_a_missing_file_a_folder_and_not_a_pdf(content: Path, tmp_path: Path):
    _refused(tmp_path / "nowhere.pdf", content, "does not exist")
    _refused(tmp_path, content, "not a file")
    text = write(tmp_path / "notes.pdf", "Just some notes saved with the wrong name.\n")
    _refused(text, content, "not a PDF")


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
