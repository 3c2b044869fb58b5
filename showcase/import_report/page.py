"""The lines of one page put in order: pieces of a justified line joined again, columns read one after the
other; and the running headers, footers and page numbers that repeat from page to page taken away.

Everything here is O(n log n) in the lines of a page, whatever the page looks like."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import pairwise

from .model import Line

MERGE_EXACTLY = 60  # lines on one baseline in one size; beyond that (a table, overprinted text) a quicker way


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Put back together a line that the layout analysis cut where justification left wide spaces.

    A piece to the right of another on the same baseline, in the same size, close to it and not starting
    where many lines start (the left edge of a column), is the rest of that line. Only lines of one size
    whose baselines are a chain of near neighbours can ever be joined, so each such group is worked out on
    its own; the result keeps the lines' order, a joined line where its left piece was."""
    starts = Counter(round(line.x0) for line in lines)

    def column_edge(x: float) -> bool:
        return sum(starts[round(x) + d] for d in (-1, 0, 1)) >= 3

    by_size: dict[float, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        by_size[line.cls].append(index)
    out: list[Line | None] = list(lines)
    for members in by_size.values():
        if len(members) < 2:
            continue
        reach = 0.25 * max(lines[i].size for i in members) + 1e-9
        members.sort(key=lambda i: lines[i].y0)
        group = [members[0]]
        for previous, index in pairwise(members):
            if lines[index].y0 - lines[previous].y0 > reach:
                _merge_group(out, sorted(group), column_edge)
                group = []
            group.append(index)
        _merge_group(out, sorted(group), column_edge)
    return [line for line in out if line is not None]


def _joinable(left: Line, right: Line) -> bool:
    return abs(left.y0 - right.y0) <= 0.25 * right.size and -1 <= right.x0 - left.x1 <= 3 * right.size


def _joined(left: Line, right: Line) -> Line:
    return Line(left.page, f"{left.text} {right.text}", left.size, left.bold and right.bold, left.x0, right.x1,
                min(left.y0, right.y0), max(left.y1, right.y1), left.page_height)


def _merge_group(out: list[Line | None], indices: list[int], column_edge: Callable[[float], bool]) -> None:
    """Join the pieces among out[i] for i in indices (in their order); a joined piece becomes None."""
    if len(indices) < 2:
        return
    if len(indices) > MERGE_EXACTLY:
        chain = None
        for index in sorted(indices, key=lambda i: out[i].x0):  # left to right, each onto the one before
            line = out[index]
            if chain is not None and not column_edge(line.x0) and _joinable(out[chain], line):
                out[chain], out[index] = _joined(out[chain], line), None
            else:
                chain = index
        return
    while True:  # the first piece (in order) that has a left neighbour joins the nearest-ending one
        for right in indices:
            piece = out[right]
            if piece is None or column_edge(piece.x0):
                continue
            left = None
            for other in indices:
                if other != right and out[other] is not None and _joinable(out[other], piece) and (
                        left is None or out[other].x1 > out[left].x1):
                    left = other
            if left is not None:
                out[left], out[right] = _joined(out[left], piece), None
                break
        else:
            return


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The empty stretches between intervals, as (start, end)."""
    gaps, reach = [], None
    for start, end in sorted(spans):
        if reach is not None and start > reach:
            gaps.append((reach, start))
        reach = end if reach is None else max(reach, end)
    return gaps


def reading_order(lines: list[Line], depth: int = 0) -> list[Line]:
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
        return reading_order(left, depth + 1) + reading_order(right, depth + 1)
    if rows:
        cuts = [(a + b) / 2 for a, b in rows if b - a >= 0.75 * widest_row]  # ascending, as the rows are
        bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
        for line in lines:
            bands[bisect_left(cuts, -line.y1)].append(line)
        if len(bands) > 1:
            return [line for band in bands for line in reading_order(band, depth + 1)]
    return sorted(lines, key=lambda line: (-line.y1, line.x0))


# --- running headers, footers and page numbers ---------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pg\.?)?\s*(?:\d{1,4}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_DIGITS = re.compile(r"\d+")


def _furniture_key(line: Line) -> tuple[str, float]:
    return " ".join(_DIGITS.sub("#", line.text.lower()).split()), line.cls


def _margin_lines(page: list[Line]) -> list[Line]:
    """The lines that could be a running header or footer: near the top or bottom edge."""
    if not page:
        return []
    by_height = sorted(page, key=lambda line: -line.y1)
    height = page[0].page_height
    top = [line for line in by_height[:3] if line.y1 >= height * 0.85]
    bottom = [line for line in by_height[-3:] if line.y0 <= height * 0.15]
    return top + [line for line in bottom if all(line is not other for other in top)]


def _is_page_number(text: str) -> bool:
    bare = text.strip(" -–—|·•[](){}.").strip()
    return bool(bare) and bool(_PAGE_NUMBER.match(bare))


def remove_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Each page without its page number and the margin lines that repeat on other pages."""
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
