"""Putting the draft together: the page furniture removed, title and date taken out, the blocks written
as Markdown in which nothing of the PDF's text can act as markup, and a summary from the first paragraph."""

from __future__ import annotations

import re
from pathlib import Path

from .furniture import remove_furniture
from .guess import guess_authors, guess_date, guess_title
from .layout import STRONG_BULLET, WEAK_BULLET, Block, Joiner, Layout, blocks_of
from .model import Draft, PdfText, ReportImportError
from .page import reading_order

SUMMARY_PLACEHOLDER = "Summary to write."


def make_draft(pdf: Path, text: PdfText) -> Draft:
    if not any(text.pages):
        raise ReportImportError(f"{pdf} has no text that can be extracted: is it a scanned image? "
                                "Run it through text recognition (OCR) first, or write the report by hand")
    pages = [reading_order(page) for page in remove_furniture(text.pages)]  # (headers span columns)
    lines = [line for page in pages for line in page]
    if not lines:
        raise ReportImportError(f"{pdf} has no text to import besides page headers, footers and numbers")
    layout = Layout(lines)

    first_page = next(page for page in pages if page)
    title, title_lines, notes = guess_title(first_page, layout, text.info, pdf)
    used = {id(line) for line in title_lines}
    date, date_line, date_notes = guess_date(first_page, used, text.info)
    notes += date_notes
    if date_line is not None:
        used.add(id(date_line))

    blocks = blocks_of([line for line in lines if id(line) not in used], layout, Joiner(lines))
    summary = next((_summary(b.text) for b in blocks if b.kind == "paragraph" and len(b.text.split()) >= 6), "")
    return Draft(title=title, date=date, authors=guess_authors(text.info.get("Author")),
                 summary=summary or SUMMARY_PLACEHOLDER, body=markdown(blocks), notes=notes)


def markdown(blocks: list[Block]) -> str:
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
    return "\n".join(out).strip() + "\n"


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
    strong = STRONG_BULLET.match(text) or WEAK_BULLET.match(text)
    if strong:
        return "- " + _escape_paragraph(text[strong.end():]) if text[strong.end():] else "-"
    number = re.match(r"^(\d{1,2})([.)])\s+", text)
    if number:
        return f"{number[1]}. " + _escape(text[number.end():])
    return "- " + _escape(text)  # (a), a) and the like: keep the letter as text


def _summary(text: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])", text[:2000])  # (it stops within 300 characters)
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
