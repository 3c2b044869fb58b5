"""The write stage's files other than pages, staged beside the rendered ones: theme assets, images, PDFs and
static files copied; citations, feeds, the sitemap and robots.txt written; the search index made (search.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import citation
from .content import Site
from .discover import ContentFiles
from .errors import Diagnostics
from .feeds import atom_feed, sitemap
from .images import ImagePipeline
from .reserved import MERGED_STATIC, SEARCH_FOLDER, folders_of, static_clash
from .search import OUTPUT, SearchError, index_site
from .search import load_record as load_search_record
from .search import record_file as search_record_file
from .sources import ContentProblem, read_text
from .theme import Theme
from .writer import Output

if TYPE_CHECKING:
    from .lastbuild import LastBuild


def stage_files(output: Output, site: Site, files: ContentFiles, theme: Theme, images: ImagePipeline,
                 diagnostics: Diagnostics) -> None:
    """Everything that is copied rather than rendered: theme assets, static files, images, PDFs."""
    for name, path in theme.assets.items():
        output.add_copy(f"assets/{name}", path)
    for name, path in sorted(images.used().items()):
        output.add_copy(f"images/{name}", path)
    for report in site.reports:
        if report.pdf_url:
            output.add_copy(report.pdf_url, files.path(report.pdf_url))
    for media in site.media.values():
        for rel in media.published_files:
            output.add_copy(rel, files.path(rel))
    extra = ""
    if f"static/{MERGED_STATIC}" in files.static:
        robots = files.path(f"static/{MERGED_STATIC}")
        try:
            extra = read_text(robots)
        except ContentProblem as problem:  # not UTF-8 text: said where, as for any content file
            diagnostics.error(robots, problem.message, problem.line, problem.col)
        except OSError as exc:
            diagnostics.error(robots, f"cannot be read: {exc.strerror or exc}")
    output.add(MERGED_STATIC, _robots(site, extra))  # with an editor's rules
    if not files.static:
        return
    made = frozenset(output.files)  # a static file may share a folder with pages, never take a file's or folder's place
    folders = folders_of(made) | {SEARCH_FOLDER}  # the search index is made after this
    for rel in files.static:
        target = rel.removeprefix("static/")
        if target == MERGED_STATIC:
            continue
        problem = static_clash(target, made, folders)
        if problem:
            diagnostics.error(files.path(rel), problem)
            continue
        source = files.path(rel)
        try:
            output.add_copy(target, source)
        except OSError as exc:
            if exc.filename != str(source):
                raise  # the staging folder's trouble, not the file's
            output.files.discard(target)
            diagnostics.error(source, f"cannot be read: {exc.strerror or exc}")


def stage_citations(output: Output, site: Site) -> None:
    for report in site.reports:
        output.add(f"{report.url}{report.slug}.bib", citation.bibtex(site, report))
        output.add(f"{report.url}{report.slug}.ris", citation.ris(site, report))


def stage_feeds(output: Output, site: Site, tasks: list) -> None:
    """The feeds and the sitemap: published pages only, never the drafts a preview (`--drafts`) shows."""
    if not site.config.base_url:
        return
    preview = {t.page.url for t in tasks if t.page.unpublished}
    stories = [s for s in site.stories if s.url not in preview]
    output.add("feed.xml", atom_feed(site, stories, f"{site.config.title}: stories", "stories/", "feed.xml"))
    for project in site.projects.values():  # its page links its feed when it has stories (a preview's may be empty)
        published = [s for s in project.stories if s.url not in preview]
        if project.stories:
            output.add(f"{project.url}feed.xml", atom_feed(site, published, f"{project.meta.title}: stories",
                                                            project.url, f"{project.url}feed.xml"))
    dated = {**{s.url: s.meta.date for s in site.stories}, **{r.url: r.meta.date for r in site.reports}}
    output.add("sitemap.xml", sitemap(site, [(t.page.url, dated.get(t.page.url)) for t in tasks
                                             if not t.page.root_relative and t.page.url not in preview]))


def _robots(site: Site, rules: str = "") -> str:
    """robots.txt: everything allowed, unless the editor wrote rules (static/robots.txt): then theirs alone (an
    `Allow: /` of ours would outweigh their `Disallow: /`), under `User-agent: *` when they name no robot first;
    and the sitemap's address."""
    first = next((line.strip() for line in rules.splitlines() if line.strip() and not line.lstrip().startswith("#")),
                 None)
    if first is None:  # nothing but comments, if anything
        lines = ([rules.rstrip("\n")] if rules.strip() else []) + ["User-agent: *", "Allow: /"]
    elif first.lower().startswith("user-agent"):
        lines = [rules.rstrip("\n")]
    else:
        lines = ["User-agent: *", rules.rstrip("\n")]
    if site.config.base_url:
        lines += ["", f"Sitemap: {site.absolute('sitemap.xml')}"]
    return "\n".join(lines) + "\n"
def stage_search(output: Output, language: str, last: LastBuild, same_pages: bool, later: bool, workers: int,
                  diagnostics: Diagnostics) -> tuple[list[str], bool]:
    """The search index files, and whether they are behind the pages. The pages that changed are read again
    and the index written anew, its files that come out as they were left in place (search.py), unless
    `later`: then last build's index is kept for now (search still works, on older text)."""
    if diagnostics.failed():
        return [], False
    previous = last.previous
    kept = bool(previous.search) and all(output.is_kept(f) for f in previous.search)
    if kept and (later or (same_pages and not previous.search_behind)):
        for name in previous.search:
            output.keep(name)
        return previous.search, not same_pages or previous.search_behind
    pages = [name for name in output.files if name.endswith(".html")]
    record_file = search_record_file(last.cache_dir)
    record, warning = load_search_record(record_file, previous.search)
    if warning is not None:
        diagnostics.add(warning)
    if record is None:
        output.forget(OUTPUT)  # the index is written afresh, every page read
    try:
        indexed = index_site(output.staging, language, pages, last.cache_dir, last.key, record, output.is_kept,
                             workers, output.known_stat)
    except SearchError as exc:
        diagnostics.error(output.out, f"the search index could not be built: {exc}")
        return [], False
    output.written_by_tool(indexed.written)
    for name in set(indexed.record.files) - indexed.written:
        output.keep(name)
    record_file.save(indexed.record)  # used only while the build cache lists the same files
    return list(indexed.record.files), False
