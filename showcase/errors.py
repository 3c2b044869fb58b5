"""Diagnostics: problems an editor can act on, each naming a file and, where known, a line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "note"]  # notes: what `check` says of files it does not publish


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # as given; shown relative to the current folder
    line: int | None
    col: int | None
    severity: Severity
    message: str

    def __post_init__(self) -> None:
        # one diagnostic, one line: whatever a file name or a field brought in is made visible, never obeyed
        if not self.message.isprintable():
            object.__setattr__(self, "message", one_line(self.message))
        if not self.path.isprintable():
            object.__setattr__(self, "path", printable_path(self.path))

    def location(self) -> str:
        shown = _relative(self.path)
        if self.line is None:
            return shown
        return f"{shown}:{self.line}:{self.col or 1}"

    def format(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message}"


_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])+[ \t]*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def one_line(text: str) -> str:
    """Text fit for one line of a terminal or a log: line breaks become ' / ', tabs spaces, other control
    characters and bytes that are not UTF-8 (file names, `surrogateescape`) are shown escaped."""
    text = _LINE_BREAKS.sub(" / ", text).replace("\t", " ")
    text = _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return _SURROGATES.sub(_escape_surrogate, text)


def printable_path(path: str) -> str:
    """A file name with line breaks, control characters or bytes that are not UTF-8, shown escaped."""
    return _SURROGATES.sub(_escape_surrogate, _ANY_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", path))


def _escape_surrogate(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"  # a byte, as Python keeps it


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


@dataclass
class Diagnostics:
    """Collects every problem of a build so they can be reported together."""

    items: list[Diagnostic] = field(default_factory=list)  # each problem once, in the order found
    _seen: set[Diagnostic] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        given, self.items = self.items, []
        self.extend(given)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a problem, unless the very same one (file, line, column, severity, message) is known."""
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.items.append(diagnostic)

    def error(self, path: Path | str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.add(Diagnostic(str(path), line, col, "error", message))

    def warning(self, path: Path | str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.add(Diagnostic(str(path), line, col, "warning", message))

    def extend(self, other: list[Diagnostic]) -> None:
        for diagnostic in other:
            self.add(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line or 0, d.col or 0, d.message))


class UsageError(Exception):
    """A mistake in how the command was called (exit status 2), or a reason the command cannot run that is not
    the content's (a subclass says which exit status)."""

    exit_status = 2
