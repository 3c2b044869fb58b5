"""The preview's file watcher, taken at its word: a build of the preview (warm.py) may take the files the last
build found and ask only the reported files for their sizes and times, while the watcher vouches for having
reported every change since; after such a build, settle looks at every file once the page is shown, and a change
the watcher did not report (nor reports within WATCHER_DELAY) sets `missed`, for the preview to build again
looking at every file."""

from __future__ import annotations

import dataclasses
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .discover import SYSTEM_FILES, ContentFiles, discover
from .errors import Diagnostic, Diagnostics
from .snapshot import Inputs
from .spare import is_folder

if TYPE_CHECKING:
    from .lastbuild import LastBuild
    from .pipeline import BuildOptions, BuildResult

WATCHER_DELAY = 0.3  # seconds a file watcher may take to report a change (an inotify event is usually far quicker)


class WatcherWord:
    """What WarmState knows of the watcher (its fields are set in WarmState.__init__)."""

    last: Any
    reported: set[str] | None
    missed: bool
    _vouched: bool
    _vouched_now: bool
    _narrowed: bool
    _unchecked: bool
    _found: tuple[ContentFiles, list[Diagnostic]] | None

    def watching(self, reported: Iterable[str] | None) -> None:
        """Before a build of the preview: the files its watcher reported since the last build, or None when it
        cannot vouch for having reported every change (it is not running, or stopped). A build not told is taken
        to have no watcher."""
        self.missed = False
        self._vouched = reported is not None
        if reported is None:
            self.reported = None
        elif self.reported is not None:
            self.reported.update(_real(path) for path in reported)

    def discover(self, options: BuildOptions, diagnostics: Diagnostics) -> ContentFiles:
        """The content folder's files: those the last good build found (and what it said of them), when the
        watcher vouches that none came or went since: every file it reported is one of them, still an ordinary
        file. Else the folder is walked again (discover.py)."""
        self._vouched_now, self._vouched = self._vouched, False
        if not self._vouched_now:
            self.reported = None
        self._narrowed = False
        state = self.last
        if (state is not None and state.found is not None and self.reported is not None
                and state.options == comparable_options(options)):
            files, said = state.found
            reported = self._reported_in(files.root)
            if all(_still_a_file(files, rel) for rel in reported):
                diagnostics.extend(said)
                self._found, self._narrowed = state.found, True
                return files
            stories = _stories_came_or_went(files, reported)
            if stories is not None:  # (a story saved or removed: the folder need not be walked for it)
                files = dataclasses.replace(files, stories=stories,
                                            all=files.all.difference(files.stories) | frozenset(stories))
                diagnostics.extend(said)
                self._found, self._narrowed = (files, said), True
                return files
        before = len(diagnostics.items)
        files = discover(options.content, diagnostics)
        self._found = (files, diagnostics.items[before:])
        return files

    def up_to_date(self, options: BuildOptions, last: LastBuild, result: BuildResult) -> bool:
        """LastBuild.up_to_date, with the snapshot in memory and, where the watcher vouches, only the content
        files it reported asked for their sizes and times. The preview's first build goes on even when nothing
        changed, to have the site in memory."""
        known = self.snapshot_for(options, last)
        reported = None
        if known is not None and self.reported is not None:
            reported = self._reported_in(last.files.root)
            self._narrowed = True
        if not last.up_to_date(result, known, allowed=self.last is not None, reported=reported):
            return False
        # Nothing changed, and the snapshot in memory is not taken again: the files reported (saved unchanged,
        # or their time changed alone) stay reported, so that the next build asks them again.
        if not self._vouched_now:
            self.reported = None
        self._unchecked = self._unchecked or self._narrowed
        return True

    def failed(self, problems: Iterable[Diagnostic] = ()) -> None:
        """A build failed. The next build looks at every file (a change the watcher did not report, a file gone,
        may be what failed), so there is nothing for settle to check meanwhile: a check still waiting from the
        last good build would take the files of the failed build for changes the watcher missed. Where the build
        took the watcher's word and failed on a file that is gone, the watcher missed that: `missed` is set for
        the preview to build again at once (the editor never sees an error about a file they removed)."""
        if self._narrowed and any(p.path and not os.path.lexists(p.path) for p in problems):
            self.missed = True
        self.reported = None
        self._unchecked = False

    def _reported_in(self, root) -> set[str]:
        """The files reported, relative to the content folder `root` (files elsewhere are the theme's, whose files
        are always asked, or are not read by a build)."""
        assert self.reported is not None
        folder = os.path.join(os.path.realpath(root), "")
        return {path[len(folder):].replace(os.sep, "/") for path in self.reported if path.startswith(folder)}

    def _looked(self) -> None:
        """A good build: the snapshot in memory describes the files as it found them, so the watcher's report
        starts afresh (if it vouched for this build); settle checks its word if the build took it."""
        self.reported = set() if self._vouched_now else None
        if self.last is not None and self._found is not None:
            self.last.found = self._found
        self._unchecked = self._narrowed

    def _check_the_watcher(self, pending: Callable[[], set[str]]) -> None:
        """After a good build that took the watcher's word: every content file looked at as a build from files
        would. A file found changed, added or removed that the snapshot does not show, and that the watcher has
        not reported since (an editor saving during the build; its report may take a moment to come), was
        missed: `missed` is set for the preview to build again, and the next build looks at every file."""
        state = self.last
        if not self._unchecked or state is None or state.found is None:
            return
        files, said = state.found
        diagnostics = Diagnostics()
        found = discover(files.root, diagnostics)
        root = os.path.join(os.path.realpath(files.root), "")
        differ = {_real(root + rel) for rel in found.all ^ files.all}
        if not differ and diagnostics.items == said:
            inputs = Inputs.of(found.root, found.all, state.theme.dirs)
            differ = {_real(path) for path in state.snapshot.changed(inputs) or ()}
            if not differ:
                self._unchecked = False
                return
        for wait in (0.0, WATCHER_DELAY):
            time.sleep(wait)
            reported = {_real(path) for path in pending()}
            if reported and (differ or diagnostics.items != said) and differ <= reported:
                return  # the next build's changes, reported: checked again after it (still unchecked)
        self._unchecked = False
        self.missed = True
        self.reported = None


def _real(path: str) -> str:
    """A reported file's path, with the folders on the way to it resolved (the watcher and the build may name
    the content folder differently)."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(os.path.realpath(folder), name)


def _stories_came_or_went(files: ContentFiles, reported: set[str]) -> list[str] | None:
    """The stories now, where every file reported that is not still a file the last build found is a story file
    that came (an ordinary file, in the stories folder as it was) or went; else None (the folder is walked)."""
    stories = set(files.stories)
    names = {_folded(rel) for rel in stories}
    for rel in reported:
        if _still_a_file(files, rel):
            continue
        folder, _, name = rel.rpartition("/")
        if (folder != "stories" or not name.endswith(".md") or name.startswith(".") or name.lower() in SYSTEM_FILES
                or not is_folder(os.path.join(files.root, folder))):
            return None
        try:
            mode = os.lstat(os.path.join(files.root, rel)).st_mode
        except FileNotFoundError:
            stories.discard(rel)  # (gone)
            continue
        except OSError:
            return None
        if not stat.S_ISREG(mode) or _folded(rel) in names:  # (another name for a story there, or two names for
            return None                                        # one, on a disk that does not tell capitals apart)
        names.add(_folded(rel))
        stories.add(rel)
    return sorted(stories)


def _folded(rel: str) -> str:
    return unicodedata.normalize("NFC", rel).casefold()


def _still_a_file(files: ContentFiles, rel: str) -> bool:
    """`rel` is a file the last build found, and still an ordinary file (not a link, a folder, or gone)."""
    if rel not in files.all:
        return False
    try:
        return stat.S_ISREG(os.lstat(os.path.join(files.root, rel)).st_mode)
    except OSError:
        return False


def comparable_options(options: BuildOptions) -> tuple:
    """The options that must be the same for the last build's site to be reused (the preview asks for today's
    date at every build, and for the search index now or later)."""
    return (str(options.content), str(options.out), str(options.cache), options.base_url, options.drafts,
            options.strict, options.search, options.today)
