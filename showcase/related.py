"""Related stories: for each story, the few that share its project, practices and tags, closest in date."""

from __future__ import annotations

import heapq
from collections import defaultdict

from .content import Story

RELATED = 3
NEIGHBOURS = 8  # stories looked at on each side, per shared project/practice/tag


def relate(stories: list[Story], memo: dict) -> None:
    """Related stories: same project, shared practices and tags, closest in date; stable for the same content.

    Only the nearest stories (by date) under each shared term are scored, so large sites stay fast. They
    depend only on each story's date, project, practices and tags: when none of those changed since the
    last build, its answer (kept in `memo`) is used again."""
    key = memo_key(stories)
    by_source = {story.source: story for story in stories}
    if memo.get("key") == key:
        for story in stories:
            story.related = [by_source[source] for source in memo["related"][story.source]]
        return
    _score_related(stories)
    memo["key"] = key
    memo["related"] = {story.source: [other.source for other in story.related] for story in stories}


def memo_key(stories: list[Story]) -> str:
    """What the related stories depend on: each story's file, date, project, practices and tags, in order."""
    return repr([(s.source, s.meta.date, s.meta.project, s.meta.practices, s.meta.tags) for s in stories])


def memo_to_save(memo: dict, stories: list[Story]) -> dict:
    """The memo as it is written to disk: its key worked out now if relate_added left it for later (None)."""
    if memo.get("related") is not None and memo.get("key") is None:
        memo["key"] = memo_key(stories)
    return memo


def _score_related(stories: list[Story]) -> None:
    terms_of, by_term, where = _places(stories)
    for index, story in enumerate(stories):
        story.related = _best(index, stories, terms_of, by_term, where)


def relate_added(stories: list[Story], added: list[Story], memo: dict, also: list[Story] | None = None) -> list[Story]:
    """After `added` were put in their places in `stories` (the rest as `relate` left them): the related stories
    of the added ones, and again of those whose answer can change: the stories within NEIGHBOURS places of an
    added one under a term they share (every other story looks at the same stories as before, in the same
    order), and `also` (those near a story where it was before it moved: see `near`). Returns the stories other
    than `added` whose related stories changed; `memo` is brought up to date (its key is worked out when it is saved,
    see memo_to_save: the preview saves it after the page is shown)."""
    terms_of, by_term, where = _places(stories)
    place = {id(story): index for index, story in enumerate(stories)}
    new = {place[id(story)] for story in added}
    again = _near(new, terms_of, by_term, where) | {place[id(story)] for story in also or ()}
    changed = []
    for index in sorted(again):
        story = stories[index]
        related = _best(index, stories, terms_of, by_term, where)
        if index not in new and [id(s) for s in related] != [id(s) for s in story.related]:
            changed.append(story)
        story.related = related
    if memo.get("related") is not None:
        memo["key"] = None
        for story in [*added, *changed]:
            memo["related"][story.source] = [other.source for other in story.related]
    return changed


def near(stories: list[Story], these: list[Story]) -> list[Story]:
    """These stories and those within NEIGHBOURS places of one of them under a term they share (the stories whose
    related stories can change when these move or go)."""
    terms_of, by_term, where = _places(stories)
    place = {id(story): index for index, story in enumerate(stories)}
    return [stories[index] for index in sorted(_near({place[id(s)] for s in these}, terms_of, by_term, where))]


def _near(indices: set[int], terms_of: list, by_term: dict, where: list) -> set[int]:
    found = set(indices)
    for index in indices:
        for term, here in zip(terms_of[index], where[index]):
            found.update(by_term[term][max(0, here - NEIGHBOURS - 1): here + NEIGHBOURS + 2])
    return found


_WEIGHTS = {"project": 3, "practice": 1, "tag": 2}


def _places(stories: list[Story]) -> tuple[list, dict, list]:
    """Each story's terms; the stories under each term by their place, newest first; each story's place under
    each of its terms."""
    by_term: dict[tuple[str, str], list[int]] = defaultdict(list)
    terms_of = [_terms_of(story) for story in stories]
    where: list[list[int]] = []
    for index, terms in enumerate(terms_of):
        places = []
        for term in terms:
            members = by_term[term]
            places.append(len(members))
            members.append(index)
        where.append(places)
    return terms_of, by_term, where


def _best(index: int, stories: list[Story], terms_of: list, by_term: dict, where: list) -> list[Story]:
    scores: dict[int, int] = defaultdict(int)
    for term, here in zip(terms_of[index], where[index]):
        weight = _WEIGHTS[term[0]]
        for other in by_term[term][max(0, here - NEIGHBOURS): here + NEIGHBOURS + 1]:
            scores[other] += weight
    scores.pop(index, None)
    # highest score first, then the newest (the lowest place): the same order for the same content
    best = heapq.nsmallest(RELATED, [(-score, other) for other, score in scores.items()])
    return [stories[other] for _, other in best]


def _terms_of(story: Story) -> list[tuple[str, str]]:
    terms = [("practice", p) for p in story.meta.practices] + [("tag", t) for t in story.meta.tags]
    return ([("project", story.meta.project)] if story.meta.project else []) + terms
