"""The preview's work in the quiet moment after a build, once the page is shown (warm.WarmState.settle and the
preview's builder loop): the build cache and snapshot written for a later build from a terminal, the site's spare
folder made (spare.py), a helper started to look the site over for the next build (look_ahead.py), and the story
cards made for the next change (`make_cards`). None of it is needed to show the page; all of it makes the next
build quicker or lets a build from a terminal start from the preview's records."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from . import look_ahead
from .buildcache import BuildCache
from .related import memo_to_save
from .render import PageRenderer, dependency_digests
from .siterecord import save_record
from .spare import make_spare

CARDS_AT_A_TIME = 50  # pages rendered for their cards between two looks for a change waiting (about 0.1 s)


class QuietMoment:
    """What WarmState does in a quiet moment (its fields are set in WarmState.__init__)."""

    last: Any  # warm._Last
    unsaved: tuple | None
    missed: bool
    _helper: look_ahead.Helper | None

    def make_cards(self, waiting: Callable[[], bool] = lambda: False) -> None:
        """After a build of the whole site, whose worker processes did not hand back the story cards they rendered
        (that cost the build more than it saves later), once the page is shown and the records written (`settle`):
        the pages that show cards are rendered again, into nothing, a few at a time until a change is `waiting()`,
        so that the next change finds their cards (and the site's header and footer) made. At 10,000 stories:
        2,551 pages, 4 to 8 s. A story added usually changes only the first page of its lists (plan.py), but once
        in 24 the pages of a list are numbered again and all rendered: 1.0 s with the cards made, 2.0 s without.
        What is left when a change comes is done after its build. It writes nothing, so nothing is locked
        meanwhile."""
        state = self.last
        while state is not None and state.cards_to_warm and not self.missed and not waiting():
            names, state.cards_to_warm = state.cards_to_warm[:CARDS_AT_A_TIME], state.cards_to_warm[CARDS_AT_A_TIME:]
            tasks = [state.tasks[name] for name in names if name in state.tasks]
            PageRenderer(state.site, state.theme, tasks, None, state.fingerprints).render(list(range(len(tasks))))

    def _make_spare(self) -> None:
        """After the site's first build: its spare folder made now, rather than by the next build (see spare.py)."""
        state = self.last
        if state is None or state.where is None or state.site_record is None:
            return
        out, record_path = state.where
        if stamp(record_path) != state.record:  # another build wrote the site since: its record is on disk
            return
        if make_spare(out, state.site_record):
            save_record(record_path, state.site_record)
            state.record = stamp(record_path)

    def close(self) -> None:
        """The preview ends: its helper too."""
        if self._helper is not None:
            self._helper.stop()
            self._helper = None

    def _start_helper(self) -> None:
        """A helper to look the site over for the next build (see look_ahead.py), where the site is large."""
        self.close()
        state = self.last
        if (state is not None and state.where is not None and state.site_record is not None
                and len(state.site_record.files) >= look_ahead.LOOK_AHEAD_FROM
                and stamp(state.where[1]) == state.record):
            self._helper = look_ahead.Helper(state.where[0], state.site_record)

    def save(self) -> None:
        """Write the build cache and snapshot the quick builds kept in memory (for the ordinary build about to
        start, or any later one)."""
        if self.unsaved is None or self.last is None:
            return
        cache_dir, store, site_record = self.unsaved
        self.unsaved = None
        state = self.last
        if stamp(site_record) != state.record:  # another build (`build` from a terminal) wrote the site since: its
            self.last = None                     # records are on disk, and this memory describes an older site
            return
        BuildCache(state.key, state.files, state.parse_cache, state.records,
                   dependency_digests(state.records.values(), state.fingerprints), state.search_files,
                   frozenset(state.snapshot.outputs), related=memo_to_save(state.related, state.site.stories),
                   search_behind=state.search_behind).save(cache_dir / "build.pickle")
        if not state.search_behind:
            state.snapshot.save(cache_dir / "inputs.pickle")
        store.prune({entry[3] for entry in state.parse_cache.values() if entry[3]})


def showing_cards(tasks: list) -> list[str]:
    """The pages that show story cards (the home page's latest among them), the lists of stories first (a story added
    or removed changes their first page, and all of them once in 24, when the list gains or loses a page)."""
    return sorted((task.page.output for task in tasks if "cards" in task.context or "latest" in task.context),
                  key=lambda name: (not name.startswith("stories/"), name))


def stamp(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
