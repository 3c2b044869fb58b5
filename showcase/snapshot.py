"""Has anything a build reads changed since the last good build? If not, there is nothing to do.

The snapshot lists every file of the content folder and the theme with its size and modification time
(and its content digest where the build read it), the build key, and every file of the site with its
size and time. A rebuild whose inputs all match, and whose site is as that build left it, is done before
it starts: it reports last time's warnings again and touches nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostic

SNAPSHOT_VERSION = "2"
RACY_NS = 2_000_000_000  # a file changed this close to the last build may look unchanged by size and time


@dataclass
class Snapshot:
    key: str = ""
    files: dict[str, tuple[int, int, str | None]] = field(default_factory=dict)  # path -> size, mtime, digest
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # every file of the site -> size, mtime
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the build said after discovering files
    pages: int = 0
    artworks: int = 0
    taken_ns: int = 0  # when the files were looked at, before the build read any of them

    @staticmethod
    def load(path: Path) -> Snapshot | None:
        try:
            with path.open("rb") as handle:
                version, snapshot = pickle.load(handle)
            return snapshot if version == SNAPSHOT_VERSION and isinstance(snapshot, Snapshot) else None
        except Exception:  # missing or damaged: the build simply runs
            return None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((SNAPSHOT_VERSION, self), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def matches(self, key: str, inputs: Inputs, out: Path) -> bool:
        """The same build key, the same files with the same bytes, and every output as it was written."""
        if key != self.key or inputs.stats.keys() != self.files.keys():
            return False
        trusted_before = self.taken_ns - RACY_NS
        for path, (size, mtime) in inputs.stats.items():
            known_size, known_mtime, digest = self.files[path]
            if size != known_size:
                return False
            if mtime == known_mtime and mtime < trusted_before:
                continue
            if digest is None or file_digest(path) != digest:  # touched, or too recent to trust its time
                return False
        folder = str(out)
        for name, known in self.outputs.items():  # and the site is as this build left it
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != known:
                return False
        return True


@dataclass
class Inputs:
    """Size and modification time of every file a build may read, taken before it reads any."""

    stats: dict[str, tuple[int, int]]
    taken_ns: int
    recent: dict[str, str]  # digests of files changed so lately that their time cannot be trusted next time

    @staticmethod
    def of(root: Path, content_files: frozenset[str], theme_dirs: list[Path]) -> Inputs:
        taken = time.time_ns()
        paths = [str(root / rel) for rel in sorted(content_files)]
        for folder in theme_dirs:  # templates and assets, and anything they may include
            for sub in ("templates", "assets"):
                for dirpath, dirnames, names in os.walk(folder / sub):
                    dirnames.sort()
                    paths += [os.path.join(dirpath, name) for name in sorted(names)]
        stats: dict[str, tuple[int, int]] = {}
        for path in paths:
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stats[path] = (stat.st_size, stat.st_mtime_ns)
        recent = {path: file_digest(path) for path, (_, mtime) in stats.items() if mtime >= taken - RACY_NS}
        return Inputs(stats, taken, recent)

    def snapshot(self, key: str, digests: dict[str, tuple[int, int, str]], out: Path, outputs: frozenset[str],
                 diagnostics: list[Diagnostic], pages: int, artworks: int) -> Snapshot:
        """The inputs as this build found them, and the site it left in `out`. `digests` (FileDigests.now)
        give the bytes' digest of the files the build read, where they were read at the same size and time."""
        written: dict[str, tuple[int, int]] = {}
        folder = str(out)
        for name in sorted(outputs):
            stat = os.stat(os.path.join(folder, name))
            written[name] = (stat.st_size, stat.st_mtime_ns)
        files: dict[str, tuple[int, int, str | None]] = {}
        for path, (size, mtime) in self.stats.items():
            read = digests.get(path)
            if path in self.recent:
                files[path] = (size, mtime, self.recent[path])
            else:
                files[path] = (size, mtime, read[2] if read is not None and read[:2] == (size, mtime) else None)
        return Snapshot(key, files, written, diagnostics, pages, artworks, self.taken_ns)


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
