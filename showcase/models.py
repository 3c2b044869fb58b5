"""Typed models of site.yaml: the showcase's name and language, its support lines, navigation, images, the
editor in the browser and the rights every artwork has unless it says its own. (The models of content files are
in content_models.py, the field types they share in field_types.py.)"""

from __future__ import annotations

import re
from typing import Annotated, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import (
    AliasChoices,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .field_types import (
    CreditField,
    LicenceField,
    Model,
    OrganisationField,
    Period,
    PlainText,
    Slug,
    Url,
)
from .urls import clean_url


class RightsConfig(Model):
    """What site.yaml says of every artwork that does not say it itself. Absent: no licence is claimed."""

    licence: LicenceField | None = None
    rights_holder: CreditField | None = None
    credit: str | None = None


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
    repo: str = Field(description="the repository, owner/name (on GitLab also group/subgroup/name); `repository`, as "
                                  "the content contract writes it, is the same", json_schema_extra={"pattern": REPO_PATTERN},
                      validation_alias=AliasChoices("repo", "repository"))
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


def site_address(value: str) -> str:
    """The address a site is published at (site.yaml's base_url, or --base-url): an absolute http(s) URL of a
    folder, with a host and nothing after the path; ValueError saying why not."""
    example = "e.g. https://example.org/cpmr/"
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise ValueError(f"base_url must be an http(s) address, not {scheme.group(1)}:, {example}")
    value = clean_url(value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError as exc:
        raise ValueError(f"base_url is not a web address ({exc}): {example}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url must be an absolute http(s) URL, {example}")
    if re.search(r"[\s<>\"'`{}|\\^]", parts.netloc):
        raise ValueError(f"base_url's host '{parts.netloc}' cannot be in a web address: {example}")
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        raise ValueError(f"base_url is the address of the site's folder, without '?' or '#' after it: {example}")
    if "@" in parts.netloc:  # it would be written into every page, feed and the sitemap
        raise ValueError(f"base_url must not hold a user name or password: {example}")
    if re.search(r"\.(html?|php|aspx?)$", parts.path, re.I):
        raise ValueError(f"base_url is the address of the site's folder, not of a page in it: {example}")
    try:  # a host or folder written in any script, as browsers send it (IDNA, percent-encoded)
        host = parts.hostname.encode("idna").decode("ascii") if not parts.hostname.isascii() else parts.netloc
    except UnicodeError:
        raise ValueError(f"base_url's host '{parts.hostname}' cannot be in a web address: {example}") from None
    if host != parts.netloc:
        host += f":{parts.port}" if parts.port is not None else ""
    return urlunsplit((parts.scheme, host, quote(parts.path, safe="/%:@!$&'()*+,;=~"), "", ""))


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
    licence: LicenceField | None = None  # the content contract's shorthand for rights: licence

    @model_validator(mode="after")
    def _licence_in_rights(self) -> SiteConfig:
        """`licence:` is `rights: licence:` written shorter; the build reads the one in `rights`."""
        if self.licence is None:
            return self
        if self.rights is not None and self.rights.licence is not None and self.rights.licence != self.licence:
            raise ValueError("licence and rights: licence say different things; give the licence once")
        rights = (self.rights or RightsConfig()).model_copy(update={"licence": self.licence})
        object.__setattr__(self, "rights", rights)  # (the model is frozen once made)
        return self


    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str | None) -> str | None:
        return None if value is None else site_address(value)
