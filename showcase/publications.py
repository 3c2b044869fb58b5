"""The programme's publications from publications.bib (BibTeX) or publications.yaml, in one citation style."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import Diagnostic
from .field_messages import field_problems
from .field_types import Slug
from .sources import ContentProblem, load_yaml, read_text
from .urls import browser_form, clean_url


class Publication(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    key: str
    type: str = "article"
    title: str = Field(min_length=1)
    authors: list[str] = Field(min_length=1)
    year: int
    journal: str | None = None
    publisher: str | None = None
    address: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    projects: list[Slug] = []
    line: int = Field(default=1, exclude=True)

    @field_validator("volume", "issue", "pages", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.I)
        if not re.match(r"^10\.\d{4,}/\S+$", value):
            raise ValueError(f"'{value}' is not a DOI (they look like 10.1108/MHRJ-11-2012-0031)")
        clean_url(f"https://doi.org/{value}")  # the link made of it: no invisible control characters
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if not value:
            return value
        if not re.match(r"https?://", browser_form(value), re.ASCII | re.IGNORECASE):
            raise ValueError("url must start with https:// or http://")
        return clean_url(value)

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def authors_text(self) -> str:
        names = [_short_name(a) for a in self.authors]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def page_range(self) -> str | None:
        return self.pages.replace("--", "–").replace("-", "–") if self.pages else None

    @property
    def pages_text(self) -> str | None:
        """"p. 79" for one page, "pp. 141–147" for a range (or a list of pages)."""
        pages = self.page_range
        if not pages:
            return None
        return f"{'pp.' if re.search(r'[–,]', pages) else 'p.'} {pages}"

    @property
    def journal_details(self) -> str:
        """What follows the journal's name, in Harvard style: ", 19(3), pp. 141–147"; ", 18, p. 5" with no
        issue; ", no. 272, p. 79" for an issue without a volume."""
        parts = []
        if self.volume:
            parts.append(f"{self.volume}({self.issue})" if self.issue else self.volume)
        elif self.issue:
            parts.append(f"no. {self.issue}")
        if self.pages_text:
            parts.append(self.pages_text)
        return "".join(f", {part}" for part in parts)


def _short_name(name: str) -> str:
    """"Crawford, Paul" or "Paul Crawford" -> "Crawford, P."; initials already given are kept. A name in
    braces, as BibTeX marks an organisation ("{Arts Council England}"), is kept whole, without them."""
    if name.startswith("{") and name.endswith("}"):
        return name[1:-1].strip()
    if "," in name:
        family, given = (p.strip() for p in name.split(",", 1))
    else:
        parts = name.split()
        family, given = parts[-1], " ".join(parts[:-1])
    initials = " ".join(f"{p[0]}." for p in re.split(r"[\s.]+", given) if p)
    return f"{family}, {initials}" if initials else family


# LaTeX's accents, as BibTeX files write them (\"u, {\'e}, \c{c}, \~a), and the combining mark of each
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "r": "\u030a", "c": "\u0327",
            "k": "\u0328", "d": "\u0323", "b": "\u0331"}
_ACCENT = re.compile(r"""\\(["'`^~=.]|[uvHrckdb](?![A-Za-z]))\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_LETTER = re.compile(r"\\(" + "|".join(sorted(_LETTERS, key=len, reverse=True)) + r")(?![A-Za-z])\s*(?:\{\})?")
_FORMATTING = re.compile(r"\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|mkbibemph|enquote|mbox)\s*(?=\{)")
_ESCAPED = re.compile(r"\\([&%$#_{}])")


_ADDRESSES = ("url", "doi")


def _untex(value: str) -> str:
    """A BibTeX field's text as it reads: accents and special letters as Unicode, formatting commands and
    braces left out, escaped characters as themselves, dashes and ties as typeset."""
    value = _ACCENT.sub(lambda m: _base(m[2] or m[3]) + _ACCENTS[m[1]], value)
    value = _LETTER.sub(lambda m: _LETTERS[m[1]], value)
    value = _FORMATTING.sub("", value)
    value = value.replace("---", "—").replace("--", "–").replace("~", "\u00a0")
    escaped: list[str] = []
    value = _ESCAPED.sub(lambda m: escaped.append(m[1]) or f"\x00{len(escaped) - 1}\x00", value)
    value = re.sub(r"[{}]", "", value)
    value = re.sub("\x00(\\d+)\x00", lambda m: escaped[int(m[1])], value)
    return unicodedata.normalize("NFC", re.sub(r"[ \t\r\n]+", " ", value)).strip()


def _base(letter: str) -> str:
    """The letter an accent goes on: itself; an i or j written dotless (\\i, \\j) takes the accent for its dot."""
    if not letter.startswith("\\"):
        return letter
    return letter[1:] if letter[1:] in ("i", "j") else _LETTERS.get(letter[1:], letter[1:])


@dataclass
class Publications:
    items: list[Publication] = field(default_factory=list)

    def by_year(self) -> list[tuple[int, list[Publication]]]:
        years: dict[int, list[Publication]] = {}
        for item in self.items:
            years.setdefault(item.year, []).append(item)
        return sorted(years.items(), reverse=True)

    def for_project(self, slug: str) -> list[Publication]:
        return [p for p in self.items if slug in p.projects]


def load_publications(root: Path, rel: str, projects: set[str]) -> tuple[Publications, list[Diagnostic]]:
    path = root / rel
    problems: list[Diagnostic] = []
    try:
        text = read_text(path)
        raw = _from_bibtex(text, path, problems) if rel.endswith(".bib") else _from_yaml(text, path, problems)
    except ContentProblem as problem:
        return Publications(), [Diagnostic(str(path), problem.line, problem.col, "error", problem.message)]
    lines = text.split("\n")
    items: list[Publication] = []
    seen: set[str] = set()
    for data, line in raw:
        try:
            item = Publication.model_validate({**data, "line": line})
        except ValidationError as exc:
            for message, loc in field_problems(exc.errors(), data, Publication):  # in plain words
                where = _field_line(lines, line, str(loc[0])) if loc else line
                problems.append(Diagnostic(str(path), where, 1, "error", f"{data.get('key', 'entry')}: {message}"))
            continue
        if item.key in seen:
            problems.append(Diagnostic(str(path), line, 1, "error", f"two entries have the key '{item.key}'"))
            continue
        seen.add(item.key)
        for slug in item.projects:
            if slug not in projects:
                problems.append(Diagnostic(str(path), _field_line(lines, line, "projects"), 1, "error",
                                           f"{item.key}: project '{slug}' does not exist (no projects/{slug}.yaml)"))
        items.append(item)
    items.sort(key=lambda p: (-p.year, p.authors_text, p.title))
    return Publications(items), problems


def _field_line(lines: list[str], start: int, name: str) -> int:
    """The line of `name = ...` (BibTeX) or `name:` (YAML) in the entry starting at line `start`."""
    aliases = {"authors": "authors?", "issue": "(issue|number)"}.get(name, re.escape(name))
    pattern = re.compile(rf"^\s*-?\s*{aliases}\s*[=:]", re.I)
    for number in range(start, min(len(lines), start + 60) + 1):
        if number > start and re.match(r"^\s*(@|-\s)", lines[number - 1]):
            break  # the next entry
        if pattern.match(lines[number - 1]):
            return number
    return start


def _from_bibtex(text: str, path: Path, problems: list[Diagnostic]) -> list[tuple[dict, int]]:
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)  # its problems are reported below, with lines
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        error = getattr(block, "error", None)
        reason = getattr(error, "abort_reason", None) or str(error or "").split("\n")[0]
        if "Duplicate" in type(block).__name__:
            reason = f"two entries have the key '{getattr(block, 'key', '')}'"
        else:
            reason = f"this entry cannot be read ({reason or 'is a brace or a quote left open, or a comma missing?'})"
        problems.append(Diagnostic(str(path), block.start_line + 1, 1, "error", f"BibTeX: {reason}"))
    entries = []
    for entry in library.entries:
        if not entry.key.strip():
            problems.append(Diagnostic(str(path), entry.start_line + 1, 1, "error",
                                       "BibTeX: this entry has no key (the name after '{', e.g. @article{lee2017,)"))
            continue
        fields = {k.lower(): str(f.value).strip().strip("{}") if k.lower() in _ADDRESSES else _untex(str(f.value))
                  for k, f in entry.fields_dict.items()}  # an address is used as written: no dash, no tie
        data: dict = {"key": entry.key, "type": entry.entry_type.lower(), **fields}
        raw = next((f for k, f in entry.fields_dict.items() if k.lower() == "author"), None)
        data["authors"] = _bib_authors(str(raw.value)) if raw is not None else []
        data.pop("author", None)
        if "number" in fields and "issue" not in fields:
            data["issue"] = data.pop("number")
        data["projects"] = [s.strip() for s in fields.get("projects", "").split(",") if s.strip()]
        if not str(fields.get("year", "")).isdigit():
            problems.append(Diagnostic(str(path), entry.start_line + 1, 1, "error", f"{entry.key}: year must be a number"))
            continue
        entries.append((data, entry.start_line + 1))
    return entries


def _bib_authors(value: str) -> list[str]:
    """BibTeX's author list: names separated by "and" outside braces; a name wholly in braces (an
    organisation) keeps one pair of them, so that it is never split into family name and initials."""
    names, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", value):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            names.append(value[start:match.start()])
            start = match.end()
    names.append(value[start:])
    found = []
    for name in (n.strip() for n in names):
        if not name:
            continue
        whole = name.startswith("{") and name.endswith("}") and _closes_at_end(name)
        found.append("{" + _untex(name[1:-1]) + "}" if whole else _untex(name))
    return found


def _closes_at_end(name: str) -> bool:
    """Whether the brace that opens `name` is the one that closes it."""
    depth = 0
    for index, char in enumerate(name):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index == len(name) - 1
    return False


def _from_yaml(text: str, path: Path, problems: list[Diagnostic]) -> list[tuple[dict, int]]:
    doc = load_yaml(text)
    if not isinstance(doc.data, list):
        problems.append(Diagnostic(str(path), 1, 1, "error", "publications.yaml must be a list of entries"))
        return []
    entries = []
    for index, item in enumerate(doc.data):
        line, _ = doc.locate((index,))
        if not isinstance(item, dict):
            problems.append(Diagnostic(str(path), line, 1, "error", "each publication must be a set of 'field: value' lines"))
            continue
        data = dict(item)
        data.setdefault("key", f"entry-{index + 1}")
        if isinstance(data.get("projects"), str):
            data["projects"] = [s.strip() for s in data["projects"].split(",")]
        if isinstance(data.get("authors"), str):
            data["authors"] = [a.strip() for a in data["authors"].split(" and ")]
        entries.append((data, line))
    return entries
