"""The terminal showcase writes to: text from content (a file's name, a YAML value in a message) is shown with
its control characters written out, so that a name cannot move the cursor, clear the screen, set the clipboard
(ESC sequences) or reorder what is shown (bidirectional overrides)."""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console

# C0 and C1 controls but the line break and the tab, DEL, and Unicode's bidirectional embeddings and isolates
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    return _HIDDEN.sub(lambda m: repr(m.group())[1:-1], text)


class Terminal(Console):
    """A rich Console that writes out control characters in the text it is given to print."""

    def print(self, *objects: Any, **options: Any) -> None:  # noqa: A003 (rich's name)
        super().print(*(visible(o) if isinstance(o, str) else o for o in objects), **options)
