"""The parsed and assembled showcase: the typed objects templates are given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .content_models import (
    ArtworkMeta,
    ExhibitionMeta,
    MediaMeta,
    PageMeta,
    PersonMeta,
    ProjectMeta,
    ReportMeta,
    StoryMeta,
)
from .field_types import Credit
from .markdown import RenderedMarkdown
from .mediafile import clock, iso_duration, parse_clock
from .models import SiteConfig
from .publications import Publications
from .sources import YamlDocument

if TYPE_CHECKING:
    from .images import ArtworkImage

PUBLISHED_CONSENT = ("recorded", "not-needed")


@dataclass(frozen=True)
class StopLink:
    """Where an exhibition shows a work, for the work's own page: "Clay: from the table to the wall, stop 3 of 7"."""

    exhibition: str  # the exhibition's title
    url: str  # the stop's page
    number: int
    count: int


@dataclass(kw_only=True)
class Item:
    slug: str
    source: str  # posix path in the content folder, e.g. "stories/sams-story.md"
    url: str = ""  # site-relative: "" is the home page, folders end with "/"
    front: YamlDocument | None = field(default=None, repr=False)  # to point at lines of fields later
    digests: dict[str, str] = field(default_factory=dict, repr=False)  # of what was parsed, for deps.py
    dep_keys: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # deps.py's key per attribute


@dataclass(kw_only=True)
class Story(Item):
    meta: StoryMeta
    body: RenderedMarkdown
    body_line: int = 1
    related: list[Story] = field(default_factory=list)
    previous_in_project: Story | None = None
    next_in_project: Story | None = None
    exhibitions: list[StopLink] = field(default_factory=list)  # the stops that show it

    @property
    def authors(self) -> list[Credit]:
        return self.meta.authors


@dataclass(kw_only=True)
class Artwork(Item):
    meta: ArtworkMeta
    image_source: str = ""  # the image file beside the sidecar
    description: RenderedMarkdown | None = None
    image: ArtworkImage | None = None  # set once the image is planned
    stories: list[Story] = field(default_factory=list)
    exhibitions: list[StopLink] = field(default_factory=list)  # the stops that show it


@dataclass(kw_only=True)
class Project(Item):
    meta: ProjectMeta
    description: RenderedMarkdown | None = None
    stories: list[Story] = field(default_factory=list)
    artworks: list[Artwork] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


@dataclass(kw_only=True)
class Report(Item):
    meta: ReportMeta
    body: RenderedMarkdown
    pdf_url: str | None = None
    pdf_size: int | None = None


@dataclass(kw_only=True)
class Page(Item):
    meta: PageMeta
    body: RenderedMarkdown


@dataclass(kw_only=True)
class Person(Item):
    meta: PersonMeta
    bio: RenderedMarkdown | None = None


@dataclass(kw_only=True)
class Media(Item):
    meta: MediaMeta
    transcript: RenderedMarkdown | None = None
    file_url: str | None = None  # where the media file is published
    file_type: str | None = None  # its MIME type
    captions_url: str | None = None
    host: str | None = None  # for a video elsewhere: the site it is loaded from, after a click
    embed_url: str | None = None
    duration: float | None = None  # seconds, read from the file itself (mediafile.py)
    audio_description_url: str | None = None  # where the audio-described version is published
    audio_description_type: str | None = None  # its MIME type
    text_description: RenderedMarkdown | None = None  # what is seen, written out
    text_description_source: str | None = None  # the .md file in media/ it was read from, if any
    exhibitions: list[StopLink] = field(default_factory=list)  # the stops that show it

    @property
    def published_files(self) -> tuple[str, ...]:
        """The files of the content folder this item puts in the site, as they are (copied, never changed)."""
        return tuple(rel for rel in (self.file_url, self.captions_url, self.audio_description_url)
                     if rel and ":" not in rel)  # an audio-described version may be published elsewhere

    @property
    def running_time(self) -> str | None:
        """"0:24": the file's own running time; for a video elsewhere, what the sidecar says."""
        if self.duration:
            return clock(self.duration)
        return self.meta.duration or None

    @property
    def iso_duration(self) -> str | None:
        """The running time for structured data ("PT24S"), if it is known."""
        seconds = self.duration or (parse_clock(self.meta.duration) if self.meta.duration else None)
        return iso_duration(seconds) if seconds else None


@dataclass(kw_only=True)
class Stop:
    """One stop of an exhibition's walk, once assembled: the work it shows and the curator's words there."""

    number: int  # 1 for the first stop
    kind: str  # "artwork", "story" or "media"
    slug: str  # the work's slug
    text: RenderedMarkdown
    url: str = ""  # the stop's own page
    work: Artwork | Story | Media | None = None  # set once assembled
    picture: Artwork | None = None  # what stands for the work in lists: the artwork, a story's lead, a poster
    # No properties that read the work: a template reads `stop.work.meta.title` itself, so that deps.py records it.


@dataclass(kw_only=True)
class Exhibition:
    """A curator's walk through works of the showcase: an overview page and one page per stop.

    Not an Item on purpose: deps.py records a page's reads of an Item attribute by attribute, and works out the
    digests of only the kinds of item it lists. A page that reads an exhibition (through site.exhibitions or its
    plan) depends on all of it instead, which deps._shape works out from its fields: always correct."""

    slug: str
    source: str  # posix path in the content folder, e.g. "exhibitions/clay.yaml"
    meta: ExhibitionMeta
    introduction: RenderedMarkdown | None = None
    stops: list[Stop] = field(default_factory=list)
    url: str = ""
    front: YamlDocument | None = field(default=None, repr=False)
    digests: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def picture(self) -> Artwork | None:
        """What stands for the exhibition in lists and when it is shared: the first picture of its walk."""
        return next((stop.picture for stop in self.stops if stop.picture is not None), None)


@dataclass
class Term:
    """A creative practice or a tag, with everything filed under it."""

    kind: str  # "practice" or "tag"
    slug: str
    name: str
    url: str
    stories: list[Story] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    artworks: list[Artwork] = field(default_factory=list)


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str  # site-relative, or absolute for links elsewhere


@dataclass(kw_only=True)
class Site:
    config: SiteConfig
    stories: list[Story]  # published, newest first
    artworks: dict[str, Artwork]
    projects: dict[str, Project]
    reports: list[Report]
    pages: list[Page]
    people: list[Person]
    practices: dict[str, Term]
    tags: dict[str, Term]
    navigation: list[NavLink]
    urls: dict[str, str]  # content file -> site-relative URL, for links written in Markdown
    publications: Publications = field(default_factory=Publications)
    media: dict[str, Media] = field(default_factory=dict)
    exhibitions: dict[str, Exhibition] = field(default_factory=dict)
    final_report: Report | None = None
    impact_statement: Report | None = None
    support_page: Page | None = None
    _by_image: dict[str, Artwork] | None = field(default=None, repr=False)
    _by_sidecar: dict[str, Media] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.config.short_title or self.config.title

    @property
    def feature(self) -> Story | None:
        """The newest story with the feature layout, which the home page leads with."""
        return next((story for story in self.stories if story.meta.layout == "feature"), None)

    @property
    def has_timeline(self) -> bool:
        """Whether the site has a timeline page (timeline.py has a moment to show): a programme period, a project's
        period or events, or a report."""
        return bool(self.config.period or self.reports or any(p.meta.events or p.meta.period
                                                               for p in self.projects.values()))

    def absolute(self, url: str) -> str | None:
        """The published address of a site-relative URL (None without base_url: links stay relative)."""
        base = self.config.base_url
        return base.rstrip("/") + "/" + url if base else None

    def has_static(self, name: str) -> bool:
        """Whether static/<name> is published (a favicon, say). A page asking depends on that file alone."""
        from .deps import record  # deps imports this module

        record(f"url:static/{name}")
        return f"static/{name}" in self.urls

    def artwork_for(self, image_source: str) -> Artwork | None:
        """The published artwork whose image is this content file."""
        if self._by_image is None:
            self._by_image = {a.image_source: a for a in self.artworks.values()}
        return self._by_image.get(image_source)

    def media_for(self, source: str) -> Media | None:
        """The published media item whose sidecar is this content file."""
        if self._by_sidecar is None:
            self._by_sidecar = {m.source: m for m in self.media.values()}
        return self._by_sidecar.get(source)
