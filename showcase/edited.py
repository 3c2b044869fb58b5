"""Story bodies edited in the preview: which saves changed nothing but what pages see through story bodies, so that
the preview renders the pages that read them from the site it keeps in memory (warm.py)."""

from __future__ import annotations

import os
import pickle
from typing import TYPE_CHECKING

from .content import Story
from .discover import ContentFiles
from .parse import Parser, body_change, parse_story

if TYPE_CHECKING:
    from .changes import Changes
    from .lastbuild import LastBuild
    from .warm import _Last

MORE_THAN_BODIES = "more than the body of"  # perhaps stories' details edited: see restated.py


def bodies_changed(state: _Last, changes: Changes, files: ContentFiles, last: LastBuild) -> list[tuple] | str:
    """Of story files changed since the last good build (and nothing else, see in_place.py), when only their bodies
    did, in a way no other page can see: for each (its file, its story in the site or None, the story parsed again,
    its parse cache entry). Else why not, for `WarmState.declined` (MORE_THAN_BODIES: perhaps details edited)."""
    if not all(os.path.isfile(files.path(rel)) for rel in changes.changed):  # gone since the watcher last said
        return "files came or went"
    parser = Parser(files)
    updates = []
    for rel in changes.changed:
        update = _body_only(parser, last, rel, state)
        if update is None:
            return f"{MORE_THAN_BODIES} {rel} changed"
        updates.append(update)
    return updates


def _body_only(parser: Parser, last: LastBuild, rel: str, state: _Last) -> tuple | None:
    """(source, the story in the site or None, the story parsed again, its parse cache entry) when only its
    body changed in a way no other page can see; None otherwise."""
    old_entry = state.parse_cache.get(rel)
    if old_entry is None:
        return None
    entry = parse_story(parser, last.store, last.digests, rel)
    if body_change(old_entry, entry) is None:
        return None
    item, _ = pickle.loads(entry[2])
    story = state.fingerprints.items.get(rel)
    return rel, story if isinstance(story, Story) else None, item, entry
