"""The forms of the editor in the browser: the fields of each collection and of site.yaml, from the models.

The forms are made by walking each model's JSON Schema, the definitions `check` and `schema` use, so a field
added to a model appears in the editor with no change here: its widget follows its type (text, number, yes/no,
date, a choice, a list, a group of fields), `required` and `pattern` are carried over and its description is
the hint. What a schema cannot say is in the short tables below: which text is Markdown, which slugs point at
other items, which strings name a file, and what a new entry starts with.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .content import PUBLISHED_CONSENT
from .field_types import SLUG_PATTERN

if TYPE_CHECKING:
    from .editor import Kind

Kinds = Mapping[str, "Kind"]  # the editor's collections by name (editor.KINDS)

# What a schema cannot say. Markdown fields of YAML files (parse.py renders them), by collection:
MARKDOWN = {"projects": {"description"}, "artworks": {"description"}, "people": {"bio"},
            "media": {"transcript", "text_description"}, "exhibitions": {"introduction", "text"}}
TEXT = {"summary", "content_note", "citation", "alt", "description"}  # plain text that may run to a few lines
REFERENCES = {"project": "projects", "projects": "projects", "hero": "artworks", "artworks": "artworks",
              "poster": "artworks", "photo": "artworks",  # slugs of other items (references.py checks them)
              "artwork": "artworks", "story": "stories", "media": "media"}  # what an exhibition's stop shows
FILES = {"image": "image", "pdf": "file", "file": "file", "captions": "file", "audio_description": "file"}  # names of files beside the entry
CHOICES = {"consent": ("pending", *PUBLISHED_CONSENT)}  # free text to the build; anything but these withholds
# A new entry never claims what nobody said: consent is pending until someone chooses, a story starts as a draft.
NEW = {"consent": "pending"}
NEW_IN = {"stories": {"draft": True}, "exhibitions": {"draft": True}}
YEAR_OR_DATE = (r"^\d{4}(-\d{2}-\d{2})?$", "Write a year (2015) or a date (2015-04-13)")
_ACRONYMS = {"url": "URL", "pdf": "PDF", "id": "ID", "api": "API"}


# A yes-or-no field whose model leaves it unset (None) until someone says: Decap's checkbox saves `false` when it
# is not touched, which would say "no" for the editor (an artwork's `zoom`).
UNSAID = {"widget": "select", "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]}


def form_fields(kinds: Kinds, kind: str, schema: dict, defs: dict | None = None,
                top: bool = True) -> list[dict[str, Any]]:
    """The fields of a form for `schema` (a model's JSON Schema), in collection `kind` of `kinds`."""
    defs = {**(defs or {}), **schema.get("$defs", {})}
    required = set(schema.get("required", ()))
    return [_field(kinds, kind, name, prop, name in required, defs, top)
            for name, prop in schema.get("properties", {}).items()]


def _field(kinds: Kinds, kind: str, name: str, prop: dict, required: bool, defs: dict, top: bool) -> dict[str, Any]:
    option = _one_form([o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"])  # null: not required
    target = _resolve(option, defs)
    field: dict[str, Any] = {"name": name, "label": _label(name)}
    field |= _widget(kinds, kind, name, target, defs)
    if field["widget"] == "boolean" and "anyOf" in prop and prop.get("default") is None:
        field |= UNSAID  # yes, no, or nothing said (the build decides): a checkbox would always say no
    field["required"] = required or (top and name in NEW)  # consent is chosen, never left to a default
    if field["widget"] == "object" and not field["required"]:
        _nothing_required(field["fields"])
    own = defs.get(option.get("$ref", "").rsplit("/", 1)[-1], {})  # a group's own description, before a note
    hint = prop.get("description") or own.get("description") or option.get("description")  # on the shorthand
    if hint:
        field["hint"] = _sentence(hint)
    if top:
        default = _default(kind, name, prop, field)
        if default is not None:
            field["default"] = default
    return field


def _nothing_required(fields: list[dict[str, Any]]) -> None:
    """The fields of an optional group, which may be left empty as a whole: Decap would ask for a field the model
    requires inside the group even then, so that an artwork without `artist:` could not be saved. A group filled
    in half is still refused when it is saved, by the checks of `check` and their message."""
    for field in fields:
        field["required"] = False
        if field["widget"] == "object":
            _nothing_required(field["fields"])


def _one_form(options: list[dict]) -> dict:
    """A form has one widget for a value the model takes in several forms."""
    if len(options) == 1:
        return options[0]
    groups = [o for o in options if "$ref" in o]
    if groups:
        return groups[0]  # a name, or {name, ...}: the group of fields
    if {o.get("format") or o.get("type") for o in options} == {"integer", "date"}:
        return {"type": "string", "pattern": YEAR_OR_DATE[0]}  # a year or a date, written as text
    return {"type": "string"}


def _widget(kinds: Kinds, kind: str, name: str, schema: dict, defs: dict) -> dict[str, Any]:
    """The widget and its options for a value of this schema."""
    if name in REFERENCES and _is_slug(schema, defs):
        target = kinds[REFERENCES[name]]
        return {"widget": "relation", "collection": target.name, "value_field": "{{slug}}",
                "search_fields": [target.identifier], "display_fields": [target.identifier],
                **({"multiple": True} if schema.get("type") == "array" else {})}
    kind_of = schema.get("type")
    choices = schema.get("enum") or ([schema["const"]] if "const" in schema else CHOICES.get(name))
    if choices:
        return {"widget": "select", "options": list(choices)}
    if kind_of == "object" and "properties" in schema:
        return {"widget": "object", "collapsed": True, "fields": form_fields(kinds, kind, schema, defs, top=False)}
    if kind_of == "array":
        return _list(kinds, kind, name, schema, defs)
    if kind_of == "boolean":
        return {"widget": "boolean"}
    if kind_of in ("integer", "number"):
        found = {"widget": "number", "value_type": "int" if kind_of == "integer" else "float"}
        for ours, theirs in (("min", "minimum"), ("max", "maximum")):
            if theirs in schema:
                found[ours] = schema[theirs]
        return found
    if schema.get("format") == "date":
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if schema.get("format") == "date-time":
        return {"widget": "datetime"}
    found = {"widget": _string_widget(kinds, kind, name)}
    if found["widget"] in ("image", "file"):
        found["choose_url"] = False  # a file in the content folder, never an address elsewhere
    if "pattern" in schema:
        found["pattern"] = [schema["pattern"], _pattern_hint(schema["pattern"])]
    return found


def _string_widget(kinds: Kinds, kind: str, name: str) -> str:
    if name in MARKDOWN.get(kind, ()):
        return "markdown"
    if name in FILES and kind in kinds and kinds[kind].files_beside:
        return FILES[name]
    return "text" if name in TEXT else "string"


def _list(kinds: Kinds, kind: str, name: str, schema: dict, defs: dict) -> dict[str, Any]:
    items = _resolve(schema.get("items", {}), defs)
    found: dict[str, Any]
    if "enum" in items:
        found = {"widget": "select", "multiple": True, "options": list(items["enum"])}
    elif items.get("type") == "object" and "properties" in items:
        found = {"widget": "list", "collapsed": False, "fields": form_fields(kinds, kind, items, defs, top=False)}
        singular = items.get("title")
        if singular:
            found["label_singular"] = _label(re.sub(r"(?<!^)(?=[A-Z])", "_", singular).lower())
    else:
        one = name.removesuffix("s")
        found = {"widget": "list", "field": {"name": "item", "label": _label(one), **_widget(kinds, kind, name, items, defs)}}
    if "minItems" in schema:
        found["min"] = schema["minItems"]
    if "maxItems" in schema:
        found["max"] = schema["maxItems"]
    return found


def _default(kind: str, name: str, prop: dict, field: dict) -> Any:
    """What a new entry starts with: never a claim nobody made (consent), else the model's own default."""
    if name in NEW_IN.get(kind, {}):
        return NEW_IN[kind][name]
    if name in NEW:
        return NEW[name]
    if field["widget"] == "datetime" and field["required"]:
        return "{{now}}"  # today, as `python build.py new` writes it
    default = prop.get("default")
    if isinstance(default, bool) or (field["widget"] == "select" and not field.get("multiple")
                                     and default is not None):
        return default
    return None


def _resolve(schema: dict, defs: dict) -> dict:
    ref = schema.get("$ref")
    if not ref:
        return schema
    return {**defs[ref.rsplit("/", 1)[-1]], **{k: v for k, v in schema.items() if k != "$ref"}}


def _is_slug(schema: dict, defs: dict) -> bool:
    schema = _resolve(schema.get("items", {}), defs) if schema.get("type") == "array" else schema
    return schema.get("type") == "string" and schema.get("pattern") == SLUG_PATTERN


def _label(name: str) -> str:
    words = [_ACRONYMS.get(word, word) for word in name.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _pattern_hint(pattern: str) -> str:
    if pattern == SLUG_PATTERN:
        return "Use lower-case letters, digits and hyphens, e.g. clay-transformations"
    if pattern == YEAR_OR_DATE[0]:
        return YEAR_OR_DATE[1]
    return "This is not written the expected way; see docs/content.md"
