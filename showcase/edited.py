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
    from .lastbuild import LastBuild
    from .warm import _Last

CAME = "files came or went"  # perhaps stories added: see added.py
MORE_THAN_BODIES = "more than the body of"  # perhaps stories' details edited: see added.py
NOT_ONLY_STORIES = "not only stories changed"  # perhaps static files saved again: see static_in_place.py


def bodies_changed(state: _Last, files: ContentFiles, last: LastBuild) -> list[tuple] | str:
    """For each story file changed since the last good build (when only their bodies did, in a way no other page
    can see): (its file, its story in the site or None, the story parsed again, its parse cache entry). Else why
    not, for `WarmState.declined`: "nothing changed", CAME when files came or went, or another reason."""
    assert last.inputs is not None
    changed = state.snapshot.changed(last.inputs)
    if not changed:
        return CAME if changed is None else "nothing changed"
    if not all(os.path.isfile(path) for path in changed):  # gone since the file watcher last said (or missed)
        return CAME
    root = os.path.join(str(files.root), "")
    stories = set(files.stories)
    rels = [path[len(root):] for path in changed if path.startswith(root)]
    if len(rels) != len(changed) or not stories.issuperset(rels):
        return NOT_ONLY_STORIES  # a template, an asset, site.yaml or any other kind of file
    parser = Parser(files)
    updates = []
    for rel in rels:
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
