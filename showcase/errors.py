"""Diagnostics: problems an editor can act on, each naming a file and, where known, a line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # as given; shown relative to the current folder
    line: int | None
    col: int | None
    severity: Severity
    message: str

    def location(self) -> str:
        shown = _relative(self.path)
        if self.line is None:
            return shown
        return f"{shown}:{self.line}:{self.col or 1}"

    def format(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message}"


def _relative(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


@dataclass
class Diagnostics:
    """Collects every problem of a build so they can be reported together."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.items.append(Diagnostic(str(path), line, col, "error", message))

    def warning(self, path: Path | str, message: str, line: int | None = None, col: int | None = None) -> None:
        self.items.append(Diagnostic(str(path), line, col, "warning", message))

    def extend(self, other: list[Diagnostic]) -> None:
        self.items.extend(other)

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
    """A mistake in how the command was called (exit status 2)."""
