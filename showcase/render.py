"""Render planned pages with the theme and stage them for writing, in worker processes when it pays."""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from .content import Site
from .errors import Diagnostic
from .links import PageLinks, scan
from .plan import PageTask
from .theme import Theme
from .writer import write_file


class PageRenderer:
    def __init__(self, site: Site, theme: Theme, tasks: list[PageTask], staging: Path | None):
        self.site = site
        self.theme = theme
        self.tasks = tasks
        self.staging = staging  # None: check only, nothing is written

    def render_range(self, start: int, stop: int) -> tuple[list[PageLinks], list[Diagnostic]]:
        written: list[PageLinks] = []
        problems: list[Diagnostic] = []
        seen_templates: set[str] = set()
        for task in self.tasks[start:stop]:
            try:
                html = self.theme.env.get_template(task.template).render(site=self.site, page=task.page, **task.context)
            except TemplateSyntaxError as exc:
                if task.template not in seen_templates:
                    problems.append(Diagnostic(exc.filename or self.theme.template_path(exc.name or task.template),
                                               exc.lineno, None, "error", f"template cannot be read: {exc.message}"))
                seen_templates.add(task.template)
                continue
            except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
                problems.append(self._template_problem(task, exc))
                continue
            if self.staging is not None:
                write_file(self.staging, task.page.output, html.encode("utf-8"))
            written.append(scan(task.page.output, html) if not task.page.root_relative else PageLinks(task.page.output, frozenset()))
        return written, problems

    def _template_problem(self, task: PageTask, exc: Exception) -> Diagnostic:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        where = frames[-1] if frames else None
        path = where.filename if where else self.theme.template_path(task.template)
        return Diagnostic(path, where.lineno if where else None, None, "error",
                          f"while rendering /{task.page.url}: {type(exc).__name__}: {exc}")


# Worker processes are forked after the site is assembled, so they share it instead of receiving copies.
_RENDERER: PageRenderer | None = None


def _render_chunk(bounds: tuple[int, int]) -> tuple[list[PageLinks], list[Diagnostic]]:
    assert _RENDERER is not None
    return _RENDERER.render_range(*bounds)


def render_all(renderer: PageRenderer, workers: int, progress) -> tuple[list[PageLinks], list[Diagnostic]]:
    """Render every task; returns each written page's links (in task order) and the problems found."""
    global _RENDERER
    total = len(renderer.tasks)
    if workers <= 1 or total < 400:
        written, problems = renderer.render_range(0, total)
        progress(total)
        return written, problems
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    size = max(50, total // (workers * 8))
    chunks = [(i, min(i + size, total)) for i in range(0, total, size)]
    _RENDERER = renderer
    written: list[PageLinks] = []
    problems: list[Diagnostic] = []
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            for (start, stop), (done, found) in zip(chunks, pool.map(_render_chunk, chunks)):
                written += done
                problems += found
                progress(stop - start)
    finally:
        _RENDERER = None
    return written, problems
