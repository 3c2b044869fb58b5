"""Check the data of a YAML file against its model: the typed model, or a diagnostic at the line of each key
it refuses, in plain words (field_messages.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic
from .field_messages import field_problems
from .invisible import invisible_values
from .messages import place_name, quoted
from .sources import YamlDocument


def validation_diagnostics(path: Path, doc: YamlDocument, model: type[BaseModel]) -> tuple[Any, list[Diagnostic]]:
    """Validate YAML data against a model; each problem points at the line of its key."""
    if not isinstance(doc.data, dict):
        line, col = doc.locate(())
        return None, [Diagnostic(str(path), line, col, "error", "expected 'field: value' lines, not a single value or a list")]
    try:
        meta = model.model_validate(doc.data)
    except ValidationError as exc:
        found = []
        for message, loc in field_problems(exc.errors(), doc.data, model):
            line, col = doc.locate(loc)
            found.append(Diagnostic(str(path), line, col, "error", message))
        return None, found
    return meta, _invisible_characters(path, doc) + _text_cut_by_yaml(path, doc)


# Fields of plain text, where ' #' or a leading '&' is far likelier the editor's words than YAML's comment or anchor
_TEXT_FIELDS = ("title", "summary", "content_note", "alt", "caption", "name", "tagline", "statement", "credit",
                "description", "role", "affiliation")
_COMMENT_AFTER = re.compile(rf"^({'|'.join(_TEXT_FIELDS)})[ \t]*:[ \t]+([^'\"\s&*|>\[{{#!%@`][^\n]*?)[ \t]+#(.*)$")
_ANCHOR_FIRST = re.compile(rf"^({'|'.join(_TEXT_FIELDS)})[ \t]*:[ \t]+&(\S+)(?:[ \t]+(\S.*))?$")


def _text_cut_by_yaml(path: Path, doc: YamlDocument) -> list[Diagnostic]:
    """A warning where YAML silently leaves out part of a text written without quotes: what follows ' #' (read as a
    comment: `title: Hands #1 in the clay` is "Hands"), or a first word starting with '&' (read as an anchor)."""
    if "#" not in doc.text and "&" not in doc.text:
        return []
    found = []
    for number, line in enumerate(doc.text.splitlines(), doc.line_offset + 1):
        comment = _COMMENT_AFTER.match(line)
        if comment:
            key, kept = comment.group(1), comment.group(2).strip()
            written = quoted(line.split(":", 1)[1].strip())
            found.append(Diagnostic(str(path), number, comment.start(3), "warning",  # (the column of the #)
                                    f"{key}: only '{kept}' is read: YAML takes ' #' and what follows for a comment. "
                                    f"If it is part of the {key}, put the whole {key} in quotes: {key}: {written}"))
            continue
        anchor = _ANCHOR_FIRST.match(line)
        if anchor:
            key, word = anchor.group(1), anchor.group(2)
            written = quoted(line.split(":", 1)[1].strip())
            found.append(Diagnostic(str(path), number, anchor.start(2), "warning",  # (the column of the &)
                                    f"{key}: '&{word}' is left out: YAML takes a word starting with '&' for an anchor. "
                                    f"Put the whole {key} in quotes: {key}: {written}"))
    return found


def _invisible_characters(path: Path, doc: YamlDocument) -> list[Diagnostic]:
    """A warning where a text holds a character written as an escape that no page can show (it is left out)."""
    if "\\" not in doc.text:  # only an escape in quotes can give one: YAML refuses them typed as they are
        return []
    found = []
    for loc, code in invisible_values(doc.data):
        line, col = doc.locate(loc)
        name = place_name(loc)
        found.append(Diagnostic(str(path), line, col, "warning",
                                f"{name}: holds an invisible control character (U+{code:04X}), written as an escape; "
                                "it is left out of the pages: delete it"))
    return found
