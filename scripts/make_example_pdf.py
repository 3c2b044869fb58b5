"""Make the example final report's PDF from its Markdown: content/reports/final-report.pdf.

Run once by a maintainer (`python scripts/make_example_pdf.py`, needs reportlab, a test dependency);
the PDF is committed, so building the site does not need reportlab. It stands in for the PDF a
programme would publish, so that the showcase can offer it as a download.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from showcase.sources import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "content" / "reports" / "final-report.md"
TARGET = ROOT / "content" / "reports" / "final-report.pdf"


def inline(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)


def main() -> None:
    source = split_front_matter(SOURCE.read_text(encoding="utf-8"))
    meta = source.front_matter.data
    styles = getSampleStyleSheet()
    story = [Paragraph(inline(meta["title"]), styles["Title"]),
             Paragraph(", ".join(meta["authors"]), styles["Normal"]),
             Paragraph(f"{meta.get('publisher', '')}, {meta['date']:%B %Y}", styles["Normal"]), Spacer(1, 0.6 * cm)]
    for block in re.split(r"\n\s*\n", source.body.strip()):
        block = " ".join(line.strip() for line in block.splitlines())
        if block.startswith("### "):
            story.append(Paragraph(inline(block[4:]), styles["Heading3"]))
        elif block.startswith("## "):
            story.append(Paragraph(inline(block[3:]), styles["Heading2"]))
        elif block.startswith(("- ", "* ")):
            for item in re.split(r"\s[-*]\s", " " + block)[1:]:
                story.append(Paragraph(inline(item), styles["Normal"], bulletText="•"))
        elif block.startswith(">"):
            story.append(Paragraph(inline(block.lstrip("> ")), styles["Italic"]))
        else:
            story.append(Paragraph(inline(block), styles["BodyText"]))
    document = SimpleDocTemplate(str(TARGET), pagesize=A4, title=meta["title"], author="; ".join(meta["authors"]),
                                 creator="showcase example", leftMargin=2.5 * cm, rightMargin=2.5 * cm,
                                 invariant=True)
    document.build(story)
    print(f"{TARGET.relative_to(ROOT)}: {TARGET.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
