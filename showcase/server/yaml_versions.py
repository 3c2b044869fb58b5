"""What the browser editor writes, read by the build as the editor meant it.

Decap CMS writes YAML 1.2 (its yaml library): a text field holding `No`, `on`, `12:30`, `1_000` or `0b11` is
written without quotes, since YAML 1.2 reads each as text. The build reads YAML 1.1 (PyYAML), where those are
true or false, or numbers, and would refuse the save, telling the editor to put quotes that a form field cannot
add (typed quotes become part of the text). So before a save is checked, exactly those values are quoted: the
ones YAML 1.2 reads as text and YAML 1.1 does not. What YAML 1.2 reads as true, false, null or a number (the
editor's switches and number fields) stays as it is, and so do dates (the date fields write them unquoted, as
dates)."""

from __future__ import annotations

import re

import yaml

from ..sources import _Loader, front_matter_end

# YAML 1.2's core schema: the plain values it reads as something other than text
_CORE_12 = re.compile(r"""(?x)^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE
    |[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+
    |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""")
# what YAML 1.1 may read a plain value as, other than text or a date
_NOT_TEXT_IN_11 = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                   "tag:yaml.org,2002:null", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"}


def as_the_build_reads_it(raw: str, path: str) -> str:
    """The file Decap wrote (`raw`, at `path` in the content folder) with the values YAML 1.2 reads as text and
    YAML 1.1 does not put in quotes: the whole of a .yaml file, the front matter of a Markdown file."""
    if path.endswith((".yaml", ".yml")):
        return _quoted(raw)
    if path.endswith(".md"):
        lines = raw.split("\n")
        end = front_matter_end(lines) if lines[0].strip() == "---" else None
        if end is not None:
            return "\n".join([lines[0], _quoted("\n".join(lines[1:end])), *lines[end:]])
    return raw


def _quoted(text: str) -> str:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return text  # the check of the save says what is wrong, and where
    spots: list[tuple[int, int, str]] = []

    def walk(node: yaml.Node, is_key: bool = False) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key, True)
                walk(value)
        elif isinstance(node, yaml.SequenceNode):
            for value in node.value:
                walk(value)
        elif isinstance(node, yaml.ScalarNode) and not node.style and not is_key and node.value:
            if node.tag in _NOT_TEXT_IN_11 and not _CORE_12.match(node.value):
                spots.append((node.start_mark.index, node.end_mark.index, node.value))

    if root is not None:
        walk(root)
    for start, end, value in sorted(spots, reverse=True):
        text = text[:start] + "'" + value.replace("'", "''") + "'" + text[end:]
    return text
