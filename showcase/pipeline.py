"""The build, top to bottom: discover, parse, assemble, plan, render, images, write."""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, citation, deps
from .assemble import Assembler, PublishRules
from .bodies import BodyStore, forget_readers
from .content import Site
from .deps import BuildCache, FileDigests, Fingerprints
from .discover import ContentFiles, discover
from .errors import Diagnostics
from .feeds import atom_feed, sitemap
from .images import ImageError, ImagePipeline, ImageSettings
from .links import broken_links
from .models import SiteConfig
from .parse import load_site_config, parse_all
from .plan import plan
from .progress import progress_bar
from .publications import load_publications
from .render import PageRenderer, dependency_digests, render_all, unchanged
from .search import OUTPUT, SearchError, build_search_index
from .snapshot import Inputs, Snapshot
from .theme import Theme, theme_dirs
from .writer import Output, check_output_folder, lock_output


@dataclass
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("_site")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    write: bool = True  # False for `check`: everything is validated, nothing is written
    cache: Path | None = None  # default: .showcase-cache beside the content folder
    workers: int | None = None
    progress: bool = False
    search: bool = True  # build the Pagefind search index (off: the search page says search is unavailable)
    search_later: bool = False  # pages changed: keep the last index for now (the preview catches up when idle)
    wait: float = 0.0  # seconds to wait for another build writing the same site before giving up
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    failed: bool = True
    pages: int = 0
    artworks: int = 0
    images_processed: int = 0
    images_cached: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # pages rendered this time; the rest were kept as they were
    up_to_date: bool = False  # nothing had changed since the last build, so nothing was even looked at again
    search_behind: bool = False  # the search index is last time's: a build without search_later brings it up to date
    site: Site | None = None


def build(options: BuildOptions) -> BuildResult:
    """Build a site; raises UsageError for a wrong command, reports content problems as diagnostics."""
    # The build makes a great many long-lived objects at once; Python's cycle collector would walk them
    # over and over for nothing (a fifth of a no-op rebuild). Worker processes turn it back on.
    collecting = gc.isenabled()
    gc.disable()
    scratch = None if options.write else Path(tempfile.mkdtemp(prefix="showcase-check-"))  # `check` writes nothing
    try:
        if not options.write:
            return _build(options, scratch)
        check_output_folder(options.out, options.content)
        with lock_output(options.out, options.wait):  # one build at a time writes a site
            check_output_folder(options.out, options.content)  # as it is now, not before another build ended
            return _build(options, scratch)
    finally:
        forget_readers()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if collecting:
            gc.enable()


def _build(options: BuildOptions, scratch: Path | None) -> BuildResult:
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics)
    workers = options.workers or os.cpu_count() or 1

    files = discover(options.content, diagnostics)
    cache_dir = options.cache or files.root.resolve().parent / ".showcase-cache"
    config = None
    if files.site:
        config, problems = load_site_config(files.root, files.site)
        diagnostics.extend(problems)
    if config is not None and options.base_url:
        config = config.model_copy(update={"base_url": options.base_url})
    said_before = len(diagnostics.items)  # what discovering files and reading site.yaml said, every time
    inputs = None
    if options.write and config is not None and not diagnostics.failed():
        inputs = Inputs.of(files.root, files.all, theme_dirs(files.root, config.theme))
        if _up_to_date(options, files, config, cache_dir, inputs, result):
            return _finish(result, started)
    previous, unreadable = BuildCache.read(cache_dir / "build.pickle") if options.write else (BuildCache(), [])
    diagnostics.extend(unreadable)  # a damaged cache is said once (it is removed) and everything is made again
    digests = FileDigests(previous.files, previous.saved_ns - 2_000_000_000)
    key = _build_key(options, files, config, digests, cache_dir)
    if key != previous.key:
        previous = BuildCache(files=previous.files)  # another configuration or version: nothing is reused
    # one folder of bodies per output folder: a build into another folder never prunes what this one reads
    store = BodyStore(scratch or cache_dir / "bodies" / deps.digest(str(options.out.resolve())))
    parsed, parse_cache = parse_all(files, diagnostics, workers, digests, previous.parsed, store, options.progress)
    store.close()
    if config is None:
        return _finish(result, started)

    related = dict(previous.related)
    site = Assembler(config, files, diagnostics, PublishRules(options.drafts, options.today),
                     related).assemble(**parsed)
    if files.publications:
        site.publications, problems = load_publications(files.root, files.publications, set(site.projects))
        diagnostics.extend(problems)
    result.site = site
    if not config.base_url and options.write:
        diagnostics.warning(files.path(files.site or "site.yaml"), "base_url is not set, so feed.xml, sitemap.xml, "
                            "canonical links and sharing images are left out; set base_url or pass --base-url", 1, 1)
    theme = Theme(theme_dirs(files.root, config.theme), cache_dir / "templates" if options.write else None)
    if not (theme.dirs[-1] / "templates").is_dir():
        diagnostics.error(theme.dirs[-1], "the default theme is missing from this installation")
        return _finish(result, started)

    images = _plan_images(site, files, config, cache_dir, diagnostics, read_only=not options.write)
    if images is None or diagnostics.failed(options.strict):
        return _finish(result, started)  # pages would show broken images or links: stop before rendering

    tasks = plan(site)
    result.pages, result.artworks = len(tasks), len(site.artworks)
    fingerprints = Fingerprints(site, digests, files.root, theme.template_files())
    output = Output(options.out, cache_dir / "sites" / f"{deps.digest(str(options.out.resolve()))}.pickle"
                    ) if options.write else None
    kept = unchanged(tasks, {name: record for name, record in previous.pages.items() if output.is_kept(name)},
                     previous.digests, fingerprints, options.out) if output else {}
    to_render = [t for t in tasks if t.page.output not in kept]
    try:
        with progress_bar(options.progress and len(to_render) > 400, "Rendering pages", len(to_render)) as advance:
            rendered, problems = render_all(PageRenderer(site, theme, to_render, output.staging if output else None,
                                                         fingerprints if output else None), workers, advance)
        diagnostics.extend(problems)
        if options.write and not diagnostics.failed(options.strict):
            stats, failures = images.run(workers=workers, progress=options.progress)
            result.images_processed, result.images_cached = stats.processed, stats.cached
            for path, message in failures:
                diagnostics.error(path, f"this image cannot be used: {message}")
        if diagnostics.failed(options.strict) or output is None:
            return _finish(result, started)
        records = {**kept, **dict(rendered)}
        for name in kept:
            output.keep(name)  # unchanged since the last build: not rendered, not written
        output.rendered(name for name, _ in rendered)
        _stage_feeds(output, site, tasks)
        _stage_citations(output, site)
        _stage_files(output, site, files, theme, images, diagnostics)  # last: static files must not replace the rest
        search_files, result.search_behind = _stage_search(
            output, config.language, previous, same_pages=not rendered and set(records) == set(previous.pages),
            later=options.search_later, diagnostics=diagnostics) if options.search else ([], False)
        if rendered or output.files != previous.outputs:  # otherwise every link was checked last time
            same_files = output.files == previous.outputs
            for page, problem in broken_links([r.links for r in records.values()], output.files,
                                              {name for name, _ in rendered} if same_files else None):
                diagnostics.error(_source_of(page, tasks, theme, files), f"/{page}: {problem}")
        if diagnostics.failed(options.strict):
            return _finish(result, started)
        written_files = frozenset(output.files)
        unchanged_build = (not rendered and key == previous.key and digests.now == previous.files
                           and result.search_behind == previous.search_behind
                           and parse_cache.keys() == previous.parsed.keys() and written_files == previous.outputs)
        if not unchanged_build:  # a commit cut short must not leave records that describe the older site
            (cache_dir / "build.pickle").unlink(missing_ok=True)
        (cache_dir / "inputs.pickle").unlink(missing_ok=True)
        stats = output.commit()
        output = None
        images.prune()
        if not unchanged_build:  # nothing new to remember otherwise
            BuildCache(key, digests.now, parse_cache, records, dependency_digests(records.values(), fingerprints),
                       search_files, written_files, related=related,
                       search_behind=result.search_behind).save(cache_dir / "build.pickle")
            store.prune({entry[3] for entry in parse_cache.values() if entry[3]})
        if inputs is not None and not result.search_behind:  # a build with the same inputs still has work to do
            inputs.snapshot(key, digests.now, options.out, written_files, diagnostics.items[said_before:],
                            result.pages, result.artworks).save(cache_dir / "inputs.pickle")
        result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        result.rendered = [name for name, _ in rendered]
        result.failed = False
        return _finish(result, started)
    finally:
        if output is not None:
            output.discard()


def _up_to_date(options: BuildOptions, files: ContentFiles, config: SiteConfig, cache_dir: Path, inputs: Inputs,
                result: BuildResult) -> bool:
    """Nothing changed since the last good build, and its site is as it left it: say again what it said."""
    last, unreadable = Snapshot.read(cache_dir / "inputs.pickle")
    result.diagnostics.extend([unreadable] if unreadable else [])
    if last is None or not last.matches(_build_key(options, files, config, FileDigests(), cache_dir), inputs,
                                        options.out):
        return False
    result.diagnostics.extend(last.diagnostics)
    result.pages, result.artworks, result.unchanged = last.pages, last.artworks, len(last.outputs)
    result.up_to_date = True
    result.failed = result.diagnostics.failed(options.strict)
    return True


def _build_key(options: BuildOptions, files: ContentFiles, config: SiteConfig | None, digests: FileDigests,
               cache_dir: Path) -> str:
    """Everything that can change every page at once: the configuration, the options, the generator itself."""
    site_yaml = digests.of(files.root / files.site) if files.site else None
    return deps.digest(__version__, deps.code_digest(), str(files.root), os.getcwd(), str(options.out.resolve()),
                       str(Path(cache_dir).resolve()), site_yaml,
                       config.model_dump_json() if config else None, options.drafts, options.today.isoformat(),
                       options.search,
                       [str(d) for d in theme_dirs(files.root, config.theme)] if config else None)


def _plan_images(site: Site, files: ContentFiles, config: SiteConfig, cache_dir: Path,
                 diagnostics: Diagnostics, read_only: bool) -> ImagePipeline | None:
    try:
        settings = ImageSettings(widths=tuple(config.images.widths), formats=tuple(config.images.formats),
                                 quality=config.images.quality)
    except ValueError as exc:
        diagnostics.error(files.path(files.site or "site.yaml"), str(exc))
        return None
    images = ImagePipeline(settings, cache_dir / "images", read_only=read_only)  # `check` writes nothing
    for artwork in site.artworks.values():
        try:
            artwork.image = images.plan(files.path(artwork.image_source), artwork.slug)
        except ImageError as exc:
            diagnostics.error(files.path(artwork.image_source), f"this image cannot be used: {exc}")
    return images


def _stage_search(output: Output, language: str, previous: BuildCache, same_pages: bool, later: bool,
                  diagnostics: Diagnostics) -> tuple[list[str], bool]:
    """The search index files, and whether they are behind the pages. The index is made again when any page
    changed, unless `later`: then last build's index is kept for now (search still works, on older text)."""
    if diagnostics.failed():
        return [], False
    kept = bool(previous.search) and all(output.is_kept(f) for f in previous.search)
    if kept and (later or (same_pages and not previous.search_behind)):
        for name in previous.search:
            output.keep(name)
        return previous.search, not same_pages or previous.search_behind
    output.forget(OUTPUT)  # the index is made again from every page, changed or not
    output.remove_stale()  # pages of removed content are not indexed
    try:
        found = build_search_index(output.staging, language)
    except SearchError as exc:
        diagnostics.error(output.out, f"the search index could not be built: {exc}")
        return [], False
    output.files.update(found)
    return sorted(found), False


def _source_of(output: str, tasks, theme: Theme, files: ContentFiles) -> str:
    """Where to fix a broken link: the content file the page shows, else its template."""
    task = next((t for t in tasks if t.page.output == output), None)
    if task is None:
        return output
    for name in ("story", "report", "page_content", "artwork", "project", "media"):
        if task.context.get(name) is not None:
            return str(files.path(task.context[name].source))
    return theme.template_path(task.template)


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result


def _stage_files(output: Output, site: Site, files: ContentFiles, theme: Theme, images: ImagePipeline,
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
        for rel in (media.file_url, media.captions_url):
            if rel:
                output.add_copy(rel, files.path(rel))
    from .assemble import MERGED_STATIC, SEARCH_FOLDER, folders_of, static_clash
    from .sources import ContentProblem, read_text

    extra = ""
    if f"static/{MERGED_STATIC}" in files.static:
        robots = files.path(f"static/{MERGED_STATIC}")
        try:
            extra = read_text(robots)
        except ContentProblem as problem:  # not UTF-8 text: said where, as for any content file
            diagnostics.error(robots, problem.message, problem.line, problem.col)
        except OSError as exc:
            diagnostics.error(robots, f"cannot be read: {exc.strerror or exc}")
    output.add(MERGED_STATIC, _robots(site) + ("\n" + extra if extra else ""))  # an editor's rules are added
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


def _stage_citations(output: Output, site: Site) -> None:
    for report in site.reports:
        output.add(f"{report.url}{report.slug}.bib", citation.bibtex(site, report))
        output.add(f"{report.url}{report.slug}.ris", citation.ris(site, report))


def _stage_feeds(output: Output, site: Site, tasks: list) -> None:
    if not site.config.base_url:
        return
    output.add("feed.xml", atom_feed(site, site.stories, f"{site.config.title}: stories", "stories/", "feed.xml"))
    for project in site.projects.values():
        if project.stories:
            output.add(f"{project.url}feed.xml", atom_feed(site, project.stories, f"{project.meta.title}: stories",
                                                            project.url, f"{project.url}feed.xml"))
    dated = {**{s.url: s.meta.date for s in site.stories}, **{r.url: r.meta.date for r in site.reports}}
    output.add("sitemap.xml", sitemap(site, [(t.page.url, dated.get(t.page.url)) for t in tasks
                                             if not t.page.root_relative]))


def _robots(site: Site) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site.config.base_url:
        lines.append(f"Sitemap: {site.config.base_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
