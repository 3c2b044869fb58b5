"""What a build publishes and what it leaves out, and why: drafts, stories not yet due, consent withheld, the
placeholder text of `new` still to replace; and `check`, which checks what is left out as if it were published."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .content import PUBLISHED_CONSENT, Item, Page, Project, Story
from .errors import Diagnostic
from .messages import nearest
from .placeholders import leftovers
from .references import check_artwork, check_project, check_references
from .reserved import RESERVED
from .sources import ContentProblem, read_text

if TYPE_CHECKING:
    from .assemble import Assembler


@dataclass(frozen=True)
class PublishRules:
    """What a build publishes. A real build: items with consent (`recorded` or `not-needed`) that are neither
    drafts nor due later. A preview (`--drafts`) adds the stories not yet due and every draft, its consent
    pending or not, each marked on its page as not published; an item without consent that is not a draft is
    never shown. `check` (`check_all`) checks every item as if it were published, and says which are not."""

    drafts: bool = False
    today: dt.date = field(default_factory=dt.date.today)  # asked per build, not once at import
    check_all: bool = False

    def held_back(self, consent: str | None = None, draft: bool = False,
                  publish_date: dt.date | None = None) -> list[str]:
        """Why a real build leaves the item out: any of "draft", "not-due", "consent"; [] when it publishes it.
        (`consent` None: a kind of item without consent, a report or a page.)"""
        reasons = ["draft"] if draft else []
        if publish_date and publish_date > self.today:
            reasons.append("not-due")
        if consent is not None and consent not in PUBLISHED_CONSENT:
            reasons.append("consent")
        return reasons

    def shows(self, consent: str | None = None, draft: bool = False, publish_date: dt.date | None = None) -> bool:
        """Whether this build shows the item: published, or a draft or a story not yet due in a preview."""
        reasons = self.held_back(consent, draft, publish_date)
        return not reasons or (self.drafts and (draft or "consent" not in reasons))


def published(assembler: Assembler, item: Item, consent: str | None = None, draft: bool = False,
              publish_date: dt.date | None = None, unfinished: tuple[str, ...] = ()) -> bool:
    """Whether this build shows the item. Withheld consent is a warning, except on a draft (not finished
    anyway); `check` also notes every item a real build leaves out, and why."""
    reasons = assembler.rules.held_back(consent, draft, publish_date)
    if "consent" in reasons and not draft:
        near = nearest(str(consent).strip().lower(), PUBLISHED_CONSENT) if consent != "pending" else None
        hint = (f"; if consent is in place, write it as '{near}'" if near else
                " (write 'recorded' or 'not-needed' once consent is in place)")
        assembler.problem(item, ("consent",), f"not published: consent is '{consent}'{hint}", "warning")
    if reasons and assembler.rules.check_all:
        _note_held_back(assembler, item, reasons, consent, publish_date, unfinished)
    return assembler.rules.shows(consent, draft, publish_date)


def _note_held_back(assembler: Assembler, item: Item, reasons: list[str], consent: str | None,
                    publish_date: dt.date | None, unfinished: tuple[str, ...]) -> None:
    """One note for `check`: this file is not published, and why (not a problem: not counted as one)."""
    said = []
    if "draft" in reasons:
        said.append("draft, not published (draft: true)")
    if "not-due" in reasons:
        said.append(f"not published until {publish_date.isoformat()} (publish_date)")  # type: ignore[union-attr]
    if "consent" in reasons:
        said.append(f"consent is {consent}" if "draft" in reasons else f"withheld: consent is {consent}")
    if unfinished and "draft" in reasons:  # on anything else, each is an error already
        said.append("still to replace before it is published: the placeholder text from `new` in "
                    + ", ".join(unfinished))
    where = {"draft": ("draft",), "not-due": ("publish_date",), "consent": ("consent",)}[reasons[0]]
    line, col = item.front.locate(where) if item.front else (None, None)
    assembler.notes.append(Diagnostic(str(assembler.root / item.source), line, col, "note", "; ".join(said)))


def unfinished(assembler: Assembler, item: Story | Page | Project) -> tuple[str, ...]:
    """What still has the placeholder text `new` wrote: an error on a story or page that is not a draft and on
    a project (each at its line); a draft is not finished anyway, and `check` lists them in its note."""
    draft = getattr(item.meta, "draft", False)  # a project cannot be a draft: it is always published
    if draft and not assembler.rules.check_all:
        return ()  # a draft is not finished anyway; only `check` says what is left to do
    found = leftovers(item)
    for left in found if not draft else ():
        line = _line_of(assembler, item, left.text) if left.text else None
        if line is None:
            assembler.problem(item, left.loc, left.message)
        else:
            assembler.diagnostics.error(assembler.root / item.source, left.message, line, 1)
    return tuple(dict.fromkeys(left.what for left in found))


def _line_of(assembler: Assembler, item: Item, text: str) -> int | None:
    try:
        lines = read_text(assembler.root / item.source).splitlines()
    except (ContentProblem, OSError):
        return None
    return next((number for number, line in enumerate(lines, 1) if text in line), None)


def check_held_back(assembler: Assembler, urls: dict[str, str], projects: dict, artworks: dict, shown_artworks: dict,
                    stories: dict, shown_stories: list, pages: dict, shown_pages: list, reports: dict,
                    shown_reports: list, media: dict, shown_media: dict) -> None:
    """`check`: every item this build leaves out (a draft, a story not yet due, one withheld for consent) is
    checked as if it were published, beside what a preview (`--drafts`) would publish: the same errors."""
    preview = PublishRules(drafts=True, today=assembler.rules.today)
    shown = {id(item) for item in [*shown_stories, *shown_artworks.values(), *shown_pages, *shown_reports,
                                   *shown_media.values()]}
    held = {kind: [item for item in every.values() if id(item) not in shown] for kind, every in
            (("stories", stories), ("artworks", artworks), ("pages", pages), ("reports", reports), ("media", media))}
    would_show = dict(urls)  # what a preview publishes: links to it are fine from what is not published yet
    for story in held["stories"]:
        if preview.shows(story.meta.consent, story.meta.draft, story.meta.publish_date):
            would_show[story.source] = f"stories/{story.slug}/"
    for page in held["pages"]:
        would_show[page.source] = f"{page.slug}/"
    for report in held["reports"]:
        would_show[report.source] = f"reports/{report.slug}/"
    for story in held["stories"]:
        check_project(assembler, story, story.meta.project, projects)
        for index, slug in enumerate(story.meta.artworks):
            check_artwork(assembler, story, ("artworks", index), slug, artworks, shown_artworks)
        check_artwork(assembler, story, ("hero",), story.meta.hero, artworks, shown_artworks)
    for artwork in held["artworks"]:
        check_project(assembler, artwork, artwork.meta.project, projects)
    for page in held["pages"]:
        if page.slug in RESERVED:
            assembler.problem(page, ("slug",), f"the page address '/{page.slug}/' is used by the showcase itself; "
                              "rename the file or set slug:")
    for item in held["media"]:
        check_project(assembler, item, item.meta.project, projects)
        check_artwork(assembler, item, ("poster",), item.meta.poster, artworks, shown_artworks)
    check_references(assembler, [*held["stories"], *held["artworks"], *held["pages"], *held["reports"],
                                 *held["media"]], would_show)
