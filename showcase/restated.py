"""A story's details (its front matter: title, date, project, practices, tags, pictures, links) edited in the preview,
put right in the site it keeps in memory as added.py puts a new story in: the story taken out of its places and put
into its new ones, the related stories near where it was and where it is now worked out again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .added import (
    Added,
    at_a_static_address,
    cannot_show,
    checker,
    new_term_addresses,
    parse_alone,
    plan_in_place,
    put,
    take_out,
    term_kinds,
    typed,
)
from .content import Story
from .deps import item_key
from .discover import ContentFiles
from .parse import Parser
from .publishing import PublishRules
from .references import check_references
from .related import near, relate_added

if TYPE_CHECKING:
    from .changes import Changes
    from .lastbuild import LastBuild
    from .pages import PageTask
    from .warm import _Last


def stories_restated(state: _Last, changes: Changes, files: ContentFiles, last: LastBuild) -> list[Added] | str:
    """The stories whose files changed since the last good build (and nothing else, see in_place.py), parsed again, each
    was shown and keeps its slug (so its address, and every link to it, holds) and nothing was said of it; else why
    not (for `WarmState.declined`)."""
    rels = changes.changed
    said = {diagnostic.path for diagnostic in state.diagnostics}
    parser = Parser(files)
    restated = []
    for rel in rels:
        story = state.fingerprints.items.get(rel)
        if not isinstance(story, Story):
            return f"{rel} was not shown"
        if str(files.root / rel) in said or typed(story):
            return f"{rel} had something said of it"
        new, entry = parse_alone(parser, last, rel)
        if new is None:
            return f"{rel} has something to say"
        if new.slug != story.slug:
            return f"{rel} has another slug"
        restated.append(Added(rel, new, entry))
    return restated


def why_not_restated(state: _Last, restated: list[Added], files: ContentFiles, rules: PublishRules) -> str:
    """Why these stories, edited, cannot be put right in the site in memory ("" when they can). Nothing is changed."""
    site = state.site
    assembler = checker(state, restated, files, rules)
    edited = {a.rel for a in restated}
    for a in restated:
        why = cannot_show(assembler, site, a)
        if why:
            return why
        was = state.fingerprints.items[a.rel].meta
        for _, key, terms in term_kinds(site):
            for slug in set(getattr(was, key)) - set(getattr(a.story.meta, key)):
                if not terms[slug].projects and all(story.source in edited for story in terms[slug].stories):
                    return f"{a.rel} leaves a practice or tag with no stories"
        if at_a_static_address(files, new_term_addresses(site, a.story.meta)):
            return f"{a.rel} has a practice or tag at the address of a static file"
    check_references(assembler, [a.story for a in restated], site.urls)
    if assembler.diagnostics.items:
        return "an edited story has something to say"
    return ""


def plan_restated(state: _Last, restated: list[Added], rules: PublishRules) -> tuple[set[str],
                                                                                    dict[str, PageTask], set[str]]:
    """Put the edited stories right in the site in memory and find the pages to render, as plan_added."""
    return plan_in_place(state, *restate(state, restated), rules)


def restate(state: _Last, restated: list[Added]) -> tuple[set[str], set[str]]:
    """Each edited story taken out of its places, given what it says now and put into its new places (the story
    stays the same object: exhibitions and other stories hold it). Keys and pages as put_in_place."""
    site = state.site
    keys: set[str] = set()
    again: set[str] = set()
    stories = [state.fingerprints.items[a.rel] for a in restated]
    before = near(site.stories, stories)  # their related stories can change where these were...
    these = {id(story) for story in stories}
    showing = [s.url for s in site.stories if any(id(other) in these for other in s.related)]  # (cards: pictures)
    for story, a in zip(stories, restated):
        take_out(site, story, keys, again)
        new = a.story
        story.meta, story.body, story.body_line, story.front, story.digests = \
            new.meta, new.body, new.body_line, new.front, new.digests
        again.add(story.url)
        for exhibition in site.exhibitions.values() if story.exhibitions else ():  # its stops show its lead picture
            for stop in exhibition.stops:                                          # (their pages are planned again)
                if stop.work is story:
                    stop.picture = site.artworks.get(story.meta.hero or "")
    for story in stories:
        put(site, story, keys, again)
    prefixes = tuple(f"item:{a.rel}:" for a in restated)
    keys.update(key for key in state.readers if key.startswith(prefixes))
    for story in relate_added(site.stories, stories, state.related, also=before):  # ... and where they are now
        keys.add(item_key(story, "related"))
        again.add(story.url)
    again.update(showing)
    return keys, again
