"""Every link of the site leads to a file of it: checked on the staged site before it is swapped in (`build`), or
on the names of the files a build would write (`check`); broken ones said where they can be mended (link_report.py)."""

from __future__ import annotations

from . import editor, iiif, link_report, staging
from .content import Site
from .discover import ContentFiles
from .errors import Diagnostics
from .images import ImagePipeline
from .links import broken_links
from .models import SiteConfig
from .reserved import SEARCH_FOLDER
from .theme import Theme
from .writer import Output


def check_links(output: Output, records: dict, rendered: list, last_files: frozenset[str], tasks: list,
                 theme: Theme, files: ContentFiles, diagnostics: Diagnostics, config: SiteConfig | None = None) -> None:
    """Every link of every page leads to a file of the new site. The pages kept from the last build had every
    link checked then, so only the pages rendered again are checked whole; of the others, only their links to
    a file that went or to an #anchor of a page rendered again. Nothing when nothing was rendered and no file
    came or went."""
    if not rendered and output.files == last_files:
        return
    only = {name for name, _ in rendered}
    problems = broken_links([r.links for r in records.values()], output.files, only, gone=last_files - output.files)
    link_report.report(problems, lambda page: source_of(page, tasks, theme, files), config, files,
                       [t.page.url for t in tasks], diagnostics)


def check_planned_links(site: Site, tasks: list, rendered: list, theme: Theme, images: ImagePipeline,
                         files: ContentFiles, search: bool, diagnostics: Diagnostics) -> None:
    """`check`: every link of every page leads to a file a build would write (named, not written)."""
    planned = link_report.PlannedFiles({name for name, _ in rendered})
    staging.stage_feeds(planned, site, tasks)  # type: ignore[arg-type]
    staging.stage_citations(planned, site)  # type: ignore[arg-type]
    iiif.stage(planned, site, files, Diagnostics())  # type: ignore[arg-type]  (its warnings were said)
    editor.stage(planned, site, files, Diagnostics())  # type: ignore[arg-type]
    staging.stage_files(planned, site, files, theme, images, Diagnostics())  # type: ignore[arg-type]
    pages = [record.links for _, record in rendered]
    if search:  # the index's files are Pagefind's own, made after the pages
        planned.files |= {target for links in pages for target, _ in links.targets
                          if target.startswith(f"{SEARCH_FOLDER}/")}
    problems = broken_links(pages, planned.files)
    link_report.report(problems, lambda page: source_of(page, tasks, theme, files), site.config, files,
                       [t.page.url for t in tasks], diagnostics)


def source_of(output: str, tasks, theme: Theme, files: ContentFiles) -> str:
    """Where to fix a broken link: the content file the page shows, else its template."""
    task = next((t for t in tasks if t.page.output == output), None)
    if task is None:
        return output
    for name in ("story", "report", "page_content", "artwork", "project", "media", "exhibition"):
        if task.context.get(name) is not None:
            return str(files.path(task.context[name].source))
    return theme.template_path(task.template)
