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
    key = repr([(s.source, s.meta.date, s.meta.project, s.meta.practices, s.meta.tags) for s in stories])
    by_source = {story.source: story for story in stories}
    if memo.get("key") == key:
        for story in stories:
            story.related = [by_source[source] for source in memo["related"][story.source]]
        return
    _score_related(stories)
    memo["key"] = key
    memo["related"] = {story.source: [other.source for other in story.related] for story in stories}


def _score_related(stories: list[Story]) -> None:
    by_term: dict[tuple[str, str], list[int]] = defaultdict(list)  # stories by their place, newest first
    terms_of = [_terms_of(story) for story in stories]
    where: list[list[int]] = []  # for each story, its place in the list of each of its terms
    for index, terms in enumerate(terms_of):
        places = []
        for term in terms:
            members = by_term[term]
            places.append(len(members))
            members.append(index)
        where.append(places)
    weights = {"project": 3, "practice": 1, "tag": 2}
    for index, story in enumerate(stories):
        scores: dict[int, int] = defaultdict(int)
        for term, here in zip(terms_of[index], where[index]):
            weight = weights[term[0]]
            for other in by_term[term][max(0, here - NEIGHBOURS): here + NEIGHBOURS + 1]:
                scores[other] += weight
        scores.pop(index, None)
        # highest score first, then the newest (the lowest place): the same order for the same content
        best = heapq.nsmallest(RELATED, [(-score, other) for other, score in scores.items()])
        story.related = [stories[other] for _, other in best]


def _terms_of(story: Story) -> list[tuple[str, str]]:
    terms = [("practice", p) for p in story.meta.practices] + [("tag", t) for t in story.meta.tags]
    return ([("project", story.meta.project)] if story.meta.project else []) + terms
