"""Reading content files: UTF-8 text, YAML with line numbers, and Markdown front matter."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

DATE_HINT = "dates are written YYYY-MM-DD, e.g. 2026-11-30"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not calendar.month_name, which follows the locale
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date",
          "binary": "base64 data"}


class _ValueProblem(yaml.YAMLError):
    """A value YAML recognised (a date, a number) but that cannot be what it says, at the value's place."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, except that a value it cannot make (30 February, a 5,000-digit number) is a
    problem at that value's line, not an exception from deep inside the YAML library."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise _ValueProblem(_value_message(node, exc), node.start_mark) from None


def _value_message(node: Any, exc: Exception) -> str:
    value = str(node.value) if isinstance(node.value, str) else ""
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "timestamp":
        return date_problem(value, exc)
    shown = value if len(value) <= 40 else f"{value[:40]}… ({len(value)} characters)"
    if "digits" in str(exc):  # Python refuses to read integers of more than 4,300 digits
        return f"this number is too long to read ({len(value)} digits); quote it to keep it as text"
    return f"'{shown}' is not {_KINDS.get(kind, 'a valid ' + kind)}"


def date_problem(value: str, exc: Exception | None = None) -> str:
    """Why a date written like YYYY-MM-DD is not one: 'there is no 30 February 2026; ...'."""
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if year < 1:
            return f"there is no year {year}; {DATE_HINT}"
        if not 1 <= month <= 12:
            return f"there is no month {month} in {value.strip()}; {DATE_HINT}"
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return f"there is no {day} {_MONTHS[month - 1]} {year}; {DATE_HINT}"
    shown = value.strip() if len(value.strip()) <= 40 else value.strip()[:40] + "…"
    if isinstance(exc, ValueError) and str(exc):  # a date and time YAML recognised, with an impossible time
        return f"'{shown}' is not a real date and time ({exc}); {DATE_HINT}"
    return f"'{shown}' is not a date; {DATE_HINT}"


class ContentProblem(Exception):
    """A mistake in one file; line and col are 1-based positions in that file."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentProblem(
            f"this file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8", line, col
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


@dataclass
class YamlDocument:
    """Parsed YAML plus what is needed to point at the line of any key."""

    data: Any
    text: str
    line_offset: int  # lines in the file before the YAML text starts

    def locate(self, loc: tuple[str | int, ...]) -> tuple[int, int]:
        """File line and column of the deepest key in `loc` that exists (parsed only when asked)."""
        node = yaml.compose(self.text, Loader=_Loader)
        if node is None:
            return self.line_offset + 1, 1
        mark = node.start_mark
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == str(part):
                        mark, child = key.start_mark, value
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
                mark = child.start_mark
            if child is None:
                break
            node = child
        return self.line_offset + mark.line + 1, mark.column + 1


def load_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    try:
        data = yaml.load(text, Loader=_Loader)
    except _ValueProblem as exc:
        mark = exc.mark
        raise ContentProblem(exc.message, line_offset + mark.line + 1 if mark else None,
                             mark.column + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "cannot be read"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        line = line_offset + mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise ContentProblem(f"YAML cannot be read: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise ContentProblem(f"YAML cannot be read: {exc}", line_offset + 1, 1) from None
    if data is None:
        data = {}
    return YamlDocument(data, text, line_offset)


@dataclass
class MarkdownSource:
    front_matter: YamlDocument
    body: str
    body_line: int  # file line where the body starts


def split_front_matter(text: str) -> MarkdownSource:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentProblem("the file must start with front matter between two '---' lines", 1, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            front = load_yaml(yaml_text, line_offset=1)
            if not isinstance(front.data, dict):
                raise ContentProblem("front matter must be a list of 'field: value' lines", 2, 1)
            return MarkdownSource(front, "\n".join(lines[index + 1 :]), index + 2)
    raise ContentProblem("the front matter is not closed: add a '---' line after it", 1, 1)
