"""The build, top to bottom: discover, parse, assemble, plan, render, images, write."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import editor, iiif, link_check, staging
from . import workers as processes
from .assemble import Assembler
from .assembled import Assembled
from .bodies import forget_readers
from .content import Site
from .deps import Fingerprints
from .discover import ContentFiles, discover
from .errors import Diagnostic, Diagnostics, UsageError
from .images import ImageError, ImagePipeline, ImageSettings
from .lastbuild import LastBuild
from .lock import lock_cache, lock_output
from .messages import did_you_mean
from .models import SiteConfig, site_address
from .pages import PageTask
from .parse import load_site_config
from .plan import plan
from .progress import progress_bar
from .publications import load_publications
from .publishing import PublishRules
from .render import PageRenderer, render_all
from .snapshot import cache_warning
from .sources import ContentProblem, load_yaml, read_text
from .theme import Theme, theme_dirs
from .tiles import warn_if_unzoomable
from .warm import WarmState
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
    search: bool = True  # build the Pagefind search index (off: the search page says search is unavailable)
    search_later: bool = False  # pages changed: keep the last index for now (the preview catches up when idle)
    wait: float = 0.0  # seconds to wait for another build writing the same site before giving up
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def cache_dir(self) -> Path:
        return self.cache or self.content.resolve().parent / ".showcase-cache"


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
    notes: list[Diagnostic] = field(default_factory=list)  # `check`: the files not published, and why


def build(options: BuildOptions, warm: WarmState | None = None) -> BuildResult:
    """Build a site; raises UsageError for a wrong command, reports content problems as diagnostics.
    `warm`: what the preview keeps in memory between its builds (warm.py), None for a build from files alone."""
    # The build makes a great many long-lived objects at once; Python's cycle collector would walk them
    # over and over for nothing (a fifth of a no-op rebuild). Worker processes turn it back on.
    collecting = gc.isenabled()
    gc.disable()
    scratch = None if options.write else Path(tempfile.mkdtemp(prefix="showcase-check-"))  # `check` writes nothing
    try:
        if not options.write:
            return _build(options, scratch, None)
        check_output_folder(options.out, options.content)
        with lock_output(options.out, options.wait), lock_cache(options.cache_dir, options.wait):  # one at a time
            check_output_folder(options.out, options.content)  # as it is now, not before another build ended
            result = _build(options, scratch, warm)
            if warm is not None and result.failed:
                warm.failed(result.diagnostics.errors)  # the next build looks at every file
            return result
    finally:
        forget_readers()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        if collecting:
            gc.enable()


def _build(options: BuildOptions, scratch: Path | None, warm: WarmState | None) -> BuildResult:
    started = time.perf_counter()
    result = BuildResult(Diagnostics())
    diagnostics, workers = result.diagnostics, options.workers or processes.cores()

    # discover: the content folder's files, nothing parsed yet (discover.py; the preview takes its file watcher's word
    # where it can: watcher_word.py), site.yaml, and what the last build left (lastbuild.py)
    files = discover(options.content, diagnostics) if warm is None else warm.discover(options, diagnostics)
    config = _site_config(files, options, diagnostics)
    last = LastBuild(options, files, config, diagnostics, scratch)
    if _done_already(options, files, last, warm, result):  # nothing changed, or the preview built it from memory
        return _finish(result, started)
    last.load()

    # parse and assemble: front matter, YAML and Markdown into typed items (parse.py, each kind in parse_kinds.py and
    # parse_media.py, Markdown in markdown.py; in worker processes when many); then what is published (publishing.py),
    # references resolved (references.py), lists sorted, terms and related stories (assemble.py, terms.py,
    # related.py). A change to story bodies alone takes the site the last build assembled instead (assembled.py)
    assembled = _parse_and_assemble(config, files, options, last, workers, result)
    if assembled is None:
        return _finish(result, started)
    site, kept_site, said = assembled

    # the theme (theme.py; the preview's keeps its story cards: warm.py) and each artwork's images planned (images.py)
    theme = _theme(files, config, options, last, warm, diagnostics)
    images = _plan_images(site, files, config, last.cache_dir, diagnostics, not options.write) if theme else None
    if theme is None or images is None or diagnostics.failed(options.strict):
        return _finish(result, started)  # pages would show broken images or links: stop before rendering

    # plan: one task per page (plan.py, what a page is in pages.py); the pages that would come out as last time are kept
    tasks = plan(site, _publish_rules(options)) if kept_site is None else kept_site.tasks
    result.pages, result.artworks = len(tasks), len(site.artworks)
    fingerprints = Fingerprints(site, last.digests, files.root, theme.template_files())
    output = last.output()  # the next version of the site, beside it (writer.py); None for `check`
    kept = last.kept(tasks, fingerprints, output)
    if warm is not None:
        theme = warm.keep_cards(theme, last, fingerprints)  # those that read nothing that changed
    try:
        if kept_site is None:
            last.keep_assembled(site, tasks, said, result.notes)  # for a later change to story bodies alone
        # render: Jinja2 into the next version of the site (render.py, theme.py, the environment in template_env.py)
        rendered = _render(site, theme, tasks, kept, output, fingerprints, options, warm, workers, diagnostics)
        # images: the derivatives the pages show, made in parallel (images.py); IIIF manifests (iiif.py)
        _make_images(images, output, options, workers, result)
        iiif.stage(output, site, files, diagnostics)  # (base_url only; `check`: their warnings)
        if output is None and not diagnostics.failed(options.strict):  # `check`: the links a build would check
            link_check.check_planned_links(site, tasks, rendered, theme, images, files, options.search, diagnostics)
        if diagnostics.failed(options.strict) or output is None:
            return _finish(result, started)

        # write: everything else staged beside the site (staging.py), links checked (link_check.py), then the site
        # swapped in whole (writer.py) and what was built remembered for the next build (lastbuild.py)
        records, search_files = _stage(site, files, theme, images, tasks, kept, rendered, output, last, options,
                                       workers, result)
        if diagnostics.failed(options.strict):
            return _finish(result, started)
        later = warm is not None and last.inputs is not None  # the preview saves the records once the page is shown
        stats = last.remember(output, records, rendered, fingerprints, search_files, result, save=not later)
        output = None
        if warm is not None:
            warm.keep(options, last, site, tasks, theme, fingerprints, records, search_files, result, saved=not later)
        images.prune()
        result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        result.rendered = [name for name, _ in rendered]
        result.failed = False
        return _finish(result, started)
    finally:
        if output is not None:
            output.discard()
            last.discard()


def _done_already(options: BuildOptions, files: ContentFiles, last: LastBuild, warm: WarmState | None,
                  result: BuildResult) -> bool:
    """Nothing changed since the last build; or, in the preview, the change was built from what it keeps in memory
    (story bodies changed, stories added or removed...: warm.py)."""
    if warm is None:
        return last.up_to_date(result)
    if warm.up_to_date(options, last, result) or warm.quick_build(options, files, last, result):
        return True
    warm.save()  # the records of its quick builds, for the build about to start from
    return False


def _parse_and_assemble(config: SiteConfig | None, files: ContentFiles, options: BuildOptions, last: LastBuild,
                        workers: int, result: BuildResult) -> tuple[Site, Assembled | None, list] | None:
    """The site (also in `result`), the assembled site of the last build it was taken from (None: parsed and
    assembled afresh), and what parsing and assembling said (kept with the site for a later build). None: no
    site.yaml to assemble a site from."""
    diagnostics = result.diagnostics
    kept_site = last.as_before()
    if kept_site is not None:
        diagnostics.extend(kept_site.said)
        result.notes.extend(kept_site.notes)
        result.site = kept_site.site
        return kept_site.site, kept_site, []
    said = len(diagnostics.items)
    parsed = last.parse(workers)
    if config is None:
        return None
    result.site = _assemble(config, files, parsed, options, last.related, diagnostics, result.notes)
    return result.site, None, diagnostics.items[said:]


def _theme(files: ContentFiles, config: SiteConfig, options: BuildOptions, last: LastBuild, warm: WarmState | None,
           diagnostics: Diagnostics) -> Theme | None:
    dirs, compiled = theme_dirs(files.root, config.theme), last.cache_dir / "templates" if options.write else None
    theme = Theme(dirs, compiled) if warm is None else warm.theme(dirs, compiled, options, last)  # the preview's: cards
    if not (theme.dirs[-1] / "templates").is_dir():
        diagnostics.error(theme.dirs[-1], "the default theme is missing from this installation")
        return None
    _theme_is_there(config, files, diagnostics)
    return theme


def _render(site: Site, theme: Theme, tasks: list[PageTask], kept: dict, output: Output | None,
            fingerprints: Fingerprints, options: BuildOptions, warm: WarmState | None, workers: int,
            diagnostics: Diagnostics) -> list:
    """The pages not kept, rendered into the next version of the site (`check`: into nothing)."""
    to_render = [t for t in tasks if t.page.output not in kept]
    with progress_bar(options.progress and len(to_render) > 400, "Rendering pages", len(to_render)) as advance:
        # the preview keeps the cards for its next build, except a whole site's (handing them all back from the
        # workers costs more than rendering the few a later change needs)
        keep_cards = warm is not None and len(to_render) < len(tasks)
        rendered, problems = render_all(PageRenderer(site, theme, to_render, output.staging if output else None,
                                                     fingerprints if output else None, keep_cards),
                                        workers, advance)
    diagnostics.extend(problems)
    return rendered


def _make_images(images: ImagePipeline, output: Output | None, options: BuildOptions, workers: int,
                 result: BuildResult) -> None:
    diagnostics = result.diagnostics
    if output is not None and not diagnostics.failed(options.strict):
        stats, failures = images.run(workers=workers, progress=options.progress)
        result.images_processed, result.images_cached = stats.processed, stats.cached
        for path, message in failures:
            diagnostics.error(path, f"this image cannot be used: {message}")


def _stage(site: Site, files: ContentFiles, theme: Theme, images: ImagePipeline, tasks: list[PageTask], kept: dict,
           rendered: list, output: Output, last: LastBuild, options: BuildOptions, workers: int,
           result: BuildResult) -> tuple[dict, list[str]]:
    """Everything but the pages staged beside them, and the links of the whole site checked; every page's record,
    and the files of the search index."""
    diagnostics, config = result.diagnostics, site.config
    records = {**kept, **dict(rendered)}
    for name in kept:
        output.keep(name)  # unchanged since the last build: not rendered, not written
    output.rendered(name for name, _ in rendered)
    staging.stage_feeds(output, site, tasks)
    staging.stage_citations(output, site)
    editor.stage(output, site, files, diagnostics)  # /admin/, only with an editor: block in site.yaml
    # last: static files must not replace the rest
    staging.stage_files(output, site, files, theme, images, diagnostics)
    search_files, result.search_behind = staging.stage_search(
        output, config.language, last, same_pages=last.same_pages(output, records, rendered),
        later=options.search_later, workers=workers, diagnostics=diagnostics) if options.search else ([], False)
    link_check.check_links(output, records, rendered, last.previous.outputs, tasks, theme, files, diagnostics,
                           config)
    return records, search_files


def _site_config(files: ContentFiles, options: BuildOptions, diagnostics: Diagnostics) -> SiteConfig | None:
    if not files.site:
        return None
    config, problems = load_site_config(files.root, files.site)
    diagnostics.extend(problems)
    if config is not None and options.base_url:
        try:
            config = config.model_copy(update={"base_url": site_address(options.base_url)})
        except ValueError as exc:  # as site.yaml's would be
            raise UsageError(f"--base-url: {exc}") from None
    return config


def _theme_is_there(config: SiteConfig, files: ContentFiles, diagnostics: Diagnostics) -> None:
    """`theme: name` in site.yaml names a folder themes/<name>/ beside the content folder (or the default theme)."""
    if config.theme == "default":
        return
    themes = files.root.resolve().parent / "themes"
    if (themes / config.theme).is_dir():
        return
    there = sorted(p.name for p in themes.iterdir() if p.is_dir()) if themes.is_dir() else []
    site_yaml = files.path(files.site or "site.yaml")
    try:
        line, col = load_yaml(read_text(site_yaml)).locate(("theme",))
    except (ContentProblem, OSError):
        line, col = None, None
    diagnostics.error(site_yaml, f"theme: there is no folder themes/{config.theme}/ beside the content folder "
                                 f"({themes}){did_you_mean(config.theme, [*there, 'default'])} Remove the line to "
                                 "use the default theme.", line, col)


def _publish_rules(options: BuildOptions) -> PublishRules:
    """What this build shows (`--drafts`: a preview); `check` checks what it does not show as well."""
    return PublishRules(options.drafts, options.today, check_all=not options.write)


def _assemble(config: SiteConfig, files: ContentFiles, parsed: dict[str, list], options: BuildOptions,
              related: dict, diagnostics: Diagnostics, notes: list[Diagnostic]) -> Site:
    assembler = Assembler(config, files, diagnostics, _publish_rules(options), related)
    site = assembler.assemble(**parsed)
    notes.extend(sorted(assembler.notes, key=lambda d: (d.path, d.line or 0, d.col or 0, d.message)))
    if files.publications:
        site.publications, problems = load_publications(files.root, files.publications, set(site.projects))
        diagnostics.extend(problems)
    if not config.base_url:  # `build` and `check` alike: the same warnings, counted the same
        diagnostics.warning(files.path(files.site or "site.yaml"), "base_url is not set, so feed.xml, sitemap.xml, "
                            "canonical links and sharing images are left out. Add the address the site will be "
                            "published at to site.yaml, e.g. base_url: \"https://example.org/showcase/\" (the built "
                            "folder still works opened from disk), or pass --base-url URL", 1, 1)
    return site


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
            artwork.image = images.plan(files.path(artwork.image_source), artwork.slug, artwork.meta.zoom)
        except ImageError as exc:
            diagnostics.error(files.path(artwork.image_source), f"this image cannot be used: {exc}")
        else:
            warn_if_unzoomable(artwork, files, diagnostics)  # `zoom: true` on an image too small to tile
    diagnostics.extend([cache_warning(path, f"the record of an artwork's image in the build cache could not be read "
                                            f"({why}); the image was measured again")
                        for path, why in images.cache.damaged])
    return images


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.seconds = time.perf_counter() - started
    return result
