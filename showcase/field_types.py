"""The field types every model of an editor's files shares: slugs, safe addresses, credits, licences,
organisations and periods, and the strict base model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from .names import initials
from .rights import canonical, licence_pattern
from .urls import clean_url

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# For the JSON Schemas (schema.py) alone, what the validators check: an address of a safe scheme or a relative one,
# and text with something in it besides spaces (the models strip spaces before counting)
_SAFE_ADDRESS = r"^\s*(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]|[Tt][Ee][Ll]):|[^:]*(?:[/?#]|$))"
Url = Annotated[str, AfterValidator(clean_url), Field(json_schema_extra={"pattern": _SAFE_ADDRESS})]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
PlainText = Annotated[str, Field(min_length=1, json_schema_extra={"pattern": r"\S"})]


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
    "examples": ["CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/", "CC0-1.0", "InC"],
    "pattern": licence_pattern()})]


class Organisation(Model):
    name: PlainText
    url: Url | None = None
    role: str | None = None


def _as_organisation(value: object) -> object:
    return {"name": value} if isinstance(value, str) else value


OrganisationField = Annotated[Organisation, BeforeValidator(_as_organisation)]


Year = Annotated[int, Field(ge=1000, le=9999, description="a year, e.g. 2014")]


class Period(Model):
    start: Year | dt.date
    end: Year | dt.date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> Period:
        if self.end is not None and self.end_year < self.start_year or (
                isinstance(self.start, dt.date) and isinstance(self.end, dt.date) and self.end < self.start):
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self

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
