"""The lines of one page put in order: pieces of a justified line joined again, and columns read one after
the other (or, where a heading stands between two-column stretches, section after section).

Everything here is O(n log n) in the lines of a page, whatever the page looks like: a question about a
line's neighbours looks at the NEAR nearest lines above or below it at most."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from itertools import pairwise

from .model import Line

MERGE_EXACTLY = 60  # lines on one baseline in one size; beyond that (a table, overprinted text) a quicker way


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Put back together a line that the layout analysis cut where justification left wide spaces.

    A piece to the right of another on the same baseline, in the same size, close to it and not at the left
    edge of a column, is the rest of that line, unless that other one is a whole line of a column (see
    `Neighbours`). Only lines of one size whose baselines are a chain of near neighbours can ever be joined,
    so each such group is worked out on its own; the result keeps the lines' order, a joined line where its
    left piece was."""
    near = Neighbours(lines)
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
                _merge_group(out, sorted(group), near)
                group = []
            group.append(index)
        _merge_group(out, sorted(group), near)
    return [line for line in out if line is not None]


NEAR = 32  # lines looked at just above or below a piece, the nearest (more only in a table or overprinted text)


class Neighbours:
    """What lies just above and below the pieces of a page: enough to tell where columns start and end from
    the wide spaces of justified lines. Each question looks at a bounded number of lines."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts = Counter(round(line.x0) for line in lines)
        self.order = sorted(range(len(lines)), key=lambda i: lines[i].y0)
        self.heights = [lines[i].y0 for i in self.order]
        self.edges: dict[int, bool] = {}  # (each answer worked out once: a bounded cost for each line)
        self.wholes: dict[tuple[float, float, float, float], bool] = {}
        self.going_on: dict[int, bool] = {}

    def near(self, line: Line, sign: int, reach: float) -> list[Line]:
        """The lines whose baselines are 0.5 to `reach` sizes above (sign 1) or below (-1) `line`'s (the
        NEAR nearest)."""
        low, high = sorted((line.y0 + sign * 0.5 * line.size, line.y0 + sign * reach * line.size))
        first, last = bisect_right(self.heights, low), bisect_right(self.heights, high)
        first, last = (first, min(last, first + NEAR)) if sign > 0 else (max(first, last - NEAR), last)
        return [self.lines[self.order[k]] for k in range(first, last)]

    def at_edge(self, index: int) -> bool:
        """Whether lines[index] starts at the left edge of a column: where at least three lines of the page
        start, or a line just above or below it (0.5 to 2 sizes away) starts too (a column two lines long),
        unless lines above it and below it (0.5 to 3.5 sizes away: the next line may be justified in pieces
        too) run across that point. The edge of a column is an edge all the way down; a word that
        justification happened to push under other lines' starts is not."""
        if index not in self.edges:
            line = self.lines[index]
            x = line.x0

            def crossed(sign: int) -> bool:
                return any(o.x0 < x - 1 < x + 1 < o.x1 for o in self.near(line, sign, 3.5))

            starts = sum(self.starts[round(x) + d] for d in (-1, 0, 1)) >= 3 or any(
                abs(o.x0 - x) <= 1 for sign in (1, -1) for o in self.near(line, sign, 2))
            self.edges[index] = starts and not (crossed(1) and crossed(-1))
        return self.edges[index]

    def whole(self, line: Line) -> bool:
        """Whether `line` is a whole line of a column: of the lines of its size that start where it does
        (0.5 to 3.5 sizes above or below it) none ends further right, and one just above or below it (up to
        2 sizes away) ends where it does and has nothing on its baseline to go on with. A piece of a
        justified line never reaches as far as the whole lines around it, and what stands to the right of
        a whole line is the next column."""
        key = (line.x0, line.x1, line.y0, line.size)
        if key not in self.wholes:
            aligned = [o for sign in (1, -1) for o in self.near(line, sign, 3.5)
                       if o.cls == line.cls and abs(o.x0 - line.x0) <= 1]
            self.wholes[key] = all(o.x1 <= line.x1 + 1 for o in aligned) and any(
                abs(o.x1 - line.x1) <= 1 and abs(o.y0 - line.y0) <= 2 * line.size and not self.goes_on(o)
                for o in aligned)
        return self.wholes[key]

    def goes_on(self, line: Line) -> bool:
        """Whether a piece of the size of `line` (one of the page's lines) could join it on the right."""
        if id(line) not in self.going_on:
            first = bisect_right(self.heights, line.y0 - 0.3 * line.size)
            last = bisect_right(self.heights, line.y0 + 0.3 * line.size)
            self.going_on[id(line)] = any(
                o is not line and o.cls == line.cls and _joinable(line, o)
                for o in (self.lines[self.order[k]] for k in range(first, min(last, first + NEAR))))
        return self.going_on[id(line)]


def _joinable(left: Line, right: Line) -> bool:
    return abs(left.y0 - right.y0) <= 0.25 * right.size and -1 <= right.x0 - left.x1 <= 3 * right.size


def _joined(left: Line, right: Line) -> Line:
    return Line(left.page, f"{left.text} {right.text}", left.size, left.bold and right.bold, left.x0, right.x1,
                min(left.y0, right.y0), max(left.y1, right.y1), left.page_height)


def _merge_group(out: list[Line | None], indices: list[int], near: Neighbours) -> None:
    """Join the pieces among out[i] for i in indices (in their order); a joined piece becomes None."""
    if len(indices) < 2:
        return
    if len(indices) > MERGE_EXACTLY:
        chain = None
        for index in sorted(indices, key=lambda i: out[i].x0):  # left to right, each onto the one before
            line = out[index]
            if (chain is not None and not near.at_edge(index) and _joinable(out[chain], line)
                    and not near.whole(out[chain])):
                out[chain], out[index] = _joined(out[chain], line), None
            else:
                chain = index
        return
    while True:  # the first piece (in order) that has a left neighbour joins the nearest-ending one
        for right in indices:
            piece = out[right]
            if piece is None or near.at_edge(right):
                continue
            left = None
            for other in indices:
                if other != right and out[other] is not None and _joinable(out[other], piece) and (
                        left is None or out[other].x1 > out[left].x1) and not near.whole(out[other]):
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
    read one after the other (first into sections, if a heading that does not reach across the gutter
    parts two-column stretches: see `_sections`); otherwise at its widest gaps between lines, from the
    top. Running headers and footers, which often reach across the gutter, are gone by then."""
    if len(lines) <= 1 or depth > 60:
        return sorted(lines, key=lambda line: (-line.y1, line.x0))
    columns = _gaps([(line.x0, line.x1) for line in lines])
    rows = _gaps([(-line.y1, -line.y0) for line in lines])
    widest_row = max((b - a for a, b in rows), default=0.0)
    gutter = max(columns, key=lambda gap: gap[1] - gap[0], default=None)
    if gutter and gutter[1] - gutter[0] >= max(6.0, 0.4 * widest_row):
        cut = (gutter[0] + gutter[1]) / 2
        sections = _sections(lines, cut, rows)
        if sections:
            return [line for band in _bands(lines, sections) for line in reading_order(band, depth + 1)]
        left = [line for line in lines if line.x1 <= cut]
        right = [line for line in lines if line.x1 > cut]
        return reading_order(left, depth + 1) + reading_order(right, depth + 1)
    if rows:
        bands = _bands(lines, [(a + b) / 2 for a, b in rows if b - a >= 0.75 * widest_row])
        if len(bands) > 1:
            return [line for band in bands for line in reading_order(band, depth + 1)]
    return sorted(lines, key=lambda line: (-line.y1, line.x0))


def _bands(lines: list[Line], cuts: list[float]) -> list[list[Line]]:
    """The lines cut into bands at heights `cuts` (ascending, as -y), from the top."""
    bands: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for line in lines:
        bands[bisect_left(cuts, -line.y1)].append(line)
    return bands


def _sections(lines: list[Line], cut: float, rows: list[tuple[float, float]]) -> list[float]:
    """Where a region whose columns are parted at `cut` is rather a stack of sections: around each band of
    lines (between two of the gaps `rows`) with text on one side of the gutter only, that follows two
    columns ending at about the same height (balanced), stands apart from them and from what follows (its
    gaps twice as wide as most, and wider than 0.6 of a line's size), and is the last band or has text on
    the other side below it too: a heading between or after two-column stretches, which does not reach
    across the gutter. Where columns run on from one to the next, a line beside an empty stretch of the
    other column ends that column and follows its line above closely, or that other column ended long
    before, or nothing follows it there (the text ended in the middle of the other column)."""
    cuts = [(a + b) / 2 for a, b in rows]
    sides = [0] * (len(cuts) + 1)
    lowest = [[float("inf"), float("inf")] for _ in sides]  # in each band, the lowest baseline on each side
    for line in lines:
        band, side = bisect_left(cuts, -line.y1), int(line.x1 > cut)
        sides[band] |= 1 << side
        lowest[band][side] = min(lowest[band][side], line.y0)
    below = [0] * len(sides)  # the sides with text in the bands below each band
    for i in range(len(sides) - 2, -1, -1):
        below[i] = below[i + 1] | sides[i + 1]
    widths, sizes = sorted(b - a for a, b in rows), sorted(line.size for line in lines)
    wide = max(2 * widths[len(widths) // 2] if widths else 0.0, 0.6 * sizes[len(sizes) // 2])
    balanced = 4 * sizes[len(sizes) // 2]  # (columns balanced by a browser may differ by two lines or so)
    found: set[float] = set()
    ends = [float("inf"), float("inf")]  # the lowest baseline on each side so far
    for i, side in enumerate(sides):
        if (i and side in (1, 2) and max(ends) < float("inf") and abs(ends[0] - ends[1]) <= balanced
                and rows[i - 1][1] - rows[i - 1][0] >= wide
                and (i == len(rows) or (below[i] & (3 - side) and rows[i][1] - rows[i][0] >= wide))):
            found.update(cuts[i - 1: i + 1])
        ends = [min(a, b) for a, b in zip(ends, lowest[i], strict=True)]
    return sorted(found)
