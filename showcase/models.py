"""Typed models of everything an editor writes: site.yaml, sidecars and front matter."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .names import initials
from .rights import Licence, canonical
from .rights import licence as licence_of
from .urls import clean_url

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Url = Annotated[str, AfterValidator(clean_url)]  # published as a browser reads it; only safe schemes
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
PlainText = Annotated[str, Field(min_length=1)]


def _term_slug(name: str) -> str:
    from .markdown import slugify

    slug = slugify(name)
    if not slug:
        raise ValueError("write a word or two, e.g. music")
    return slug


# A practice or tag as an editor writes it ("Καλλιτεχνία", "Mental health", mental-health): kept as its slug;
# the theme shows the name as written (assemble.py, _terms)
TermSlug = Annotated[str, AfterValidator(_term_slug)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- people and credits --------------------------------------------------------------------


class Credit(Model):
    """A contributor; `display` controls how their name appears on every surface."""

    name: PlainText
    display: Literal["full", "initials", "anonymous"] = "full"
    # An organisation or a group ("The CPMR programme team"): its name is never split into a family name
    # and initials (citations, BibTeX, RIS) and is marked up as an Organization, not a Person.
    organisation: bool = False

    @property
    def shown(self) -> str:
        if self.display == "anonymous":
            return "Anonymous contributor"
        if self.display == "initials":
            return initials(self.name)
        return self.name


def _as_credit(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


# A plain name is shorthand for {name: ...}: one rule, wherever a credit is written.
CreditField = Annotated[Credit, BeforeValidator(_as_credit),
                        Field(json_schema_extra={"description": "a name, or {name, display, organisation}"})]


# A Creative Commons licence or a RightsStatements.org statement, by its address or short name (rights.py): kept
# as its canonical address. An unknown one is refused with the list of those allowed.
LicenceField = Annotated[str, AfterValidator(canonical), Field(json_schema_extra={
    "description": "a Creative Commons licence or a RightsStatements.org statement: its address or short name",
    "examples": ["CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/", "CC0-1.0", "InC"]})]


class RightsConfig(Model):
    """What site.yaml says of every artwork that does not say it itself. Absent: no licence is claimed."""

    licence: LicenceField | None = None
    rights_holder: CreditField | None = None
    credit: str | None = None


@dataclass(frozen=True)
class Rights:
    """The rights of one artwork: its own fields, else the site's defaults (ArtworkMeta.rights_with)."""

    licence: Licence | None = None
    rights_holder: Credit | None = None
    credit: str | None = None


class Organisation(Model):
    name: PlainText
    url: Url | None = None
    role: str | None = None


def _as_organisation(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


OrganisationField = Annotated[Organisation, BeforeValidator(_as_organisation)]


class Period(Model):
    start: int | dt.date
    end: int | dt.date | None = None

    @property
    def start_year(self) -> int:
        return self.start if isinstance(self.start, int) else self.start.year

    @property
    def end_year(self) -> int | None:
        if self.end is None:
            return None
        return self.end if isinstance(self.end, int) else self.end.year

    @property
    def label(self) -> str:
        end = self.end_year
        if end is None:
            return f"from {self.start_year}"
        return str(end) if end == self.start_year else f"{self.start_year}–{end}"


# --- site.yaml -----------------------------------------------------------------------------


class Quote(Model):
    text: PlainText
    attribution: str | None = None


class SupportLine(Model):
    name: PlainText
    description: str | None = None
    phone: str | None = None
    text: str | None = None
    url: Url | None = None


class NavItem(Model):
    title: PlainText
    url: Url


class ImagesConfig(Model):
    widths: Annotated[list[Annotated[int, Field(ge=16, le=8000)]], Field(min_length=1)] = [480, 960, 1600]
    formats: list[Literal["webp", "jpeg", "png", "avif"]] = ["webp", "jpeg"]
    quality: Annotated[int, Field(ge=1, le=100)] = 80


# What a repository path may look like: owner/name (GitLab: group/subgroup/name), no "..", no spaces
REPO_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$"
BRANCH_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$"
FOLDER_PATTERN = r"^(\.|[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*)$"


class EditorConfig(Model):
    """The editor in the browser at /admin/ (Decap CMS): the repository it saves the content to."""

    backend: Literal["github", "gitlab", "gitea"] = Field(description="where the repository is kept")
    repo: str = Field(description="the repository, owner/name (on GitLab also group/subgroup/name)",
                      json_schema_extra={"pattern": REPO_PATTERN})
    branch: str = Field("main", description="the branch the site is built from",
                        json_schema_extra={"pattern": BRANCH_PATTERN})
    content_folder: str = Field("content", description="the content folder's place in the repository",
                                json_schema_extra={"pattern": FOLDER_PATTERN})
    base_url: Url | None = Field(None, description="the address of the OAuth helper (GitHub), or of a "
                                                   "GitLab or Gitea server of your own")
    auth_endpoint: str | None = Field(None, description="the OAuth helper's path on base_url, e.g. auth")
    app_id: str | None = Field(None, description="the OAuth application's ID (GitLab without a helper, Gitea)")
    api_root: Url | None = Field(None, description="the API address of a server of your own, "
                                                   "e.g. https://gitlab.example.org/api/v4")

    @field_validator("repo")
    @classmethod
    def _repository(cls, value: str, info: ValidationInfo) -> str:
        one_slash = info.data.get("backend") != "gitlab"  # GitLab alone has groups within groups
        if (not re.match(REPO_PATTERN, value) or ".." in value or value.endswith((".", "/"))
                or (one_slash and value.count("/") != 1)):
            shape = "owner/name" if one_slash else "owner/name or group/subgroup/name"
            raise ValueError(f"write the repository as {shape}, e.g. repo: cpmr/showcase")
        return value

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        if not re.match(BRANCH_PATTERN, value) or ".." in value or value.endswith(("/", ".", ".lock")):
            raise ValueError("write the name of a branch, e.g. branch: main")
        return value

    @field_validator("content_folder")
    @classmethod
    def _folder(cls, value: str) -> str:
        if not re.match(FOLDER_PATTERN, value) or ".." in value.split("/"):
            raise ValueError("write the folder's path in the repository, e.g. content_folder: content")
        return value

    @field_validator("auth_endpoint")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", value):
            raise ValueError("write the helper's path on base_url, e.g. auth_endpoint: auth")
        return value

    @field_validator("base_url", "api_root")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https://[^/]+", value):
            raise ValueError("write an https:// address, e.g. https://auth.example.org")
        return value

    @model_validator(mode="after")
    def _gitea_server(self) -> EditorConfig:
        if self.backend == "gitea" and not (self.base_url and self.app_id):
            raise ValueError("Gitea needs the address of its server (base_url) and the ID of the "
                             "OAuth application made there (app_id)")
        return self


class SiteConfig(Model):
    title: PlainText
    short_title: str | None = None
    tagline: str | None = None
    statement: PlainText | None = None  # the home page's one plain sentence: why the programme matters
    description: PlainText
    language: Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    base_url: Url | None = None
    funder: str | None = None
    grant: str | None = None
    lead: OrganisationField | None = None
    partners: list[OrganisationField] = []
    period: Period | None = None
    quote: Quote | None = None
    support: list[SupportLine] = []
    navigation: list[NavItem] | None = None
    images: ImagesConfig = ImagesConfig()
    theme: Slug = "default"
    editor: EditorConfig | None = None  # the editor in the browser at /admin/ (editor.py)
    rights: RightsConfig | None = None  # every artwork's licence, rights holder and credit unless it says its own


    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/]+", value):
            raise ValueError("base_url must be an absolute http(s) URL, e.g. https://example.org/cpmr/")
        return value


# --- content items -------------------------------------------------------------------------


Consent = str  # `recorded` or `not-needed` publish; anything else withholds the item


class StoryMeta(Model):
    title: PlainText
    date: dt.date
    summary: str
    authors: Annotated[list[CreditField], Field(min_length=1)]
    consent: Consent
    project: Slug | None = None
    practices: list[TermSlug] = []
    tags: list[TermSlug] = []
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


class ProjectMeta(Model):
    title: PlainText
    summary: PlainText
    practices: list[TermSlug] = []
    period: Period | None = None
    partners: list[OrganisationField] = []
    lead: OrganisationField | None = None
    description: str | None = None
    hero: Slug | None = None
    events: list[Event] = []



class KeyFigure(Model):
    value: Annotated[str, Field(min_length=1)]
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
                                                           ".md file in media/ that says it")
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
