"""Reading a PDF: every line of text of every page with its font size, weight and position (pdfminer.six),
within the limits of `limits.py`; anything unreadable becomes a one-line ReportImportError."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

from . import limits as bounds
from .model import Line, PdfText, ReportImportError
from .page import merge_fragments

_BOLD = re.compile(r"bold|black|heavy|demi|[-,](bd|hv|sb)\b", re.I)
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "ft",
              "\ufb06": "st", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " "}
_LIGATURE = re.compile("|".join(_LIGATURES))
_CID = re.compile(r"\(cid:\d+\)")
_LEADING_CID = re.compile(r"^\s*\(cid:\d+\)\s+(?=\S)")
# Control characters (C0 and C1), lone surrogates and specials are dropped; the ones that break lines or words
# (tab, line and page breaks, separators, NEL) are left for str.split() to make spaces of.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\ufff0-\uffff]")


def clean(text: str) -> str:
    """Text as it reads: ligatures spelt out, unknown glyphs and control characters dropped, spaces single."""
    text = _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)
    text = _LEADING_CID.sub("• ", text)  # a glyph without a character at the start: a bullet
    text = _INVISIBLE.sub("", _CID.sub("", text))
    return " ".join(text.split())


def check_file(pdf: Path) -> int:
    """Refuse early what is not a whole PDF file (missing, a folder, another format, cut short); its size."""
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
    if not size:
        raise ReportImportError(f"{pdf} is empty (0 bytes): export or download the PDF again")
    if b"%PDF-" not in head:
        raise ReportImportError(f"{pdf} is not a PDF file (it does not start with %PDF-)")
    if b"%%EOF" not in tail:
        raise ReportImportError(f"{pdf} is incomplete or damaged: it does not end as a PDF file does "
                                "(no %%EOF); was the download or copy cut short? Export or download it again")
    return size


def read_pdf(pdf: Path, size: int) -> PdfText:
    """Every line of every page (pieces of justified lines joined); raises ReportImportError for unreadable
    files."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    limits = bounds.Limits.for_size(size)
    try:
        with limits.active():
            text = _read(pdf, limits)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReportImportError(f"{pdf} is password-protected or encrypted: save an unprotected copy of it "
                                "and import that") from None
    except OSError as exc:
        raise ReportImportError(f"{pdf} cannot be read: {exc.strerror or exc}") from None
    except MemoryError:
        raise ReportImportError(f"{pdf}: this PDF needs more memory than this computer can give; "
                                "showcase stops here") from None
    except Exception as exc:  # a damaged file can fail anywhere inside the parser
        if limits.refused:
            raise ReportImportError(f"{pdf}: {limits.refused}") from None
        reason = str(exc).strip() or type(exc).__name__
        raise ReportImportError(f"{pdf} is damaged and cannot be read as a PDF ({reason[:200]}); "
                                "export or download it again") from None
    if limits.refused:  # pdfminer swallowed the refusal somewhere and went on
        raise ReportImportError(f"{pdf}: {limits.refused}")
    if not text.pages:
        raise ReportImportError(f"{pdf} is damaged and cannot be read as a PDF (it has no pages); "
                                "export or download it again")
    return text


def _read(pdf: Path, limits: bounds.Limits) -> PdfText:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1, stream_value
    from pdfminer.utils import decode_text

    class Device(PDFPageAggregator):
        """Keeps characters only (no drawings or pictures: they are not imported), so many to a page."""

        def begin_page(self, page, ctm) -> None:
            self.chars = 0
            super().begin_page(page, ctm)

        def render_char(self, *args, **kwargs) -> float:
            self.chars += 1
            if self.chars > bounds.CHARS_PER_PAGE:
                limits.refuse(f"page {self.pageno} has more than {bounds.CHARS_PER_PAGE:,} characters; "
                              "showcase stops here to keep your computer responsive")
            return super().render_char(*args, **kwargs)

        def end_figure(self, _name) -> None:
            self.cur_item = self._stack.pop()  # text in forms was never imported: forms are not kept

        def paint_path(self, *args, **kwargs) -> None:
            pass

        def render_image(self, *args, **kwargs) -> None:
            pass

    class Interpreter(PDFPageInterpreter):
        """Counts every content stream it runs (a drawing repeated a million times costs a million times)
        and keeps its stacks short."""

        def execute(self, streams) -> None:
            for stream in streams:
                limits.charge(bounds.RUN_COST + len(stream_value(stream).get_data() or b""))
            super().execute(streams)

        def push(self, obj) -> None:
            if len(self.argstack) >= 1000:  # operands no operator took: no operator takes more than 33
                del self.argstack[:-100]
            self.argstack.append(obj)

        def pop(self, n: int) -> list:
            if n == 0:
                return []
            taken = self.argstack[-n:]
            del self.argstack[-n:]
            return taken

        def do_q(self) -> None:
            if len(self.gstack) < bounds.SAVED_STATES:
                super().do_q()

    def lines_of(item):
        if isinstance(item, LTTextLine):
            yield item
        elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
            for child in item:
                yield from lines_of(child)

    pages: list[list[Line]] = []
    info: dict[str, str] = {}
    characters = 0
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle), password="")
        for entries in document.info:
            try:
                for key, value in resolve1(entries).items():
                    value = resolve1(value)
                    if isinstance(value, bytes):
                        value = decode_text(value)
                    if isinstance(value, str) and clean(value):
                        info[str(key)] = clean(value)[:1000]
            except bounds.TooLarge:
                raise
            except Exception:  # damaged metadata: the text may still be readable
                continue
        resources = PDFResourceManager(caching=True)
        device = Device(resources, laparams=LAParams(boxes_flow=None))
        interpreter = Interpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(document)):
            interpreter.process_page(page)
            layout = device.get_result()
            found: list[Line] = []
            for line in lines_of(layout):
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                if not chars or sum(c.upright for c in chars) * 2 < len(chars):
                    continue  # no visible text, or rotated text (a watermark, a spine label)
                text = clean(line.get_text())
                if not text:
                    continue
                sizes = Counter(round(c.size, 1) for c in chars)
                bold = sum(bool(_BOLD.search(str(c.fontname).split("+")[-1])) for c in chars)
                found.append(Line(number, text, sizes.most_common(1)[0][0], bold >= 0.8 * len(chars),
                                  line.x0, line.x1, line.y0, line.y1, float(layout.height)))
                characters += len(text)
            if characters > bounds.TEXT_CHARS:
                limits.refuse(f"this PDF has more than {bounds.TEXT_CHARS:,} characters of text; split it "
                              "into parts and import each")
            device.result = None  # the page's characters can go
            limits.look_at_memory()
            pages.append(merge_fragments(found))
    return PdfText(info, pages)
