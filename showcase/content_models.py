"""Typed models of each content file an editor writes: a story's or report's front matter, an artwork's sidecar,
a project, a person, a film or recording, an exhibition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .field_types import (
    Credit,
    CreditField,
    LicenceField,
    Model,
    OrganisationField,
    Period,
    PlainText,
    Slug,
    Url,
)
from .models import RightsConfig
from .rights import Licence
from .rights import licence as licence_of
from .slugs import slugify


def _term_slug(name: str) -> str:
    slug = slugify(name)
    if not slug:
        raise ValueError("write a word or two, e.g. music")
    return slug


# A practice or tag as an editor writes it ("Καλλιτεχνία", "Mental health", mental-health): kept as its slug;
# the theme shows the name as written (terms.py)
TermSlug = Annotated[str, AfterValidator(_term_slug)]
# each once: "Music" and "music" are one practice, and a tag listed twice is shown once
Terms = Annotated[list[TermSlug], AfterValidator(lambda slugs: list(dict.fromkeys(slugs)))]


@dataclass(frozen=True)
class Rights:
    """The rights of one artwork: its own fields, else the site's defaults (ArtworkMeta.rights_with)."""

    licence: Licence | None = None
    rights_holder: Credit | None = None
    credit: str | None = None


Consent = str  # `recorded` or `not-needed` publish; anything else withholds the item


class StoryMeta(Model):
    title: PlainText
    date: dt.date
    summary: str
    authors: Annotated[list[CreditField], Field(min_length=1)]
    consent: Consent
    project: Slug | None = None
    practices: Terms = []
    tags: Terms = []
    artworks: list[Slug] = []
    hero: Slug | None = None
    content_note: str | None = None
    draft: bool = False
    publish_date: dt.date | None = None
    slug: Slug | None = None
    layout: Literal["default", "feature"] = "default"
    language: str | None = None


class ArtworkMeta(Model):
    title: PlainText
    alt: str
    decorative: bool = False
    artist: CreditField | None = None
    year: int | str | None = None
    medium: str | None = None
    dimensions: str | None = None
    description: str | None = None
    project: Slug | None = None
    credit: str | None = None
    licence: LicenceField | None = None
    rights_holder: CreditField | None = None
    zoom: bool | None = Field(None, description="deep zoom (a \"Look closer\" viewer on the artwork's page): true "
                                                "offers it for an image no wider than the largest responsive width "
                                                "too, false turns it off; left out, wider images get it")
    consent: Consent = "recorded"
    image: str | None = Field(None, description="the image's file name in artworks/, e.g. river.jpg; without it, "
                                                "the image with this sidecar's name")


    def rights_with(self, default: RightsConfig | None) -> Rights:
        """This work's licence, rights holder and credit, each from the site's `rights:` when it gives none."""
        default = default or RightsConfig()
        return Rights(licence=licence_of(self.licence or default.licence),
                      rights_holder=self.rights_holder or default.rights_holder, credit=self.credit or default.credit)

    @model_validator(mode="after")
    def _alt_required(self) -> ArtworkMeta:
        if not self.alt and not self.decorative:
            raise ValueError("alt: write a text alternative (alt: \"\" is allowed only with decorative: true)")
        return self


class Event(Model):
    title: PlainText
    start: dt.date
    end: dt.date | None = None
    place: str | None = None
    summary: str | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Event:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"the event ends ({self.end}) before it starts ({self.start})")
        return self


class ProjectMeta(Model):
    title: PlainText
    summary: PlainText
    practices: Terms = []
    period: Period | None = None
    partners: list[OrganisationField] = []
    lead: OrganisationField | None = None
    description: str | None = None
    hero: Slug | None = None
    events: list[Event] = []


class KeyFigure(Model):
    value: Annotated[str, Field(min_length=1), WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1},
                                                                        {"type": "number"}]})]  # 42 is "42"
    label: PlainText

    _text = field_validator("value", mode="before")(lambda v: str(v) if isinstance(v, (int, float)) else v)


class ReportMeta(Model):
    title: PlainText
    kind: Literal["final-report", "impact-statement", "report"] = "report"
    date: dt.date
    authors: list[CreditField] = []
    summary: str = ""
    pdf: str | None = None
    key_figures: list[KeyFigure] = []
    citation: str | None = None
    publisher: str | None = None
    draft: bool = False
    slug: Slug | None = None


class PageMeta(Model):
    title: PlainText
    summary: str | None = None
    nav_order: int | None = None
    draft: bool = False
    slug: Slug | None = None


class PersonMeta(Model):
    name: PlainText
    role: str | None = Field(None, description="their role in the programme, e.g. Co-investigator")
    affiliation: str | None = None
    projects: list[Slug] = Field([], description="slugs of the projects (strands) they worked in; the people page "
                                                 "lists each person once, with all of them")
    url: Url | None = None
    bio: str | None = Field(None, description="a short biography (Markdown), shown under their name on the people "
                                              "page")
    photo: Slug | None = Field(None, description="the slug of an artwork whose image is their photo, shown beside "
                                                 "their name with that artwork's alt text")


class MediaMeta(Model):
    title: PlainText
    kind: Literal["video", "audio"]
    file: str | None = None  # a file in media/
    url: Url | None = None  # or a video page elsewhere (shown only after the reader asks for it)
    captions: str | None = None  # a WebVTT file in media/
    transcript: str | None = None  # Markdown
    duration: str | None = None
    project: Slug | None = None
    credit: str | None = None
    poster: Slug | None = None  # an artwork shown before an external video is played
    audio_description: str | None = Field(None, description="a file in media/: a version of this video or recording "
                                                            "with audio description (what is seen, said aloud)")
    text_description: str | None = Field(None, description="what is seen, written out (Markdown), or the name of a "
                                                           ".md file in media/ that says it; `description`, as the "
                                                           "content contract writes it, is the same",
                                         validation_alias=AliasChoices("text_description", "description"))
    consent: Consent = "recorded"
    slug: Slug | None = None

    @model_validator(mode="after")
    def _source(self) -> MediaMeta:
        if bool(self.file) == bool(self.url):
            raise ValueError("give either file (a file in media/) or url (a video page elsewhere), not both")
        if self.url and self.kind == "audio":
            raise ValueError("audio must be a file in media/; url is for videos hosted elsewhere")
        if not self.transcript:
            raise ValueError(f"transcript: every {self.kind} needs a transcript, so that everyone can follow it")
        if self.kind == "video" and self.file and not self.captions:
            raise ValueError("captions: a video needs a WebVTT captions file (media/<name>.vtt)")
        return self


# --- exhibitions ---------------------------------------------------------------------------


class ExhibitionStop(Model):
    """One stop of an exhibition's walk: the work shown (an artwork, a story or a film or recording, by its slug)
    and what the curator says about it there."""

    artwork: Slug | None = Field(None, description="an artwork, by its slug (its file name in artworks/)")
    story: Slug | None = Field(None, description="a story, by its slug (its file name in stories/)")
    media: Slug | None = Field(None, description="a film or recording, by its slug (its file name in media/)")
    text: PlainText = Field(description="what the curator says at this stop: a few sentences, in Markdown")

    @model_validator(mode="after")
    def _one_work(self) -> ExhibitionStop:
        named = [key for key in ("artwork", "story", "media") if getattr(self, key)]
        if len(named) != 1:
            raise ValueError("a stop shows one work: give one of artwork, story or media"
                             + (f", not {' and '.join(named)}" if named else ""))
        return self

    @property
    def kind(self) -> str:
        return "artwork" if self.artwork else "story" if self.story else "media"

    @property
    def work(self) -> str:
        return self.artwork or self.story or self.media or ""


def _some_stops(stops: list[ExhibitionStop]) -> list[ExhibitionStop]:
    if not stops:
        raise ValueError("an exhibition needs at least one stop: a work (artwork:, story: or media:) and its text:")
    return stops


class ExhibitionMeta(Model):
    """An exhibition: a curator's ordered walk through works of the showcase (exhibitions/<name>.yaml, or .md with
    the introduction after the front matter)."""

    title: PlainText
    summary: PlainText = Field(description="one or two plain sentences, for the list of exhibitions and search")
    curators: list[CreditField] = Field([], description="who chose the works and wrote the texts")
    introduction: str | None = Field(None, description="the opening words, in Markdown (in an .md file: the text "
                                                       "after the front matter)")
    stops: Annotated[list[ExhibitionStop], AfterValidator(_some_stops),
                     Field(description="the works in the order of the walk", json_schema_extra={"minItems": 1})]
    draft: bool = False
    slug: Slug | None = None
