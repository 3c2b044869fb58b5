"""What a long-lived preview (`serve`) keeps in memory between builds, so that an edited story renders its page
without the site being read, assembled and planned again.

A build that starts from files has to do work in proportion to the site, however small the change: read the
build cache, assemble every item, plan every page, compare a digest for every page. At 10,000 stories that is
seconds. The preview runs builds one after another in one process, so it keeps the last good build's site,
page plan, page records and snapshot of the files in memory (`WarmState`), and a save that changes only the
body of stories is built in proportion to the change:

    1. the snapshot says which files changed (sizes and times, digests where in doubt); only story files,
       none added or removed, nothing in the theme or site.yaml
    2. each is parsed again; its metadata, where its body starts, what its body refers to and what parsing it
       said must be as before, so nothing the site was assembled or planned from has changed
    3. the pages that read those bodies (an index from dependency key to pages) are rendered, every other file
       of the site is kept as it is, the new links are checked, and the site is swapped in whole as always

Stories added, removed or whose details were edited (a title, a date, tags...) and static files added or saved are
put into the site in memory (in_place.py chooses: added.py, removed.py, restated.py, static_in_place.py) and the
pages that show them rendered the same way. Anything else (a template saved, a page of the site edited by hand, a
mix of kinds) is left to the ordinary build, which then leaves its state here for the next save. Both render with
the last good build's theme (`theme`, `keep_cards`), whose story cards are used again where nothing they read
changed: the first page of a list shows again the cards it showed, and when a list's pages are numbered again
all of its cards are the same. The build cache on disk is brought up to date afterwards, in a quiet moment
(`settle`, quiet_moment.py), so a later `build` from the command line starts from the same records.

What every build still does in proportion to the site is look at it: an lstat of each of its files and a stat
of each of its folders (writer.py), so that a page edited, deleted or added by hand is put right or kept. The
content folder need not be looked at in full: the preview's file watcher says which files changed
(`watching`). While it vouches for having seen every change since the snapshot in memory was taken, a build
takes the files it found last time when every file reported is one of them and still a file (no file came or
went), and asks only for the reported files' sizes and times. A watcher can miss a change all the same (the
kernel's queue of events overflowing, a network drive), so after each good build that took its word `settle`
looks at every content file as a build from files would; a change it had not reported sets `missed`, the
preview builds again, and the watcher's word is not taken until a build has looked at every file again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import link_check, look_ahead, staging, workers
from .added import Added
from .buildcache import PageRecord, cache_file
from .changes import Changes
from .content import Site
from .deps import Fingerprints
from .discover import ContentFiles
from .errors import Diagnostic
from .in_place import change_in_place
from .publishing import PublishRules
from .quiet_moment import QuietMoment, showing_cards, stamp
from .removed import Removed
from .render import PageRenderer, render_all
from .siterecord import MANIFEST, SiteRecord
from .snapshot import CacheWarning, Snapshot
from .static_in_place import StaticFile
from .theme import Theme, theme_assets
from .watcher_word import WatcherWord
from .watcher_word import comparable_options as _comparable

IN_PLACE_PARALLEL_FROM = 5  # times workers.PARALLEL_FROM: pages rendered in place before workers are used (2,000)

if TYPE_CHECKING:
    from .lastbuild import LastBuild
    from .pages import PageTask
    from .pipeline import BuildOptions, BuildResult


@dataclass
class _Last:
    """The last good build, as it is in memory."""

    options: Any  # the build's options, apart from the ones every build of the preview changes
    key: str
    snapshot: Snapshot
    files: dict[str, tuple[int, int, str]]  # FileDigests.now
    parse_cache: dict[str, tuple]
    site: Site
    tasks: dict[str, PageTask]  # output -> its task
    theme: Theme
    fingerprints: Fingerprints
    records: dict[str, PageRecord]
    search_files: list[str]
    search_behind: bool
    related: dict
    diagnostics: list[Diagnostic]
    pages: int
    artworks: int
    record: tuple[int, int] | None = None  # the site record as this build left it: another build changes it
    readers: dict[str, set[str]] = field(default_factory=dict)  # dependency key -> the pages that read it
    site_record: SiteRecord | None = None  # that record itself, while `record` says it is the one on disk
    found: tuple[ContentFiles, list[Diagnostic]] | None = None  # what discovering the content said (see discover)
    where: tuple[Path, Path] | None = None  # the site's real folder and where its record is kept (see make_spare)
    cards_to_warm: list[str] = field(default_factory=list)  # pages whose cards are not made yet (see make_cards)


    def index_readers(self) -> None:
        """Which pages read each dependency key (made once, in a quiet moment: see WarmState.settle)."""
        if not self.readers:
            for name, record in self.records.items():
                for key in record.deps:
                    self.readers.setdefault(key, set()).add(name)


class WarmState(QuietMoment, WatcherWord):
    """The preview's memory of its last good build (empty until one succeeds)."""

    def __init__(self) -> None:
        self.last: _Last | None = None
        self.unsaved: tuple | None = None  # the build cache and snapshot to write to disk (see settle)
        self.declined = ""  # why the last build was not a quick one
        # the preview's file watcher (see `watching`)
        self.reported: set[str] | None = None  # files it reported since the snapshot in memory was taken
        self.missed = False  # settle found a change it had not reported: build again
        self._vouched = False  # it vouches for the build about to start
        self._vouched_now = False  # ... for the build under way
        self._narrowed = False  # the build under way took its word (the files found, or their sizes and times)
        self._unchecked = False  # the last good build took its word, and settle has not checked it yet
        self._found: tuple[ContentFiles, list[Diagnostic]] | None = None  # this build's discovery
        self._lent = False  # the last good build's theme is in use by a build (see theme)
        self._helper: look_ahead.Helper | None = None  # looks the site over for the next build (see look_ahead.py)

    # --- after an ordinary build ------------------------------------------------------------------

    def keep(self, options: BuildOptions, last: LastBuild, site: Site, tasks: list, theme: Theme,
             fingerprints: Fingerprints, records: dict[str, PageRecord], search_files: list[str],
             result: BuildResult, saved: bool = True) -> None:
        """After a good ordinary build; `saved`: it wrote its records (else `save` does, once the page is shown)."""
        assert last.snapshot is not None or saved
        if last.snapshot is None:  # the index is behind: the next build has work to do anyway
            self.last = None
            self.reported = None
            return
        self.last = _Last(_comparable(options), last.key, last.snapshot, dict(last.digests.now),
                          dict(last.parse_cache), site, {t.page.output: t for t in tasks}, theme, fingerprints,
                          records, search_files, result.search_behind, last.related,
                          [d for d in last.diagnostics.items[last.said_before:] if not isinstance(d, CacheWarning)],
                          result.pages, result.artworks,
                          stamp(last.site_record()), site_record=last.site,
                          where=(options.out.resolve(), last.site_record()),
                          cards_to_warm=[] if theme.holds_cards() else showing_cards(tasks))
        self.unsaved = None if saved else (last.cache_dir, last.store, last.site_record())
        self._lent = False
        self._looked()

    def forget(self) -> None:
        """Drop everything (the records on disk were removed: the next build starts from files)."""
        self.last = None
        self.unsaved = None
        self.reported = None

    def snapshot_for(self, options: BuildOptions, last: LastBuild) -> Snapshot | None:
        """The snapshot of the last good build, while the site is as it left it (no other build wrote it since:
        the snapshot on disk is then this one, or none yet)."""
        state = self.last
        if state is None or state.search_behind or state.options != _comparable(options):
            return None
        if stamp(last.site_record()) != state.record:
            return None
        return state.snapshot

    # --- the theme, from build to build ------------------------------------------------------------

    def theme(self, dirs: list[Path], compiled: Path | None, options: BuildOptions, last: LastBuild) -> Theme:
        """The last good build's theme when this build follows it with the same key and theme folders: its story
        cards are then used again wherever what they read did not change (see keep_cards). A new one otherwise."""
        state = self.last
        if (state is None or state.theme.dirs != dirs or state.key != last.key or last.previous.key != last.key
                or self.snapshot_for(options, last) is None):
            return Theme(dirs, compiled)
        self._cards_as_left()
        self._lent = True  # until this build is a good one (keep): its cards may show what it read
        state.theme.assets = theme_assets(dirs)
        return state.theme

    def keep_cards(self, theme: Theme, last: LastBuild, fingerprints: Fingerprints) -> Theme:
        """After the pages kept were found: the theme to render with. The last build's, without the cards that
        read a dependency key that changed (`last.changed`) or one it did not record (it cannot tell whether that
        changed); a new one if any template changed (the theme keeps them compiled)."""
        state = self.last
        if state is None or theme is not state.theme:
            return theme
        if _templates(state.fingerprints) != _templates(fingerprints):
            return Theme(theme.dirs, theme.compiled)
        theme.forget_cards(last.changed, unless_read_only=last.previous.digests)
        return theme

    def _cards_as_left(self) -> None:
        """The theme was lent to a build that did not end well: its cards may show content no good build had."""
        if self._lent and self.last is not None:
            self.last.theme.forget_all_cards()
        self._lent = False

    # --- a save built from memory -----------------------------------------------------------------

    def quick_build(self, options: BuildOptions, files: ContentFiles, last: LastBuild, result: BuildResult) -> bool:
        """Build from memory a change to story bodies alone, stories added, removed or their details edited, or static
        files (see in_place.py); False (nothing done) when it is any other change. `declined` then says why, for the
        tests and the benchmark."""
        self.declined = self._decline(options, last)
        state, how = self.last, None
        if not self.declined:
            assert state is not None and last.inputs is not None
            changes = Changes.since(state.snapshot, last.inputs, files.root)
            self.declined, how = change_in_place(state, changes, files, last, _rules(options))
        if self.declined:
            return False
        assert state is not None and how is not None
        helper, self._helper = self._helper, None
        output = None
        try:  # the helper looks the site over while the change is planned (story bodies alone: looked over at once)
            output = last.output(state.site_record, helper if how.plan is not None else None)
        finally:
            if helper is not None and (output is None or output.look_ahead is not helper):
                helper.stop()  # (not taken)
        if output is None or output.unreadable:
            self.declined = "the record of the site could not be read"
            if output is not None:
                output.discard()
            return False
        try:
            if how.plan is None:  # story bodies alone
                return self._render(state, options, files, last, result, output, how.found)
            return self._render_in_place(state, options, files, last, result, output, how.found, how.plan)
        finally:
            if not result.failed:
                output = None
            if output is not None:
                output.discard()
                self.last = None  # its items may hold bodies that were never published: start afresh
                self.reported = None

    def _decline(self, options: BuildOptions, last: LastBuild) -> str:
        """Why no change can be built from memory this time ("" when one may be: see in_place.py)."""
        state = self.last
        if state is None:
            return "no good build in memory"
        if last.inputs is None or last.diagnostics.items[last.said_before:] or state.options != _comparable(options):
            return "other options"
        if options.search and not options.search_later:
            return "the search index is to be made"
        if stamp(last.site_record()) != state.record:
            return "another build wrote the site"  # `build` from a terminal: its pages are not these
        return ""

    def _render(self, state: _Last, options: BuildOptions, files: ContentFiles, last: LastBuild,
                result: BuildResult, output, updates: list) -> bool:
        self._cards_as_left()
        state.index_readers()
        pages: set[str] = set()
        changed_keys: list[str] = []
        for rel, story, item, entry in updates:
            if story is not None:
                for attribute, value in item.digests.items():
                    if story.digests.get(attribute) != value:
                        changed_keys.append(f"item:{rel}:{attribute}")
                        pages |= state.readers.get(changed_keys[-1], set())
        if not self._made_again_by_hand(state, output, pages, state.tasks):
            return False
        for key in changed_keys:
            state.fingerprints.memo.pop(key, None)
        for rel, story, item, entry in updates:
            if story is not None:
                story.body, story.digests = item.body, item.digests
        tasks = [state.tasks[name] for name in sorted(pages)]
        state.theme.forget_cards(set(changed_keys))  # rendered by an earlier build, they may show the old body
        rendered, problems = render_all(PageRenderer(state.site, state.theme, tasks, output.staging,
                                                     state.fingerprints), 1, lambda _: None)
        return self._publish(state, options, files, last, result, output, rendered, problems,
                             [(rel, entry) for rel, _, _, entry in updates])

    def _render_in_place(self, state: _Last, options: BuildOptions, files: ContentFiles, last: LastBuild,
                         result: BuildResult, output, changed: list[Added], plan_change) -> bool:
        """Stories added, removed or their details edited: put into the site in memory, the pages that show them
        rendered; static files added or saved again: copied (see in_place.py)."""
        self._cards_as_left()
        state.index_readers()
        last.forget_assembled()  # (it is not this site any more)
        pages, tasks, changed_keys = plan_change(state, changed, _rules(options))
        gone = state.tasks.keys() - tasks.keys()  # the pages of stories removed, say
        if not self._made_again_by_hand(state, output, pages, tasks, gone):
            return False
        state.theme.forget_cards(changed_keys)  # rendered by an earlier build, they may show what changed
        to_render = [tasks[name] for name in sorted(pages)]
        rendered, problems = render_all(PageRenderer(state.site, state.theme, to_render, output.staging,
                                                     state.fingerprints, keep_cards=True),
                                        _workers(options, len(to_render)), lambda _: None)
        state.tasks, state.pages = tasks, len(tasks)
        staging.stage_feeds(output, state.site, list(tasks.values()))
        for change in changed:
            if isinstance(change, StaticFile):
                output.add_copy(change.target, files.path(change.rel))
            elif isinstance(change, Removed):
                state.parse_cache.pop(change.rel, None)
                state.files.pop(str(files.root / change.rel), None)
        return self._publish(state, options, files, last, result, output, rendered, problems,
                             [(a.rel, a.entry) for a in changed if a.entry is not None], gone)

    def _made_again_by_hand(self, state: _Last, output, pages: set[str], tasks: dict,
                            gone: frozenset[str] | set[str] = frozenset()) -> bool:
        """Keep every other file of the site but the pages `gone`; a page edited or deleted by hand is added to `pages`
        to be made again. False when another file was (the ordinary build puts it right)."""
        for name in sorted(output.keep_all(state.snapshot.outputs.keys() - pages - gone - {MANIFEST})):
            if name in tasks:
                pages.add(name)  # edited or deleted by hand: made again
            else:
                self.declined = f"{name} in the site was changed by hand"
                return False
        return True

    def _publish(self, state: _Last, options: BuildOptions, files: ContentFiles, last: LastBuild,
                 result: BuildResult, output, rendered: list, problems: list, entries: list[tuple[str, tuple]],
                 gone: frozenset[str] | set[str] = frozenset()) -> bool:
        """After a quick build rendered its pages: links checked, the site swapped in, the memory brought up to
        date with the parse cache `entries` of the files parsed again."""
        diagnostics = result.diagnostics
        diagnostics.extend(state.diagnostics)
        diagnostics.extend(problems)
        records = {name: record for name, record in state.records.items() if name not in gone}
        records.update(rendered)
        output.rendered(name for name, _ in rendered)
        link_check.check_links(output, records, rendered, frozenset(state.snapshot.outputs),  # every task: a broken
                               list(state.tasks.values()), state.theme, files, diagnostics,  # link names its source
                               state.site.config)
        result.pages, result.artworks, result.site = state.pages, state.artworks, state.site
        result.rendered = [name for name, _ in rendered]
        result.search_behind = bool(options.search)
        if diagnostics.failed(options.strict):
            return True
        written_files = frozenset(output.files)
        cache_dir = last.cache_dir
        cache_file(cache_dir / "build.pickle").remove()  # until settled, no record on disk describes the site
        (cache_dir / "inputs.pickle").unlink(missing_ok=True)
        stats = output.commit()
        result.written, result.unchanged, result.removed = stats.written, stats.unchanged, stats.removed
        result.failed = False
        readers = state.readers
        for name in gone:
            for key in state.records[name].deps if name in state.records else ():
                readers.get(key, set()).discard(name)
        for name, record in rendered:  # (a page rendered again mostly reads what it read before)
            before = state.records[name].deps if name in state.records else ()
            if before != record.deps:
                before_set, now = set(before), set(record.deps)
                for key in before_set - now:
                    readers.get(key, set()).discard(name)
                for key in now - before_set:
                    readers.setdefault(key, set()).add(name)
        state.records = records
        for rel, entry in entries:
            state.parse_cache[rel] = entry
            state.files[str(files.root / rel)] = last.digests.now[str(files.root / rel)]
        state.search_behind = result.search_behind
        state.snapshot = last.inputs.snapshot(state.key, state.files, options.out, written_files,
                                              state.diagnostics, state.pages, state.artworks, output.record)
        state.record, state.site_record = stamp(last.site_record()), output.record
        self.unsaved = (cache_dir, last.store, last.site_record())
        self._looked()
        return True

    # --- the records on disk ----------------------------------------------------------------------

    def settle(self, pending: Callable[[], set[str]] | None = None) -> None:
        """After a build, in a quiet moment: write the build cache and snapshot the quick builds kept in memory, for
        any later build; index which page reads what, for the next quick build; and check the watcher's word, if
        the build took it (see `missed`). `pending()`: the files the watcher has reported since the build began
        (the next build's), which were not missed. (Then, with nothing locked, `make_cards`.)"""
        if self.last is not None:
            self.last.index_readers()
        self.save()
        self._make_spare()
        self._start_helper()
        self._check_the_watcher(pending or set)

def _workers(options: BuildOptions, pages: int) -> int:
    """Worker processes for rendering `pages` in place. Forking the preview's process, which holds the whole site,
    costs more than a second core gains below a few thousand pages: its pages are copied as the workers and then
    the preview itself write to them (at 10,000 stories, a story added, 660 pages: 1.26 to 1.34 s in one process,
    1.35 to 1.69 s with two workers)."""
    return (options.workers or workers.cores()) if pages >= IN_PLACE_PARALLEL_FROM * workers.PARALLEL_FROM else 1


def _rules(options: BuildOptions) -> PublishRules:
    return PublishRules(options.drafts, options.today)


def _templates(fingerprints: Fingerprints) -> dict[str, str]:
    return {key: value for key, value in fingerprints.memo.items() if key.startswith("template:")}
