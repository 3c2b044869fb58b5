"""A story added, or its details edited, in the preview: put into the site it keeps in memory rather than the whole
site assembled again.

An ordinary build assembles every item, plans every page and compares every page's plan and dependencies with
the last build's: at 10,000 stories that is seconds, however small the change. When all that happened since
the preview's last good build is that story files came, each is put in its places in the assembled site:

    1. parsed (it must have nothing to say), published by this build's rules, with a slug of its own, its
       project, artworks and links found, its practices and tags written as their slugs
    2. put in the site's list of stories, its project's, its artworks' and its terms' (a new term made), between
       its neighbours in its project; the related stories of the stories near it under a shared term worked out
       again (related.py): the site's other items are as they were
    3. the pages planned again but those of single items whose plan cannot have changed (plan.py, `reuse`)
    4. which dependency keys changed: only those that name what step 2 touched, and every key of the site's own
       lists and facts, have their digests worked out again

The pages to render are then the new ones, those whose plan changed and those that read a key that changed.
A story whose front matter was edited (keeping its slug) is taken out of its places and put into its new ones the
same way (`restate`). Anything else (a story that says something, is not published, takes a slug or address
already taken...) is left to the ordinary build: `why_not` and `why_not_restated` say why."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .assemble import Assembler
from .content import Site, Story, Term
from .content_models import StoryMeta
from .deps import item_key, task_digest
from .discover import ContentFiles
from .errors import Diagnostics
from .pages import PageTask
from .parse import Parser, parse_story
from .plan import plan
from .publishing import PublishRules, published, unfinished
from .references import check_references
from .related import relate_added
from .terms import practice_name, typed_terms

if TYPE_CHECKING:
    from .changes import Changes
    from .lastbuild import LastBuild
    from .warm import _Last


@dataclass
class Added:
    rel: str  # its file, relative to the content folder
    story: Story
    entry: tuple  # its parse cache entry


def stories_added(state: _Last, changes: Changes, files: ContentFiles, last: LastBuild) -> list[Added] | str:
    """The stories whose files came since the last good build (and nothing else, see in_place.py), parsed; else why
    they cannot be added in memory (for `WarmState.declined`)."""
    if not all(os.path.isfile(files.path(rel)) for rel in changes.came):
        return "files came or went"
    parser = Parser(files)
    added = []
    for rel in changes.came:
        story, entry = parse_alone(parser, last, rel)
        if story is None:
            return f"{rel} has something to say"
        added.append(Added(rel, story, entry))
    return added


def parse_alone(parser: Parser, last: LastBuild, rel: str) -> tuple[Story | None, tuple]:
    """A story file parsed on its own: the story (None when parsing it said something) and its parse cache entry."""
    entry = parse_story(parser, last.store, last.digests, rel)
    story, problems = pickle.loads(entry[2])
    return (story if isinstance(story, Story) and not problems else None), entry


def why_not(state: _Last, added: list[Added], files: ContentFiles, rules: PublishRules) -> str:
    """Why these stories cannot be put into the site in memory as they are ("" when they can). Nothing is changed."""
    site = state.site
    assembler = checker(state, added, files, rules)
    taken = {story.slug for story in site.stories} | _unpublished_slugs(state, files)
    urls = dict(site.urls)
    for a in added:
        story, meta = a.story, a.story.meta
        if story.slug in taken:
            return f"{a.rel} takes a slug already taken"
        taken.add(story.slug)
        why = cannot_show(assembler, site, a)
        if why:
            return why
        urls[a.rel] = f"stories/{story.slug}/"
        if at_a_static_address(files, [urls[a.rel], *new_term_addresses(site, meta)]):
            return f"{a.rel} has the address of a static file"
    check_references(assembler, [a.story for a in added], urls)
    if assembler.diagnostics.items:
        return "an added story has something to say"
    return ""


def cannot_show(assembler: Assembler, site: Site, a: Added) -> str:
    """Why this story cannot be shown as the site in memory stands ("" when it can)."""
    story, meta = a.story, a.story.meta
    if not published(assembler, story, meta.consent, meta.draft, meta.publish_date, unfinished(assembler, story)):
        return f"{a.rel} is not published"
    if meta.project and meta.project not in site.projects:
        return f"{a.rel} names a project that is not there"
    if any(slug and slug not in site.artworks for slug in (*meta.artworks, meta.hero)):
        return f"{a.rel} names an artwork that is not published"
    if typed(story):
        return f"{a.rel} writes a practice or tag otherwise than as its address"
    return ""


def new_term_addresses(site: Site, meta: StoryMeta) -> list[str]:
    """The addresses of the practices and tags a story names that the site has no page for yet."""
    return [f"{key}/{slug}/" for _, key, terms in term_kinds(site) for slug in getattr(meta, key) if slug not in terms]


def at_a_static_address(files: ContentFiles, addresses: list[str]) -> bool:
    """Whether a static file is at one of these addresses of pages (or in their folders)."""
    return any(rel.removeprefix("static/").startswith(tuple(addresses)) for rel in files.static)


def typed(story: Story) -> bool:
    """A story writes one of its practices or tags otherwise than as its slug (which names the term's page)."""
    return any(typed_terms(story.front, key) is not None for key in ("practices", "tags") if getattr(story.meta, key))


def checker(state: _Last, changed: list[Added], files: ContentFiles, rules: PublishRules) -> Assembler:
    """An assembler to check these stories with, as the site's own did (what it says is kept apart)."""
    site = state.site
    assembler = Assembler(site.config, files, Diagnostics(), rules)
    assembler.items = {**state.fingerprints.items, **{a.rel: a.story for a in changed}}
    assembler.parsed = set(state.parse_cache) | {a.rel for a in changed}
    return assembler


def plan_added(state: _Last, added: list[Added], rules: PublishRules) -> tuple[set[str], dict[str, PageTask],
                                                                               set[str]]:
    """Put the stories into the site in memory and find the pages to render (steps 2 to 4): (those pages, every page's
    task by its file, the dependency keys that changed). A page of the last build not planned now is gone."""
    return plan_in_place(state, *put_in_place(state, added), rules)


def plan_in_place(state: _Last, keys: set[str], again: set[str], rules: PublishRules) -> tuple[set[str],
                                                                                            dict[str, PageTask],
                                                                                            set[str]]:
    """After the site in memory was changed: the pages to render (see plan_added), from the dependency keys the
    change may have changed and the addresses of the pages to plan again (`again`, see put_in_place)."""
    readers = state.readers
    changed = changed_keys(state, keys | {key for key in readers if key.startswith("site:")})  # (the site's lists,
    pages: set[str] = set().union(*(readers[key] for key in changed))                       # its feature...)
    again_under = tuple(again)  # a term's pages are all under its address
    reuse = {task.page.url: task for task in state.tasks.values() if not task.page.url.startswith(again_under)}
    tasks = {task.page.output: task for task in plan(state.site, rules, reuse)}
    for name, task in tasks.items():
        old, record = state.tasks.get(name), state.records.get(name)
        if old is None or record is None or (task is not old and task_digest(task) != record.task):
            pages.add(name)
    return pages & tasks.keys(), tasks, changed  # (not the pages that go)


def changed_keys(state: _Last, keys: set[str]) -> set[str]:
    """Of these dependency keys, whose digests the site in memory may have changed, those some page read whose digest
    is not the one the last build worked out (the others are forgotten, to be worked out again when asked)."""
    fingerprints, readers = state.fingerprints, state.readers
    before = {key: fingerprints.memo.pop(key, None) for key in keys}
    return {key for key, digest in before.items()
            if key in readers and (digest is None or fingerprints.of(key) != digest)}


def put_in_place(state: _Last, added: list[Added]) -> tuple[set[str], set[str]]:
    """Put the stories into the site in memory (see the module's docstring, step 2). Returns the dependency keys
    whose digests may have changed and the addresses of the pages of single items, and of terms (their pages are
    under them), to plan again."""
    site = state.site
    keys: set[str] = set()
    again: set[str] = set()
    for a in sorted(added, key=lambda a: a.rel):
        story = a.story
        story.url = f"stories/{story.slug}/"
        site.urls[story.source] = story.url
        state.fingerprints.items[story.source] = story
        keys.add(f"url:{story.source}")
        again.add(story.url)
        put(site, story, keys, again)
    for story in relate_added(site.stories, [a.story for a in added], state.related):
        keys.add(item_key(story, "related"))
        again.add(story.url)
    return keys, again


def put(site: Site, story: Story, keys: set[str], again: set[str]) -> None:
    """Put a story into its places in the site: its list of stories, its project's (between its neighbours), its
    artworks' and its terms' (a new term made); the keys and pages that may change as a result are added."""
    _insert(site.stories, story)
    project = site.projects.get(story.meta.project or "")
    if project is not None:
        here = _insert(project.stories, story)
        newer = project.stories[here - 1] if here > 0 else None
        older = project.stories[here + 1] if here + 1 < len(project.stories) else None
        _join(older, story, keys)
        _join(story, newer, keys)
        keys.add(item_key(project, "stories"))
        again.add(project.url)
    for slug in dict.fromkeys([*story.meta.artworks, *([story.meta.hero] if story.meta.hero else [])]):
        artwork = site.artworks[slug]
        _insert(artwork.stories, story)
        keys.add(item_key(artwork, "stories"))
    for kind, key, terms in term_kinds(site):
        for slug in getattr(story.meta, key):  # (each once: content_models.Terms)
            if slug not in terms:
                terms[slug] = Term(kind, slug, practice_name(slug), f"{key}/{slug}/")
                ordered = sorted(terms.items())
                terms.clear()
                terms.update(ordered)  # in place: the templates' views of the site hold this dict
            _insert(terms[slug].stories, story)
            keys.add(f"term:{kind}:{slug}:stories")
            again.add(terms[slug].url)


def take_out(site: Site, story: Story, keys: set[str], again: set[str]) -> None:
    """Take a story out of the places `put` put it in (its neighbours in its project joined); keys and pages as `put`."""
    _remove(site.stories, story)
    project = site.projects.get(story.meta.project or "")
    if project is not None:
        here = _remove(project.stories, story)  # the older one takes its place
        newer = project.stories[here - 1] if here > 0 else None
        older = project.stories[here] if here < len(project.stories) else None
        _join(older, newer, keys)
        keys.add(item_key(project, "stories"))
        again.add(project.url)
    story.previous_in_project = story.next_in_project = None
    for slug in dict.fromkeys([*story.meta.artworks, *([story.meta.hero] if story.meta.hero else [])]):
        _remove(site.artworks[slug].stories, story)
        keys.add(item_key(site.artworks[slug], "stories"))
    for kind, key, terms in term_kinds(site):
        for slug in getattr(story.meta, key):
            _remove(terms[slug].stories, story)
            keys.add(f"term:{kind}:{slug}:stories")
            again.add(terms[slug].url)


def _join(older: Story | None, newer: Story | None, keys: set[str]) -> None:
    """`older` and `newer` become neighbours in their project (None: that end of it)."""
    if older is not None:
        older.next_in_project = newer
        keys.add(item_key(older, "next_in_project"))
    if newer is not None:
        newer.previous_in_project = older
        keys.add(item_key(newer, "previous_in_project"))


def term_kinds(site: Site) -> list[tuple[str, str, dict[str, Term]]]:
    """Each kind of term: its name, the field that lists a story's (also the folder of its pages), the site's."""
    return [("practice", "practices", site.practices), ("tag", "tags", site.tags)]


def _insert(stories: list[Story], story: Story) -> int:
    """Put a story into a list of stories newest first (by date, then slug, as assemble.py sorts); its place."""
    key = (story.meta.date, story.slug)
    low, high = 0, len(stories)
    while low < high:
        middle = (low + high) // 2
        if (stories[middle].meta.date, stories[middle].slug) > key:
            low = middle + 1
        else:
            high = middle
    stories.insert(low, story)
    return low


def _remove(stories: list[Story], story: Story) -> int:
    """Take this very story (not one equal to it) out of a list; its place."""
    here = next(index for index, other in enumerate(stories) if other is story)
    del stories[here]
    return here


def _unpublished_slugs(state: _Last, files: ContentFiles) -> set[str]:
    """The slugs of the story files the site does not show (drafts, withheld...): an added story may not take them."""
    shown = {story.source for story in state.site.stories}
    slugs = set()
    for rel in files.stories:
        entry = state.parse_cache.get(rel)
        if rel not in shown and entry is not None:
            story, _ = pickle.loads(entry[2])
            if isinstance(story, Story):
                slugs.add(story.slug)
    return slugs
