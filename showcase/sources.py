"""Reading content files: UTF-8 text, YAML with line numbers, and Markdown front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .messages import DATE_HINT, date_problem, place_name
from .yaml_messages import duplicate_key, yaml_problem

__all__ = ["DATE_HINT", "ContentProblem", "MarkdownSource", "YamlDocument", "date_problem", "load_yaml", "read_text",
           "split_front_matter"]

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _BaseLoader = yaml.SafeLoader

_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date",
          "binary": "base64 data"}


class _ValueProblem(yaml.YAMLError):
    """A value YAML recognised (a date, a number) but that cannot be what it says, at the value's place."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _DuplicateKey(yaml.YAMLError):
    """A field written twice in one group: YAML would silently keep the last."""

    def __init__(self, key: str, first: Any, second: Any):
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, except that a value it cannot make (30 February, a 5,000-digit number) is a
    problem at that value's line, not an exception from deep inside the YAML library, and a field
    written twice is a problem at the second one."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise _ValueProblem(_value_message(node, exc), node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[tuple[str, str], Any] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if (key.tag, key.value) in seen:
                        raise _DuplicateKey(key.value, seen[key.tag, key.value], key.start_mark)
                    seen[key.tag, key.value] = key.start_mark
        return super().construct_mapping(node, deep)


def _value_message(node: Any, exc: Exception) -> str:
    value = str(node.value) if isinstance(node.value, str) else ""
    kind = node.tag.rsplit(":", 1)[-1]
    if kind == "timestamp":
        return date_problem(value, exc)
    shown = value if len(value) <= 40 else f"{value[:40]}… ({len(value)} characters)"
    if "digits" in str(exc):  # Python refuses to read integers of more than 4,300 digits
        return f"this number is too long to read ({len(value)} digits); quote it to keep it as text"
    return f"'{shown}' is not {_KINDS.get(kind, 'a valid ' + kind)}"


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


def _name_at(text: str, mark: Any) -> str | None:
    """The field a value at `mark` belongs to, as the field checks name it: 'date', 'events.0.start'."""
    def walk(node: Any, path: tuple) -> tuple | None:
        if node.start_mark.index == mark.index and not isinstance(node, yaml.MappingNode):
            return path
        if isinstance(node, yaml.MappingNode):
            children = [(str(key.value), value) for key, value in node.value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(enumerate(node.value))
        else:
            return None
        for part, child in children:
            if child.start_mark.index <= mark.index <= child.end_mark.index:
                found = walk(child, (*path, part))
                if found:
                    return found
        return None

    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    path = walk(root, ()) if root is not None else None
    return place_name(path) if path else None


def load_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    try:
        data = yaml.load(text, Loader=_Loader)
    except _ValueProblem as exc:
        mark = exc.mark
        name = _name_at(text, mark) if mark else None
        raise ContentProblem(f"{name}: {exc.message}" if name else exc.message,
                             line_offset + mark.line + 1 if mark else None,
                             mark.column + 1 if mark else None) from None
    except _DuplicateKey as exc:
        raise ContentProblem(duplicate_key(exc.key, line_offset + exc.first.line + 1),
                             line_offset + exc.second.line + 1, exc.second.column + 1) from None
    except yaml.YAMLError as exc:  # what the reader could not read, said in plain words where it is
        message, (line, col) = yaml_problem(exc, text)
        raise ContentProblem(message, line_offset + line + 1, col + 1) from None
    if data is None:
        data = {}
    return YamlDocument(data, text, line_offset)


@dataclass
class MarkdownSource:
    front_matter: YamlDocument
    body: str
    body_line: int  # file line where the body starts


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that ends the front matter begun on the first line ('---' or '...' at the start of
    a line: "  ---" is inside a value), or None."""
    return next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")), None)


def split_front_matter(text: str) -> MarkdownSource:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentProblem("the file must start with front matter between two '---' lines", 1, 1)
    index = front_matter_end(lines)
    if index is None:
        raise ContentProblem("the front matter is not closed: add a '---' line after it", 1, 1)
    front = load_yaml("\n".join(lines[1:index]), line_offset=1)
    if not isinstance(front.data, dict):
        raise ContentProblem("front matter must be a list of 'field: value' lines", 2, 1)
    return MarkdownSource(front, "\n".join(lines[index + 1 :]), index + 2)
