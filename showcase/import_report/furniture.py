"""Running headers, footers and page numbers: the lines in a page's margins that are not its text.

A margin line (one of the three highest or lowest of its page, near the edge) goes when it is a page number;
when another page has it too: the same words, or the same words with a number that goes up with the page
("Final report · 3"), unless it is a heading, whose number only happens to ("Case study 2" opening page 4,
"Case study 3" page 5); and, on the pages after the first, when it is small print above the text of every
page (a running header that the title page did not have) or below it with the page's number. Linear in
the number of lines."""

from __future__ import annotations

import re
from collections import Counter

from .model import Line, body_size

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?)?\s*(?:\d{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_DIGITS = re.compile(r"\d+")


def remove_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Each page without its page number and its running header and footer."""
    body = body_size([line for page in pages for line in page])
    margins = [_margin_lines(page) for page in pages]
    exact: Counter[tuple[str, float]] = Counter()
    tracks: Counter[tuple] = Counter()  # (words, size, which number, number - page)
    for index, (top, bottom) in enumerate(margins):
        exact.update({(line.text, line.cls) for line in top + bottom})
        tracks.update({(*_key(line), j, number - index)
                       for line in top + bottom for j, number in enumerate(_numbers(line))})

    def repeated(line: Line, index: int) -> bool:
        if len(pages) < 2:
            return False
        if exact[line.text, line.cls] >= 2:
            return True
        heading = line.cls >= body * 1.12 or (line.bold and line.cls >= body * 0.92)
        return not heading and any(tracks[(*_key(line), j, number - index)] >= 2
                                   for j, number in enumerate(_numbers(line)))

    drop = {id(line) for index, (top, bottom) in enumerate(margins) for line in top + bottom
            if _is_page_number(line.text) or repeated(line, index)}
    text = [line for page in pages for line in page if id(line) not in drop and line.cls >= body * 0.92]
    if len(pages) > 1 and text:
        highest, lowest = max(line.y1 for line in text), min(line.y0 for line in text)
        for index, (top, bottom) in enumerate(margins[1:], 1):
            drop.update(id(line) for line in top if line.cls < body * 0.92 and line.y0 > highest)
            drop.update(id(line) for line in bottom if line.cls < body * 0.92 and line.y1 < lowest
                        and index + 1 in _numbers(line))
    return [[line for line in page if id(line) not in drop] for page in pages]


def _key(line: Line) -> tuple[str, float]:
    return " ".join(_DIGITS.sub("#", line.text.lower()).split()), line.cls


def _numbers(line: Line) -> list[int]:
    return [int(digits) for digits in _DIGITS.findall(line.text)[:8]]


def _margin_lines(page: list[Line]) -> tuple[list[Line], list[Line]]:
    """The lines that could be a running header, and those that could be a footer: near the top or bottom."""
    if not page:
        return [], []
    by_height = sorted(page, key=lambda line: -line.y1)
    height = page[0].page_height
    top = [line for line in by_height[:3] if line.y1 >= height * 0.85]
    bottom = [line for line in by_height[-3:] if line.y0 <= height * 0.15 and all(line is not t for t in top)]
    return top, bottom


def _is_page_number(text: str) -> bool:
    bare = text.strip(" -–—|·•[](){}.").strip()
    return bool(bare) and bool(_PAGE_NUMBER.match(bare))
