"""Plain words for the problems of the YAML reader and the field checks.

Editors are not programmers: no PyYAML or pydantic wording reaches them. Each problem becomes one
sentence that names the field and says what to write instead, at the line where the mistake is:

    summary: this value contains a colon, so put it in quotes: summary: "Clay: a beginning"

Two tables below translate them: `YAML_PROBLEMS` (what the YAML reader could not read) and
`FIELD_PROBLEMS` (what the models in models.py refused, by pydantic's error type).
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

DATE_HINT = "dates are written YYYY-MM-DD, e.g. 2026-11-30"
YES_NO = "yes, no, on and off are read as true or false unless quoted"
CONSENT = "write recorded or not-needed (or pending while you wait for consent)"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not calendar.month_name, which follows the locale
_KEY = re.compile(r"^(?P<indent>[ \t]*)(?:-[ \t]+)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|$)(?P<value>.*)$")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The one of `choices` nearest to `word` (a misspelt slug, field or file name), if one is near."""
    near = difflib.get_close_matches(word, sorted(set(choices)), n=1)
    return near[0] if near else None


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
    near = nearest(name, [n for n in names if n.endswith(f".{ending}")] or names)
    if near is None:
        return message, None
    target = match["target"]
    shown = target.replace(name, near, 1) if name in target else f"{folder}/{near}".lstrip("/")
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
            return f"there is no {day} {_MONTHS[month - 1]} {year}; {DATE_HINT}"
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
        return date_problem(value)
    first, second, year = (int(part) for part in match.groups())
    day, month = (first, second) if 1 <= second <= 12 or not 1 <= first <= 12 else (second, first)
    if not 1 <= month <= 12:
        return date_problem(value)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return date_problem(f"{year:04d}-{month:02d}-{day:02d}")  # "there is no 31 November 2026; ..."
    return f"write {day} {_MONTHS[month - 1]} {year} as {year:04d}-{month:02d}-{day:02d} (dates are written YYYY-MM-DD)"


def quoted(value: str) -> str:
    """`value` in the quotes that keep it as written: double quotes, or single ones if it has a double quote
    (YAML writes a single quote inside single quotes twice)."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 10].rstrip() + " …"


# --- what the YAML reader could not read ---------------------------------------------------------------


@dataclass
class _Spot:
    """Where the YAML reader stopped (`at`) and where what it was reading began (`began`), 0-based."""

    lines: list[str]
    at: tuple[int, int]
    began: tuple[int, int] | None

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def char(self, place: tuple[int, int] | None) -> str:
        if place is None:
            return ""
        text = self.line(place[0])
        return text[place[1]] if place[1] < len(text) else ""

    def key(self, number: int) -> str | None:
        match = _KEY.match(self.line(number))
        return match.group("key") if match else None

    def value(self, number: int) -> str:
        match = _KEY.match(self.line(number))
        return _strip_comment(match.group("value")) if match else self.line(number).strip().removeprefix("- ")

    def field(self, number: int) -> str:
        """'summary: ' to start a sentence about this line, or '' when it has no field name."""
        key = self.key(number)
        return f"{key}: " if key else ""

    def example(self, number: int, value: str | None = None) -> str:
        """The line written with its value in quotes: 'summary: "Clay: a beginning"'."""
        value = self.value(number) if value is None else value
        key = self.key(number)
        mark = quoted(value)[0]
        shown = quoted(value) if len(value) <= 60 else f"{mark}{value[:50].rstrip()} …{mark}"
        return f"{key}: {shown}" if key else shown

    def previous(self, number: int) -> int | None:
        """The line before, skipping blank lines and comments."""
        for earlier in range(number - 1, -1, -1):
            if self.line(earlier).strip() and not self.line(earlier).lstrip().startswith("#"):
                return earlier
        return None


Said = tuple[str, tuple[int, int]]  # the sentence and the place (line, column; 0-based) it is about


def _strip_comment(value: str) -> str:
    return re.sub(r"\s+#.*$", "", value).strip() if not value.startswith(("'", '"')) else value.strip()


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip(" \t"))]


def _tab(spot: _Spot) -> Said:
    for number in (spot.at[0], *([spot.began[0]] if spot.began else [])):
        if "\t" in spot.line(number):
            column = spot.line(number).index("\t")
            if "\t" in _indent(spot.line(number)):
                return "this line is indented with a tab: use spaces, not tabs, to indent", (number, column)
            return "there is a tab character here: use spaces, not tabs", (number, column)
    return "use spaces, not tabs, to indent", spot.at


def _no_colon_here(spot: _Spot, number: int) -> Said | None:
    """A line meant as a field but written without `: ` (`consent recorded`, `consent:recorded`)."""
    line = spot.line(number).strip()
    place = (number, len(_indent(spot.line(number))))
    if line.startswith(("-", "#", "'", '"', "[", "{")) or re.search(r":(\s|$)", line):
        return None
    if re.match(r"[A-Za-z_][\w-]*:\S", line):  # `title:Clay`
        name, rest = line.split(":", 1)
        return f"put a space after the colon: {name}: {rest}", place
    if ":" not in line:
        return f"'{_short(line, 40)}' has no colon: write each field as name: value, or remove the line", place
    return None


def _colon_in_value(spot: _Spot) -> Said:
    number, column = spot.at
    text = spot.line(number)
    match = _KEY.match(text)
    if match and match.start("value") <= column:  # `summary: Clay: a beginning`
        return (f"{spot.field(number)}this value contains a colon, so put it in quotes: {spot.example(number)}",
                (number, match.start("value")))
    before = spot.previous(number)
    if before is not None and len(_indent(spot.line(before))) == len(_indent(text)):
        said = _no_colon_here(spot, before)  # the line above was read as the start of this one
        if said:
            return said
    if before is not None and len(_indent(text)) > len(_indent(spot.line(before))):
        return (f"{spot.field(number)}this line is indented more than the line above it; start it where the "
                "other fields start, or, if it continues the text above, put that text in quotes",
                (number, len(_indent(text))))
    return ("a colon followed by a space starts a new field; if the colon belongs to the text, put the whole "
            "value in quotes", spot.at)


def _unclosed_quote(spot: _Spot) -> Said:
    number, column = spot.began or spot.at
    mark = spot.char((number, column)) or '"'
    return (f"{spot.field(number)}this value opens a quote ({mark}) but does not close it; add {mark} at the end "
            "of the value", (number, column))


def _escape(spot: _Spot) -> Said:
    number = (spot.began or spot.at)[0]
    value = spot.value(number)
    inner = value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value.strip('"')
    return (f"{spot.field(number)}inside double quotes a backslash (\\) starts a special character: write \\\\ "
            f"for a backslash, or use single quotes: {spot.example(number, inner)}", spot.at)


def _text_after(spot: _Spot) -> Said:
    """`did not find expected key`: text after a closing quote, a stray list item, or a line out of line."""
    number, column = spot.at
    text = spot.line(number)
    value = spot.value(number)
    if value[:1] in "'\"" and text[:column].rstrip().endswith(value[0]) and column > text.index(value[0]):
        mark = value[0]
        # 'it's' meant the apostrophe as text; "Clay" and more meant the quotes as text
        fixed = quoted(value[1:-1]) if mark == "'" and len(value) > 1 and value[-1] == "'" else quoted(value)
        key = spot.key(number)
        return (f"{spot.field(number)}there is more text after the closing quote ({mark}); put quotes around "
                f"the whole value: {f'{key}: ' if key else ''}{fixed}", (number, text.index(value[0])))
    if text[column:column + 1] == "-":
        return _list_item(spot)
    if text[column:column + 1] in "]}":
        opening = "[" if text[column] == "]" else "{"
        return (f"{spot.field(number)}there is a {text[column]} here with no opening {opening}; remove it, or put "
                "text that contains it in quotes", spot.at)
    return (f"{spot.field(number)}this line is not lined up with the lines above it: start each field of a group "
            "at the same place, indenting with spaces", (number, len(_indent(text))))


def _list_item(spot: _Spot) -> Said:
    number, column = spot.at
    key = spot.key(number)
    if key and spot.line(number).index(key) < column:  # `tags: - a`
        return (f"{key}: a list starts on the line below its field, one '- item' a line, indented with spaces "
                f"(or write {key}: [first, second])", spot.at)
    return ("this list item ('- ') follows a field that already has a value: put it under a field of its own, "
            "or remove the '- '", (number, column))


def _list_not_lined_up(spot: _Spot) -> Said:
    number, column = spot.at
    if spot.line(number)[column:column + 1] != "-" and spot.began and spot.char(spot.began) == "-":
        return ("this line follows a list but is not part of it: start every item of the list with '- ' at the "
                "same place, or, for a new field, start it where the other fields start", (number, column))
    return ("this list item is not lined up with the ones above it: start every '- ' of a list at the same place",
            spot.at)


def _unclosed_bracket(spot: _Spot) -> Said:
    place = spot.began or spot.at
    number = place[0]
    opening = spot.char(place) or "["
    closing, what, example = (("]", "list", "[first, second]") if opening == "[" else
                              ("}", "group", "{name: Jane Quinnell, role: Lead}"))
    key = spot.key(number)
    return (f"{spot.field(number)}the {what} that starts with {opening} is not closed: end it with {closing}, "
            f"e.g. {f'{key}: ' if key else ''}{example}; if this is text, put it in quotes: {spot.example(number)}",
            place)


def _open_bracket(spot: _Spot) -> tuple[int, int] | None:
    """Where a value starting with [ or { that is never closed opens, when the reader ran out of text in it."""
    rest = "\n".join([spot.line(spot.at[0])[spot.at[1]:], *spot.lines[spot.at[0] + 1:]])
    if rest.strip():
        return None  # the reader stopped before the end: the trouble is here
    for number in range(min(spot.at[0], len(spot.lines) - 1), -1, -1):
        match = _KEY.match(spot.line(number))
        if match and match.group("value")[:1] in "[{":
            text = "\n".join([spot.line(number)[match.start("value"):], *spot.lines[number + 1:]])
            text = re.sub(r"'[^']*'|\"(?:\\.|[^\"\\])*\"", "", text)
            if text.count("[") + text.count("{") > text.count("]") + text.count("}"):
                return number, match.start("value")
    return None


def _out_of_place(spot: _Spot) -> Said:
    opened = _open_bracket(spot)
    if opened:
        return _unclosed_bracket(_Spot(spot.lines, spot.at, opened))
    number = spot.at[0]
    return (f"{spot.field(number)}something is missing or out of place in this value (an extra comma, bracket "
            "or brace?); put text that contains them in quotes", spot.at)


def _unhashable(spot: _Spot) -> Said:
    return ("a field name cannot be a list or a group ([ ] or { }); if this line is text, put it in quotes",
            spot.at)


def _special_start(spot: _Spot) -> Said:
    place = spot.began or spot.at
    number = place[0]
    value = spot.value(number)
    mark = value[:1] or spot.char(place)
    return (f"{spot.field(number)}a value that starts with {mark} has a special meaning in YAML; put the whole "
            f"value in quotes: {spot.example(number)}", (number, spot.line(number).find(value) if value else place[1]))


def _cannot_start(spot: _Spot) -> Said:
    if spot.char(spot.at) == "\t":
        return _tab(spot)
    return _special_start(spot)


def _block_text(spot: _Spot) -> Said:
    number = (spot.began or spot.at)[0]
    return (f"{spot.field(number)}after | or > the text starts on the next line, indented with spaces",
            spot.began or spot.at)


def _no_colon(spot: _Spot) -> Said:
    number, column = spot.began or spot.at
    return _no_colon_here(spot, number) or (
        "this line has no colon: write each field as name: value, with a space after the colon", (number, column))


def _second_document(spot: _Spot) -> Said:
    number = spot.at[0]
    if spot.line(number).strip() in ("---", "..."):
        return (f"a '{spot.line(number).strip()}' line here starts a second set of fields, but a file has only "
                "one: remove this line", spot.at)
    return _out_of_place(spot)


def _duplicate_anchor(spot: _Spot) -> Said:
    return _special_start(_Spot(spot.lines, spot.at, spot.at))


def _unreadable(spot: _Spot) -> Said:
    return ("this line cannot be read: check its quotes, colons and indentation (each field is written "
            "name: value, indented with spaces)", spot.at)


# Words in the reader's problem (or what it was reading) -> what to say. The first that matches is used;
# the wording is libyaml's, with PyYAML's where it differs (it is used where libyaml is missing).
YAML_PROBLEMS: list[tuple[str, Callable[[_Spot], Said]]] = [
    ("tab character", _tab),                                       # a tab in the indentation
    ("cannot start any token", _cannot_start),                     # a value starting with @ or `, or a tab
    ("mapping values are not allowed", _colon_in_value),          # summary: Clay: a beginning
    ("found unexpected ':'", _colon_in_value),
    ("mapping keys are not allowed", _colon_in_value),
    ("escape", _escape),                                           # "C:\Users" in double quotes
    ("hexdecimal number", _escape),
    ("hexadecimal numbers", _escape),
    ("quoted scalar", _unclosed_quote),                            # title: "Clay   (never closed)
    ("while scanning a block scalar", _block_text),                # description: | text on the same line
    ("indentation indicator", _block_text),
    ("flow sequence", _unclosed_bracket),                          # tags: [craft, music
    ("flow mapping", _unclosed_bracket),                           # lead: {name: Jane
    ("expected ',' or ']'", _unclosed_bracket),
    ("expected ',' or '}'", _unclosed_bracket),
    ("unhashable key", _unhashable),                               # [a]: 1
    ("duplicate anchor", _duplicate_anchor),                       # &x used twice
    ("alias", _special_start),                                     # summary: *nope
    ("anchor", _special_start),                                    # summary: & more
    ("tag", _special_start),                                       # summary: !important
    ("directive", _special_start),                                 # %title at the start of a line
    ("block sequence entries are not allowed", _list_item),       # tags: - craft
    ("sequence entries are not allowed", _list_item),
    ("expected '-' indicator", _list_not_lined_up),                # - a / b: c
    ("block collection", _list_not_lined_up),
    ("expected key", _text_after),                                 # a: 'it's'   or a line out of line
    ("expected <block end>", _text_after),
    ("could not find expected ':'", _no_colon),                    # a line with no colon
    ("document", _second_document),                                # --- in the middle of a file
    ("node content", _out_of_place),                               # tags: [a, , b]
    ("expected the node content", _out_of_place),
]


def _opened_quote_closed_on(spot: _Spot, number: int) -> tuple[int, int, str] | None:
    """A value on an earlier line that opens a quote and is closed only on line `number`: the quote was
    not closed where it should have been (`title: "Clay` ... `summary: "A day"`)."""
    text = "\n".join(spot.lines)
    starts = [0]
    for line in spot.lines:
        starts.append(starts[-1] + len(line) + 1)
    for earlier in range(number):
        match = _KEY.match(spot.line(earlier))
        if not match or match.group("value")[:1] not in ("'", '"'):
            continue
        mark = match.group("value")[0]
        begin = starts[earlier] + match.start("value")
        index = begin + 1
        while index < len(text):
            if mark == '"' and text[index] == "\\":
                index += 2
                continue
            if text[index] == mark:
                if mark == "'" and text[index + 1:index + 2] == "'":
                    index += 2
                    continue
                break
            index += 1
        closed_on = text.count("\n", 0, index)
        if closed_on == number:
            return earlier, match.start("value"), mark
    return None


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def yaml_problem(exc: Exception, text: str) -> Said:
    """What to say about YAML that cannot be read, and where (0-based line and column in `text`)."""
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    lines = text.split("\n")
    if hasattr(exc, "character") and hasattr(exc, "position"):  # the reader: a control character
        bad = _NOT_TEXT.search(text)  # the reader counts bytes, not characters
        position = bad.start() if bad else min(exc.position, len(text))
        line = text.count("\n", 0, position)
        column = position - (text.rfind("\n", 0, position) + 1)
        code = ord(bad.group()) if bad else exc.character if isinstance(exc.character, int) else 0xFFFD
        return (f"this line contains an invisible control character (U+{code:04X}): delete it, or type the "
                "line again", (line, column))
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    at = (mark.line, mark.column) if mark else (0, 0)
    began = (context_mark.line, context_mark.column) if context_mark and problem_mark else None
    spot = _Spot(lines, at, began)
    if "\t" in _indent(spot.line(at[0])):  # a tab in the indentation upsets whatever comes next
        return _tab(spot)
    if not (began and "quoted scalar" in context):
        opened = _opened_quote_closed_on(spot, at[0])
        if opened:
            return _unclosed_quote(_Spot(lines, at, opened[:2]))
    said = f"{context} {problem}"
    for words, say in YAML_PROBLEMS:
        if words in said:
            return say(spot)
    return _unreadable(spot)


def duplicate_key(key: str, first_line: int) -> str:
    return f"{key}: this field is written twice (first on line {first_line}); keep one of them"


# --- what the field checks refused ---------------------------------------------------------------------


@dataclass
class FieldError:
    """One refusal, with what is needed to say it plainly."""

    kind: str  # pydantic's error type
    name: str  # the field, as written in the file: 'summary', 'authors.1.name'
    field: str  # its last part: 'name'
    value: Any  # what the file gave
    ctx: dict
    message: str  # pydantic's own, used only for our own validators' messages
    model: type[BaseModel] | None  # the model the field belongs to

    @property
    def key(self) -> str:
        """'field: ' to start an example of what to write; '' for an item of a list, written alone."""
        return "" if self.name.rsplit(".", 1)[-1].isdigit() else f"{self.field}: "

    @property
    def scalar(self) -> bool:
        """A single value the editor wrote (not a list, a group or nothing)."""
        return isinstance(self.value, (str, int, float, dt.date))

    @property
    def shown(self) -> str:
        value = self.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (dt.date, int, float)):
            return str(value)
        if isinstance(value, str):
            return f"'{_short(value, 40)}'"
        if isinstance(value, list):
            return "a list"
        if isinstance(value, dict):
            return "a group of fields"
        return "this value"


def _text(e: FieldError) -> str:
    """A field of text given something YAML read as another kind of value."""
    value, field = e.value, e.field
    if field == "consent":
        return f"{CONSENT}; {YES_NO}"
    if isinstance(value, bool):
        return f"{YES_NO}; put the text in quotes, e.g. {e.key}\"yes\""
    if isinstance(value, (int, float, dt.date)):
        kind = "a date" if isinstance(value, dt.date) else "a number"
        return f"{value} is read as {kind}; to keep it as text, put it in quotes: {e.key}\"{value}\""
    if isinstance(value, list):
        return "write one text here, not a list"
    if isinstance(value, dict):
        return ("write one text here, not indented 'name: value' lines (if the text contains a colon, put it "
                "in quotes)")
    return "write some text after the colon"


def _whole_number(e: FieldError) -> str:
    if not e.scalar:
        return f"write a whole number, e.g. {e.key}2"
    return f"{e.shown} is not a whole number; write one, e.g. {e.key}2"


def _number(e: FieldError) -> str:
    if not e.scalar:
        return f"write a number, e.g. {e.key}2.5"
    return f"{e.shown} is not a number; write one, e.g. {e.key}2.5"


def _true_false(e: FieldError) -> str:
    return f"write true or false, not {e.shown}" if e.scalar else "write true or false"


def _a_list(e: FieldError) -> str:
    names = list(e.model.model_fields) if e.model else []
    if names and "name" not in names:  # a list of groups of fields: events, key figures, support lines
        return f"write a list: each item starts with '- ' on a line of its own, then its fields ({', '.join(names)})"
    if isinstance(e.value, (str, int, float)) and not isinstance(e.value, bool) and str(e.value):
        return f"write a list, e.g. {e.field}: [{e.value}], or one '- item' a line below it"
    if isinstance(e.value, dict):
        return "write a list, one '- item' a line below it, not 'name: value' lines"
    return f"write a list, e.g. {e.field}: [first, second]"


def _fields(e: FieldError) -> str:
    inner = e.model
    names = list(inner.model_fields) if inner else []
    if "name" in names and len(names) <= 3 and isinstance(e.value, (int, float, list)):
        return f"write a name, or its fields ({', '.join(names)}) on indented lines below it"
    if names:
        return f"write its fields ({', '.join(names)}) on indented lines below it, not a single value"
    return "write 'name: value' lines indented below it, not a single value"


def _choices(e: FieldError) -> str:
    allowed = re.findall(r"'([^']*)'", str(e.ctx.get("expected", "")))
    listed = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else "".join(allowed)
    if isinstance(e.value, bool):
        return f"write {listed}; {YES_NO}"
    if not e.scalar:
        return f"write {listed}"
    near = nearest(e.value, allowed) if isinstance(e.value, str) else None
    return f"{e.shown} is not one of the choices: write {listed}" + (f" (did you mean {near}?)" if near else "")


def _date(e: FieldError) -> str:
    value = e.value
    if isinstance(value, bool) or not isinstance(value, (str, int, dt.date)):
        return f"write a date; {DATE_HINT}"
    if isinstance(value, dt.datetime) or (isinstance(value, str) and re.match(r"\s*\d{4}-\d\d-\d\d[T ]", value)):
        day = str(value)[:10].strip()
        return f"write the date without a time: {e.key}{day}"
    if isinstance(value, int):
        return (f"{value} is a year, not a date; {DATE_HINT}" if 1000 <= value <= 9999
                else f"'{value}' is not a date; {DATE_HINT}")
    return written_date(str(value))


def _pattern(e: FieldError) -> str:
    from .markdown import slugify

    pattern = str(e.ctx.get("pattern", ""))
    if e.field == "language":
        return f"{e.shown} is not a language tag; write e.g. en-GB (British English), cy (Welsh) or fr (French)"
    if pattern.startswith("^[a-z0-9]+"):  # a slug: a file name, practice or tag
        example = slugify(str(e.value)) if isinstance(e.value, str) else ""
        hint = f", e.g. {example}" if example and example != e.value else ""
        return f"{e.shown} is not written as a slug: use lower-case letters, digits and hyphens{hint}"
    return f"{e.shown} is not written the expected way; see docs/content.md"


def _empty(e: FieldError) -> str:
    return "this is empty; write some text after the colon"


def _too_long_text(e: FieldError) -> str:
    return f"this is too long ({len(str(e.value))} characters); use at most {e.ctx.get('max_length')}"


def _few(e: FieldError) -> str:
    least = e.ctx.get("min_length", 1)
    return "the list is empty; give at least one" if least == 1 else f"give at least {least} items"


def _many(e: FieldError) -> str:
    return f"the list has {e.ctx.get('actual_length')} items; give at most {e.ctx.get('max_length')}"


def _bound(word: str, key: str) -> Callable[[FieldError], str]:
    return lambda e: f"{e.shown} is too {word}; use {e.ctx.get(key)}{' or more' if key == 'ge' else ' or less'}"


def _beyond(word: str, key: str) -> Callable[[FieldError], str]:
    return lambda e: f"{e.shown} is too {word}; use a number {'above' if key == 'gt' else 'below'} {e.ctx.get(key)}"


def _ours(e: FieldError) -> str:
    """Our own validators' messages, without pydantic's 'Value error, ' before them."""
    error = e.ctx.get("error")
    return str(error) if error else re.sub(r"^(Value error|Assertion failed), ", "", e.message)


def _web_address(e: FieldError) -> str:
    return "write a full web address, e.g. https://example.org/"


# pydantic's error type -> what to say after 'field: '
FIELD_PROBLEMS: dict[str, Callable[[FieldError], str]] = {
    "string_type": _text,                       # consent: yes   (YAML reads yes as true)
    "string_sub_type": _text,
    "string_unicode": _text,
    "string_too_short": _empty,                 # title: ""
    "string_too_long": _too_long_text,
    "string_pattern_mismatch": _pattern,        # project: Clay Together
    "int_type": _whole_number,                  # nav_order: first
    "int_parsing": _whole_number,
    "int_parsing_size": _whole_number,
    "int_from_float": _whole_number,            # nav_order: 1.5
    "float_type": _number,
    "float_parsing": _number,
    "finite_number": _number,
    "bool_type": _true_false,                   # draft: maybe
    "bool_parsing": _true_false,
    "list_type": _a_list,                       # practices: craft
    "tuple_type": _a_list,
    "set_type": _a_list,
    "iterable_type": _a_list,
    "dict_type": _fields,                       # period: 2013
    "model_type": _fields,
    "model_attributes_type": _fields,
    "dataclass_type": _fields,
    "literal_error": _choices,                  # layout: wide
    "enum": _choices,
    "date_type": _date,
    "date_parsing": _date,                      # date: 31/11/2026
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": _date,        # date: 2015-04-01 10:00
    "datetime_type": _date,
    "datetime_parsing": _date,
    "datetime_from_date_parsing": _date,
    "date_past": lambda e: f"{e.shown} is not in the past",
    "date_future": lambda e: f"{e.shown} is not in the future",
    "too_short": _few,                          # authors: []
    "too_long": _many,
    "greater_than_equal": _bound("small", "ge"),  # images.quality: 0
    "less_than_equal": _bound("large", "le"),
    "greater_than": _beyond("small", "gt"),
    "less_than": _beyond("large", "lt"),
    "multiple_of": lambda e: f"{e.shown} must be a multiple of {e.ctx.get('multiple_of')}",
    "value_error": _ours,                       # our own checks, e.g. unsafe links
    "assertion_error": _ours,
    "url_type": _web_address,
    "url_parsing": _web_address,
    "url_syntax_violation": _web_address,
    "url_scheme": _web_address,
    "url_too_long": _web_address,
    "none_required": lambda e: "leave this empty",
}

# what each kind of value is called, when a field takes one of several (`period.start`: a year or a date)
_MEMBERS = {"int": "a whole number", "float": "a number", "date": "a date (YYYY-MM-DD)", "string": "text",
            "bool": "true or false", "list": "a list", "model": "indented fields", "dict": "indented fields",
            "literal": "one of the choices"}


def _one_of(errors: list[FieldError]) -> str:
    first = errors[0]
    kinds = [next((w for k, w in _MEMBERS.items() if e.kind.startswith(k)), "") for e in errors]
    date = next((e for e in errors if e.kind.startswith("date")), None)
    if date and isinstance(first.value, str) and re.search(r"\d[/.-]", first.value):
        return _date(date)  # meant as a date: say what is wrong with it
    if set(kinds) == {_MEMBERS["int"], _MEMBERS["date"]}:
        return f"write a year (e.g. 2013) or a date (e.g. 2013-09-01), not {first.shown}"
    kinds = [k for k in dict.fromkeys(kinds) if k]
    if not kinds:
        return _say(first)
    listed = ", ".join(kinds[:-1]) + f" or {kinds[-1]}" if len(kinds) > 1 else kinds[0]
    return f"write {listed}, not {first.shown}"


def _say(e: FieldError) -> str:
    say = FIELD_PROBLEMS.get(e.kind)
    return say(e) if say else "this value cannot be used here; see docs/content.md for what to write"


def model_at(model: type[BaseModel] | None, loc: Iterable[str | int]) -> type[BaseModel] | None:
    """The model of the fields at `loc` (`('authors', 1)` in a story: the credit's), if there is one."""
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue  # an item of a list: its model was found with the list's field
        field = model.model_fields.get(part)
        model = _inner_model(field.annotation) if field else None
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _written_loc(loc: tuple, data: Any, missing: bool) -> tuple:
    """The part of pydantic's location the editor wrote: without the names of the kinds of value a field
    may take (`period.start.int`) or of validators (`function-before[...]`)."""
    kept: list = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int)
                                                         and part < len(node)):
            node = node[part]
        elif missing and last and isinstance(part, str) and isinstance(node, dict):
            pass  # the field that is missing
        else:
            continue
        kept.append(part)
    return tuple(kept)


def field_problems(errors: list[dict], data: Any, model: type[BaseModel]) -> list[tuple[str, tuple]]:
    """Each refusal of `model` as (sentence, the location to point at), in plain words. A field that may
    take several kinds of value (a year or a date) gets one sentence, not one for each kind."""
    found: list[tuple[str, tuple]] = []
    by_field: dict[tuple, list[dict]] = {}
    for error in errors:
        loc = _written_loc(tuple(error["loc"]), data, error["type"] == "missing")
        name = ".".join(str(p) for p in loc)
        if error["type"] == "missing":
            found.append((f"missing required field '{name}'", loc[:-1]))
        elif error["type"] == "extra_forbidden":
            found.append((_unknown(loc, model), loc))
        elif not loc and error["type"] in ("value_error", "assertion_error"):
            # a rule about several fields: its message starts with the field to fix
            message = _ours(_field_error(error, "", "", None))
            first = message.split(":", 1)[0]
            found.append((message, (first,) if isinstance(data, dict) and first in data else ()))
        else:
            if loc not in by_field:
                found.append(("", loc))  # its place in the order; said below
            by_field.setdefault(loc, []).append(error)
    for index, (said, loc) in enumerate(found):
        if said:
            continue
        name = ".".join(str(p) for p in loc) or "this file"
        field = next((str(p) for p in reversed(loc) if isinstance(p, str)), name)
        inner = model_at(model, [p for p in loc if isinstance(p, str)])
        here = [_field_error(error, name, field, inner) for error in by_field[loc]]
        said = _one_of(here) if len(here) > 1 else _say(here[0])
        if here[0].kind in ("value_error", "assertion_error") and said.startswith(f"{field} "):
            found[index] = (said, loc)  # our own message names the field already: "base_url must be ..."
        else:
            found[index] = (f"{name}: {said}", loc)
    return found


def _field_error(error: dict, name: str, field: str, model: type[BaseModel] | None) -> FieldError:
    return FieldError(error["type"], name, field, error.get("input"), dict(error.get("ctx") or {}),
                      str(error.get("msg", "")), model)


def _unknown(loc: tuple, model: type[BaseModel]) -> str:
    name = ".".join(str(p) for p in loc)
    word = str(loc[-1]) if loc else ""
    if ":" in word and not word.startswith(":"):  # `title:Clay` is one word to YAML
        before, after = word.split(":", 1)
        return f"unknown field '{name}': put a space after the colon ({before}: {after})"
    inner = model_at(model, [p for p in loc[:-1] if isinstance(p, str)]) if len(loc) > 1 else model
    near = nearest(word, inner.model_fields) if inner else None
    if near:
        return f"unknown field '{name}' (did you mean '{near}'?)"
    return f"unknown field '{name}' (check the spelling against the content reference)"
