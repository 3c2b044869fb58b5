"""Plain words for editors: the words every message shares (the nearest name, dates, quoting).

Editors are not programmers: no PyYAML or pydantic wording reaches them. Each problem becomes one
sentence that names the field and says what to write instead, at the line where the mistake is:

    summary: this value contains a colon, so put it in quotes: summary: "Clay: a beginning"

yaml_messages.py says what the YAML reader could not read (`YAML_PROBLEMS`); field_messages.py what the
models refused (`FIELD_PROBLEMS`, by pydantic's error type).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable

from .dates_in_words import DAY, MONTH, MONTHS, in_words

DATE_HINT = "dates are written YYYY-MM-DD, e.g. 2026-11-30"
YES_NO = "yes, no, on and off are read as true or false unless quoted"
CONSENT = "write recorded or not-needed (or pending while you wait for consent)"
KEY_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)(?P<value>.*)$")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The one of `choices` nearest to `word` (a misspelt slug, field or file name), if one is near."""
    near = difflib.get_close_matches(word, sorted(set(choices)), n=1)
    return near[0] if near else None


def place_name(loc) -> str:
    """A place in a file's fields as an editor would say it: "authors, item 1, display" for ("authors", 0, "display")
    (lists counted from 1, as people count), "period.start" for a field of a group."""
    said, after_item = "", False
    for part in loc:
        if isinstance(part, int):
            said, after_item = f"{said}, item {part + 1}", True
        else:
            said, after_item = said + (", " if after_item else "." if said else "") + str(part), False
    return said


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean quiet-blue?' for the nearest of `choices`, or '' when none is near."""
    near = nearest(word, choices)
    return f"; did you mean {near}?" if near else ""


_MISSING_FILE = re.compile(r"^'(?P<target>.*)' points to a file that does not exist \((?P<path>[^()]*)\)$")


def missing_file(message: str, files: Iterable[str]) -> tuple[str, str | None]:
    """A link's 'points to a file that does not exist' with the nearest file of that folder suggested, and
    that file (the message depends on it); other messages as they are."""
    match = _MISSING_FILE.match(message)
    if not match:
        return message, None
    folder, name = match["path"].rsplit("/", 1) if "/" in match["path"] else ("", match["path"])
    names = [f.rsplit("/", 1)[-1] for f in files if (f.rsplit("/", 1)[0] if "/" in f else "") == folder]
    ending = name.rsplit(".", 1)[-1] if "." in name else ""
    near = nearest(name, [n for n in names if n.lower().endswith(f".{ending.lower()}")] or names)
    if near is None:
        return message, None
    target = match["target"]
    shown = target.replace(name, near, 1) if name in target else f"{folder}/{near}".lstrip("/")
    if " " in shown:  # Markdown reads an address with a space only between < and >
        return (f"{message}; did you mean <{shown}>? (an address with a space is written between < and >)",
                f"{folder}/{near}".lstrip("/"))
    return f"{message}; did you mean {shown}?", f"{folder}/{near}".lstrip("/")


def date_problem(value: str, exc: Exception | None = None) -> str:
    """Why a date written like YYYY-MM-DD is not one: 'there is no 30 February 2026; ...'."""
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if year < 1:
            return f"there is no year {year}; {DATE_HINT}"
        if not 1 <= month <= 12:
            return f"there is no month {month} in {value.strip()}; {DATE_HINT}"
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return f"there is no {in_words(day, month, year)}; {DATE_HINT}"
    shown = value.strip() if len(value.strip()) <= 40 else value.strip()[:40] + "…"
    if isinstance(exc, ValueError) and str(exc):  # a date and time YAML recognised, with an impossible time
        return f"'{shown}' is not a real date and time ({exc}); {DATE_HINT}"
    return f"'{shown}' is not a date; {DATE_HINT}"


def written_date(value: str) -> str:
    """What to say about a date written another way: 30/11/2026 and 30.11.2026 are read day first (then
    month first if that is the only date they can be), and the answer names the month, so it is never
    ambiguous."""
    match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", value)
    if not match:
        return _in_words(value) or date_problem(value)
    first, second, year = (int(part) for part in match.groups())
    day, month = (first, second) if 1 <= second <= 12 or not 1 <= first <= 12 else (second, first)
    if not 1 <= month <= 12:
        return date_problem(value)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return date_problem(f"{year:04d}-{month:02d}-{day:02d}")  # "there is no 31 November 2026; ..."
    return f"write {in_words(day, month, year)} as {year:04d}-{month:02d}-{day:02d} (dates are written YYYY-MM-DD)"


def _in_words(value: str) -> str | None:
    """2015-10-5 (a digit short), 5 October 2015, October 5, 2015 or 5 Oct 2015: the same date as YYYY-MM-DD, when it is
    one."""
    short_parts = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", value)
    if short_parts and len(short_parts[2] + short_parts[3]) < 4:
        year, month, day = (int(part) for part in short_parts.groups())
        written = "with two digits for the month and the day"
    else:
        words = (re.fullmatch(rf"\s*{DAY}\s+{MONTH},?\s+(\d{{4}})\s*", value, re.I)
                 or re.fullmatch(rf"\s*{MONTH}\s+{DAY},?\s+(\d{{4}})\s*", value, re.I))
        if words is None:
            return None
        first, second, year_text = words.groups()
        day_text, month_name = (first, second) if first.isdigit() else (second, first)
        year, month, day = int(year_text), MONTHS[month_name.lower()], int(day_text)
        written = "YYYY-MM-DD"
    if not 1 <= month <= 12 or year < 1:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return date_problem(f"{year:04d}-{month:02d}-{day:02d}")  # "there is no 31 June 2015; ..."
    return f"write {value.strip()} as {year:04d}-{month:02d}-{day:02d} (dates are written {written})"


def quoted(value: str) -> str:
    """`value` in the quotes that keep it as written: double quotes, or single ones if it has a double quote
    (YAML writes a single quote inside single quotes twice)."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 10].rstrip() + " …"
