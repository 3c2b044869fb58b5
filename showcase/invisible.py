"""Characters that have no place in a published page: control characters other than tab and line ends, lone
surrogates and noncharacters. YAML lets an editor write them as escapes (`title: "A\\x01B"`); they are left
out of every page (render.py) and `check` says where they were (validation.py)."""

from __future__ import annotations

import re
from typing import Any

INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def invisible_values(data: Any, loc: tuple = ()) -> list[tuple[tuple, int]]:
    """Where in YAML data a text holds such a character, and the first one's code point."""
    if isinstance(data, str):
        found = INVISIBLE.search(data)
        return [(loc, ord(found.group()))] if found else []
    if isinstance(data, dict):
        return [hit for key, value in data.items() for hit in invisible_values(value, (*loc, key))]
    if isinstance(data, list):
        return [hit for index, value in enumerate(data) for hit in invisible_values(value, (*loc, index))]
    return []
