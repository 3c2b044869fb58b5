"""What the field checks of the models refused, in plain words naming the field (see messages.py)."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .messages import (
    CONSENT,
    DATE_HINT,
    YES_NO,
    nearest,
    place_name,
    short,
    written_date,
)
from .yaml_messages import pasted_space


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
            return f"'{short(value, 40)}'"
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
    from .slugs import slugify

    pattern = str(e.ctx.get("pattern", ""))
    if e.field == "language":
        return f"{e.shown} is not a language tag; write e.g. en-GB (British English), cy (Welsh) or fr (French)"
    if pattern.startswith("^[a-z0-9]+"):  # a slug: a file name, practice or tag
        written = re.sub(r"\.(jpe?g|png|webp|gif|tiff?|ya?ml|md|pdf)$", "", e.value, flags=re.I) \
            if isinstance(e.value, str) else ""
        example = slugify(written) if written else ""
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
        name = place_name(loc)
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
        name = place_name(loc) or "this file"
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
    name = place_name(loc)
    word = str(loc[-1]) if loc else ""
    pasted = pasted_space(word + ":")
    if pasted:  # `<zero-width space>title`: the name looks right and is not
        return f"unknown field '{name.strip()}': {pasted}"
    if ":" in word and not word.startswith(":"):  # `title:Clay` is one word to YAML
        before, after = word.split(":", 1)
        return f"unknown field '{name}': put a space after the colon ({before}: {after})"
    inner = model_at(model, [p for p in loc[:-1] if isinstance(p, str)]) if len(loc) > 1 else model
    for field_name, field in (inner.model_fields if inner else {}).items():  # a field's other name, given beside it
        names = getattr(field.validation_alias, "choices", ())
        if word in names:
            other = next(n for n in names if n != word)
            return f"{word} and {other} are one field written two ways; give it once"
    near = nearest(word, inner.model_fields) if inner else None
    if near:
        return f"unknown field '{name}' (did you mean '{near}'?)"
    return f"unknown field '{name}' (check the spelling against the content reference)"
