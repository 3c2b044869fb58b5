"""IIIF Presentation API 3.0: a manifest for every artwork, a collection for every project and one for the
whole showcase, so that the works can be opened in any IIIF viewer (Mirador, the Universal Viewer...).

Everything is under /iiif/ in the site, one folder a host can give the CORS header viewers on other sites need:

    iiif/collection.json                      the whole showcase: its projects' collections, then other works
    iiif/projects/<project>/collection.json   the artworks of one project
    iiif/artworks/<slug>/manifest.json        one artwork: a Canvas painted with its full-size image
    iiif/artworks/<slug>/canvas.json          ... and its Canvas, AnnotationPage and Annotation on their own,
    iiif/artworks/<slug>/annotation-page.json     so that every id in a manifest is an address that answers
    iiif/artworks/<slug>/annotation.json

IIIF ids must be absolute http(s) addresses, so these files are written only when the site has a base_url.
Every text is plain: a title or a summary with Markdown or HTML in it is reduced to its words (with a warning
at the field's line for a field that is plain text on the page too). The artist is shown as the sidecar asks
(`display: initials` or `anonymous`); `rights` is given only when a licence is (rights.py). The image is the
static full-size derivative; an artwork with deep-zoom tiles (tiles.py) names them as its level-0 image service,
whose info.json is written beside the tiles:

    images/<slug>-zoom-<digest>/info.json    the service's description; its tiles are in the same folder
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .headings import plain_text

if TYPE_CHECKING:
    from .content import Artwork, Item, Project, Site
    from .discover import ContentFiles
    from .errors import Diagnostics
    from .images import Derivative
    from .tiles import Zoom
    from .writer import Output

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MEDIA_TYPE = f'application/ld+json;profile="{CONTEXT}"'
COLLECTION = "iiif/collection.json"
LABELS = "en"  # the language of the words showcase itself writes ("Artist", "Credit")

_INLINE = MarkdownIt("commonmark")
_BLOCKS = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).use(deflist_plugin)


def artwork_folder(slug: str) -> str:
    return f"iiif/artworks/{slug}/"


def manifest_path(slug: str) -> str:
    """Where an artwork's manifest is published (the artwork page links to it)."""
    return f"{artwork_folder(slug)}manifest.json"


def project_collection_path(slug: str) -> str:
    return f"iiif/projects/{slug}/collection.json"


# --- plain text ---------------------------------------------------------------------------------------


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _html_words(html: str) -> str:
    words = _Words()
    words.feed(html)
    words.close()
    return " ".join("".join(words.parts).split())


def plain(text: str) -> str:
    """One line of text without Markdown or HTML: `The <em>first</em> *year*` is "The first year" (a text that
    would be left with no words at all, `<b></b>`, is kept as written)."""
    tokens = _INLINE.parseInline(text)
    words = plain_text(tokens[0].children or []) if tokens else ""
    return words or " ".join(text.split())


def plain_blocks(markdown: str) -> str:
    """A Markdown text as plain paragraphs, a blank line between them."""
    paragraphs = []
    for token in _BLOCKS.parse(markdown):
        if token.type == "inline":
            paragraphs.append(plain_text(token.children or []))
        elif token.type == "html_block":
            paragraphs.append(_html_words(token.content))
    return "\n\n".join(p for p in paragraphs if p)


def _map(language: str, text: str | None) -> dict[str, list[str]] | None:
    return {language: [text]} if text else None


def _pair(label: str, language: str, value: str | None) -> dict[str, Any] | None:
    value = plain(value) if value else None
    return {"label": {LABELS: [label]}, "value": {language: [value]}} if value else None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], "", {})}


# --- the documents ------------------------------------------------------------------------------------


def _image(site: Site, derivative: Derivative) -> dict[str, Any]:
    return {"id": site.absolute(f"images/{derivative.name}"), "type": "Image", "format": derivative.mime,
            "width": derivative.width, "height": derivative.height}


def _service(site: Site, zoom: Zoom) -> list[dict[str, Any]]:
    """The deep-zoom tiles as the image's IIIF Image API 3.0 service (level 0: static files)."""
    return [{"id": site.absolute(f"images/{zoom.folder}"), "type": "ImageService3", "profile": "level0"}]


def info_path(zoom: Zoom) -> str:
    return f"images/{zoom.folder}/info.json"


def _thumbnail(site: Site, artwork: Artwork) -> list[dict[str, Any]]:
    """The smallest responsive image in a format every viewer shows (JPEG or PNG), else the largest of them."""
    image = artwork.image
    usual = [d for d in image.sources if d.mime in ("image/jpeg", "image/png")]
    return [_image(site, min(usual, key=lambda d: d.width) if usual else image.fallback)]


def _homepage(site: Site, url: str, label: str) -> list[dict[str, Any]]:
    """The page of the site that shows the same thing."""
    return [{"id": site.absolute(url), "type": "Text", "label": {site.config.language: [label]},
             "format": "text/html", "language": [site.config.language]}]


def _provider(site: Site) -> list[dict[str, Any]]:
    home = site.absolute("")
    return [{"id": home, "type": "Agent", "label": {site.config.language: [plain(site.config.title)]},
             "homepage": _homepage(site, "", plain(site.config.title))}]


def _parent(site: Site, artwork: Artwork) -> str:
    project = site.projects.get(artwork.meta.project or "")
    return project_collection_path(project.slug) if project is not None and project.artworks else COLLECTION


def artwork_documents(site: Site, artwork: Artwork) -> dict[str, dict[str, Any]]:
    """An artwork's manifest and the Canvas, AnnotationPage and Annotation in it, each by its path in the site."""
    meta, language, absolute = artwork.meta, site.config.language, site.absolute
    folder = artwork_folder(artwork.slug)
    rights = meta.rights_with(site.config.rights)
    title = plain(meta.title)
    project = site.projects.get(meta.project or "")

    body = _image(site, artwork.image.full)
    if artwork.image.zoom is not None:
        body["service"] = _service(site, artwork.image.zoom)
    annotation = {"id": absolute(f"{folder}annotation.json"), "type": "Annotation", "motivation": "painting",
                  "body": body, "target": absolute(f"{folder}canvas.json")}
    page = {"id": absolute(f"{folder}annotation-page.json"), "type": "AnnotationPage", "items": [annotation]}
    canvas = {"id": absolute(f"{folder}canvas.json"), "type": "Canvas", "label": _map(language, title),
              "width": artwork.image.full.width, "height": artwork.image.full.height, "items": [page]}
    metadata = [
        _pair("Artist", language, meta.artist.shown if meta.artist else None),  # `shown` honours initials/anonymous
        _pair("Year", language, str(meta.year) if meta.year is not None else None),
        _pair("Medium", language, meta.medium),
        _pair("Dimensions", language, meta.dimensions),
        _pair("Project", language, project.meta.title if project is not None else None),
        _pair("Rights holder", language, rights.rights_holder.shown if rights.rights_holder else None),
        _pair("Rights" if rights.licence and rights.licence.statement else "Licence", language,
              rights.licence.name if rights.licence else None),
    ]
    summary = plain_blocks(meta.description) if meta.description else plain(meta.alt)
    manifest = _clean({
        "@context": CONTEXT, "id": absolute(manifest_path(artwork.slug)), "type": "Manifest",
        "label": _map(language, title), "summary": _map(language, summary),
        "metadata": [pair for pair in metadata if pair],
        "rights": rights.licence.iiif if rights.licence else None,  # only a licence someone gave
        "requiredStatement": _pair("Credit", language, rights.credit),
        "provider": _provider(site), "homepage": _homepage(site, artwork.url, title),
        "thumbnail": _thumbnail(site, artwork),
        "partOf": [{"id": absolute(_parent(site, artwork)), "type": "Collection"}],
        "items": [_clean(canvas)],
    })
    return {manifest_path(artwork.slug): manifest,
            f"{folder}canvas.json": {"@context": CONTEXT, **_clean(canvas)},
            f"{folder}annotation-page.json": {"@context": CONTEXT, **page},
            f"{folder}annotation.json": {"@context": CONTEXT, **annotation}}


def _manifest_reference(site: Site, artwork: Artwork) -> dict[str, Any]:
    return {"id": site.absolute(manifest_path(artwork.slug)), "type": "Manifest",
            "label": {site.config.language: [plain(artwork.meta.title)]}, "thumbnail": _thumbnail(site, artwork)}


def _collected(site: Site) -> tuple[list[Project], list[Artwork]]:
    """The projects with published artworks, and the published artworks in none of them."""
    projects = [p for p in site.projects.values() if p.artworks]
    inside = {a.slug for p in projects for a in p.artworks}
    return projects, [a for a in site.artworks.values() if a.slug not in inside and a.image is not None]


def project_collection(site: Site, project: Project) -> dict[str, Any]:
    language = site.config.language
    title = plain(project.meta.title)
    return _clean({
        "@context": CONTEXT, "id": site.absolute(project_collection_path(project.slug)), "type": "Collection",
        "label": _map(language, title), "summary": _map(language, plain(project.meta.summary)),
        "provider": _provider(site), "homepage": _homepage(site, project.url, title),
        "partOf": [{"id": site.absolute(COLLECTION), "type": "Collection"}],
        "items": [_manifest_reference(site, a) for a in project.artworks if a.image is not None],
    })


def showcase_collection(site: Site) -> dict[str, Any]:
    language = site.config.language
    projects, others = _collected(site)
    title = plain(site.config.title)
    return _clean({
        "@context": CONTEXT, "id": site.absolute(COLLECTION), "type": "Collection",
        "label": _map(language, title), "summary": _map(language, plain(site.config.description)),
        "provider": _provider(site), "homepage": _homepage(site, "artworks/", f"Gallery: {title}"),
        "items": [*({"id": site.absolute(project_collection_path(p.slug)), "type": "Collection",
                     "label": {language: [plain(p.meta.title)]}} for p in projects),
                  *(_manifest_reference(site, a) for a in others)],
    })


def documents(site: Site) -> dict[str, dict[str, Any]]:
    """Every IIIF file of the site by its path (none without base_url: IIIF ids must be absolute addresses)."""
    if not site.config.base_url:
        return {}
    found: dict[str, dict[str, Any]] = {}
    artworks = [a for a in site.artworks.values() if a.image is not None]
    for artwork in artworks:
        found.update(artwork_documents(site, artwork))
        zoom = artwork.image.zoom
        if zoom is not None:
            found[info_path(zoom)] = zoom.service(site.absolute(f"images/{zoom.folder}"))
    if artworks:
        for project in _collected(site)[0]:
            found[project_collection_path(project.slug)] = project_collection(site, project)
        found[COLLECTION] = showcase_collection(site)
    return found


def as_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- markup in plain fields ---------------------------------------------------------------------------


def _fields(item: Item) -> list[tuple[tuple[str, ...], str]]:
    """The plain-text fields of an item that its manifest or collection shows, by their place in the file."""
    meta = item.meta
    written: list[tuple[tuple[str, ...], Any]] = [(("title",), meta.title)]
    if hasattr(meta, "alt"):  # an artwork
        written += [(("medium",), meta.medium), (("dimensions",), meta.dimensions), (("year",), meta.year),
                    (("credit",), meta.credit)]
        for key in ("artist", "rights_holder"):
            credit = getattr(meta, key)
            if credit is not None and credit.display == "full":
                written.append(((key, "name"), credit.name))
    else:  # a project
        written.append((("summary",), meta.summary))
    return [(loc, value) for loc, value in written if isinstance(value, str) and value]


def _markup_warnings(item: Item, files: ContentFiles, diagnostics: Diagnostics) -> None:
    for loc, value in _fields(item):
        text = plain(value)
        if text == " ".join(value.split()):
            continue
        line, col = item.front.locate(loc) if item.front else (None, None)
        name = ".".join(loc)
        diagnostics.warning(files.path(item.source), f"{name}: this is plain text, not Markdown or HTML, so the page "
                            f"shows the markup as written and the IIIF manifest leaves it out ('{text}'); write the "
                            f"words alone, e.g. {loc[-1]}: {json.dumps(text, ensure_ascii=False)}", line, col)


def stage(output: Output | None, site: Site, files: ContentFiles, diagnostics: Diagnostics) -> None:
    """Write the IIIF files (with a base_url only); `check` (no output) is given the same warnings."""
    if not site.config.base_url:
        return
    for item in [*site.artworks.values(), *(p for p in site.projects.values() if p.artworks)]:
        _markup_warnings(item, files, diagnostics)
    if output is None:
        return
    for name, document in documents(site).items():
        output.add(name, as_text(document))

