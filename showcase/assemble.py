"""The site assembled from the parsed items: each kind by its slug, its address given, the lists sorted and
joined (a project's stories, artworks and people; related stories; practices and tags) and the references
checked (references.py), keeping what this build publishes (publishing.py)."""

from __future__ import annotations

import posixpath

from .content import (
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
)
from .discover import ContentFiles
from .errors import Diagnostic, Diagnostics
from .exhibitions import Works, check_links, place
from .messages import did_you_mean
from .models import SiteConfig
from .publishing import PublishRules, check_held_back, published, unfinished
from .references import (
    check_artwork,
    check_project,
    check_references,
    images_have_sidecars,
    media_files_have_sidecars,
    unreadable,
)
from .related import relate
from .reserved import RESERVED, check_static
from .slugs import unique_slug
from .terms import collect_terms


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
        self.items: dict[str, Item] = {}  # every item parsed, by its file

    def problem(self, item: Item, loc: tuple, message: str, severity: str = "error") -> None:
        line, col = item.front.locate(loc) if item.front else (None, None)
        add = self.diagnostics.error if severity == "error" else self.diagnostics.warning
        add(self.root / item.source, message, line, col)

    def unique(self, items: list, kind: str) -> dict[str, Item]:
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
                self.problem(item, ("slug",), f"two {kind} have the slug '{item.slug}': {first} and {item.source}; "
                             f"choose another here, e.g. slug: {free}")
                continue
            own = " or set slug:" if "slug" in type(item.meta).model_fields else ""
            self.diagnostics.warning(self.root / item.source, f"{first} and {item.source} both make the slug "
                                     f"'{item.slug}', so this one is published as '{free}': rename the file{own} "
                                     "to choose its address", None, None)
            item.slug = free
            by_slug[free] = item
        return {item.slug: item for item in sorted(by_slug.values(), key=lambda i: (explicit(i), i.source))}

    def assemble(self, stories: list[Story], artworks: list[Artwork], projects: list[Project],
                 reports: list[Report], pages: list[Page], people: list[Person], media: list[Media],
                 exhibitions: list[Exhibition] | None = None) -> Site:
        exhibitions = exhibitions or []
        self.items = {i.source: i for i in [*stories, *artworks, *projects, *reports, *pages, *people, *media,
                                            *exhibitions]}
        self.parsed = set(self.items)
        images_have_sidecars(self, artworks)
        all_projects = self.unique(projects, "projects")
        all_artworks = self.unique(artworks, "artworks")
        all_stories = self.unique(stories, "stories")
        all_pages = self.unique(pages, "pages")
        all_reports = self.unique(reports, "reports")
        people_by_slug = self.unique(people, "people")
        all_media = self.unique(media, "media items")
        shown_media = {s: m for s, m in all_media.items() if published(self, m, m.meta.consent)}

        shown_artworks = {s: a for s, a in all_artworks.items() if published(self, a, a.meta.consent)}
        shown_stories = [s for s in all_stories.values()
                         if published(self, s, s.meta.consent, s.meta.draft, s.meta.publish_date, unfinished(self, s))]
        shown_pages = [p for p in all_pages.values()
                       if published(self, p, draft=p.meta.draft, unfinished=unfinished(self, p))]
        shown_reports = [r for r in all_reports.values() if published(self, r, draft=r.meta.draft)]

        for project in all_projects.values():
            project.url = f"projects/{project.slug}/"
            unfinished(self, project)
            check_artwork(self, project, ("hero",), project.meta.hero, all_artworks, shown_artworks)
        for artwork in shown_artworks.values():
            artwork.url = f"artworks/{artwork.slug}/"
            check_project(self, artwork, artwork.meta.project, all_projects)
        for story in shown_stories:
            story.url = f"stories/{story.slug}/"
            check_project(self, story, story.meta.project, all_projects)
            for index, slug in enumerate(story.meta.artworks):
                check_artwork(self, story, ("artworks", index), slug, all_artworks, shown_artworks)
            check_artwork(self, story, ("hero",), story.meta.hero, all_artworks, shown_artworks)
        for page in shown_pages:
            page.url = f"{page.slug}/"
            if page.slug in RESERVED:
                self.problem(page, ("slug",), f"the page address '/{page.slug}/' is used by the showcase itself; "
                             "rename the file or set slug:")
        for person in people_by_slug.values():
            person.url = f"people/#{person.slug}"
            for index, slug in enumerate(person.meta.projects):
                if slug not in all_projects and not unreadable(self, "projects", slug):
                    self.problem(person, ("projects", index), f"project '{slug}' does not exist (no projects/{slug}.yaml)"
                                 f"{did_you_mean(slug, all_projects)}")
            check_artwork(self, person, ("photo",), person.meta.photo, all_artworks, shown_artworks)
        for item in shown_media.values():
            item.url = f"media/{item.slug}/"
            check_project(self, item, item.meta.project, all_projects)
            check_artwork(self, item, ("poster",), item.meta.poster, all_artworks, shown_artworks)
        media_files_have_sidecars(self, media)
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

        relate(shown_stories, self.related)
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
            practices=collect_terms(self, "practice", shown_stories, all_projects, shown_artworks),
            tags=collect_terms(self, "tag", shown_stories, {}, {}),
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
        check_references(self, [*shown_stories, *shown_reports, *shown_pages, *all_projects.values(),
                                *shown_artworks.values(), *people_by_slug.values(), *shown_media.values()], urls)
        check_static(self, site)
        if self.rules.check_all:
            check_held_back(self, urls, all_projects, all_artworks, shown_artworks, all_stories, shown_stories,
                            all_pages, shown_pages, all_reports, shown_reports, all_media, shown_media)
        return site

    def _reports(self, reports: list[Report]) -> tuple[Report | None, Report | None]:
        special: dict[str, Report] = {}
        for report in sorted(reports, key=lambda r: r.source):
            kind = report.meta.kind
            if kind in ("final-report", "impact-statement"):
                if kind in special:
                    self.problem(report, ("kind",), f"there is already a {kind}: {special[kind].source}; "
                                 "only one report may have this kind")
                    report.url = f"reports/{report.slug}/"
                    continue
                special[kind] = report
                report.url = f"{kind}/"
            else:
                report.url = f"reports/{report.slug}/"
        return special.get("final-report"), special.get("impact-statement")

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
        if site.has_timeline:
            links.append(NavLink("Timeline", "timeline/"))
        if site.final_report:
            links.append(NavLink("Final report", site.final_report.url))
        if site.impact_statement:
            links.append(NavLink("Impact", site.impact_statement.url))
        links += [NavLink(p.meta.title, p.url) for p in site.pages
                  if p.meta.nav_order is not None and p is not site.support_page]
        links.append(NavLink("Search", "search/"))
        return links
