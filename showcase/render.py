"""Render planned pages with the theme and stage them for writing, in worker processes when it pays.

Pages whose recorded dependencies are unchanged since the last build are not rendered again."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from . import deps
from .buildcache import PageRecord
from .content import Site
from .deps import Fingerprints, task_digest
from .errors import Diagnostic
from .invisible import strip_invisible
from .links import PageLinks, scan
from .pages import PageTask
from .snapshot import CacheWarning, cache_warning
from .theme import Theme
from .workers import in_chunks
from .writer import write_file


class PageRenderer:
    def __init__(self, site: Site, theme: Theme, tasks: list[PageTask], staging: Path | None,
                 fingerprints: Fingerprints | None = None, keep_cards: bool = False):
        self.site = site
        self.theme = theme
        self.tasks = tasks
        self.staging = staging  # None: check only, nothing is written
        self.fingerprints = fingerprints  # None: nothing is recorded
        self.keep_cards = keep_cards  # the theme lives on after the build (the preview): workers hand back its cards

    def render(self, indices: list[int]) -> tuple[list[tuple[str, PageRecord]], list[Diagnostic], dict]:
        """Render the tasks at these places in the list (indices travel to workers; the tasks are shared); the
        pages' records, the problems found and, when asked, the story cards rendered for the first time."""
        written: list[tuple[str, PageRecord]] = []
        problems: list[Diagnostic] = []
        seen_templates: set[str] = set()
        for task in (self.tasks[i] for i in indices):
            if self.fingerprints is not None:
                deps.start()
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
            finally:
                used = deps.stop() if self.fingerprints is not None else set()
            html = strip_invisible(html)  # an escape in YAML can hold a control character: never published
            if self.staging is not None:
                write_file(self.staging, task.page.output, html.encode("utf-8"))
            links = scan(task.page.output, html) if not task.page.root_relative else PageLinks(task.page.output, frozenset())
            keys = tuple(sorted(used))  # their digests are worked out once, for all pages (see dependency_digests)
            written.append((task.page.output, PageRecord(task_digest(task) if self.fingerprints else "", keys, links)))
        for path, why in self.theme.cache_problems():
            problems.append(cache_warning(path, f"a compiled template in the build cache could not be read ({why}); "
                                                "it is compiled again"))
        cards = self.theme.new_cards()
        return written, problems, cards if self.keep_cards else {}

    def _template_problem(self, task: PageTask, exc: Exception) -> Diagnostic:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        where = frames[-1] if frames else None
        path = where.filename if where else self.theme.template_path(task.template)
        return Diagnostic(path, where.lineno if where else None, None, "error",
                          f"while rendering /{task.page.url}: {type(exc).__name__}: {exc}")


def changed_keys(digests: dict[str, str], fingerprints: Fingerprints) -> set[str]:
    """The dependency keys whose digest is not last build's (`digests`): each key is looked at once, not once for
    every page using it."""
    of = fingerprints.of
    return {key for key, digest in digests.items() if of(key) != digest}


def unchanged(tasks: list[PageTask], previous: dict[str, PageRecord], changed: set[str],
              out: Path) -> dict[str, PageRecord]:
    """The pages that would come out byte-for-byte as last time, with their records: none of what they read
    changed (`changed`, see changed_keys) and their plan is the same."""
    kept: dict[str, PageRecord] = {}
    folder = str(out)
    for task in tasks:
        record = previous.get(task.page.output)
        if (record is not None and changed.isdisjoint(record.deps) and record.task == task_digest(task)
                and os.path.isfile(os.path.join(folder, task.page.output))):
            kept[task.page.output] = record
    return kept


def dependency_digests(records: Iterable[PageRecord], fingerprints: Fingerprints) -> dict[str, str]:
    """The digest now of every dependency key the pages' records name, for the next build to compare."""
    of = fingerprints.of
    keys: set[str] = set()
    for record in records:
        keys.update(record.deps)
    return {key: of(key) for key in sorted(keys)}


def render_all(renderer: PageRenderer, workers: int, progress) -> tuple[list[tuple[str, PageRecord]], list[Diagnostic]]:
    """Render every task; returns each written page's record (in task order) and the problems found.
    Workers are forked after the site is assembled, so they share it instead of receiving copies."""
    written: list[tuple[str, PageRecord]] = []
    problems: list[Diagnostic] = []
    for chunk, (done, found, cards) in in_chunks(renderer.render, list(range(len(renderer.tasks))), workers):
        written += [(output, compact(record)) for output, record in done]
        renderer.theme.add_cards(cards)  # from a worker: for the preview's next build (in this process: its own)
        # a damaged compiled template is found by every worker that loads it: said once
        problems += [p for p in found if not (isinstance(p, CacheWarning) and p in problems)]
        progress(len(chunk))
    _LINKS.clear()  # the records hold what they need
    return written, problems


def compact(record: PageRecord) -> PageRecord:
    """The same record holding one copy of each string and link that many pages share (records of all pages
    are kept until the next build: at 10,000 stories this saves tens of megabytes)."""
    record.deps = tuple(map(sys.intern, record.deps))
    links = record.links
    links.targets = [_LINKS.setdefault(pair, pair) for pair in links.targets]
    return record


_LINKS: dict[tuple[str, str], tuple[str, str]] = {}
