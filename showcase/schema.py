"""JSON Schemas of every file an editor writes, from the same models the build checks them with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .content_models import (
    ArtworkMeta,
    ExhibitionMeta,
    MediaMeta,
    PageMeta,
    PersonMeta,
    ProjectMeta,
    ReportMeta,
    StoryMeta,
)
from .models import SiteConfig

SCHEMAS = {
    "site.schema.json": (SiteConfig, "content/site.yaml"),
    "story.schema.json": (StoryMeta, "front matter of content/stories/*.md"),
    "report.schema.json": (ReportMeta, "front matter of content/reports/*.md"),
    "page.schema.json": (PageMeta, "front matter of content/pages/*.md"),
    "project.schema.json": (ProjectMeta, "content/projects/*.yaml"),
    "artwork.schema.json": (ArtworkMeta, "content/artworks/*.yaml"),
    "person.schema.json": (PersonMeta, "content/people/*.yaml"),
    "media.schema.json": (MediaMeta, "content/media/*.yaml"),
    "exhibition.schema.json": (ExhibitionMeta, "content/exhibitions/*.yaml (or the front matter of *.md)"),
}
# Where the models accept a plain name for an object (a credit or an organisation), so does the schema.
_SHORTHAND = {"#/$defs/Credit": "a name, or {name, display, organisation}", "#/$defs/Organisation": "a name, or {name, url, role}"}


def _allow_shorthand(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") in _SHORTHAND:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {"anyOf": [{"type": "string"}, {"$ref": node["$ref"]}], "description": _SHORTHAND[node["$ref"]], **rest}
        return {key: _allow_shorthand(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_allow_shorthand(value) for value in node]
    return node


# Fields the models also accept under another name (the content contract's): the schema accepts it too, one of the two.
_OTHER_NAMES = {"EditorConfig": {"repo": "repository"}, "MediaMeta": {"text_description": "description"}}


def _allow_other_names(data: dict[str, Any]) -> dict[str, Any]:
    for node in [data, *data.get("$defs", {}).values()]:
        for name, other in _OTHER_NAMES.get(node.get("title", ""), {}).items():
            node["properties"][other] = node["properties"][name]
            node.setdefault("not", {"required": [name, other]})
            if name in node.get("required", []):
                node["required"] = [field for field in node["required"] if field != name]
                node["anyOf"] = [{"required": [name]}, {"required": [other]}]
    return data


def schema(name: str) -> dict[str, Any]:
    model, describes = SCHEMAS[name]
    data = _allow_shorthand(_allow_other_names(model.model_json_schema()))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": data.pop("title", name),
            "description": f"showcase: {describes}", **data}


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
