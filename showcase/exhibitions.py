"""Exhibitions: a curator's ordered walk through works of the showcase, read from its file and then resolved
against the works the build publishes (parse.py, parse_kinds.py, parse_media.py and assemble.py call these;
plan.py makes their pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import Artwork, Exhibition, Media, Stop, StopLink, Story
from .content_models import ExhibitionMeta
from .errors import Diagnostic
from .markdown import RenderedMarkdown
from .messages import did_you_mean
from .publishing import published
from .references import was_parsed, why_held_back
from .sources import YamlDocument

if TYPE_CHECKING:
    from .assemble import Assembler

Render = Callable[[str, int, int], RenderedMarkdown]  # (Markdown, its first line in the file, top heading level)

FOLDER = "exhibitions"
# How each kind of work is named to an editor, and the file that would hold it
KINDS = {"artwork": ("artwork", "artworks/{}.yaml"), "story": ("story", "stories/{}.md"),
         "media": ("media item", "media/{}.yaml")}
_BLOCK = re.compile(r"^\s*(?:-\s+)?[\w-]+\s*:\s*[|>]")  # `text: |`: the text starts on the next line


def text_line(doc: YamlDocument, loc: tuple) -> int:
    """The file line on which a Markdown value of a YAML document starts (the line after `key: |`)."""
    line, _ = doc.locate(loc)
    lines = doc.text.split("\n")
    own = lines[line - doc.line_offset - 1] if 0 < line - doc.line_offset <= len(lines) else ""
    return line + 1 if _BLOCK.match(own) else line


# --- reading one file ------------------------------------------------------------------------------


def read_exhibition(rel: str, path: Path, slug: str, doc: YamlDocument, meta: ExhibitionMeta,
                    body: tuple[str, int] | None, render: Render, found: list[Diagnostic]) -> Exhibition:
    """An exhibition from its validated file: its introduction (`body`: the text after an .md file's front matter,
    and its first line) and its stops, each text rendered as Markdown. The same work twice is an error."""
    introduction = None
    if body is not None and body[0].strip():
        introduction = render(body[0], body[1], 2)
        if meta.introduction:
            line, col = doc.locate(("introduction",))
            found.append(Diagnostic(str(path), line, col, "error", "introduction: the introduction is the text after "
                                    "the front matter already; write it there or here, not in both"))
    elif meta.introduction:
        introduction = render(meta.introduction, text_line(doc, ("introduction",)), 2)
    stops: list[Stop] = []
    first: dict[tuple[str, str], int] = {}
    for index, written in enumerate(meta.stops):
        kind, work = written.kind, written.work
        number = first.setdefault((kind, work), index + 1)
        if number != index + 1:
            line, col = doc.locate(("stops", index, kind))
            found.append(Diagnostic(str(path), line, col, "error", f"stops: {KINDS[kind][0]} '{work}' is stop "
                                    f"{number} already; an exhibition shows each work once (remove this stop, or "
                                    "choose another work)"))
            continue
        text = render(written.text, text_line(doc, ("stops", index, "text")), 3)
        stops.append(Stop(number=len(stops) + 1, kind=kind, slug=work, text=text))
    return Exhibition(slug=slug, source=rel, meta=meta, introduction=introduction, stops=stops, front=doc)


def texts_of(exhibition: Exhibition) -> list[RenderedMarkdown]:
    """Every Markdown text of an exhibition: its introduction and the words at each stop."""
    return [t for t in (exhibition.introduction, *(stop.text for stop in exhibition.stops)) if t is not None]


# --- placing it among the works the build publishes ------------------------------------------------


@dataclass(frozen=True)
class Works:
    """The works a stop may show, by kind ("artwork", "story", "media"): every one read, and the ones this build
    publishes (`shown`); `preview` are those a preview (--drafts) would publish, for `check` of a draft."""

    every: dict[str, dict[str, Any]]
    shown: dict[str, dict[str, Any]]
    preview: dict[str, dict[str, Any]]
    artworks: dict[str, Artwork]  # the published artworks, for the picture that stands for a story or a film


def place(assembler: Assembler, exhibitions: list[Exhibition], works: Works, urls: dict[str, str]) -> dict[str, Exhibition]:
    """The exhibitions this build publishes, by slug in the order of their titles, each stop joined to its work and
    each work told which stops show it. A stop naming a work that does not exist, or that is not published, is an
    error at its line. `urls` gains the exhibitions' addresses, for links to them from Markdown."""
    by_slug = assembler.unique(exhibitions, "exhibitions")
    shown = {slug: e for slug, e in by_slug.items() if published(assembler, e, draft=e.meta.draft)}
    for exhibition in by_slug.values():
        if exhibition.slug in shown:
            exhibition.url = f"{FOLDER}/{exhibition.slug}/"
            urls[exhibition.source] = exhibition.url
            _join(assembler, exhibition, works.every, works.shown, works.artworks)
        elif assembler.rules.check_all:  # `check`: a draft is checked as a preview would publish it
            _join(assembler, exhibition, works.every, works.preview, works.artworks)
    ordered = dict(sorted(shown.items(), key=lambda kv: (kv[1].meta.title.casefold(), kv[0])))
    for exhibition in ordered.values():
        for stop in exhibition.stops:
            if stop.work is not None:
                stop.work.exhibitions.append(StopLink(exhibition.meta.title, stop.url, stop.number,
                                                      len(exhibition.stops)))
    return ordered


def check_links(assembler: Assembler, exhibitions: dict[str, Exhibition], urls: dict[str, str]) -> None:
    """A published exhibition's texts may link only to what is published (as a story's may)."""
    for exhibition in exhibitions.values():
        for text in texts_of(exhibition):
            for ref in text.references:
                if ref.path not in urls and was_parsed(assembler, ref.path):
                    assembler.diagnostics.error(assembler.root / exhibition.source, f"links to {ref.path}, which is "
                                                f"not published ({why_held_back(assembler, ref.path)})", ref.line, 1)


def _join(assembler: Assembler, exhibition: Exhibition, every: dict[str, dict], shown: dict[str, dict],
          artworks: dict[str, Artwork]) -> None:
    places: dict[tuple[str, str], int] = {}  # where each work is written first, for the line of its stop
    for index, written in enumerate(exhibition.meta.stops):
        places.setdefault((written.kind, written.work), index)
    for stop in exhibition.stops:
        loc = ("stops", places[stop.kind, stop.slug], stop.kind)
        stop.url = f"{exhibition.url}{stop.number}/"
        work = shown[stop.kind].get(stop.slug)
        if work is None:
            _missing(assembler, exhibition, loc, stop.kind, stop.slug, every[stop.kind])
            continue
        stop.work = work
        if isinstance(work, Artwork):
            stop.picture = work
        elif isinstance(work, Story):
            stop.picture = artworks.get(work.meta.hero or "")
        elif isinstance(work, Media):
            stop.picture = artworks.get(work.meta.poster or "")


def _missing(assembler: Assembler, exhibition: Exhibition, loc: tuple, kind: str, slug: str, every: dict) -> None:
    name, file = KINDS[kind]
    if slug in every:
        why = "its consent is not recorded" if kind != "story" else why_held_back(assembler, every[slug].source)
        assembler.problem(exhibition, loc, f"{name} '{slug}' is not published ({why})")  # type: ignore[arg-type]
        return
    folder = file.split("/", 1)[0]
    unreadable = any(f"{folder}/{slug}{ext}" in assembler.files.all and f"{folder}/{slug}{ext}" not in assembler.parsed
                     for ext in (".md", ".yaml", ".yml"))
    if not unreadable:  # a file that could not be read has its own error
        assembler.problem(exhibition, loc, f"{name} '{slug}' does not exist (no {file.format(slug)})"  # type: ignore[arg-type]
                           f"{did_you_mean(slug, every)}")
