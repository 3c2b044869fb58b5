"""Resolve references between parsed items, decide what is published, and file it into a Site."""

from __future__ import annotations

import datetime as dt
import heapq
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .content import (
    PUBLISHED_CONSENT,
    Artwork,
    Exhibition,
    Item,
    Media,
    NavLink,
    Page,
    Person,
    Project,
    Report,
    Site,
    Story,
    Term,
)
from .discover import ContentFiles
from .errors import Diagnostic, Diagnostics
from .exhibitions import Works, check_links, place
from .markdown import unique_slug
from .messages import did_you_mean
from .models import SLUG_PATTERN, SiteConfig
from .placeholders import leftovers
from .search import OUTPUT as SEARCH_FOLDER
from .sources import ContentProblem, YamlDocument, load_yaml, read_text

# The top of the site belongs to the showcase: these folders and files are its own (a page or static file may
# not take their names). Some exist only when there is content for them (people/, feed.xml...).
RESERVED_FOLDERS = {"stories", "artworks", "projects", "practices", "tags", "reports", "final-report",
                    "impact-statement", "people", "publications", "media", "timeline", "search", "assets",
                    "images", "exhibitions", SEARCH_FOLDER}
RESERVED_FILES = {"feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.html"}
RESERVED = RESERVED_FOLDERS | RESERVED_FILES
MERGED_STATIC = "robots.txt"  # the one static file that is added to the showcase's own, not refused
OWNED_FOLDERS = {SEARCH_FOLDER: "the search index"}  # made whole by a tool: no static file may be in them


def folders_of(files: set[str] | frozenset[str]) -> set[str]:
    """Every folder the given site files are in ("stories/a/index.html" -> "stories", "stories/a")."""
    folders: set[str] = set()
    for name in files:
        while "/" in name:
            name = name.rsplit("/", 1)[0]
            if name in folders:
                break
            folders.add(name)
    return folders


def static_clash(target: str, made: set[str] | frozenset[str], folders: set[str]) -> str | None:
    """Why a static file cannot be published at `target` beside the files the showcase makes (`made`, in
    `folders`), or None. The same words whether found by `check` or, exactly, while the site is staged."""
    top = target.split("/", 1)[0]
    if top in OWNED_FOLDERS:
        return f"/{top}/ is where the showcase puts {OWNED_FOLDERS[top]}; a static file cannot be there, rename it"
    if target in made:
        return f"static file would replace the showcase's own /{target}; rename it"
    if target in folders:
        return (f"the showcase makes a folder /{target}/, so a static file cannot be called "
                f"'{target.rsplit('/', 1)[-1]}'; rename it")
    parts = target.split("/")
    for end in range(1, len(parts)):
        prefix = "/".join(parts[:end])
        if prefix in made:
            return f"the showcase makes a file /{prefix}, so static/{prefix}/ cannot be a folder; rename the folder"
    return None




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


class Assembler:
    def __init__(self, config: SiteConfig, files: ContentFiles, diagnostics: Diagnostics, rules: PublishRules,
                 related: dict | None = None):
        self.config = config
        self.files = files
        self.diagnostics = diagnostics
        self.rules = rules
        self.root = files.root
        self.related = related if related is not None else {}  # last build's related stories, reused if still true
        self.notes: list[Diagnostic] = []  # for `check`: the files not published, and why (severity "note")

    # --- pointing at problems ------------------------------------------------------------------

    def _problem(self, item: Item, loc: tuple, message: str, severity: str = "error") -> None:
        line, col = item.front.locate(loc) if item.front else (None, None)
        add = self.diagnostics.error if severity == "error" else self.diagnostics.warning
        add(self.root / item.source, message, line, col)

    def _unique(self, items: list, kind: str) -> dict[str, Item]:
        """Items by slug, never two with one slug. A file named exactly as its slug (`cafe.md`) keeps it; another
        file whose name makes the same slug (`Café.md`) gets the next free one (`cafe-2`, the same rule as headings
        and `new`), with a warning naming both. A `slug:` already taken is an error naming both, with a free one."""
        def explicit(item: Item) -> bool:
            return getattr(item.meta, "slug", None) is not None

        def named_so(item: Item) -> bool:
            return posixpath.splitext(posixpath.basename(item.source))[0] == item.slug

        by_slug: dict[str, Item] = {}
        wanted = {item.slug for item in items}
        # an item named by its file owns the slug; one that borrows it with `slug:` is the one to change
        for item in sorted(items, key=lambda i: (explicit(i), not named_so(i), i.source)):
            if item.slug not in by_slug:
                by_slug[item.slug] = item
                continue
            first, free = by_slug[item.slug].source, unique_slug(item.slug, wanted | by_slug.keys())
            if explicit(item):
                self._problem(item, ("slug",), f"two {kind} have the slug '{item.slug}': {first} and {item.source}; "
                              f"choose another here, e.g. slug: {free}")
                continue
            own = " or set slug:" if "slug" in type(item.meta).model_fields else ""
            self.diagnostics.warning(self.root / item.source, f"{first} and {item.source} both make the slug "
                                     f"'{item.slug}', so this one is published as '{free}': rename the file{own} "
                                     "to choose its address", None, None)
            item.slug = free
            by_slug[free] = item
        return {item.slug: item for item in sorted(by_slug.values(), key=lambda i: (explicit(i), i.source))}

    def _published(self, item: Item, consent: str | None = None, draft: bool = False,
                   publish_date: dt.date | None = None, unfinished: tuple[str, ...] = ()) -> bool:
        """Whether this build shows the item. Withheld consent is a warning, except on a draft (not finished
        anyway); `check` also notes every item a real build leaves out, and why."""
        reasons = self.rules.held_back(consent, draft, publish_date)
        if "consent" in reasons and not draft:
            self._problem(item, ("consent",), f"not published: consent is '{consent}' "
                          f"(write 'recorded' or 'not-needed' once consent is in place)", "warning")
        if reasons and self.rules.check_all:
            self._note_held_back(item, reasons, consent, publish_date, unfinished)
        return self.rules.shows(consent, draft, publish_date)

    def _note_held_back(self, item: Item, reasons: list[str], consent: str | None, publish_date: dt.date | None,
                        unfinished: tuple[str, ...]) -> None:
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
        self.notes.append(Diagnostic(str(self.root / item.source), line, col, "note", "; ".join(said)))

    # --- the whole site ------------------------------------------------------------------------

    def assemble(self, stories: list[Story], artworks: list[Artwork], projects: list[Project],
                 reports: list[Report], pages: list[Page], people: list[Person], media: list[Media],
                 exhibitions: list[Exhibition] | None = None) -> Site:
        exhibitions = exhibitions or []
        self.parsed = {i.source for i in [*stories, *artworks, *projects, *reports, *pages, *people, *media,
                                          *exhibitions]}
        self._images_have_sidecars(artworks)
        all_projects = self._unique(projects, "projects")
        all_artworks = self._unique(artworks, "artworks")
        all_stories = self._unique(stories, "stories")
        all_pages = self._unique(pages, "pages")
        all_reports = self._unique(reports, "reports")
        people_by_slug = self._unique(people, "people")
        all_media = self._unique(media, "media items")
        shown_media = {s: m for s, m in all_media.items() if self._published(m, m.meta.consent)}

        shown_artworks = {s: a for s, a in all_artworks.items() if self._published(a, a.meta.consent)}
        shown_stories = [s for s in all_stories.values()
                         if self._published(s, s.meta.consent, s.meta.draft, s.meta.publish_date, self._unfinished(s))]
        shown_pages = [p for p in all_pages.values()
                       if self._published(p, draft=p.meta.draft, unfinished=self._unfinished(p))]
        shown_reports = [r for r in all_reports.values() if self._published(r, draft=r.meta.draft)]

        for project in all_projects.values():
            project.url = f"projects/{project.slug}/"
            self._unfinished(project)
            self._check_artwork(project, ("hero",), project.meta.hero, all_artworks, shown_artworks)
        for artwork in shown_artworks.values():
            artwork.url = f"artworks/{artwork.slug}/"
            self._check_project(artwork, artwork.meta.project, all_projects)
        for story in shown_stories:
            story.url = f"stories/{story.slug}/"
            self._check_project(story, story.meta.project, all_projects)
            for index, slug in enumerate(story.meta.artworks):
                self._check_artwork(story, ("artworks", index), slug, all_artworks, shown_artworks)
            self._check_artwork(story, ("hero",), story.meta.hero, all_artworks, shown_artworks)
        for page in shown_pages:
            page.url = f"{page.slug}/"
            if page.slug in RESERVED:
                self._problem(page, ("slug",), f"the page address '/{page.slug}/' is used by the showcase itself; "
                              "rename the file or set slug:")
        for person in people_by_slug.values():
            person.url = f"people/#{person.slug}"
            for index, slug in enumerate(person.meta.projects):
                if slug not in all_projects:
                    self._problem(person, ("projects", index), f"project '{slug}' does not exist (no projects/{slug}.yaml)"
                                  f"{did_you_mean(slug, all_projects)}")
            self._check_artwork(person, ("photo",), person.meta.photo, all_artworks, shown_artworks)
        for item in shown_media.values():
            item.url = f"media/{item.slug}/"
            self._check_project(item, item.meta.project, all_projects)
            self._check_artwork(item, ("poster",), item.meta.poster, all_artworks, shown_artworks)
        self._media_files_have_sidecars(media)
        final_report, impact = self._reports(shown_reports)

        shown_stories.sort(key=lambda s: (s.meta.date, s.slug), reverse=True)
        for story in shown_stories:
            if story.meta.project in all_projects:
                all_projects[story.meta.project].stories.append(story)
            for slug in dict.fromkeys([*story.meta.artworks, *([story.meta.hero] if story.meta.hero else [])]):
                if slug in shown_artworks:
                    shown_artworks[slug].stories.append(story)
        for artwork in sorted(shown_artworks.values(), key=lambda a: a.slug):
            if artwork.meta.project in all_projects:
                all_projects[artwork.meta.project].artworks.append(artwork)
        for person in sorted(people_by_slug.values(), key=lambda p: p.meta.name):
            for slug in person.meta.projects:
                if slug in all_projects:
                    all_projects[slug].people.append(person)

        _relate(shown_stories, self.related)
        for project in all_projects.values():
            ordered = project.stories[::-1]  # oldest first, the order a reader follows
            for before, after in zip(ordered, ordered[1:]):
                after.previous_in_project, before.next_in_project = before, after
        urls = self._urls(shown_stories, shown_artworks, all_projects, shown_reports, shown_pages, people_by_slug)
        site = Site(
            config=self.config,
            stories=shown_stories,
            artworks=dict(sorted(shown_artworks.items())),
            projects=dict(sorted(all_projects.items(), key=lambda kv: kv[1].meta.title.lower())),
            reports=sorted(shown_reports, key=lambda r: (r.meta.date, r.slug), reverse=True),
            pages=sorted(shown_pages, key=lambda p: (p.meta.nav_order is None, p.meta.nav_order or 0, p.slug)),
            people=sorted(people_by_slug.values(), key=lambda p: p.meta.name),
            practices=self._terms("practice", shown_stories, all_projects, shown_artworks),
            tags=self._terms("tag", shown_stories, {}, {}),
            navigation=[],
            urls=urls,
            final_report=final_report,
            impact_statement=impact,
            support_page=next((p for p in shown_pages if p.slug in ("get-support", "support")), None),
        )
        site.media = dict(sorted(shown_media.items()))
        for item in shown_media.values():
            urls[item.source] = item.url
            for rel in item.published_files:
                urls[rel] = rel
        preview = PublishRules(drafts=True, today=self.rules.today)
        previewed = {s.slug: s for s in all_stories.values()
                     if preview.shows(s.meta.consent, s.meta.draft, s.meta.publish_date)}
        site.exhibitions = place(self, exhibitions, Works(
            every={"artwork": all_artworks, "story": all_stories, "media": all_media},
            shown={"artwork": shown_artworks, "story": {s.slug: s for s in shown_stories}, "media": shown_media},
            preview={"artwork": shown_artworks, "story": previewed, "media": shown_media},
            artworks=shown_artworks), urls)
        check_links(self, site.exhibitions, urls)
        site.navigation = self._navigation(site)
        self._check_references([*shown_stories, *shown_reports, *shown_pages, *all_projects.values(),
                                *shown_artworks.values(), *people_by_slug.values(), *shown_media.values()], urls)
        self._check_static(site)
        if self.rules.check_all:
            self._check_held_back(urls, all_projects, all_artworks, shown_artworks, all_stories, shown_stories,
                                  all_pages, shown_pages, all_reports, shown_reports, all_media, shown_media)
        return site

    # --- what a real build leaves out ------------------------------------------------------------

    def _unfinished(self, item: Story | Page | Project) -> tuple[str, ...]:
        """What still has the placeholder text `new` wrote: an error on a story or page that is not a draft and on
        a project (each at its line); a draft is not finished anyway, and `check` lists them in its note."""
        draft = getattr(item.meta, "draft", False)  # a project cannot be a draft: it is always published
        if draft and not self.rules.check_all:
            return ()  # a draft is not finished anyway; only `check` says what is left to do
        found = leftovers(item)
        for left in found if not draft else ():
            line = self._line_of(item, left.text) if left.text else None
            if line is None:
                self._problem(item, left.loc, left.message)
            else:
                self.diagnostics.error(self.root / item.source, left.message, line, 1)
        return tuple(dict.fromkeys(left.what for left in found))

    def _line_of(self, item: Item, text: str) -> int | None:
        try:
            lines = read_text(self.root / item.source).splitlines()
        except (ContentProblem, OSError):
            return None
        return next((number for number, line in enumerate(lines, 1) if text in line), None)

    def _check_held_back(self, urls: dict[str, str], projects: dict, artworks: dict, shown_artworks: dict,
                         stories: dict, shown_stories: list, pages: dict, shown_pages: list, reports: dict,
                         shown_reports: list, media: dict, shown_media: dict) -> None:
        """`check`: every item this build leaves out (a draft, a story not yet due, one withheld for consent) is
        checked as if it were published, beside what a preview (`--drafts`) would publish: the same errors."""
        preview = PublishRules(drafts=True, today=self.rules.today)
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
            self._check_project(story, story.meta.project, projects)
            for index, slug in enumerate(story.meta.artworks):
                self._check_artwork(story, ("artworks", index), slug, artworks, shown_artworks)
            self._check_artwork(story, ("hero",), story.meta.hero, artworks, shown_artworks)
        for artwork in held["artworks"]:
            self._check_project(artwork, artwork.meta.project, projects)
        for page in held["pages"]:
            if page.slug in RESERVED:
                self._problem(page, ("slug",), f"the page address '/{page.slug}/' is used by the showcase itself; "
                              "rename the file or set slug:")
        for item in held["media"]:
            self._check_project(item, item.meta.project, projects)
            self._check_artwork(item, ("poster",), item.meta.poster, artworks, shown_artworks)
        self._check_references([*held["stories"], *held["artworks"], *held["pages"], *held["reports"],
                                *held["media"]], would_show)

    # --- parts ---------------------------------------------------------------------------------

    def _images_have_sidecars(self, artworks: list[Artwork]) -> None:
        """Each image is the image of one sidecar: the one with its name, or one that names it with `image:`."""
        used: dict[str, Artwork] = {}
        for artwork in sorted(artworks, key=lambda a: bool(a.meta.image)):  # the one naming it is told, if one does
            first = used.setdefault(artwork.image_source, artwork)
            if first is not artwork:
                self._problem(artwork, ("image",), f"image: {posixpath.basename(artwork.image_source)} is the image "
                              f"of {first.source} already; each artwork needs an image of its own")
        sidecars = {posixpath.splitext(f)[0]: f for f in self.files.artwork_sidecars}
        for image in self.files.artwork_images:
            sidecar = sidecars.get(posixpath.splitext(image)[0])
            if image in used or (sidecar and sidecar not in self.parsed):
                continue  # an image of an artwork, or of a sidecar with problems of its own
            if sidecar is None:
                self.diagnostics.error(self.root / image, "this image has no sidecar: add "
                                       f"{posixpath.splitext(image)[0]}.yaml with at least title and alt (or name "
                                       f"it in a sidecar: image: {posixpath.basename(image)})")
            else:
                self.diagnostics.error(self.root / image, f"this image is not used: {sidecar} names another "
                                       "image with image:; remove this one, or name it there")

    def _check_static(self, site: Site) -> None:
        """Static files that cannot be published: one that takes the place of a page or folder the showcase
        makes, and a robots.txt that is not UTF-8 text. (The build checks again against every file it made.)"""
        if not self.files.static:
            return
        made = {"index.html", "404.html", "robots.txt", *({"feed.xml", "sitemap.xml"} if self.config.base_url else ())}
        items = [*site.stories, *site.artworks.values(), *site.projects.values(), *site.reports, *site.pages,
                 *site.media.values()]
        made |= {f"{folder}/index.html" for folder in RESERVED_FOLDERS - {SEARCH_FOLDER, "assets", "images"}}
        items += [*site.practices.values(), *site.tags.values()]
        made |= {f"{item.url}index.html" for item in items if item.url.endswith("/")}
        made |= {f"{report.url}{report.slug}.{ext}" for report in site.reports for ext in ("bib", "ris")}
        made |= {rel for report in site.reports for rel in [report.pdf_url] if rel}
        made |= {rel for media in site.media.values() for rel in media.published_files}
        made |= {f"{url}index.html" for e in site.exhibitions.values() for url in (e.url, *(s.url for s in e.stops))}
        folders = folders_of(made) | RESERVED_FOLDERS
        for rel in self.files.static:
            target = rel.removeprefix("static/")
            if target == MERGED_STATIC:
                try:
                    read_text(self.root / rel)
                except ContentProblem as problem:
                    self.diagnostics.error(self.root / rel, problem.message, problem.line, problem.col)
                except OSError as exc:
                    self.diagnostics.error(self.root / rel, f"cannot be read: {exc.strerror or exc}")
                continue
            problem = static_clash(target, made, folders)
            if problem:
                self.diagnostics.error(self.root / rel, problem)

    def _media_files_have_sidecars(self, media: list[Media]) -> None:
        used = {rel for m in media for rel in (*m.published_files, m.text_description_source) if rel}
        sidecars = {posixpath.splitext(rel)[0] for rel in self.files.media if rel.endswith((".yaml", ".yml"))}
        if len(media) < len(sidecars):
            return  # a sidecar could not be read; its own error comes first
        for rel in self.files.media:
            if not rel.endswith((".yaml", ".yml")) and rel not in used and posixpath.splitext(rel)[0] not in sidecars:
                self.diagnostics.warning(self.root / rel, "no media sidecar (.yaml) uses this file, so it is not published")

    def _unreadable(self, folder: str, slug: str) -> bool:
        """True when the file for this slug exists but could not be read: its own error says why."""
        return any(f"{folder}/{slug}{ext}" in self.files.all and f"{folder}/{slug}{ext}" not in self.parsed
                   for ext in (".yaml", ".yml"))

    def _check_project(self, item: Item, slug: str | None, projects: dict) -> None:
        if slug and slug not in projects and not self._unreadable("projects", slug):
            self._problem(item, ("project",), f"project '{slug}' does not exist (no projects/{slug}.yaml)"
                          f"{did_you_mean(slug, projects)}")

    def _check_artwork(self, item: Item, loc: tuple, slug: str | None, everything: dict, shown: dict) -> None:
        if not slug:
            return
        if slug not in everything:
            if not self._unreadable("artworks", slug):
                self._problem(item, loc, f"artwork '{slug}' does not exist (no artworks/{slug}.yaml)"
                              f"{did_you_mean(slug, everything)}")
        elif slug not in shown:
            self._problem(item, loc, f"artwork '{slug}' is not published (its consent is not recorded)")

    def _reports(self, reports: list[Report]) -> tuple[Report | None, Report | None]:
        special: dict[str, Report] = {}
        for report in sorted(reports, key=lambda r: r.source):
            kind = report.meta.kind
            if kind in ("final-report", "impact-statement"):
                if kind in special:
                    self._problem(report, ("kind",), f"there is already a {kind}: {special[kind].source}; "
                                  "only one report may have this kind")
                    report.url = f"reports/{report.slug}/"
                    continue
                special[kind] = report
                report.url = f"{kind}/"
            else:
                report.url = f"reports/{report.slug}/"
        return special.get("final-report"), special.get("impact-statement")

    def _terms(self, kind: str, stories: list[Story], projects: dict[str, Project],
               artworks: dict[str, Artwork]) -> dict[str, Term]:
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
            if typed and len(typed) == len(slugs):
                for name, slug in zip(typed, slugs):
                    if isinstance(name, str) and name.strip() != slug:
                        written[slug].setdefault(name.strip(), item.source)
            for slug in dict.fromkeys(slugs):  # "Art" and "art" are one tag, listed once
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
                self.diagnostics.warning(self.root / names[other], f"{key}: '{other}' here and '{first}' in "
                                         f"{names[first]} make one address, {folder}/{slug}/, shown as "
                                         f"'{terms[slug].name}': write it the same way everywhere", None, None)
        return dict(sorted(terms.items()))

    def _urls(self, stories, artworks, projects, reports, pages, people) -> dict[str, str]:
        urls: dict[str, str] = {}
        for item in [*stories, *projects.values(), *reports, *pages, *people.values()]:
            urls[item.source] = item.url
        for artwork in artworks.values():
            urls[artwork.source] = artwork.url
            urls[artwork.image_source] = artwork.url
        for report in reports:
            if report.pdf_url:
                urls[report.pdf_url] = report.pdf_url
        for rel in self.files.static:
            urls[rel] = rel.removeprefix("static/")
        for rel in self.files.attachments:
            urls.setdefault(rel, rel)
        return urls

    def _check_references(self, items: list[Item], urls: dict[str, str]) -> None:
        for item in items:
            bodies = [getattr(item, name, None) for name in ("body", "description", "bio", "transcript")]
            for body in bodies:
                if body is None:
                    continue
                for ref in body.references:
                    if ref.path not in urls and self._parsed(ref.path):
                        why = "is not published (a draft, withheld, or not yet due)"
                        if ref.path.startswith(("artworks/",)) and not ref.path.endswith((".yaml", ".yml")):
                            why = "is not published (its sidecar is missing or its consent is not recorded)"
                        line = ref.line if isinstance(item, (Story, Report, Page)) else None
                        self.diagnostics.error(self.root / item.source, f"links to {ref.path}, which {why}", line, 1)

    def _parsed(self, path: str) -> bool:
        """False for a file that could not be read: its own error says why, a knock-on error would not."""
        if path.startswith("artworks/") and not path.endswith((".yaml", ".yml")):
            path = posixpath.splitext(path)[0] + ".yaml"
        return path in self.parsed or not path.endswith((".md", ".yaml", ".yml"))

    def _navigation(self, site: Site) -> list[NavLink]:
        if self.config.navigation is not None:
            return [NavLink(n.title, n.url) for n in self.config.navigation]
        links = [NavLink("Stories", "stories/"), NavLink("Gallery", "artworks/"), NavLink("Projects", "projects/")]
        if site.exhibitions:
            links.insert(2, NavLink("Exhibitions", "exhibitions/"))
        if site.people:
            links.append(NavLink("People", "people/"))
        if self.files.publications:
            links.append(NavLink("Publications", "publications/"))
        if self.config.period or any(p.meta.events or p.meta.period for p in site.projects.values()) or site.reports:
            links.append(NavLink("Timeline", "timeline/"))
        if site.final_report:
            links.append(NavLink("Final report", site.final_report.url))
        if site.impact_statement:
            links.append(NavLink("Impact", site.impact_statement.url))
        links += [NavLink(p.meta.title, p.url) for p in site.pages
                  if p.meta.nav_order is not None and p is not site.support_page]
        links.append(NavLink("Search", "search/"))
        return links


RELATED = 3
NEIGHBOURS = 8  # stories looked at on each side, per shared project/practice/tag


def _relate(stories: list[Story], memo: dict) -> None:
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
