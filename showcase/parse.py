"""Parse content files into typed items, or into diagnostics that say what is wrong and where: the Parser reads one
file (each kind as parse_kinds.py and parse_media.py say), parse_all every file of the folder, in worker processes
when there are many, reusing the last build's result for each file that did not change."""

from __future__ import annotations

import os
import pickle
import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel

from .bodies import BodyStore
from .content import Artwork, Exhibition, Item, Media, Report, Story
from .deps import FileDigests, parsed_digests
from .discover import ContentFiles
from .errors import Diagnostic, Diagnostics
from .exhibitions import texts_of
from .invisible import INVISIBLE
from .markdown import MarkdownRenderer, RenderedMarkdown
from .messages import missing_file
from .models import SiteConfig
from .parse_kinds import (
    named_in_file,
    parse_artwork,
    parse_exhibition,
    parse_page,
    parse_person,
    parse_project,
    parse_report,
    parse_story,
    same_stem_images,
)
from .parse_media import parse_media
from .placeholders import PLACEHOLDER_BODY
from .progress import progress_bar
from .slugs import MAX_SLUG, shorter_slug, slugify
from .snapshot import changed_ns
from .sources import (
    ContentProblem,
    YamlDocument,
    load_yaml,
    read_text,
    split_front_matter,
)
from .text_columns import at_their_columns
from .validation import validation_diagnostics
from .workers import in_chunks

Result = tuple[Item | None, list[Diagnostic]]


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
        found |= {item.image_source} if isinstance(item, Artwork) else named_in_file(files.root, rel)
    if isinstance(item, Report) and item.meta.pdf:
        found.add(posixpath.normpath(posixpath.join("reports", item.meta.pdf)))
    if isinstance(item, Media):
        found |= {posixpath.normpath(posixpath.join("media", name))
                  for name in (item.meta.file, item.meta.captions, item.meta.audio_description) if name}
        found |= {item.text_description_source} if item.text_description_source else set()
    return found


def load_site_config(root: Path, rel: str) -> tuple[SiteConfig | None, list[Diagnostic]]:
    path = root / rel
    try:
        doc = load_yaml(read_text(path))
    except ContentProblem as problem:
        return None, [Diagnostic(str(path), problem.line, problem.col, "error", problem.message)]
    return validation_diagnostics(path, doc, SiteConfig)


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


# [text](address) whose address has a space and no <...>: Markdown makes no link of it, and shows it as it is written
_SPACED_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(([^()<>\n]*?\s[^()<>\n]*?)\)")
_WITH_TITLE = re.compile(r"""^\S+\s+(".*"|'.*')$""")


def unmade_links(text: str, first_line: int, path: Path) -> list[Diagnostic]:
    """A warning for each link or image written with a space in its address (outside code), which Markdown shows as
    plain text: `![](../artworks/Two Bowls.jpg)`."""
    if "](" not in text:
        return []
    found, fence = [], None
    for number, line in enumerate(text.split("\n"), first_line):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence and stripped.startswith(fence) else fence or stripped[:3]
            continue
        if fence or "](" not in line:
            continue
        for match in _SPACED_LINK.finditer(re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)):
            target = match.group(2).strip()
            if not target or _WITH_TITLE.match(target):
                continue
            kind = "image" if match.group(1) else "link"
            found.append(Diagnostic(str(path), number, match.start() + 1, "warning",
                                    f"this {kind} is shown as plain text: its address '{target}' has a space; write "
                                    f"it between < and >, as in (<{target}>), or name the file without spaces"))
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
            item, found = READERS[kind](self, rel, path)
            if item is not None:
                too_long = address_problems(path, item)
                if too_long:  # its pages could not be written: a file name has at most 255 bytes
                    return None, [*found, *too_long]
            return item, found
        except ContentProblem as problem:
            return None, [Diagnostic(str(path), problem.line, problem.col, "error", problem.message)]
        except OSError as exc:
            return None, [Diagnostic(str(path), None, None, "error", f"cannot be read: {exc.strerror}")]

    # --- what every kind of content uses (parse_kinds.py, parse_media.py) -------------------

    def markdown_document(self, rel: str, path: Path, model: type[BaseModel]):
        source = split_front_matter(read_text(path))
        meta, problems = validation_diagnostics(path, source.front_matter, model)
        return source, meta, problems

    def render_body(self, rel: str, path: Path, text: str, first_line: int, found: list[Diagnostic],
                    top_level: int = 2) -> RenderedMarkdown:
        rendered = self.renderer.render(text, rel, first_line, top_level)
        found.extend(at_their_columns(path, [Diagnostic(str(path), p.line, p.col, p.severity,  # type: ignore[arg-type]
                                                        self._said(p.message, rendered)) for p in rendered.problems]))
        found.extend(unmade_links(text, first_line, path))
        invisible = INVISIBLE.search(text)
        if invisible:  # typed into the text itself: left out of the page (render.py), said where
            line = first_line + text.count("\n", 0, invisible.start())
            col = invisible.start() - (text.rfind("\n", 0, invisible.start()) + 1) + 1
            found.append(Diagnostic(str(path), line, col, "warning", f"this line holds an invisible control character "
                                    f"(U+{ord(invisible.group()):04X}); it is left out of the page: delete it"))
        return rendered

    def _said(self, message: str, rendered: RenderedMarkdown) -> str:
        """A problem of a Markdown text; a link to a file that does not exist suggests the nearest one."""
        message, suggested = missing_file(message, self.files.all)
        if suggested:
            rendered.checked.add(suggested)  # were it removed, the suggestion would be wrong: parse again
        return message

    def render_field(self, rel: str, path: Path, doc: YamlDocument, key: str, text: str | None,
                     found: list[Diagnostic]) -> RenderedMarkdown | None:
        """Render a Markdown field of a YAML file; lines of its problems count from the key's line."""
        if not text:
            return None
        rendered = self.renderer.render(text, rel, 1, top_level=3)
        if rendered.problems:
            key_line, _ = doc.locate((key,))
            found.extend(at_their_columns(path, [  # block scalars start on the line after the key
                Diagnostic(str(path), key_line + (p.line or 1), p.col, p.severity,  # type: ignore[arg-type]
                           self._said(p.message, rendered)) for p in rendered.problems]))
        return rendered

    def slug_of(self, rel: str, meta: BaseModel) -> str:
        return getattr(meta, "slug", None) or slugify(posixpath.splitext(posixpath.basename(rel))[0])

    def read_yaml(self, path: Path) -> YamlDocument:
        return load_yaml(read_text(path))


# How each kind of content file is read (parse_kinds.py, parse_media.py)
READERS: dict[str, Callable[[Parser, str, Path], Result]] = {
    "story": parse_story, "report": parse_report, "page": parse_page, "project": parse_project,
    "artwork": parse_artwork, "exhibition": parse_exhibition, "person": parse_person, "media": parse_media,
}


def signature(root: Path, paths: set[str]) -> tuple:
    """Size and modification time of each file (None where missing): cheap, and changes when they do."""
    found = []
    folder = str(root)
    for rel in sorted(paths):
        try:
            stat = os.stat(os.path.join(folder, rel))
            found.append((rel, stat.st_size, changed_ns(stat)))
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


def parse_story(parser: Parser, store: BodyStore | None, digests: FileDigests, rel: str) -> tuple:
    """One story file parsed again on its own (a change to its body): its parse cache entry."""
    packed, read, body_file = _parse_packed(parser, store, "story", rel)
    if store is not None:
        store.close()
    return digests.of(os.path.join(str(parser.root), rel)), read, packed, body_file


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


def body_change(old: tuple, new: tuple) -> list[str] | None:
    """What parsing a story file again changed, when no page but those reading its body can see the change: the
    names of its parsed parts whose digests changed (its body, its description...). None when anything else
    changed (its metadata, slug, where its body starts, the files it read, what its body refers to, what
    parsing it said), or it is not a story. `old` and `new` are parse cache entries of the same file."""
    item, problems = pickle.loads(new[2])
    was, problems_then = pickle.loads(old[2])
    if not isinstance(item, Story) or not isinstance(was, Story) or problems != problems_then:
        return None
    # the front matter's text, not only its meaning: pages show a tag as it is written, and what assembling
    # says names the line of a field
    if (item.slug != was.slug or item.body_line != was.body_line or item.digests.get("meta") != was.digests.get("meta")
            or (item.front.text if item.front else None) != (was.front.text if was.front else None)
            or {r for r, *_ in new[1]} != {r for r, *_ in old[1]}
            or [r.path for r in item.body.references] != [r.path for r in was.body.references]):
        return None
    try:
        if PLACEHOLDER_BODY in item.body.html or PLACEHOLDER_BODY in was.body.html:
            return None
    except OSError:  # the body it had was removed from the build cache: nothing to compare with
        return None
    return sorted(name for name, value in item.digests.items() if was.digests.get(name) != value)
