"""Static files added or saved again in the preview (`static/...`), copied into the next version of the site it keeps
in memory: nothing is planned again, and only the pages that ask whether such a file is published (a favicon) are
rendered. A file at a place the site already uses, or robots.txt (merged with the showcase's own rules), goes to the
ordinary build."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .added import changed_keys
from .discover import ContentFiles
from .publishing import PublishRules
from .reserved import MERGED_STATIC, SEARCH_FOLDER, folders_of, static_clash

if TYPE_CHECKING:
    from .changes import Changes
    from .pages import PageTask
    from .warm import _Last


@dataclass
class StaticFile:
    rel: str  # its file, relative to the content folder ("static/favicon.svg")
    target: str  # where the site has it ("favicon.svg")
    new: bool  # it came (else it was saved again)
    entry: tuple | None = None  # (no parse cache entry: it is copied, not parsed)


def static_changed(state: _Last, changes: Changes, files: ContentFiles) -> list[StaticFile] | str:
    """The static files that came or changed since the last good build (and nothing else, see in_place.py); else why
    they cannot be copied so (for `WarmState.declined`)."""
    came, changed = changes.came, changes.changed
    outputs = frozenset(state.snapshot.outputs)
    folders = folders_of(outputs) | {SEARCH_FOLDER}
    static = []
    for rel, new in zip(came + changed, [True] * len(came) + [False] * len(changed)):
        target = rel.removeprefix("static/")
        if target == MERGED_STATIC:
            return f"{rel} is merged with the showcase's own rules"
        if new and static_clash(target, outputs, folders):
            return f"{rel} has the place of a file or folder of the site"
        if not os.path.isfile(files.path(rel)):
            return "files came or went"
        static.append(StaticFile(rel, target, new))
    return static


def plan_static(state: _Last, static: list[StaticFile], rules: PublishRules) -> tuple[set[str], dict[str, PageTask],
                                                                                      set[str]]:
    """The new files' addresses put into the site in memory; the pages that asked for them, to render."""
    keys = set()
    for file in static:
        if file.new:
            state.site.urls[file.rel] = file.target
            keys.add(f"url:{file.rel}")
    changed = changed_keys(state, keys)
    pages: set[str] = set().union(*(state.readers[key] for key in changed))
    return pages, dict(state.tasks), changed
