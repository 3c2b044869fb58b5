"""From lines to blocks: headings, paragraphs and list items, told apart by size, weight, spacing and
indents, and each block's lines re-flowed into one text (words hyphenated at line ends joined again).

Every step looks at one line and the block before it, so the whole is linear in the number of lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from .model import Line, body_size


class Layout:
    """Statistics of a document's text that tell body text from headings."""

    def __init__(self, lines: list[Line]):
        self.body = body_size(lines)
        self.styles = Counter(self.style(line) for line in lines)  # how many lines each style has
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


@dataclass
class Block:
    kind: str  # "heading", "bold-heading", "paragraph" or "item"
    lines: list[Line] = field(default_factory=list)
    level: int = 0
    text: str = ""

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def last(self) -> Line:
        return self.lines[-1]


STRONG_BULLET = re.compile(r"^([•●▪■◦○‣➢►✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc])\s*")
WEAK_BULLET = re.compile(r"^([-–*])\s+")
_NUMBERED = re.compile(r"^(\(?[0-9]{1,2}[.)]|\([a-z]\)|[a-z]\))\s+")
_TERMINAL = re.compile(r"[.!?:…][\"'”’»)\]]*$")


def _bullet(line: Line, block_start: bool) -> re.Match | None:
    return STRONG_BULLET.match(line.text) or _NUMBERED.match(line.text) or (
        WEAK_BULLET.match(line.text) if block_start else None)


def _continues(block: Block, line: Line, layout: Layout) -> bool:
    """Whether `line` goes on the block that `block.last` ends."""
    prev = block.last
    if layout.style(prev) != layout.style(line):
        return False
    if block.kind == "heading":
        return line.page == prev.page and 0 < prev.y0 - line.y0 <= 1.7 * line.size
    if STRONG_BULLET.match(line.text) or _NUMBERED.match(line.text):
        return False
    if WEAK_BULLET.match(line.text) and block.kind == "item" and abs(line.x0 - block.first.x0) < 2:
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


def blocks_of(lines: list[Line], layout: Layout, joiner: Joiner) -> list[Block]:
    """The blocks, each with its text, its kind and (for headings) its level from 2 down."""
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

    # Heading levels: sizes above the body from the largest down, then short bold lines of body size.
    for block in blocks:
        block.text = joiner.join(block.lines)
        if block.kind == "heading" and (len(block.lines) > 3 or len(block.text.split()) > 20):
            block.kind = "paragraph"  # large type, but a paragraph (an introduction set large)
        elif (block.kind == "paragraph" and len(block.lines) <= 2 and all(line.bold for line in block.lines)
              and layout.is_body_size(block.first) and len(block.text.split()) <= 14
              and not re.search(r"[.,;]$", block.text)):
            block.kind = "bold-heading"  # a short bold line on its own
    sizes = sorted({b.first.cls for b in blocks if b.kind == "heading"}, reverse=True)
    rank_of = {size: rank for rank, size in enumerate(sizes)}
    previous = 1
    for block in blocks:
        if block.kind not in ("heading", "bold-heading"):
            continue
        rank = rank_of[block.first.cls] if block.kind == "heading" else len(sizes)
        block.level = min(2 + rank, previous + 1, 6)
        block.kind, previous = "heading", block.level
    return blocks


# --- joining lines -------------------------------------------------------------------------------

_HYPHENATED = re.compile(r"\b[^\W\d_]+(?:-[^\W\d_]+)+\b")
_WORD = re.compile(r"[^\W\d_]+")
_URL_END = re.compile(r"(https?://|www\.)\S*[-./_]$")
_KEEP_HYPHEN_PREFIXES = {"self", "well", "non", "co", "cross", "ex", "mid", "post", "pre", "anti", "inter"}
TAIL = 300  # characters of the text so far that decide how the next line joins it (a long URL at most)


class Joiner:
    """Re-flows the lines of a block, joining words hyphenated at line ends.

    Whether a line joins the text before it with a space, without one, or in place of a hyphen depends
    only on the end of that text (its last word, a URL broken at the line end), so each join looks at a
    bounded tail, and a block of any length is joined in linear time."""

    def __init__(self, lines: list[Line]):
        self.compounds: set[str] = set()
        self.words: set[str] = set()
        for line in lines:
            text = line.text[:-1] if line.text.endswith("-") else line.text
            self.compounds.update(w.lower() for w in _HYPHENATED.findall(text))
            self.words.update(w.lower() for w in _WORD.findall(text))

    def join(self, lines: list[Line]) -> str:
        pieces: list[str] = []
        tail = ""
        for line in lines:
            if not pieces:
                pieces.append(line.text)
                tail = line.text[-TAIL:]
                continue
            drop, glue = self.glue(tail, line.text)
            if drop:
                pieces[-1] = pieces[-1][:-drop]  # the last piece is the last line, which ends with it
            pieces += [glue, line.text]
            tail = line.text[-TAIL:] if glue else (tail[:len(tail) - drop] + line.text)[-TAIL:]
        return "".join(pieces).replace("\u00ad", "")

    def pair(self, a: str, b: str) -> str:
        """Two lines joined into one text."""
        drop, glue = self.glue(a, b)
        if glue:
            a = a.replace("\u00ad", "")
        return a[:len(a) - drop] + glue + b

    def glue(self, a: str, b: str) -> tuple[int, str]:
        """How `b` goes on text that ends with `a`: (characters to take off the end of `a`, what goes between)."""
        if a.endswith("\u00ad"):  # a soft hyphen: the word goes on
            return 1, ""
        # the letters just before a hyphen that ends `a` (read backwards: time bounded by the word's length)
        hyphen = _WORD.match(a[-2::-1]) if a.endswith("-") else None
        if hyphen and b[:1].isalpha() and b[:1].islower():
            head = hyphen.group(0)[::-1]
            tail = _WORD.match(b)
            rest = tail.group(0) if tail else ""
            whole = (head + rest).lower()
            if f"{head}-{rest}".lower() in self.compounds:
                return 0, ""
            if whole in self.words or head.lower() not in _KEEP_HYPHEN_PREFIXES:
                return 1, ""
            return 0, ""
        if hyphen and b[:1].isalnum():  # pre-\nCOVID, COVID-\n19: a real hyphen
            return 0, ""
        if (a[-1:] in ("—", "–", "/") and len(a) > 1 and not a[-2].isspace()) or (
                a[-1:] in ("-", ".", "/", "_") and _URL_END.search(a[a.rfind(" ") + 1:])):
            return 0, ""  # an em dash or a URL broken at the line end
        return 0, " "
