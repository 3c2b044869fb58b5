"""The build, top to bottom: discover, parse, assemble, plan, render, images, write."""

from __future__ import annotations

import datetime as dt
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .assemble import Assembler, PublishRules
from .content import Site
from .discover import ContentFiles, discover
from .errors import Diagnostics
from . import citation
from .feeds import atom_feed, sitemap
from .search import SearchError, build_search_index
from .links import broken_links
from .images import ImageError, ImagePipeline, ImageSettings
from .parse import Parser, load_site_config
from .publications import load_publications
from .plan import plan
from .render import PageRenderer, render_all
from .theme import Theme, theme_dirs
from .writer import Output, check_output_folder


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
    site: Site | None = None


def build(options: BuildOptions) -> BuildResult:
    """Build a site; raises UsageError for a wrong command, reports content problems as diagnostics."""
    started = time.perf_counter()
    diagnostics = Diagnostics()
    result = BuildResult(diagnostics)
    if options.write:
        check_output_folder(options.out, options.content)
    workers = options.workers or os.cpu_count() or 1

    files = discover(options.content, diagnostics)
    config = None
    if files.site:
        config, problems = load_site_config(files.root, files.site)
        diagnostics.extend(problems)
    if config is not None and options.base_url:
        config = config.model_copy(update={"base_url": options.base_url})
    parsed = parse_all(files, diagnostics, workers)
    if config is None:
        return _finish(result, started)

    site = Assembler(config, files, diagnostics, PublishRules(options.drafts, options.today)).assemble(**parsed)
    if files.publications:
        site.publications, problems = load_publications(files.root, files.publications, set(site.projects))
        diagnostics.extend(problems)
    result.site = site
    if not config.base_url and options.write:
        diagnostics.warning(files.path(files.site or "site.yaml"), "base_url is not set, so feed.xml, sitemap.xml, "
                            "canonical links and sharing images are left out; set base_url or pass --base-url", 1, 1)
    theme = Theme(theme_dirs(files.root, config.theme))
    if not theme.env.loader or not (theme.dirs[-1] / "templates").is_dir():
        diagnostics.error(theme.dirs[-1], "the default theme is missing from this installation")
        return _finish(result, started)

    cache = options.cache or files.root.resolve().parent / ".showcase-cache"
    images = ImagePipeline(ImageSettings(widths=tuple(config.images.widths), formats=tuple(config.images.formats),
                                         quality=config.images.quality), cache / "images")
    for artwork in site.artworks.values():
        try:
            artwork.image = images.plan(files.path(artwork.image_source), artwork.slug)
        except ImageError as exc:
            diagnostics.error(files.path(artwork.image_source), f"this image cannot be used: {exc}")
    if diagnostics.failed(options.strict):
        return _finish(result, started)  # pages would show broken images or links: stop before rendering

    tasks = plan(site)
    output = Output(options.out) if options.write else None
    try:
        with _progress(options.progress and len(tasks) > 400, "Rendering pages", len(tasks)) as advance:
            written, problems = render_all(PageRenderer(site, theme, tasks, output.staging if output else None),
                                           workers, advance)
        diagnostics.extend(problems)
        result.pages = len(written)
        result.artworks = len(site.artworks)
        if options.write and not diagnostics.failed(options.strict):
            stats, failures = images.run(workers=workers, progress=options.progress)
            result.images_processed, result.images_cached = stats.processed, stats.cached
            for path, message in failures:
                diagnostics.error(path, f"this image cannot be used: {message}")
        if diagnostics.failed(options.strict) or output is None:
            return _finish(result, started)
        output.files.update(page.output for page in written)
        _stage_files(output, site, files, theme, images, diagnostics)
        _stage_feeds(output, site, tasks)
        _stage_citations(output, site)
        if not diagnostics.failed(options.strict):
            try:
                output.files.update(build_search_index(output.staging, config.language))
            except SearchError as exc:
                diagnostics.error(files.root, f"the search index could not be built: {exc}")
        for page, problem in broken_links(written, output.files):
            diagnostics.error(_source_of(page, tasks, theme, files), f"/{page}: {problem}")
        if diagnostics.failed(options.strict):
            return _finish(result, started)
        stats = output.commit()
        output = None
        images.prune()
        result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        result.failed = False
        return _finish(result, started)
    finally:
        if output is not None:
            output.discard()


def _source_of(output: str, tasks, theme: Theme, files: ContentFiles) -> str:
    """Where to fix a broken link: the content file the page shows, else its template."""
    task = next((t for t in tasks if t.page.output == output), None)
    if task is None:
        return output
    for name in ("story", "report", "page_content", "artwork", "project"):
        if name in task.context:
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
    output.add("robots.txt", _robots(site))
    for rel in files.static:
        target = rel.removeprefix("static/")
        if target in output.files:
            diagnostics.error(files.path(rel), f"static file would replace the showcase's own /{target}; rename it")
            continue
        output.add_copy(target, files.path(rel))


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


# --- parsing, in worker processes for large sites ------------------------------------------------

_PARSER: Parser | None = None


def _parse_chunk(jobs: list[tuple[str, str]]):
    assert _PARSER is not None
    return [_PARSER.parse(kind, rel) for kind, rel in jobs]


def parse_all(files: ContentFiles, diagnostics: Diagnostics, workers: int) -> dict[str, list]:
    global _PARSER
    kinds = {"stories": ("story", files.stories), "artworks": ("artwork", files.artwork_sidecars),
             "projects": ("project", files.projects), "reports": ("report", files.reports),
             "pages": ("page", files.pages), "people": ("person", files.people),
             "media": ("media", [f for f in files.media if f.endswith((".yaml", ".yml"))])}
    jobs = [(kind, rel) for kind, rels in kinds.values() for rel in rels]
    parser = Parser(files)
    if workers > 1 and len(jobs) >= 400:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        size = max(50, len(jobs) // (workers * 8))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        _PARSER = parser
        try:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                results = [r for chunk in pool.map(_parse_chunk, chunks) for r in chunk]
        finally:
            _PARSER = None
    else:
        results = [parser.parse(kind, rel) for kind, rel in jobs]
    parsed: dict[str, list] = {name: [] for name in kinds}
    names = {kind: name for name, (kind, _) in kinds.items()}
    for (kind, _), (item, problems) in zip(jobs, results):
        diagnostics.extend(problems)
        if item is not None:
            parsed[names[kind]].append(item)
    return parsed


@contextmanager
def _progress(show: bool, label: str, total: int) -> Iterator[Callable[[int], None]]:
    if not show:
        yield lambda n: None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
