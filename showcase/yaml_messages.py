"""What the YAML reader could not read, in plain words at the line of the mistake (see messages.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .messages import KEY_LINE, quoted, short


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
        match = KEY_LINE.match(self.line(number))
        return match.group("key") if match else None

    def value(self, number: int) -> str:
        match = KEY_LINE.match(self.line(number))
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
        return f"'{short(line, 40)}' has no colon: write each field as name: value, or remove the line", place
    return None


def _colon_in_value(spot: _Spot) -> Said:
    number, column = spot.at
    text = spot.line(number)
    match = KEY_LINE.match(text)
    if match and match.start("value") <= column:  # `summary: Clay: a beginning`
        return (f"{spot.field(number)}this value contains a colon, so put it in quotes: {spot.example(number)}",
                (number, match.start("value")))
    before = spot.previous(number)
    if before is not None and pasted_space(spot.line(before)):  # `title:<no-break space>Hands` took this line in
        return pasted_space(spot.line(before)), (before, 0)  # type: ignore[return-value]
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
        # ("She said "hello"" meant the inner quotes as text, the outer ones as YAML's)
        fixed = quoted(value[1:-1]) if len(value) > 1 and value[-1] == mark else quoted(value)
        key = spot.key(number)
        return (f"{spot.field(number)}there is more text after the closing quote ({mark}); put quotes around "
                f"the whole value: {f'{key}: ' if key else ''}{fixed}", (number, text.index(value[0])))
    if text[column:column + 1] == "-":
        return _list_item(spot)
    if text[column:column + 1] in "]}":
        opening = "[" if text[column] == "]" else "{"
        return (f"{spot.field(number)}there is a {text[column]} here with no opening {opening}; remove it, or put "
                "text that contains it in quotes", spot.at)
    if value[:1] in "[{":  # `title: [Draft] Hands`: a list (or group) then more text
        kind = "a list" if value[0] == "[" else "a group of fields"
        key = spot.key(number)
        return (f"{spot.field(number)}a value starting with {value[0]} is read as {kind}; put the whole value in "
                f"quotes: {f'{key}: ' if key else ''}{quoted(value)}", (number, text.index(value[0])))
    pasted = pasted_space(text)
    if pasted:
        return pasted, (number, 0)
    return (f"{spot.field(number)}this line is not lined up with the lines above it: start each field of a group "
            "at the same place, indenting with spaces", (number, len(_indent(text))))


# characters a word processor or a web page leaves in pasted text, which look like spaces or like nothing
_PASTED = {"\u00a0": "a non-breaking space", "\u200b": "a zero-width space", "\u200c": "a zero-width non-joiner",
           "\u200d": "a zero-width joiner", "\u2060": "a word joiner", "\ufeff": "an invisible byte order mark",
           "\u2007": "a figure space", "\u202f": "a narrow non-breaking space", "\u3000": "an ideographic space"}


def pasted_space(text: str) -> str | None:
    """What to say of a line whose YAML is broken by a pasted character that looks like a space, or like nothing."""
    key_part = text.split(": ", 1)[0] if ": " in text else text
    for char, name in _PASTED.items():
        if char in key_part or char + ":" in text or ":" + char in text:
            return (f"this line holds {name} (U+{ord(char):04X}), pasted with the text, where YAML needs an ordinary "
                    "space or nothing: delete it and type the line's spaces again")
    return None


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
        match = KEY_LINE.match(spot.line(number))
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
    pasted = pasted_space(spot.line(number))
    if pasted:
        return pasted, (number, 0)
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
        match = KEY_LINE.match(spot.line(earlier))
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
