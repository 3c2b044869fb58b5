"""Check the data of a YAML file against its model: the typed model, or a diagnostic at the line of each key
it refuses, in plain words (field_messages.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Diagnostic
from .field_messages import field_problems
from .invisible import invisible_values
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
    return meta, _invisible_characters(path, doc)


def _invisible_characters(path: Path, doc: YamlDocument) -> list[Diagnostic]:
    """A warning where a text holds a character written as an escape that no page can show (it is left out)."""
    if "\\" not in doc.text:  # only an escape in quotes can give one: YAML refuses them typed as they are
        return []
    found = []
    for loc, code in invisible_values(doc.data):
        line, col = doc.locate(loc)
        name = ".".join(str(part) for part in loc)
        found.append(Diagnostic(str(path), line, col, "warning",
                                f"{name}: holds an invisible control character (U+{code:04X}), written as an escape; "
                                "it is left out of the pages: delete it"))
    return found
