"""Stories removed in the preview, taken out of the site it keeps in memory as added.py puts new ones in: their pages
go, the pages that listed or linked them are rendered again, and the related stories of the stories near them worked
out again. A story another file links to, one an exhibition shows, the last story of a practice or tag, or one
something was said of goes to the ordinary build (which says what breaks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .added import plan_in_place, take_out, term_kinds, typed
from .content import Story
from .deps import item_key
from .discover import ContentFiles
from .publishing import PublishRules
from .related import near, relate_added

if TYPE_CHECKING:
    from .changes import Changes
    from .pages import PageTask
    from .warm import _Last


@dataclass
class Removed:
    rel: str  # its file, relative to the content folder (gone)
    story: Story | None  # as the site in memory shows it (None: it was not shown)
    entry: None = None  # (nothing parsed)


def stories_removed(state: _Last, changes: Changes, files: ContentFiles) -> list[Removed] | str:
    """The stories whose files went since the last good build (and nothing else, see in_place.py), when nothing else
    needs them; else why not (for `WarmState.declined`)."""
    rels = changes.went
    if not all(rel in state.parse_cache for rel in rels):
        return "files went that are not stories"
    gone = set(rels)
    for source, entry in state.parse_cache.items():  # what each file looked at: the files it links to, say
        if source not in gone and any(read[0] in gone for read in entry[1]):
            return f"{source} links to a story removed"
    said = {diagnostic.path for diagnostic in state.diagnostics}
    site, removed = state.site, []
    for rel in rels:
        story = state.fingerprints.items.get(rel)
        if str(files.root / rel) in said or (isinstance(story, Story) and typed(story)):
            return f"{rel} had something said of it"
        if story is not None and not isinstance(story, Story):
            return f"{rel} was not a story"
        if story is not None and story.exhibitions:
            return f"{rel} is shown in an exhibition"
        for _, key, terms in term_kinds(site) if story is not None else ():
            for slug in getattr(story.meta, key):
                if not terms[slug].projects and all(other.source in gone for other in terms[slug].stories):
                    return f"{rel} leaves a practice or tag with no stories"
        removed.append(Removed(rel, story))
    return removed


def plan_removed(state: _Last, removed: list[Removed], rules: PublishRules) -> tuple[set[str], dict[str, PageTask],
                                                                                    set[str]]:
    """Take the stories out of the site in memory and find the pages to render, as added.plan_added (their own pages
    are not planned: they go)."""
    site = state.site
    keys: set[str] = set()
    again: set[str] = set()
    shown = [r.story for r in removed if r.story is not None]
    before = near(site.stories, shown) if shown else []
    for story in shown:
        take_out(site, story, keys, again)
        site.urls.pop(story.source, None)
        state.fingerprints.items.pop(story.source, None)
        keys.add(f"url:{story.source}")
    prefixes = tuple(f"item:{story.source}:" for story in shown)
    keys.update(key for key in state.readers if prefixes and key.startswith(prefixes))
    these = {id(story) for story in shown}
    if shown:
        for story in relate_added(site.stories, [], state.related, also=[s for s in before if id(s) not in these]):
            keys.add(item_key(story, "related"))
            again.add(story.url)
        for story in shown:
            state.related.get("related", {}).pop(story.source, None)
    return plan_in_place(state, keys, again, rules)
