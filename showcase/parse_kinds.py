"""How each kind of content file is read into its item: stories, reports and pages (Markdown with front matter),
projects and people (YAML with Markdown fields), exhibitions, and artwork sidecars with their images. (Films and
recordings: parse_media.py.)"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .content import Artwork, Page, Person, Project, Report, Story
from .content_models import (
    ArtworkMeta,
    ExhibitionMeta,
    PageMeta,
    PersonMeta,
    ProjectMeta,
    ReportMeta,
    StoryMeta,
)
from .discover import ContentFiles
from .errors import Diagnostic
from .exhibitions import read_exhibition
from .headings import add_permalinks
from .markdown import RenderedMarkdown, alt_problem
from .messages import did_you_mean
from .slugs import slugify
from .sources import ContentProblem, YamlDocument, load_yaml, read_text
from .validation import validation_diagnostics

if TYPE_CHECKING:
    from .parse import Parser, Result


def same_stem_images(rel: str, files: ContentFiles) -> set[str]:
    """The images beside an artwork sidecar that share its name, whatever their extension's case."""
    stem = posixpath.splitext(rel)[0]
    return {f for f in files.artwork_images if posixpath.splitext(f)[0] == stem}


def named_image(rel: str, data: object) -> str | None:
    """The path of the image an artwork sidecar names with `image:` (None when it names none: the image is the
    one with the sidecar's name). A CMS saves the image beside the sidecar, but cannot keep the two names paired."""
    name = data.get("image") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), name.strip()))


def named_in_file(root: Path, rel: str) -> set[str]:
    """The image a sidecar that could not be parsed names, so that its appearing parses the sidecar again."""
    try:
        named = named_image(rel, load_yaml(read_text(root / rel)).data)
    except (ContentProblem, OSError):
        return set()
    return {named} if named and posixpath.dirname(named) == posixpath.dirname(rel) else set()


def parse_story(parser: Parser, rel: str, path: Path) -> Result:
    source, meta, found = parser.markdown_document(rel, path, StoryMeta)
    if meta is None:
        return None, found
    if not meta.summary:
        line, col = source.front_matter.locate(("summary",))
        found.append(Diagnostic(str(path), line, col, "warning", "summary is empty: cards, feeds and search show it"))
    body = parser.render_body(rel, path, source.body, source.body_line, found)
    return Story(slug=parser.slug_of(rel, meta), source=rel, meta=meta, body=body, body_line=source.body_line,
                 front=source.front_matter), found


def parse_report(parser: Parser, rel: str, path: Path) -> Result:
    source, meta, found = parser.markdown_document(rel, path, ReportMeta)
    if meta is None:
        return None, found
    body = parser.render_body(rel, path, source.body, source.body_line, found)
    body.html = add_permalinks(body.html)
    report = Report(slug=parser.slug_of(rel, meta), source=rel, meta=meta, body=body, front=source.front_matter)
    if meta.pdf:
        pdf = posixpath.normpath(posixpath.join("reports", meta.pdf))
        line, col = source.front_matter.locate(("pdf",))
        if pdf.startswith("../") or pdf == "..":
            found.append(Diagnostic(str(path), line, col, "error", f"pdf: '{meta.pdf}' points outside the content folder"))
        elif pdf not in parser.files.attachments:
            found.append(Diagnostic(str(path), line, col, "error", f"pdf: '{meta.pdf}' is not a PDF file in reports/"))
        else:
            report = replace(report, pdf_url=pdf, pdf_size=(parser.root / pdf).stat().st_size)
    return report, found


def parse_page(parser: Parser, rel: str, path: Path) -> Result:
    source, meta, found = parser.markdown_document(rel, path, PageMeta)
    if meta is None:
        return None, found
    body = parser.render_body(rel, path, source.body, source.body_line, found)
    return Page(slug=parser.slug_of(rel, meta), source=rel, meta=meta, body=body, front=source.front_matter), found


def parse_project(parser: Parser, rel: str, path: Path) -> Result:
    doc = parser.read_yaml(path)
    meta, found = validation_diagnostics(path, doc, ProjectMeta)
    if meta is None:
        return None, found
    description = parser.render_field(rel, path, doc, "description", meta.description, found)
    return Project(slug=parser.slug_of(rel, meta), source=rel, meta=meta, description=description, front=doc), found


def parse_artwork(parser: Parser, rel: str, path: Path) -> Result:
    doc = parser.read_yaml(path)
    meta, found = validation_diagnostics(path, doc, ArtworkMeta)
    images = _images_of(parser, rel, path, doc, found)
    if meta is None or len(images) != 1:
        return None, found
    problem = alt_problem(meta.alt)
    if problem:
        line, col = doc.locate(("alt",))
        found.append(Diagnostic(str(path), line, col, "warning", f"alt {problem}"))
    description = parser.render_field(rel, path, doc, "description", meta.description, found)
    artwork = Artwork(slug=slugify(posixpath.basename(posixpath.splitext(rel)[0])), source=rel, meta=meta,
                      image_source=images[0], description=description, front=doc)
    return artwork, found


def _images_of(parser: Parser, rel: str, path: Path, doc: YamlDocument,
               found: list[Diagnostic]) -> list[str]:
    """The image of an artwork sidecar: the one its `image:` names, else the one with the sidecar's name."""
    name = doc.data.get("image") if isinstance(doc.data, dict) else None
    if name is not None and not isinstance(name, str):
        return []  # the model says what is wrong with it
    if not name or not name.strip():
        stem = posixpath.splitext(rel)[0]
        images = [f for f in parser.files.artwork_images if posixpath.splitext(f)[0] == stem]
        if not images:
            found.append(Diagnostic(str(path), None, None, "error",
                                    "this sidecar has no image: add the image file with the same name beside "
                                    "it, or name the image with image:"))
        elif len(images) > 1:
            found.append(Diagnostic(str(path), None, None, "error",
                                    f"more than one image has this name: {', '.join(sorted(images))}"))
        return images
    target = named_image(rel, doc.data) or ""
    if target in parser.files.artwork_images:
        return [target]
    if posixpath.dirname(target) != posixpath.dirname(rel):
        problem = "must be the name of an image beside this sidecar, in artworks/ (e.g. image: bowl.jpg)"
    else:
        problem = "is not an image in artworks/" + did_you_mean(
            posixpath.basename(target), [posixpath.basename(f) for f in parser.files.artwork_images])
    line, col = doc.locate(("image",))
    found.append(Diagnostic(str(path), line, col, "error", f"image: '{name.strip()}' {problem}"))
    return []


def parse_exhibition(parser: Parser, rel: str, path: Path) -> Result:
    if rel.endswith(".md"):  # the introduction is the text after the front matter
        source, meta, found = parser.markdown_document(rel, path, ExhibitionMeta)
        doc, body = source.front_matter, (source.body, source.body_line)
    else:
        doc, body = parser.read_yaml(path), None
        meta, found = validation_diagnostics(path, doc, ExhibitionMeta)
    if meta is None:
        return None, found

    def render(text: str, first_line: int, top_level: int) -> RenderedMarkdown:
        return parser.render_body(rel, path, text, first_line, found, top_level)

    return read_exhibition(rel, path, parser.slug_of(rel, meta), doc, meta, body, render, found), found


def parse_person(parser: Parser, rel: str, path: Path) -> Result:
    doc = parser.read_yaml(path)
    meta, found = validation_diagnostics(path, doc, PersonMeta)
    if meta is None:
        return None, found
    bio = parser.render_field(rel, path, doc, "bio", meta.bio, found)
    return Person(slug=parser.slug_of(rel, meta), source=rel, meta=meta, bio=bio, front=doc), found
