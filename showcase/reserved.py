"""The addresses the showcase keeps for itself (no page or static file may take them), and the static files that
would clash with the files it makes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .content import Site
from .search import OUTPUT as SEARCH_FOLDER
from .sources import ContentProblem, read_text

if TYPE_CHECKING:
    from .assemble import Assembler

# The top of the site belongs to the showcase: these folders and files are its own (a page or static file may
# not take their names). Some exist only when there is content for them (people/, feed.xml...).
RESERVED_FOLDERS = {"stories", "artworks", "projects", "practices", "tags", "reports", "final-report",
                    "impact-statement", "people", "publications", "media", "timeline", "search", "assets",
                    "images", "exhibitions", SEARCH_FOLDER}
RESERVED_FILES = {"feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.html"}
RESERVED = RESERVED_FOLDERS | RESERVED_FILES
MERGED_STATIC = "robots.txt"  # the one static file that is added to the showcase's own, not refused
OWNED_FOLDERS = {SEARCH_FOLDER: "the search index"}  # made whole by a tool: no static file may be in them


def folders_of(files: set[str] | frozenset[str]) -> set[str]:
    """Every folder the given site files are in ("stories/a/index.html" -> "stories", "stories/a")."""
    folders: set[str] = set()
    for name in files:
        while "/" in name:
            name = name.rsplit("/", 1)[0]
            if name in folders:
                break
            folders.add(name)
    return folders


def static_clash(target: str, made: set[str] | frozenset[str], folders: set[str]) -> str | None:
    """Why a static file cannot be published at `target` beside the files the showcase makes (`made`, in
    `folders`), or None. The same words whether found by `check` or, exactly, while the site is staged."""
    top = target.split("/", 1)[0]
    if top in OWNED_FOLDERS:
        return f"/{top}/ is where the showcase puts {OWNED_FOLDERS[top]}; a static file cannot be there, rename it"
    if target in made:
        return f"static file would replace the showcase's own /{target}; rename it"
    if target in folders:
        return (f"the showcase makes a folder /{target}/, so a static file cannot be called "
                f"'{target.rsplit('/', 1)[-1]}'; rename it")
    parts = target.split("/")
    for end in range(1, len(parts)):
        prefix = "/".join(parts[:end])
        if prefix in made:
            return f"the showcase makes a file /{prefix}, so static/{prefix}/ cannot be a folder; rename the folder"
    return None


def check_static(assembler: Assembler, site: Site) -> None:
    """Static files that cannot be published: one that takes the place of a page or folder the showcase
    makes, and a robots.txt that is not UTF-8 text. (The build checks again against every file it made.)"""
    if not assembler.files.static:
        return
    made = {"index.html", "404.html", "robots.txt", *({"feed.xml", "sitemap.xml"} if assembler.config.base_url else ())}
    items = [*site.stories, *site.artworks.values(), *site.projects.values(), *site.reports, *site.pages,
             *site.media.values()]
    made |= {f"{folder}/index.html" for folder in RESERVED_FOLDERS - {SEARCH_FOLDER, "assets", "images"}}
    items += [*site.practices.values(), *site.tags.values()]
    made |= {f"{item.url}index.html" for item in items if item.url.endswith("/")}
    made |= {f"{report.url}{report.slug}.{ext}" for report in site.reports for ext in ("bib", "ris")}
    made |= {rel for report in site.reports for rel in [report.pdf_url] if rel}
    made |= {rel for media in site.media.values() for rel in media.published_files}
    made |= {f"{url}index.html" for e in site.exhibitions.values() for url in (e.url, *(s.url for s in e.stops))}
    folders = folders_of(made) | RESERVED_FOLDERS
    for rel in assembler.files.static:
        target = rel.removeprefix("static/")
        if target == MERGED_STATIC:
            try:
                read_text(assembler.root / rel)
            except ContentProblem as problem:
                assembler.diagnostics.error(assembler.root / rel, problem.message, problem.line, problem.col)
            except OSError as exc:
                assembler.diagnostics.error(assembler.root / rel, f"cannot be read: {exc.strerror or exc}")
            continue
        problem = static_clash(target, made, folders)
        if problem:
            assembler.diagnostics.error(assembler.root / rel, problem)
