"""The editor in the browser: a Decap CMS configuration made from the content models (its forms:
editor_fields.py), and its page at /admin/.

Decap CMS rather than Sveltia CMS: Decap has the editorial workflow (every change a pull request to review
before it is published); Sveltia reads the same config.yml but does not have it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from pydantic import BaseModel

from .content import Site
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
from .discover import ContentFiles
from .editor_fields import form_fields
from .editor_policy import content_security_policy
from .editor_preview import preview_path
from .errors import Diagnostics
from .models import EditorConfig, SiteConfig
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
                       "fields": form_fields(KINDS, "settings", SiteConfig.model_json_schema())}],
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
    fields = form_fields(KINDS, kind.name, kind.model.model_json_schema())
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


VERSIONS_SCRIPT = (Path(__file__).parent / "editor_versions.js").read_text(encoding="utf-8")
VERSIONS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(VERSIONS_SCRIPT.encode("utf-8")).digest()).decode()


def admin_page(config: SiteConfig, local: bool = False) -> str:
    """The page that loads the CMS. The CMS's own screens are in English, hence lang="en". `local`: the page of
    `serve`, whose editor saves to the preview itself, never to the repository."""
    title = html.escape(f"Edit {config.short_title or config.title}")
    backend = {} if local or config.editor is None else _backend(config.editor)
    # the preview's page says which version of each entry a save replaces (editor_versions.js); a repository's
    # API does that itself
    versions = f"<script>{VERSIONS_SCRIPT}</script>\n" if local else ""
    policy = html.escape(content_security_policy(DECAP_CMS.url, backend, VERSIONS_HASH if local else None))
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
{versions}<script src="{DECAP_CMS.url}" integrity="{DECAP_CMS.integrity}" crossorigin="anonymous"></script>
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
