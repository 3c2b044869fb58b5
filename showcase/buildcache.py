"""The build cache: what the last build made of each file and page, kept for the next one (see lastbuild.py)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .journal import JournaledFile
from .snapshot import CacheWarning, cache_warning

CACHE_VERSION = "5"
# The parts that take time to write whole, saved as changes (journal.py). Their entries are compared with those read,
# so an entry is replaced, never changed in place (render.compact changes only records made by this build).
JOURNALED = ("pages", "digests", "parsed", "files")


@dataclass
class PageRecord:
    task: str  # digest of the planned page
    deps: tuple[str, ...]  # dependency keys (one string for all pages); their digests are in BuildCache.digests
    links: Any  # PageLinks of the written page, for the link check


@dataclass
class BuildCache:
    key: str = ""  # configuration, options and code: a change rebuilds everything
    files: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    parsed: dict[str, tuple] = field(default_factory=dict)  # see parse.ParseCache
    pages: dict[str, PageRecord] = field(default_factory=dict)  # output -> record
    digests: dict[str, str] = field(default_factory=dict)  # every page's dependency key -> its digest then
    search: list[str] = field(default_factory=list)  # the search index files last written
    outputs: frozenset[str] = frozenset()  # every file of the last site, links checked
    saved_ns: int = 0  # when this cache was written
    related: dict = field(default_factory=dict)  # related stories worked out last time, and from what
    search_behind: bool = False  # the search index was kept from an earlier build (see BuildOptions.search_later)
    bodies: dict[str, int] = field(default_factory=dict)  # size of each file of story bodies the parse cache uses

    @staticmethod
    def read(where: Path | JournaledFile) -> tuple[BuildCache, list[CacheWarning]]:
        """The last build's cache (an empty one if there is none) and a warning for each of its files that could
        not be read; whatever came from such a file is made again. Damaged files are removed: said once. `where`:
        the cache's file, or the JournaledFile that will save it again (as changes where few)."""
        cache, damaged, why = cache_file(where).read()
        if damaged is not None:
            return BuildCache(), [cache_warning(damaged, f"the build cache could not be read ({why}); "
                                                         "everything is built again")]
        if cache is None:
            return BuildCache(), []
        return cache, cache._check_bodies()

    def _check_bodies(self) -> list[CacheWarning]:
        """Story bodies are read back from their files by offset: a file of another size (cut short, written
        over) is not read at all; the stories whose bodies were in it are parsed again."""
        damaged: dict[str, str] = {}
        for body_file, size in self.bodies.items():
            try:
                found = os.stat(body_file).st_size
            except FileNotFoundError:
                continue  # removed (the cache is safe to delete): its stories are parsed again, nothing to say
            except OSError as exc:
                damaged[body_file] = exc.strerror or type(exc).__name__
                continue
            if found != size:
                damaged[body_file] = f"{found} bytes where {size} were written"
        if not damaged:
            return []
        self.parsed = {source: entry for source, entry in self.parsed.items() if entry[3] not in damaged}
        for body_file in damaged:
            self.bodies.pop(body_file, None)
            try:
                os.unlink(body_file)
            except OSError:
                pass
        return [cache_warning(body_file, f"story bodies kept in the build cache could not be read ({why}); "
                                         "those stories are read again") for body_file, why in sorted(damaged.items())]

    def save(self, where: Path | JournaledFile) -> None:
        self.saved_ns = time.time_ns()
        self.bodies = {}
        for entry in self.parsed.values():
            if entry[3] and entry[3] not in self.bodies:
                try:
                    self.bodies[entry[3]] = os.stat(entry[3]).st_size
                except OSError:
                    pass
        cache_file(where).save(self)


def cache_file(where: Path | JournaledFile) -> JournaledFile:
    return where if isinstance(where, JournaledFile) else JournaledFile(where, CACHE_VERSION, BuildCache, JOURNALED)
