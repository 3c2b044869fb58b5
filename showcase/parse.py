"""Parse one content file into a typed item, or into diagnostics that say what is wrong and where."""

from __future__ import annotations

import os
import pickle
import posixpath
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .bodies import BodyStore
from .content import (
    Artwork,
    Exhibition,
    Item,
    Media,
    Page,
    Person,
    Project,
    Report,
    Story,
)
from .deps import FileDigests, parsed_digests
from .discover import ContentFiles
from .errors import Diagnostic, Diagnostics
from .exhibitions import read_exhibition, text_line, texts_of
from .field_messages import field_problems
from .markdown import (
    MarkdownRenderer,
    RenderedMarkdown,
    add_permalinks,
    alt_problem,
    slugify,
)
from .mediafile import TOLERANCE as DURATION_TOLERANCE
from .mediafile import MediaFileError, clock, duration_seconds, parse_clock
from .messages import did_you_mean, missing_file
from .models import (
    ArtworkMeta,
    ExhibitionMeta,
    MediaMeta,
    PageMeta,
    PersonMeta,
    ProjectMeta,
    ReportMeta,
    SiteConfig,
    StoryMeta,
)
from .progress import progress_bar
from .sources import (
    ContentProblem,
    YamlDocument,
    load_yaml,
    read_text,
    split_front_matter,
)
from .workers import in_chunks

Result = tuple[Item | None, list[Diagnostic]]


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


def _named_in_file(root: Path, rel: str) -> set[str]:
    """The image a sidecar that could not be parsed names, so that its appearing parses the sidecar again."""
    try:
        named = named_image(rel, load_yaml(read_text(root / rel)).data)
    except (ContentProblem, OSError):
        return set()
    return {named} if named and posixpath.dirname(named) == posixpath.dirname(rel) else set()


def looked_at(rel: str, item: Item | None, files: ContentFiles) -> set[str]:
    """Other files whose presence or bytes a parse result depends on (links, images, PDFs, captions)."""
    found: set[str] = set()
    if item is not None:
        for name in ("body", "description", "bio", "transcript", "text_description"):
            rendered = getattr(item, name, None)
            if rendered is not None:
                found |= rendered.checked
    if isinstance(item, Exhibition):
        for text in texts_of(item):
            found |= text.checked
    if rel.startswith("artworks/"):
        found |= same_stem_images(rel, files)
        found |= {item.image_source} if isinstance(item, Artwork) else _named_in_file(files.root, rel)
    if isinstance(item, Report) and item.meta.pdf:
        found.add(posixpath.normpath(posixpath.join("reports", item.meta.pdf)))
    if isinstance(item, Media):
        found |= {posixpath.normpath(posixpath.join("media", name))
                  for name in (item.meta.file, item.meta.captions, item.meta.audio_description) if name}
        found |= {item.text_description_source} if item.text_description_source else set()
    return found


def validation_diagnostics(path: Path, doc: YamlDocument, model: type[BaseModel]) -> tuple[Any, list[Diagnostic]]:
    """Validate YAML data against a model; each problem points at the line of its key."""
    if not isinstance(doc.data, dict):
        line, col = doc.locate(())
        return None, [Diagnostic(str(path), line, col, "error", "expected 'field: value' lines, not a single value or a list")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        found = []
        for message, loc in field_problems(exc.errors(), doc.data, model):
            line, col = doc.locate(loc)
            found.append(Diagnostic(str(path), line, col, "error", message))
        return None, found


def load_site_config(root: Path, rel: str) -> tuple[SiteConfig | None, list[Diagnostic]]:
    path = root / rel
    try:
        doc = load_yaml(read_text(path))
    except ContentProblem as problem:
        return None, [Diagnostic(str(path), problem.line, problem.col, "error", problem.message)]
    return validation_diagnostics(path, doc, SiteConfig)


MAX_SLUG = 100  # characters in the last part of an address; file systems allow 255 bytes in a name


def shorter_slug(slug: str, limit: int = MAX_SLUG) -> str:
    """The slug cut to `limit` characters, at a hyphen where there is one."""
    cut = slug[:limit]
    if len(slug) > limit and slug[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


def address_problems(path: Path, item: Item) -> list[Diagnostic]:
    """Slugs too long to be a folder of the site: the item's own (from `slug:` or its file name) and the
    practices and tags that get pages of their own."""
    found = []
    doc = item.front
    if len(item.slug) > MAX_SLUG:
        if getattr(item.meta, "slug", None):
            line, col = doc.locate(("slug",)) if doc else (None, None)
            found.append(Diagnostic(str(path), line, col, "error",
                                    f"slug: {len(item.slug)} characters is too long for an address; use at most "
                                    f"{MAX_SLUG}, e.g. slug: {shorter_slug(item.slug)}"))
        else:
            found.append(Diagnostic(str(path), None, None, "error",
                                    f"this file name makes an address of {len(item.slug)} characters, too long; "
                                    f"rename the file to at most {MAX_SLUG} characters, e.g. "
                                    f"{shorter_slug(item.slug)}{posixpath.splitext(item.source)[1]}"))
    for key in ("practices", "tags"):
        for index, slug in enumerate(getattr(item.meta, key, None) or ()):
            if len(slug) > MAX_SLUG:
                line, col = doc.locate((key, index)) if doc else (None, None)
                found.append(Diagnostic(str(path), line, col, "error",
                                        f"{key}: '{shorter_slug(slug, 30)}…' has {len(slug)} characters, too long "
                                        f"for an address; use at most {MAX_SLUG}"))
    return found


class Parser:
    """Parses the files of one content folder; safe to use from worker processes."""

    def __init__(self, files: ContentFiles):
        self.files = files
        self.root = files.root
        self.renderer = MarkdownRenderer(files.all)

    def parse(self, kind: str, rel: str) -> Result:
        path = self.root / rel
        try:
            item, found = getattr(self, f"_parse_{kind}")(rel, path)
            if item is not None:
                too_long = address_problems(path, item)
                if too_long:  # its pages could not be written: a file name has at most 255 bytes
                    return None, [*found, *too_long]
            return item, found
        except ContentProblem as problem:
            return None, [Diagnostic(str(path), problem.line, problem.col, "error", problem.message)]
        except OSError as exc:
            return None, [Diagnostic(str(path), None, None, "error", f"cannot be read: {exc.strerror}")]

    # --- helpers -----------------------------------------------------------------------------

    def _markdown_document(self, rel: str, path: Path, model: type[BaseModel]):
        source = split_front_matter(read_text(path))
        meta, problems = validation_diagnostics(path, source.front_matter, model)
        return source, meta, problems

    def _body(self, rel: str, path: Path, text: str, first_line: int, found: list[Diagnostic],
              top_level: int = 2) -> RenderedMarkdown:
        rendered = self.renderer.render(text, rel, first_line, top_level)
        found.extend(Diagnostic(str(path), p.line, p.col, p.severity, self._said(p.message, rendered))  # type: ignore[arg-type]
                     for p in rendered.problems)
        return rendered

    def _said(self, message: str, rendered: RenderedMarkdown) -> str:
        """A problem of a Markdown text; a link to a file that does not exist suggests the nearest one."""
        message, suggested = missing_file(message, self.files.all)
        if suggested:
            rendered.checked.add(suggested)  # were it removed, the suggestion would be wrong: parse again
        return message

    def _field(self, rel: str, path: Path, doc: YamlDocument, key: str, text: str | None,
               found: list[Diagnostic]) -> RenderedMarkdown | None:
        """Render a Markdown field of a YAML file; lines of its problems count from the key's line."""
        if not text:
            return None
        rendered = self.renderer.render(text, rel, 1, top_level=3)
        if rendered.problems:
            key_line, _ = doc.locate((key,))
            for p in rendered.problems:
                line = key_line + (p.line or 1)  # block scalars start on the line after the key
                found.append(Diagnostic(str(path), line, p.col, p.severity, self._said(p.message, rendered)))  # type: ignore[arg-type]
        return rendered

    def _slug(self, rel: str, meta: BaseModel) -> str:
        return getattr(meta, "slug", None) or slugify(posixpath.splitext(posixpath.basename(rel))[0])

    def _yaml(self, path: Path) -> YamlDocument:
        return load_yaml(read_text(path))

    # --- one method per kind of content -------------------------------------------------------

    def _parse_story(self, rel: str, path: Path) -> Result:
        source, meta, found = self._markdown_document(rel, path, StoryMeta)
        if meta is None:
            return None, found
        if not meta.summary:
            line, col = source.front_matter.locate(("summary",))
            found.append(Diagnostic(str(path), line, col, "warning", "summary is empty: cards, feeds and search show it"))
        body = self._body(rel, path, source.body, source.body_line, found)
        return Story(slug=self._slug(rel, meta), source=rel, meta=meta, body=body, body_line=source.body_line,
                     front=source.front_matter), found

    def _parse_report(self, rel: str, path: Path) -> Result:
        source, meta, found = self._markdown_document(rel, path, ReportMeta)
        if meta is None:
            return None, found
        body = self._body(rel, path, source.body, source.body_line, found)
        body.html = add_permalinks(body.html)
        report = Report(slug=self._slug(rel, meta), source=rel, meta=meta, body=body, front=source.front_matter)
        if meta.pdf:
            pdf = posixpath.normpath(posixpath.join("reports", meta.pdf))
            line, col = source.front_matter.locate(("pdf",))
            if pdf.startswith("../") or pdf == "..":
                found.append(Diagnostic(str(path), line, col, "error", f"pdf: '{meta.pdf}' points outside the content folder"))
            elif pdf not in self.files.attachments:
                found.append(Diagnostic(str(path), line, col, "error", f"pdf: '{meta.pdf}' is not a PDF file in reports/"))
            else:
                report = replace(report, pdf_url=pdf, pdf_size=(self.root / pdf).stat().st_size)
        return report, found

    def _parse_page(self, rel: str, path: Path) -> Result:
        source, meta, found = self._markdown_document(rel, path, PageMeta)
        if meta is None:
            return None, found
        body = self._body(rel, path, source.body, source.body_line, found)
        return Page(slug=self._slug(rel, meta), source=rel, meta=meta, body=body, front=source.front_matter), found

    def _parse_project(self, rel: str, path: Path) -> Result:
        doc = self._yaml(path)
        meta, found = validation_diagnostics(path, doc, ProjectMeta)
        if meta is None:
            return None, found
        description = self._field(rel, path, doc, "description", meta.description, found)
        return Project(slug=self._slug(rel, meta), source=rel, meta=meta, description=description, front=doc), found

    def _parse_artwork(self, rel: str, path: Path) -> Result:
        doc = self._yaml(path)
        meta, found = validation_diagnostics(path, doc, ArtworkMeta)
        images = self._images_of(rel, path, doc, found)
        if meta is None or len(images) != 1:
            return None, found
        problem = alt_problem(meta.alt)
        if problem:
            line, col = doc.locate(("alt",))
            found.append(Diagnostic(str(path), line, col, "warning", f"alt {problem}"))
        description = self._field(rel, path, doc, "description", meta.description, found)
        artwork = Artwork(slug=slugify(posixpath.basename(posixpath.splitext(rel)[0])), source=rel, meta=meta,
                          image_source=images[0], description=description, front=doc)
        return artwork, found

    def _images_of(self, rel: str, path: Path, doc: YamlDocument, found: list[Diagnostic]) -> list[str]:
        """The image of an artwork sidecar: the one its `image:` names, else the one with the sidecar's name."""
        name = doc.data.get("image") if isinstance(doc.data, dict) else None
        if name is not None and not isinstance(name, str):
            return []  # the model says what is wrong with it
        if not name or not name.strip():
            stem = posixpath.splitext(rel)[0]
            images = [f for f in self.files.artwork_images if posixpath.splitext(f)[0] == stem]
            if not images:
                found.append(Diagnostic(str(path), None, None, "error",
                                        "this sidecar has no image: add the image file with the same name beside "
                                        "it, or name the image with image:"))
            elif len(images) > 1:
                found.append(Diagnostic(str(path), None, None, "error",
                                        f"more than one image has this name: {', '.join(sorted(images))}"))
            return images
        target = named_image(rel, doc.data) or ""
        if target in self.files.artwork_images:
            return [target]
        if posixpath.dirname(target) != posixpath.dirname(rel):
            problem = "must be the name of an image beside this sidecar, in artworks/ (e.g. image: bowl.jpg)"
        else:
            problem = "is not an image in artworks/" + did_you_mean(
                posixpath.basename(target), [posixpath.basename(f) for f in self.files.artwork_images])
        line, col = doc.locate(("image",))
        found.append(Diagnostic(str(path), line, col, "error", f"image: '{name.strip()}' {problem}"))
        return []

    def _parse_exhibition(self, rel: str, path: Path) -> Result:
        if rel.endswith(".md"):  # the introduction is the text after the front matter
            source, meta, found = self._markdown_document(rel, path, ExhibitionMeta)
            doc, body = source.front_matter, (source.body, source.body_line)
        else:
            doc, body = self._yaml(path), None
            meta, found = validation_diagnostics(path, doc, ExhibitionMeta)
        if meta is None:
            return None, found

        def render(text: str, first_line: int, top_level: int) -> RenderedMarkdown:
            return self._body(rel, path, text, first_line, found, top_level)

        return read_exhibition(rel, path, self._slug(rel, meta), doc, meta, body, render, found), found

    def _parse_person(self, rel: str, path: Path) -> Result:
        doc = self._yaml(path)
        meta, found = validation_diagnostics(path, doc, PersonMeta)
        if meta is None:
            return None, found
        bio = self._field(rel, path, doc, "bio", meta.bio, found)
        return Person(slug=self._slug(rel, meta), source=rel, meta=meta, bio=bio, front=doc), found

    def _parse_media(self, rel: str, path: Path) -> Result:
        doc = self._yaml(path)
        meta, found = validation_diagnostics(path, doc, MediaMeta)
        if meta is None:
            return None, found
        media = Media(slug=self._slug(rel, meta), source=rel, meta=meta, front=doc)
        media.transcript = self._field(rel, path, doc, "transcript", meta.transcript, found)
        if meta.file:
            file = self._media_file(path, doc, "file", meta.file, found)
            if file:
                media.file_url = file
                media.file_type = MEDIA_TYPES.get(posixpath.splitext(file)[1].lower())
                if media.file_type is None or not media.file_type.startswith(meta.kind):
                    line, col = doc.locate(("file",))
                    found.append(Diagnostic(str(path), line, col, "error",
                                            f"file: '{meta.file}' is not a {meta.kind} file (use "
                                            f"{', '.join(e for e, t in MEDIA_TYPES.items() if t.startswith(meta.kind))})"))
                else:
                    self._running_time(path, doc, media, found)
        if meta.captions:
            captions = self._media_file(path, doc, "captions", meta.captions, found)
            if captions:
                line, col = doc.locate(("captions",))
                if not captions.endswith(".vtt"):
                    found.append(Diagnostic(str(path), line, col, "error", "captions must be a WebVTT (.vtt) file"))
                elif (text := self._captions_text(self.root / captions, found)) is None:
                    pass  # the captions file's own problem is said at that file
                elif not text.lstrip().startswith("WEBVTT"):
                    found.append(Diagnostic(str(self.root / captions), 1, 1, "error",
                                            "this is not a WebVTT file: its first line must be WEBVTT"))
                else:
                    media.captions_url = captions
        if meta.url:
            media.host, media.embed_url = external_video(meta.url)
        self._descriptions(rel, path, doc, media, found)
        return media, found

    def _descriptions(self, rel: str, path: Path, doc: YamlDocument, media: Media, found: list[Diagnostic]) -> None:
        """The audio-described version (a file in media/) and the text description (Markdown, or an .md file)."""
        meta = media.meta
        if meta.audio_description:
            described = self._media_file(path, doc, "audio_description", meta.audio_description, found)
            kind = MEDIA_TYPES.get(posixpath.splitext(described or "")[1].lower())
            if described and kind is None:
                line, col = doc.locate(("audio_description",))
                found.append(Diagnostic(str(path), line, col, "error", f"audio_description: '{meta.audio_description}' "
                                        f"is not a video or audio file (use {', '.join(MEDIA_TYPES)})"))
            elif described:
                media.audio_description_url, media.audio_description_type = described, kind
        text = meta.text_description
        if not text:
            return
        if "\n" not in text.strip() and text.strip().lower().endswith(".md"):  # the name of a file beside it
            source = self._media_file(path, doc, "text_description", text.strip(), found)
            if source is None:
                return
            try:
                written = read_text(self.root / source)
            except ContentProblem as problem:
                found.append(Diagnostic(str(self.root / source), problem.line, problem.col, "error", problem.message))
                return
            media.text_description_source = source
            media.text_description = self._body(source, self.root / source, written, 1, found, 3)
            return
        line = text_line(doc, ("text_description",))
        media.text_description = self._body(rel, path, text, line, found, 3)

    def _running_time(self, path: Path, doc: YamlDocument, media: Media, found: list[Diagnostic]) -> None:
        """The running time read from the file; a `duration` written in the sidecar must agree with it."""
        meta = media.meta
        try:
            media.duration = duration_seconds(self.root / media.file_url)
        except MediaFileError as problem:
            line, col = doc.locate(("file",))
            instead = f"; the duration written here ({meta.duration}) is shown instead" if meta.duration else ""
            found.append(Diagnostic(str(path), line, col, "warning",
                                    f"file: how long '{meta.file}' runs cannot be read: {problem}{instead}"))
            return
        if not meta.duration:
            return
        written = parse_clock(meta.duration)
        line, col = doc.locate(("duration",))
        if written is None:
            found.append(Diagnostic(str(path), line, col, "warning",
                                    f"duration: '{meta.duration}' is not a running time such as 4:05; "
                                    f"'{meta.file}' runs {clock(media.duration)}, which is shown"))
        elif abs(written - media.duration) > DURATION_TOLERANCE:
            found.append(Diagnostic(str(path), line, col, "warning",
                                    f"duration: {meta.duration} does not match '{meta.file}', which runs "
                                    f"{clock(media.duration)} ({media.duration:.1f} s); the file's running time is "
                                    f"shown. Correct the duration or leave it out: it is read from the file"))

    def _captions_text(self, path: Path, found: list[Diagnostic]) -> str | None:
        try:
            return read_text(path)
        except ContentProblem as problem:
            found.append(Diagnostic(str(path), problem.line, problem.col, "error", problem.message))
        except OSError as exc:
            found.append(Diagnostic(str(path), None, None, "error", f"cannot be read: {exc.strerror or exc}"))
        return None

    def _media_file(self, path: Path, doc: YamlDocument, key: str, name: str, found: list[Diagnostic]) -> str | None:
        target = posixpath.normpath(posixpath.join("media", name))
        line, col = doc.locate((key,))
        if target.startswith("../") or target == "..":
            found.append(Diagnostic(str(path), line, col, "error", f"{key}: '{name}' points outside the content folder"))
        elif target not in self.files.all:
            found.append(Diagnostic(str(path), line, col, "error", f"{key}: '{name}' is not a file in media/"))
        else:
            return target
        return None


MEDIA_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
               ".ogg": "audio/ogg"}


def external_video(url: str) -> tuple[str, str | None]:
    """The host a video is loaded from, and the privacy-friendlier player address where one is known."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    host = parts.hostname or url
    if host.endswith("youtube.com") and parse_qs(parts.query).get("v"):
        return host, f"https://www.youtube-nocookie.com/embed/{parse_qs(parts.query)['v'][0]}"
    if host == "youtu.be":
        return host, f"https://www.youtube-nocookie.com/embed/{parts.path.strip('/')}"
    if host.endswith("vimeo.com") and parts.path.strip("/").isdigit():
        return host, f"https://player.vimeo.com/video/{parts.path.strip('/')}?dnt=1"
    return host, None  # unknown host: linked, never embedded


def signature(root: Path, paths: set[str]) -> tuple:
    """Size and modification time of each file (None where missing): cheap, and changes when they do."""
    found = []
    folder = str(root)
    for rel in sorted(paths):
        try:
            stat = os.stat(os.path.join(folder, rel))
            found.append((rel, stat.st_size, stat.st_mtime_ns))
        except OSError:
            found.append((rel, None, None))
    return tuple(found)


# --- every file, reusing the last build's results for files that did not change ----------------------

def _parse_packed(parser: Parser, store: BodyStore | None, kind: str, rel: str) -> tuple[bytes, tuple, str | None]:
    """A result as bytes (so the cache keeps it as parsed, before the site is assembled), what it read, and
    the file its story body was put aside in."""
    item, problems = parser.parse(kind, rel)
    read = signature(parser.root, looked_at(rel, item, parser.files))
    body_file = None
    if item is not None:
        item.digests = parsed_digests(item)
        if isinstance(item, Story) and store is not None:  # stories are the bulk: their bodies wait on disk
            item = replace(item, body=item.body.put_aside(store),
                           front=replace(item.front, data=None) if item.front else None)  # its text locates lines
            body_file = item.body.stored[0] if item.body.stored else None
    return pickle.dumps((item, problems), protocol=pickle.HIGHEST_PROTOCOL), read, body_file


def _parse_chunk(parser: Parser, store: BodyStore | None, jobs: list[tuple[str, str]]) -> list:
    done = [_parse_packed(parser, store, kind, rel) for kind, rel in jobs]
    if store is not None:
        store.flush()
    return done


ParseCache = dict[str, tuple[str, tuple, bytes, str | None]]  # source -> (digest, what it read, result, body file)


def parse_all(files: ContentFiles, diagnostics: Diagnostics, workers: int, digests: FileDigests,
              previous: ParseCache, store: BodyStore | None = None,
              progress: bool = False) -> tuple[dict[str, list], ParseCache]:
    """Parse every content file, in worker processes when there are many; returns the items by kind
    and the parse cache for the next build. Story bodies go to `store` when there is one."""
    kinds = {"stories": ("story", files.stories), "artworks": ("artwork", files.artwork_sidecars),
             "projects": ("project", files.projects), "reports": ("report", files.reports),
             "pages": ("page", files.pages), "people": ("person", files.people),
             "media": ("media", [f for f in files.media if f.endswith((".yaml", ".yml"))]),
             "exhibitions": ("exhibition", files.exhibitions)}
    jobs = [(kind, rel) for kind, rels in kinds.values() for rel in rels]
    cache: ParseCache = {}
    todo: list[tuple[str, str]] = []
    root = str(files.root)
    for kind, rel in jobs:
        try:
            digest = digests.of(os.path.join(root, rel))
        except OSError as exc:  # gone since the folder was listed, or not readable
            diagnostics.error(files.root / rel, f"cannot be read: {exc.strerror or exc}")
            continue
        known = previous.get(rel)
        # an image newly put beside a sidecar is not among the files it looked at last time: add them now
        now = same_stem_images(rel, files) if kind == "artwork" else set()
        if (known and known[0] == digest and signature(files.root, {r for r, *_ in known[1]} | now) == known[1]
                and (known[3] is None or os.path.isfile(known[3]))):
            cache[rel] = known
        else:
            todo.append((kind, rel))
    parser = Parser(files)
    results: list = []
    with progress_bar(progress and len(todo) > 400, "Reading content", len(todo)) as advance:
        for chunk, done in in_chunks(lambda jobs: _parse_chunk(parser, store, jobs), todo, workers):
            results += done
            advance(len(chunk))
    for (kind, rel), (packed, read, body_file) in zip(todo, results):
        cache[rel] = (digests.of(os.path.join(root, rel)), read, packed, body_file)
    parsed: dict[str, list] = {name: [] for name in kinds}
    names = {kind: name for name, (kind, _) in kinds.items()}
    for kind, rel in jobs:
        if rel not in cache:
            continue  # it could not be read: said above
        item, problems = pickle.loads(cache[rel][2])
        diagnostics.extend(problems)
        if item is not None:
            parsed[names[kind]].append(item)
    return parsed, cache
