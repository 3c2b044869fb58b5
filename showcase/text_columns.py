"""Where on its line a problem of a Markdown text is: the column of the address or the words it is about, found in
the file as written (the Markdown parsers give lines only, and a text in a YAML file is indented there)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .errors import Diagnostic
from .sources import ContentProblem, read_text

_ADDRESS = re.compile(r"^'(.+?)' (?:points|starts) ")  # where a link or an image leads
_WORDS = re.compile(r"^(?:link text|image text alternative) '(.+?)' ")  # the words of a link or an image
_EMPTY_LINK = "a link has no text"


def at_their_columns(path: Path, found: list[Diagnostic]) -> list[Diagnostic]:
    """These problems of a text in `path`, each a link's or an image's said at the column of its address or its words
    where that is on its line as written; the others, and any not found so (a reference-style link defined on
    another line, say), as they were."""
    if not any(_about_a_link(d) for d in found):
        return found
    try:
        lines = read_text(path).split("\n")
    except (ContentProblem, OSError):
        return found
    placed = []
    for diagnostic in found:
        if _about_a_link(diagnostic) and diagnostic.line is not None and 0 < diagnostic.line <= len(lines):
            column = _column(lines[diagnostic.line - 1], diagnostic.message)
            if column > 1:
                diagnostic = dataclasses.replace(diagnostic, col=column)
        placed.append(diagnostic)
    return placed


def _about_a_link(diagnostic: Diagnostic) -> bool:
    message = diagnostic.message
    return diagnostic.col in (1, None) and bool(_ADDRESS.match(message) or _WORDS.match(message)
                                                or message.startswith(_EMPTY_LINK))


def _column(line: str, message: str) -> int:
    """The column of what the message is about on this line, 0 where it is not there as written: an address right
    after `](` (or `](<`) and ending there, the words of a link or image between [ and ], an empty link's [."""
    address, words = _ADDRESS.match(message), _WORDS.match(message)
    if address:
        for opening, ends in (("](", ") \t\"'"), ("](<", ">")):
            found = _whole(line, opening + address[1], ends)
            if found >= 0:
                return found + len(opening) + 1
        return 0
    if words:
        found = line.find(f"[{words[1]}]")
        return found + 2 if found >= 0 else 0
    found = line.find("[](")
    while found > 0 and line[found - 1] == "!":  # an image with no words is not a link
        found = line.find("[](", found + 1)
    return found + 1


def _whole(line: str, written: str, ends: str) -> int:
    """Where `written` is on the line followed by one of `ends` (or the line's end), -1 where it is not."""
    found = line.find(written)
    while found >= 0:
        after = found + len(written)
        if after == len(line) or line[after] in ends:
            return found
        found = line.find(written, found + 1)
    return -1
