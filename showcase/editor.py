"""The editor in the browser: a Decap CMS configuration made from the content models, and its page at /admin/.

The forms are made by walking each model's JSON Schema, the definitions `check` and `schema` use, so a field
added to a model appears in the editor with no change here: its widget follows its type (text, number, yes/no,
date, a choice, a list, a group of fields), `required` and `pattern` are carried over and its description is
the hint. What a schema cannot say is in the short tables below: which text is Markdown, which slugs point at
other items, which strings name a file, and what a new entry starts with.

Decap CMS rather than Sveltia CMS: Decap has the editorial workflow (every change a pull request to review
before it is published); Sveltia reads the same config.yml but does not have it.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

import yaml
from pydantic import BaseModel

from .content import PUBLISHED_CONSENT, Site
from .discover import ContentFiles
from .editor_policy import content_security_policy
from .editor_preview import preview_path
from .errors import Diagnostics
from .models import (
    SLUG_PATTERN,
    ArtworkMeta,
    EditorConfig,
    ExhibitionMeta,
    MediaMeta,
    PageMeta,
    PersonMeta,
    ProjectMeta,
    ReportMeta,
    SiteConfig,
    StoryMeta,
)
from .writer import Output


class Script(NamedTuple):
    """The CMS the admin page loads: one exact version, and the Subresource Integrity hash of that file, so a
    changed file on the CDN is refused by the browser. The hash is the sha384 of dist/decap-cms.js in the npm
    package decap-cms@<version> (`npm pack decap-cms@3.16.3`), which is the file the CDN serves. (The package
    also has chunks loaded on demand from the same versioned folder, without a hash: the code widget's language
    modes and the WebP encoder of `media_processing`, neither of which this config uses; the browser test
    tests/browser/test_admin_page.py checks that no other file is fetched.)"""

    version: str
    integrity: str

    @property
    def url(self) -> str:
        return f"https://unpkg.com/decap-cms@{self.version}/dist/decap-cms.js"


DECAP_CMS = Script("3.16.3", "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p")
ADMIN = "admin"  # the editor's folder in the built site


@dataclass(frozen=True)
class Kind:
    """One collection of the editor: a folder of the content folder and the model of its files."""

    name: str  # the collection's name and its folder
    label: str
    singular: str
    model: type[BaseModel]
    markdown: bool  # Markdown with YAML front matter (else a YAML file)
    preview: str  # where the build puts the entry's page: this, then its slug (see preview_path)
    files_beside: bool = False  # images, PDFs and recordings are saved beside the entry, in the same folder
    identifier: str = "title"


KINDS = {kind.name: kind for kind in [
    Kind("stories", "Stories", "Story", StoryMeta, True, "stories/"),
    Kind("projects", "Projects", "Project", ProjectMeta, False, "projects/"),
    Kind("artworks", "Artworks", "Artwork", ArtworkMeta, False, "artworks/", files_beside=True),
    Kind("reports", "Reports", "Report", ReportMeta, True, "reports/", files_beside=True),
    Kind("pages", "Pages", "Page", PageMeta, True, ""),
    Kind("people", "People", "Person", PersonMeta, False, "people/#", identifier="name"),  # one page, an anchor each
    Kind("media", "Films and recordings", "Recording", MediaMeta, False, "media/", files_beside=True),
    Kind("exhibitions", "Exhibitions", "Exhibition", ExhibitionMeta, False, "exhibitions/"),
]}

# What a schema cannot say. Markdown fields of YAML files (parse.py renders them), by collection:
MARKDOWN = {"projects": {"description"}, "artworks": {"description"}, "people": {"bio"},
            "media": {"transcript", "text_description"}, "exhibitions": {"introduction", "text"}}
TEXT = {"summary", "content_note", "citation", "alt", "description"}  # plain text that may run to a few lines
REFERENCES = {"project": "projects", "projects": "projects", "hero": "artworks", "artworks": "artworks",
              "poster": "artworks", "photo": "artworks",  # slugs of other items (assemble.py checks them)
              "artwork": "artworks", "story": "stories", "media": "media"}  # what an exhibition's stop shows
FILES = {"image": "image", "pdf": "file", "file": "file", "captions": "file", "audio_description": "file"}  # names of files beside the entry
CHOICES = {"consent": ("pending", *PUBLISHED_CONSENT)}  # free text to the build; anything but these withholds
# A new entry never claims what nobody said: consent is pending until someone chooses, a story starts as a draft.
NEW = {"consent": "pending"}
NEW_IN = {"stories": {"draft": True}, "exhibitions": {"draft": True}}
YEAR_OR_DATE = (r"^\d{4}(-\d{2}-\d{2})?$", "Write a year (2015) or a date (2015-04-13)")
_ACRONYMS = {"url": "URL", "pdf": "PDF", "id": "ID", "api": "API"}


# --- the configuration -----------------------------------------------------------------------------


def decap_config(config: SiteConfig, site_file: str = "site.yaml") -> dict[str, Any]:
    """The Decap CMS configuration for a site with an `editor:` block."""
    editor = config.editor
    if editor is None:
        raise ValueError("the site has no editor: block")
    found: dict[str, Any] = {"backend": _backend(editor)}
    if editor.backend != "gitea":  # Decap's Gitea backend has no editorial workflow (it refuses to start)
        found["publish_mode"] = "editorial_workflow"
    if config.base_url:
        found["site_url"] = found["display_url"] = config.base_url
    return found | _forms(editor.content_folder, site_file)


def local_decap_config(api_url: str, site_url: str, allowed_hosts: list[str] | tuple[str, ...] = (),
                       site_file: str = "site.yaml") -> dict[str, Any]:
    """The configuration of the editor `serve` offers at /admin/, with or without an `editor:` block: the same
    forms, saving to the local content folder through the preview's own API (Decap's local-backend protocol,
    showcase/server/editing.py) at `api_url`, an absolute address on the preview's origin. Paths are relative to
    the content folder. The backend is Decap's `proxy` itself, not the site's GitHub or GitLab, so that nothing
    in the preview ever signs in to or commits to a repository, even if `local_backend` were not taken up; and
    there is no editorial workflow: each save is written to the folder (after `check` accepted it)."""
    local: dict[str, Any] = {"url": api_url}
    if allowed_hosts:
        local["allowed_hosts"] = list(allowed_hosts)  # names other than localhost and 127.0.0.1 (e.g. [::1])
    found: dict[str, Any] = {"backend": {"name": "proxy", "proxy_url": api_url}, "local_backend": local,
                             "site_url": site_url, "display_url": site_url}
    return found | _forms("", site_file)


def _forms(content: str, site_file: str) -> dict[str, Any]:
    """Everything but the backend: the collections, their forms and where files go, under `content`."""

    def folder(name: str) -> str:
        return posixpath.normpath(posixpath.join(content, name))

    return {
        "show_preview_links": True,
        # uploads from the media library go where artworks are (and are cleaned of metadata when published)
        "media_folder": folder("artworks"),
        "public_folder": "../artworks",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_collection(kind, folder(kind.name)) for kind in KINDS.values()] + [{
            "name": "settings", "label": "Settings", "editor": {"preview": False},
            "files": [{"name": "site", "label": "The showcase (site.yaml)", "file": folder(site_file),
                       "fields": _fields("settings", SiteConfig.model_json_schema())}],
        }],
    }


def _backend(editor: EditorConfig) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": editor.backend, "repo": editor.repo, "branch": editor.branch}
    for key in ("base_url", "auth_endpoint", "api_root", "app_id"):
        if getattr(editor, key):
            backend[key] = getattr(editor, key)
    if editor.backend == "gitea" and not editor.api_root:
        backend["api_root"] = f"{editor.base_url.rstrip('/')}/api/v1"  # type: ignore[union-attr]
    if editor.backend == "gitlab" and editor.app_id:
        backend["auth_type"] = "pkce"  # signs in with GitLab itself, no helper server
    return backend


def _collection(kind: Kind, folder: str) -> dict[str, Any]:
    fields = _fields(kind.name, kind.model.model_json_schema())
    if kind.markdown:
        fields.append({"name": "body", "label": "Text", "widget": "markdown", "required": False,
                       "hint": "In Markdown: see docs/content.md", **_MARKDOWN_OPTIONS})
    beside = kind.files_beside
    return {
        "name": kind.name, "label": kind.label, "label_singular": kind.singular,
        "folder": folder, "create": True, "identifier_field": kind.identifier, "slug": "{{slug}}",
        "extension": "md" if kind.markdown else "yaml", "format": "yaml-frontmatter" if kind.markdown else "yaml",
        "preview_path": preview_path(kind.preview, "slug" in kind.model.model_fields,
                                     "kind" if kind.model is ReportMeta else None),  # report kinds: own address
        # files an entry names are saved beside it (value: the bare file name); images in Markdown are artworks
        "media_folder": "" if beside else f"/{posixpath.join(posixpath.dirname(folder), 'artworks')}",
        "public_folder": "" if beside else "../artworks",
        "fields": fields,
    }


# Raw Markdown first, so a story's footnotes, tables and pull quotes come back as they were written.
_MARKDOWN_OPTIONS = {"modes": ["raw", "rich_text"], "sanitize_preview": True}


# A yes-or-no field whose model leaves it unset (None) until someone says: Decap's checkbox saves `false` when it
# is not touched, which would say "no" for the editor (an artwork's `zoom`).
UNSAID = {"widget": "select", "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]}


# --- fields, from a model's JSON Schema ------------------------------------------------------------


def _fields(kind: str, schema: dict, defs: dict | None = None, top: bool = True) -> list[dict[str, Any]]:
    defs = {**(defs or {}), **schema.get("$defs", {})}
    required = set(schema.get("required", ()))
    return [_field(kind, name, prop, name in required, defs, top) for name, prop in schema.get("properties", {}).items()]


def _field(kind: str, name: str, prop: dict, required: bool, defs: dict, top: bool) -> dict[str, Any]:
    option = _one_form([o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"])  # null: not required
    target = _resolve(option, defs)
    field: dict[str, Any] = {"name": name, "label": _label(name)}
    field |= _widget(kind, name, target, defs)
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


def _widget(kind: str, name: str, schema: dict, defs: dict) -> dict[str, Any]:
    """The widget and its options for a value of this schema."""
    if name in REFERENCES and _is_slug(schema, defs):
        target = KINDS[REFERENCES[name]]
        return {"widget": "relation", "collection": target.name, "value_field": "{{slug}}",
                "search_fields": [target.identifier], "display_fields": [target.identifier],
                **({"multiple": True} if schema.get("type") == "array" else {})}
    kind_of = schema.get("type")
    choices = schema.get("enum") or ([schema["const"]] if "const" in schema else CHOICES.get(name))
    if choices:
        return {"widget": "select", "options": list(choices)}
    if kind_of == "object" and "properties" in schema:
        return {"widget": "object", "collapsed": True, "fields": _fields(kind, schema, defs, top=False)}
    if kind_of == "array":
        return _list(kind, name, schema, defs)
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
    found = {"widget": _string_widget(kind, name)}
    if found["widget"] in ("image", "file"):
        found["choose_url"] = False  # a file in the content folder, never an address elsewhere
    if "pattern" in schema:
        found["pattern"] = [schema["pattern"], _pattern_hint(schema["pattern"])]
    return found


def _string_widget(kind: str, name: str) -> str:
    if name in MARKDOWN.get(kind, ()):
        return "markdown"
    if name in FILES and kind in KINDS and KINDS[kind].files_beside:
        return FILES[name]
    return "text" if name in TEXT else "string"


def _list(kind: str, name: str, schema: dict, defs: dict) -> dict[str, Any]:
    items = _resolve(schema.get("items", {}), defs)
    found: dict[str, Any]
    if "enum" in items:
        found = {"widget": "select", "multiple": True, "options": list(items["enum"])}
    elif items.get("type") == "object" and "properties" in items:
        found = {"widget": "list", "collapsed": False, "fields": _fields(kind, items, defs, top=False)}
        singular = items.get("title")
        if singular:
            found["label_singular"] = _label(re.sub(r"(?<!^)(?=[A-Z])", "_", singular).lower())
    else:
        one = name.removesuffix("s")
        found = {"widget": "list", "field": {"name": "item", "label": _label(one), **_widget(kind, name, items, defs)}}
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


# --- the admin page, and both files in the built site ----------------------------------------------


def config_yaml(config: SiteConfig, site_file: str = "site.yaml") -> str:
    head = ("# The editor's configuration (Decap CMS), made by showcase from its content models and the editor:\n"
            "# block of site.yaml. It is made again by every build: change those, not this file.\n")
    return head + _yaml(decap_config(config, site_file))


def local_config_yaml(api_url: str, site_url: str, allowed_hosts: list[str] | tuple[str, ...] = (),
                      site_file: str = "site.yaml") -> str:
    head = ("# The editor's configuration in the preview (python build.py serve): the same forms as the published\n"
            "# editor, saving to this computer's content folder. Made afresh for every request, never written.\n")
    return head + _yaml(local_decap_config(api_url, site_url, allowed_hosts, site_file))


def _yaml(config: dict[str, Any]) -> str:
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # every option written out where it applies, no &anchors


def admin_page(config: SiteConfig, local: bool = False) -> str:
    """The page that loads the CMS. The CMS's own screens are in English, hence lang="en". `local`: the page of
    `serve`, whose editor saves to the preview itself, never to the repository."""
    title = html.escape(f"Edit {config.short_title or config.title}")
    backend = {} if local or config.editor is None else _backend(config.editor)
    policy = html.escape(content_security_policy(DECAP_CMS.url, backend))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<noscript><h1>{title}</h1><p>The editor needs JavaScript. Turn it on for this site, or edit the files in the
content folder as docs/content.md describes.</p></noscript>
<script src="{DECAP_CMS.url}" integrity="{DECAP_CMS.integrity}" crossorigin="anonymous"></script>
</body>
</html>
"""


def stage(output: Output, site: Site, files: ContentFiles, diagnostics: Diagnostics) -> None:
    """Write /admin/index.html and /admin/config.yml when site.yaml has an `editor:` block; nothing otherwise
    (the pages it leaves are not in the sitemap, which lists pages only, nor in search, which reads only pages
    marked data-pagefind-body)."""
    if site.config.editor is None:
        return
    page = f"{ADMIN}/index.html"
    if page in output.files:
        taken = next((p for p in site.pages if p.url == f"{ADMIN}/"), None)
        where = files.path(taken.source) if taken else files.path(files.site or "site.yaml")
        diagnostics.error(where, f"the address /{ADMIN}/ is where the editor is published (editor: in site.yaml); "
                                 "rename this page or set slug:")
        return
    output.add(page, admin_page(site.config))
    output.add(f"{ADMIN}/config.yml", config_yaml(site.config, posixpath.basename(files.site or "site.yaml")))
