"""Reading content files: UTF-8 text, YAML with line numbers, and Markdown front matter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; fall back to the pure-Python parser where it is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


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
