"""Practices and tags: the page of each term, with its stories, projects and artworks, named as editors wrote
it, and a warning when two files write one term two ways."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from .content import Artwork, Project, Story, Term
from .field_types import SLUG_PATTERN
from .slugs import slugify
from .sources import ContentProblem, YamlDocument, load_yaml

if TYPE_CHECKING:
    from .assemble import Assembler


def practice_name(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


_SLUG = re.compile(SLUG_PATTERN)


def typed_terms(front: YamlDocument | None, key: str) -> list | None:
    """The practices or tags as a file types them ("Καλλιτεχνία", "Mental health"), when one of them is not
    written as its slug; else None. A story's YAML is not kept once parsed: it is read again only then."""
    if front is None:
        return None
    data = front.data
    if data is None:
        section = re.search(rf"^{key}[ \t]*:(.*(?:\n(?:[ \t-].*)?)*)", front.text, re.M)
        words = re.split(r"[\[\],\n]", re.sub(r"#.*", "", section.group(1))) if section else []
        if all(_SLUG.fullmatch(word.strip().lstrip("-").strip().strip("'\"")) for word in words if word.strip()):
            return None
        try:
            data = load_yaml(front.text).data
        except ContentProblem:
            return None
    typed = data.get(key) if isinstance(data, dict) else None
    return typed if isinstance(typed, list) else None


def collect_terms(assembler: Assembler, kind: str, stories: list[Story], projects: dict[str, Project],
                  artworks: dict[str, Artwork]) -> dict[str, Term]:
    """The terms of one kind ("practice" or "tag") by slug, each with the stories and projects that name it and
    those projects' artworks; shown as the files write it."""
    terms: dict[str, Term] = {}
    folder = "practices" if kind == "practice" else "tags"

    def term(slug: str) -> Term:
        if slug not in terms:
            terms[slug] = Term(kind, slug, practice_name(slug), f"{folder}/{slug}/")
        return terms[slug]

    key = "practices" if kind == "practice" else "tags"
    written: dict[str, dict[str, str]] = defaultdict(dict)  # slug -> each way it is written -> the first file
    for item in [*stories, *projects.values()]:
        slugs = getattr(item.meta, key)
        typed = typed_terms(item.front, key) if slugs else None
        for name in typed or ():  # (each name's slug: the list of slugs has each once, see content_models.Terms)
            slug = slugify(name) if isinstance(name, str) else ""
            if slug in slugs and name.strip() != slug:
                written[slug].setdefault(name.strip(), item.source)
        for slug in slugs:
            if isinstance(item, Story):
                term(slug).stories.append(item)
                continue
            term(slug).projects.append(item)
            for artwork in item.artworks:
                if artwork not in term(slug).artworks:
                    term(slug).artworks.append(artwork)
    for slug, names in written.items():  # a term is shown as it was written, and written one way
        terms[slug].name = min(names)
        different = sorted({name.casefold(): name for name in sorted(names)}.values())
        if len(different) > 1:
            first, other = different[:2]
            assembler.diagnostics.warning(assembler.root / names[other], f"{key}: '{other}' here and '{first}' in "
                                          f"{names[first]} make one address, {folder}/{slug}/, shown as "
                                          f"'{terms[slug].name}': write it the same way everywhere", None, None)
    return dict(sorted(terms.items()))
