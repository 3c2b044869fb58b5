"""Headings of a Markdown text: their words, their ids (unique on the page, never one the theme uses), the
table of contents made from them and the permalink after each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .slugs import slugify, unique_slug


def plain_text(children: list[Token]) -> str:
    """The words of a heading without their markup: `The *first* [year](x.md)` is "The first year". Code
    keeps its text; images, footnote marks and raw HTML tags are left out."""
    words = "".join(c.content if c.type in ("text", "code_inline") else " " if c.type.endswith("break") else ""
                    for c in children)
    return " ".join(words.split())


# Ids the default theme gives parts of a page around the Markdown: a heading never takes one of them (nor a
# footnote's, fn1 and fnref1), so that every id is unique on its page and "Skip to content" finds <main>.
THEME_IDS = frozenset({
    "zoom-dialog", "zoom-title", "zoom-open", "zoom-viewer", "zoom-hint",
    "main", "search-kind", "story-body", "story-artworks", "content-note-heading", "related-heading", "support", "support-heading",
    "support-note", "support-heading-note", "support-page", "support-heading-page",
    "toc-heading", "cite-heading", "description", "description-heading", "transcript", "transcript-heading",
    "in-stories", "project-stories", "project-artworks", "events-heading", "people-heading", "media-heading",
    "reports-heading", "projects-heading", "publications-heading", "programme-team", "everyone", "all-artworks",
    "gallery-heading", "latest-heading", "feature-heading", "browse-heading", "about-heading", "term-stories",
    "term-projects", "term-artworks", "search-form", "search-query", "search-hint", "search-status",
    "search-results", "search-more", "search-unavailable", "search-practice", "search-project", "draft-banner-title",
    "in-exhibitions", "exhibition-stops", "stop-text-heading", "text-description", "text-description-heading",
})
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+")


class _Taken(set):
    def __contains__(self, ident: object) -> bool:
        return (super().__contains__(ident) or ident in THEME_IDS
                or (isinstance(ident, str) and _FOOTNOTE_ID.fullmatch(ident) is not None))


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


Skipped = tuple[str, int | None]  # a heading level skipped: what to say, and the line


def number_headings(tokens: list[Token], first_line: int, top_level: int) -> tuple[list[Heading], list[Skipped]]:
    """The headings of a text, shifted so that the highest one is `top_level` (the page title is h1), each
    with an id unique on its page; and, for each level skipped, what to say and the line."""
    headings: list[Heading] = []
    skipped: list[Skipped] = []
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not levels:
        return headings, skipped
    shift = top_level - min(levels)
    previous = top_level - 1
    texts = [plain_text(tokens[index + 1].children or []) for index, token in enumerate(tokens)
             if token.type == "heading_open"]
    wanted = [unique_slug(slugify(text), ()) for text in texts]  # at most MAX_SLUG characters
    # the second "Now" on a page is "now-2" (or "now-3" if a heading says "Now 2"); a heading without
    # words is "heading-N" after its place; the theme's own ids and footnotes' are never taken
    taken, avoided = _Taken(), _Taken(wanted)
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        level = min(6, int(token.tag[1]) + shift)
        token.tag = f"h{level}"
        if token.type == "heading_open":
            line = first_line + token.map[0] if token.map else None
            if level > previous + 1:  # said as the editor wrote them: the number of #s
                written, before = level - shift, previous - shift
                said = (f"a {'#' * before} heading is followed by a {'#' * written} heading; make it "
                        f"{'#' * (before + 1)}" if before >= min(levels) else
                        f"the first heading is {'#' * written}, but the text's highest is {'#' * min(levels)}: start "
                        f"with {'#' * min(levels)}")
                skipped.append((f"heading level skipped: {said}", line))
            previous = level
            number = len(headings)
            ident = wanted[number] if wanted[number] and wanted[number] not in taken else \
                unique_slug(wanted[number] or f"heading-{number + 1}", avoided)
            taken.add(ident)
            avoided.add(ident)
            token.attrSet("id", ident)
            headings.append(Heading(level, ident, texts[number]))
    return headings, skipped


@dataclass
class TocEntry:
    heading: Heading
    children: list[TocEntry] = field(default_factory=list)


def outline(headings: list[Heading], deepest: int = 3) -> list[TocEntry]:
    """Headings as a nested table of contents, down to `deepest` (h3 by default)."""
    root: list[TocEntry] = []
    stack: list[TocEntry] = []
    for heading in headings:
        if heading.level > deepest:
            continue
        entry = TocEntry(heading)
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else root).append(entry)
        stack.append(entry)
    return root


_HEADING = re.compile(r'<h([2-6]) id="([^"]+)">(.*?)</h\1>', re.S)


def add_permalinks(html: str) -> str:
    """A visible, keyboard-reachable link after each heading, named after its section for screen readers."""
    def link(match: re.Match) -> str:
        level, ident, inner = match.groups()
        label = re.sub(r"<[^>]+>", "", inner)
        # The space is inside the link, so that the search index, which leaves the link out, reads the heading
        # as a sentence of its own ("1. Introduction.") and not run into the text after it.
        return (f'<h{level} id="{ident}">{inner}<a class="permalink" href="#{ident}" data-pagefind-ignore> '
                f'<span aria-hidden="true">#</span><span class="visually-hidden">Link to the section {label}</span>'
                f'</a></h{level}>')
    return _HEADING.sub(link, html)
