"""The site as the last build assembled and planned it, kept in the build cache, so that a build whose change is the
bodies of stories alone starts from it instead of parsing, assembling and planning every item again.

A build that assembles the site has it written (`Keeper`): a forked copy of the build process pickles the site and
its plan while the build goes on rendering, and the build puts the file in place once it has swapped the new site
in. A later build takes it (`take`) when everything that changed since the last build is what pages see through
story bodies (LastBuild.as_before decides that): each story whose file is not the one the site was assembled from
gets the body and digests it has now; nothing else a page sees can differ (parse.body_change). A build that
assembles the site again removes the file first, so it never describes an older site than the build cache does.

Only an optimisation, as the rest of the build cache: without the file, the build parses, assembles and plans.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .content import Site, Story
from .errors import Diagnostic
from .pages import PageTask
from .snapshot import CacheWarning, cache_warning, read_pickle
from .workers import in_a_copy

VERSION = "2"
_STACK = 512 * 2**20  # the pickler recurses through the site (story to related story to ...): a deep stack for it


@dataclass
class Assembled:
    key: str  # the build key it was assembled under
    made_from: dict[str, tuple]  # content file -> its parse cache entry's digest and body file (see made_from)
    site: Site
    tasks: list[PageTask]
    said: list[Diagnostic]  # what parsing and assembling said
    notes: list[Diagnostic]  # `check`'s notes (files not published, and why)


def made_from(parse_cache: dict[str, tuple]) -> dict[str, tuple]:
    """Which parse of each file a site was assembled from: the digest of its bytes and the file its story body was
    put aside in (a story parsed again, even back to the same bytes, has its body in another file, and the
    older file may be gone)."""
    return {rel: (entry[0], entry[3]) for rel, entry in parse_cache.items()}


def take(path: Path, key: str, parse_cache: dict[str, tuple], stories: set[str]) -> tuple[Assembled | None,
                                                                                         CacheWarning | None]:
    """The site and plan kept at `path`, with the bodies of the stories in `parse_cache` that changed since (every
    other file must be as it was); None when there is none for this key and these files."""
    kept, why = read_pickle(path, VERSION, Assembled)
    if why is not None:
        return None, cache_warning(path, f"the site kept from the last build could not be read ({why}); it is "
                                         "assembled again")
    if kept is None or kept.key != key or kept.made_from.keys() != parse_cache.keys():
        return None, None
    now = made_from(parse_cache)
    changed = [rel for rel, parse in kept.made_from.items() if now[rel] != parse]
    if not stories.issuperset(changed):
        return None, None
    by_source = {story.source: story for story in kept.site.stories}
    for rel in changed:
        story = by_source.get(rel)  # a story not published has no place in the site
        if story is not None:
            item, _ = pickle.loads(parse_cache[rel][2])
            if not isinstance(item, Story):
                return None, None
            story.body, story.digests, story.front = item.body, item.digests, item.front
    return kept, None


class Keeper:
    """Writes an Assembled to a file of its own beside `path` in a forked process while the build goes on;
    `finish` puts it in place (or throws it away)."""

    def __init__(self, path: Path, value: Assembled):
        self.path = path
        self.written = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"{path.name}.*.tmp"):  # left by a build that was killed
            if not _running(stale.suffixes[-2][1:]):
                stale.unlink(missing_ok=True)
        # no copy made (a limit, memory): the next build assembles the site
        self.pid = in_a_copy(lambda: _write(self.written, value))

    def finish(self, keep: bool) -> None:
        """Wait for the copy; with `keep`, put what it wrote in place, if it wrote it whole."""
        pid, self.pid = self.pid, 0
        if not pid:
            return
        _, status = os.waitpid(pid, 0)
        if keep and os.waitstatus_to_exitcode(status) == 0:
            os.replace(self.written, self.path)
        else:
            self.written.unlink(missing_ok=True)


def _running(pid: str) -> bool:
    """Whether the process that began a file of this name may still be writing it."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except OSError:
        return True  # someone else's
    return True


def _write(path: Path, value: Assembled) -> int:
    done = []

    def write() -> None:
        sys.setrecursionlimit(1_000_000)
        try:
            with path.open("wb") as handle:
                pickle.dump(VERSION, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # a full disk, say: no file, and the next build assembles the site (said nowhere)
            return
        done.append(True)

    threading.stack_size(_STACK)
    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return 0 if done else 1
