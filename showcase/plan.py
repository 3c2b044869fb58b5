"""Turn the assembled Site into the list of pages to render: address, template and what it shows."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from . import citation, metadata
from .content import Artwork, Exhibition, NavLink, Site, Stop, Story
from .dates_in_words import date_in_words
from .headings import outline
from .names import sort_key
from .pages import PageInfo, PageTask, Pagination
from .publishing import PublishRules
from .timeline import timeline

PER_PAGE = 24  # items of a listing (stories, a practice, a theme) before it goes on to a second page
HOME_ART = 3  # works in the group the home page opens with


def _crumbs(*links: tuple[str, str]) -> tuple[NavLink, ...]:
    return tuple(NavLink(title, url) for title, url in (("Home", ""), *links))


def _with_crumbs(site: Site, data: dict, crumbs: tuple[NavLink, ...], title: str, url: str) -> tuple[dict, ...]:
    trail = metadata.breadcrumbs(site, crumbs, title, url)
    return (data, trail) if trail else (data,)


def _paginated(items: list, base: str, per_page: int = PER_PAGE) -> list[tuple[list, Pagination]]:
    """A listing (newest first) cut into pages counted from its oldest item: each later page holds `per_page` items
    that stay together as items are added, and the first page holds the newest, from `per_page` to twice that less
    one. So a story added with today's date changes the first page of each of its listings, not every page of them
    (a new page is made, and the pages numbered again, once every `per_page` stories)."""
    count = _pages(items, per_page)
    first = len(items) - (count - 1) * per_page
    return [(items[:first] if n == 1 else items[first + (n - 2) * per_page : first + (n - 1) * per_page],
             Pagination(n, count, base)) for n in range(1, count + 1)]


def _pages(items: list, per_page: int = PER_PAGE) -> int:
    return max(1, len(items) // per_page)


def _artworks_in(site: Site, text: Any) -> list[Artwork]:
    """The artworks a rendered text refers to by their image files, in order, each once: the images it shows
    (a link to an artwork's image file counts too, which is rare and only leaves that work out of a list)."""
    found: dict[str, Artwork] = {}
    for reference in text.references if text is not None else ():
        artwork = site.artwork_for(reference.path)
        if artwork is not None:
            found.setdefault(artwork.slug, artwork)
    return list(found.values())


def _unseen(artworks: list[Artwork], shown: set[str]) -> list[Artwork]:
    """The artworks a page does not show yet, each once; they are shown from now on."""
    fresh = []
    for artwork in artworks:
        if artwork.slug not in shown:
            shown.add(artwork.slug)
            fresh.append(artwork)
    return fresh


def _cards(site: Site, stories: list, shown: set[str]) -> list[tuple[Any, Artwork | None]]:
    """Each story's card with the picture it shows: its lead artwork (hero) or, when the page already shows that,
    the first of the story's other artworks the page does not show yet, or none, so that no picture is shown
    twice on one page. A story without a hero has a card without a picture, as always. `shown` grows."""
    cards = []
    for story in stories:
        picture = None
        if story.meta.hero:
            for slug in (story.meta.hero, *story.meta.artworks):
                artwork = site.artworks.get(slug)
                if artwork is not None and slug not in shown:
                    picture = artwork
                    shown.add(slug)
                    break
        cards.append((story, picture))
    return cards


def _home(site: Site) -> dict[str, Any]:
    """What the home page shows: a group of works that says what the programme made (the lead story's artwork,
    then the lead artworks of its projects, one per strand; failing those, of the latest stories, then any), the
    latest stories and more of the gallery, with no picture twice."""
    leads = [site.feature.meta.hero if site.feature else None,
             *(project.meta.hero for project in site.projects.values()),
             *(story.meta.hero for story in site.stories[:HOME_ART])]
    art = _unseen([*(site.artworks[slug] for slug in leads if slug in site.artworks),
                   *list(site.artworks.values())[:HOME_ART]], set())[:HOME_ART]
    shown = {artwork.slug for artwork in art}
    latest = _cards(site, site.stories[:6], shown)
    return {"art": art, "latest": latest, "feature": site.feature,
            "more_art": [a for a in site.artworks.values() if a.slug not in shown][:6]}


def _preview_note(kind: str, reasons: list[str], publish_date, consent: str | None, why: str = "") -> str:
    """What the banner of a page only a preview shows says: why it is not published (see PublishRules), or `why`
    for a page that is only in the preview because of what it shows."""
    said = ["This is a preview, built with --drafts."] + ([why] if why else [])
    if "draft" in reasons:
        said.append(f"This {kind} is a draft (draft: true), so it is not on the published site.")
    if "not-due" in reasons:
        said.append(f"This {kind} is due to be published on {date_in_words(publish_date)} "
                    "(publish_date), not before.")
    if "consent" in reasons:
        said.append(f"Consent is {consent}: it cannot be published until consent is recorded.")
    said.append("Search, the feeds and the sitemap leave it out.")
    return " ".join(said)


def _exhibitions(site: Site, rules: PublishRules) -> list[PageTask]:
    """The list of exhibitions, and for each its overview and one page per stop of its walk."""
    if not site.exhibitions:
        return []
    every = list(site.exhibitions.values())
    shown: set[str] = set()
    cards = [(e, _first_unseen([stop.picture for stop in e.stops if stop.picture], shown)) for e in every]
    tasks = [PageTask(PageInfo("exhibitions/", "Exhibitions", f"Curated walks through the work of {site.name}.",
                               "exhibitions/", _crumbs()), "exhibition_list.html", {"cards": cards})]
    for exhibition in every:
        meta = exhibition.meta
        held = rules.held_back(draft=meta.draft)
        note = _preview_note("exhibition", held, None, None) if held else ""
        crumbs = _crumbs(("Exhibitions", "exhibitions/"))
        tasks.append(PageTask(PageInfo(exhibition.url, meta.title, meta.summary, "exhibitions/", crumbs,
                                       image=exhibition.picture, unpublished=note, structured=() if held else
                                       _trail(site, crumbs, meta.title, exhibition.url)),
                              "exhibition.html", {"exhibition": exhibition, "stops": _thumbnails(site, exhibition)}))
        crumbs = _crumbs(("Exhibitions", "exhibitions/"), (meta.title, exhibition.url))
        count = len(exhibition.stops)
        for index, stop in enumerate(exhibition.stops):
            work = stop.work.meta.title if stop.work is not None else stop.slug
            title = f"Stop {stop.number} of {count}: {work}"
            # a stop showing a story only a preview shows is itself only in the preview (search, sitemap: left out)
            story_held = rules.held_back(stop.work.meta.consent, stop.work.meta.draft, stop.work.meta.publish_date) \
                if isinstance(stop.work, Story) else []
            stop_note = note or (_preview_note("stop", [], None, None, "This stop shows a story that is not "
                                               "published yet.") if story_held else "")
            tasks.append(PageTask(PageInfo(stop.url, title, f"{meta.title}, stop {stop.number} of {count}: {work}.",
                                           "exhibitions/", crumbs, image=stop.picture, unpublished=stop_note,
                                           structured=() if held or story_held else
                                           _trail(site, crumbs, title, stop.url)),
                                  "exhibition_stop.html",
                                  {"exhibition": exhibition, "stop": stop,
                                   "previous": exhibition.stops[index - 1] if index > 0 else None,
                                   "next": exhibition.stops[index + 1] if index + 1 < count else None}))
    return tasks


def _first_unseen(artworks: list[Artwork], shown: set[str]) -> Artwork | None:
    """The first of these artworks a page does not show yet, shown from now on."""
    for artwork in artworks:
        if artwork.slug not in shown:
            shown.add(artwork.slug)
            return artwork
    return None


def _thumbnails(site: Site, exhibition: Exhibition) -> list[tuple[Stop, Artwork | None]]:
    """Each stop of the overview with its thumbnail, no picture twice: an artwork stop shows its artwork; a story shows
    its lead, or else the first of its other artworks not shown yet; a film its poster, if not shown yet."""
    shown = {stop.picture.slug for stop in exhibition.stops if stop.kind == "artwork" and stop.picture is not None}
    found: list[tuple[Stop, Artwork | None]] = []
    for stop in exhibition.stops:
        if stop.kind == "artwork" or stop.work is None:
            found.append((stop, stop.picture))
            continue
        slugs = [stop.work.meta.hero, *stop.work.meta.artworks] if isinstance(stop.work, Story) else \
            [stop.work.meta.poster]
        found.append((stop, _first_unseen([site.artworks[s] for s in slugs if s in site.artworks], shown)))
    return found


def _trail(site: Site, crumbs: tuple[NavLink, ...], title: str, url: str) -> tuple[dict, ...]:
    trail = metadata.breadcrumbs(site, crumbs, title, url)
    return (trail,) if trail else ()


def plan(site: Site, rules: PublishRules | None = None, reuse: dict[str, PageTask] | None = None) -> list[PageTask]:
    """Every page of the site. `rules` say which shown items only a preview shows (they get a banner, noindex
    and no structured data, and stay out of search, feeds and the sitemap). `reuse`: the tasks, by address, of
    the pages of single stories, artworks, projects, reports, pages and media, and of terms, known to be planned
    as they were (the preview, a story added: see added.py); the lists and every other page are planned again."""
    rules = rules or PublishRules()
    reuse = reuse or {}
    config = site.config
    tasks: list[PageTask] = []
    add = tasks.append

    add(PageTask(PageInfo("", config.title, config.description, "home", structured=(metadata.organisation(site),)),
                 "home.html", _home(site)))

    for chunk, pagination in _paginated(site.stories, "stories/"):
        title = "Stories" if pagination.number == 1 else f"Stories, page {pagination.number} of {pagination.count}"
        add(PageTask(PageInfo(pagination.here, title,
                              f"Stories from {site.name}: what taking part was like, in the words of those who did.",
                              "stories/", _crumbs()),
                     "story_list.html",
                     {"stories": chunk, "cards": _cards(site, chunk, set()), "pagination": pagination}))
    for story in site.stories:
        if story.url in reuse:
            add(reuse[story.url])
            continue
        project = site.projects.get(story.meta.project or "")
        crumbs = _crumbs(("Stories", "stories/"))
        hero = site.artworks.get(story.meta.hero or "")
        held = rules.held_back(story.meta.consent, story.meta.draft, story.meta.publish_date)
        # Each picture once: the lead (hero), then the text's images but the lead's, then the story's other artworks,
        # then the related stories' cards with pictures the page does not show yet.
        shown = {hero.slug} if hero else set()
        _unseen(_artworks_in(site, story.body), shown)
        artworks = _unseen([site.artworks[s] for s in story.meta.artworks if s in site.artworks], shown)
        add(PageTask(PageInfo(story.url, story.meta.title, story.meta.summary, "stories/", crumbs, image=hero,
                              kind="article", structured=() if held else _with_crumbs(
                                  site, metadata.story(site, story, hero), crumbs, story.meta.title, story.url),
                              unpublished=_preview_note("story", held, story.meta.publish_date, story.meta.consent)
                              if held else ""),
                     "story.html",
                     {"story": story, "project": project, "artworks": artworks, "hero": hero,
                      "related": _cards(site, story.related, shown)}))

    add(PageTask(PageInfo("artworks/", "Gallery", f"Artworks made in {site.name}.", "artworks/", _crumbs()),
                 "gallery.html", {"artworks": list(site.artworks.values())}))
    for artwork in site.artworks.values():
        if artwork.url in reuse:
            add(reuse[artwork.url])
            continue
        crumbs = _crumbs(("Gallery", "artworks/"))
        add(PageTask(PageInfo(artwork.url, artwork.meta.title, artwork.meta.alt or artwork.meta.title, "artworks/",
                              crumbs, image=artwork, structured=_with_crumbs(
                                  site, metadata.artwork(site, artwork), crumbs, artwork.meta.title, artwork.url)),
                     "artwork.html", {"artwork": artwork, "project": site.projects.get(artwork.meta.project or "")}))

    add(PageTask(PageInfo("projects/", "Projects", f"The strands of work in {site.name}.", "projects/", _crumbs()),
                 "project_list.html", {"projects": list(site.projects.values())}))
    for project in site.projects.values():
        if project.url in reuse:
            add(reuse[project.url])
            continue
        crumbs = _crumbs(("Projects", "projects/"))
        hero = site.artworks.get(project.meta.hero or "")
        shown = {hero.slug} if hero else set()
        _unseen(_artworks_in(site, project.description), shown)
        cards = _cards(site, project.stories, shown)
        add(PageTask(PageInfo(project.url, project.meta.title, project.meta.summary, "projects/", crumbs,
                              image=hero, structured=_with_crumbs(
                                  site, metadata.project(site, project), crumbs, project.meta.title, project.url)),
                     "project.html", {"project": project, "hero": hero, "cards": cards,
                                      "artworks": _unseen(project.artworks, shown)}))

    for kind, terms, title in (("practices", site.practices, "Creative practices"), ("tags", site.tags, "Themes")):
        add(PageTask(PageInfo(f"{kind}/", title, f"{title} in {site.name}.", f"{kind}/", _crumbs()),
                     "term_index.html", {"terms": list(terms.values()), "kind": kind}))
        for term in terms.values():
            kept = [reuse.get(Pagination(n, 1, term.url).here) for n in range(1, _pages(term.stories) + 1)]
            if all(kept):
                tasks += kept
                continue
            # a term only stories a preview shows are filed under: its pages are only in the preview
            preview_only = not term.projects and all(
                rules.held_back(s.meta.consent, s.meta.draft, s.meta.publish_date) for s in term.stories)
            term_note = _preview_note("page", [], None, None, "Every story filed under it is a draft or not yet "
                                      "due.") if preview_only else ""
            for chunk, pagination in _paginated(term.stories, term.url):
                # a practice and a theme may share a name: the kind tells their pages' titles apart
                named = f"{term.name} ({'creative practice' if kind == 'practices' else 'theme'})"
                name = named if pagination.number == 1 else f"{named}, page {pagination.number} of {pagination.count}"
                shown = set()
                cards = _cards(site, chunk, shown)  # the first page's gallery then shows the other artworks
                add(PageTask(PageInfo(pagination.here, name,
                                      f"Stories and projects filed under {term.name.lower()}.", f"{kind}/",
                                      _crumbs((title, f"{kind}/")), unpublished=term_note),
                             "term.html", {"term": term, "stories": chunk, "cards": cards, "pagination": pagination,
                                           "artworks": _unseen(term.artworks, shown)
                                           if pagination.number == 1 else []}))

    if site.reports:
        add(PageTask(PageInfo("reports/", "Reports", f"Reports of {site.name}.", "reports/", _crumbs()),
                     "report_list.html", {"reports": site.reports}))
    for report in site.reports:
        if report.url in reuse:
            add(reuse[report.url])
            continue
        crumbs = _crumbs() if report in (site.final_report, site.impact_statement) else _crumbs(("Reports", "reports/"))
        held = rules.held_back(draft=report.meta.draft)
        add(PageTask(PageInfo(report.url, report.meta.title, report.meta.summary or report.meta.title, report.url, crumbs,
                              kind="article", structured=() if held else _with_crumbs(
                                  site, metadata.report(site, report), crumbs, report.meta.title, report.url),
                              unpublished=_preview_note("report", held, None, None) if held else ""),
                     "report.html", {"report": report, "contents": outline(report.body.headings),
                                     "citation": citation.text(site, report),
                                     "citation_files": (f"{report.url}{report.slug}.bib", f"{report.url}{report.slug}.ris"),
                                     "citation_meta": citation.meta_tags(site, report)}))

    if site.people:
        team = sorted(site.people, key=lambda person: sort_key(person.meta.name))  # A to Z by family name
        add(PageTask(PageInfo("people/", "People", f"The team of {site.name} and the strands of work they led.",
                              "people/", _crumbs(), structured=tuple(metadata.person(site, p) for p in team)),
                     "people.html", {"people": [(person, [site.projects[slug] for slug in person.meta.projects
                                                          if slug in site.projects]) for person in team]}))
    if site.publications.items:
        add(PageTask(PageInfo("publications/", "Publications", f"What {site.name} published, newest first.",
                              "publications/", _crumbs()), "publications.html", {"years": site.publications.by_year()}))
    moments = timeline(site)
    if moments:
        add(PageTask(PageInfo("timeline/", "Timeline", f"The dates of {site.name}: projects, events and reports.",
                              "timeline/", _crumbs()), "timeline.html", {"moments": moments}))
    for page in site.pages:
        if page.url in reuse:
            add(reuse[page.url])
            continue
        held = rules.held_back(draft=page.meta.draft)
        add(PageTask(PageInfo(page.url, page.meta.title, page.meta.summary or page.meta.title, page.url, _crumbs(),
                              unpublished=_preview_note("page", held, None, None) if held else ""),
                     "page.html", {"page_content": page}))

    for media in site.media.values():
        if media.url in reuse:
            add(reuse[media.url])
            continue
        add(PageTask(PageInfo(media.url, media.meta.title, f"{media.meta.kind.capitalize()}: {media.meta.title}, with its transcript.",
                              "", _crumbs(), image=site.artworks.get(media.meta.poster or ""), kind="article",
                              structured=(metadata.media(site, media),)),
                     "media.html", {"media": media, "project": site.projects.get(media.meta.project or "")}))

    tasks += _exhibitions(site, rules)

    add(PageTask(PageInfo("search/", "Search", f"Search the stories, artworks and reports of {site.name}.", "search/",
                          _crumbs()), "search.html", {}))

    base_path = urlsplit(config.base_url).path if config.base_url else "/"
    add(PageTask(PageInfo("404.html", "Page not found", "This page does not exist.", "", (), True,
                          base_path if base_path.endswith("/") else base_path + "/"), "404.html", {}))
    return tasks
