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
    """The column of what the message is about on this line, 0 where it is not there as written."""
    address, words = _ADDRESS.match(message), _WORDS.match(message)
    if address:
        found = line.find(f"]({address[1]}")
        return found + 3 if found >= 0 else line.find(address[1]) + 1
    if words:
        found = line.find(f"[{words[1]}]")
        return found + 2 if found >= 0 else 0
    return line.find("[](") + 1
