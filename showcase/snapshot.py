"""Has anything a build reads changed since the last good build? If not, there is nothing to do.

The snapshot lists every file of the content folder and the theme with its size and modification time
(and its content digest where the build read it), the build key, and every file of the site with its
size and time (and every folder of the site with its time, which changes when a file is added to it). A
rebuild whose inputs all match, and whose site is as that build left it, is done before it starts: it reports
last time's warnings again and touches nothing.

The preview (warm.py) may take the content files' sizes and times from its last snapshot instead of asking
for each, where its file watcher vouches for having reported every file changed since (`Inputs.of` with
`known` and `reported`); the theme's files and the site's are always asked.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic

SNAPSHOT_VERSION = "6"
RACY_NS = 2_000_000_000  # a file changed this close to the last build may look unchanged by size and time


def changed_ns(stat: os.stat_result) -> int:
    """When a file last changed, as far as a build can tell: its modification time, or the time its inode
    changed if later. A tool that writes a file in place and puts its old modification time back (`exiftool -P`,
    `touch -r`, a copy keeping times) cannot set the second; an editor's save moves both."""
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


class CacheWarning(Diagnostic):
    """A file of the build cache that could not be read. Said once, by the build that found it (that build
    removes or rewrites the file); never repeated by a later build that finds nothing to do."""


def cache_warning(path: Path | str, message: str) -> CacheWarning:
    return CacheWarning(str(path), None, None, "warning", message)


def read_pickle(path: Path, version: str, kind: type) -> tuple[Any, str | None]:
    """What save_pickle wrote: (the object, None); (None, None) when there is no such file or it was written by
    another version; (None, why) when it cannot be read. A file that cannot be read is removed, so that it is
    reported once: the next build finds no cache and says nothing."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__
    try:
        with handle:
            written_by = pickle.load(handle)
            if written_by != version:  # an older generator's cache: not damaged, only of no use
                return None, None
            value = pickle.load(handle)
        if isinstance(value, kind):
            return value, None
        why = f"it holds a {type(value).__name__}"
    except Exception as exc:  # truncated, overwritten, or pickled classes that are gone
        why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    try:
        path.unlink()
    except OSError:
        pass
    return None, why


def save_pickle(path: Path, version: str, value: object) -> None:
    """The version first, on its own, so that another version's file is told apart from a damaged one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(version, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


@dataclass
class Snapshot:
    key: str = ""
    files: dict[str, tuple[int, int, str | None]] = field(default_factory=dict)  # path -> size, mtime, digest
    outputs: dict[str, tuple[int, int]] = field(default_factory=dict)  # every file of the site -> size, mtime
    folders: dict[str, int] = field(default_factory=dict)  # every folder of the site -> mtime (a file added by hand)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # what the build said after discovering files
    pages: int = 0
    artworks: int = 0
    taken_ns: int = 0  # when the files were looked at, before the build read any of them
    manifest: tuple[int, int] | None = None  # the site's list of its files (siterecord.MANIFEST): size, mtime

    @staticmethod
    def read(path: Path) -> tuple[Snapshot | None, CacheWarning | None]:
        """The last good build's snapshot, if there is one, and a warning if its file could not be read
        (the build then simply runs, and looks at every file)."""
        snapshot, why = read_pickle(path, SNAPSHOT_VERSION, Snapshot)
        if why is not None:
            return None, cache_warning(path, f"the record of the last build could not be read ({why}); "
                                             "every file is looked at again")
        return snapshot, None

    def save(self, path: Path) -> None:
        save_pickle(path, SNAPSHOT_VERSION, self)

    def racy_before(self, now_trusted: int) -> bool:
        """Whether a file was too recent to trust by its time when this snapshot was taken, but would not be by
        `now_trusted` (a file changed before that time is known by its size and time)."""
        trusted_before = self.taken_ns - RACY_NS
        return any(trusted_before <= mtime < now_trusted for _, mtime, _ in self.files.values())

    def matches(self, key: str, inputs: Inputs, out: Path) -> bool:
        """The same build key, the same files with the same bytes, and every output as it was written."""
        if key != self.key or self.changed(inputs, first_only=True) != []:
            return False
        folder = os.path.join(out, "")
        for name, known in self.outputs.items():  # and the site is as this build left it
            try:
                stat = os.stat(folder + name)
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != known:
                return False
        if self.manifest is not None:  # the list of the site's files, which a build trusts when its cache is gone
            from .siterecord import MANIFEST  # noqa: I001  (siterecord.py imports this module)

            try:
                stat = os.stat(folder + MANIFEST)
            except OSError:
                return False
            if (stat.st_size, stat.st_mtime_ns) != self.manifest:
                return False
        for name, known_mtime in self.folders.items():  # with no file put there by hand since
            try:
                if os.stat(folder + name).st_mtime_ns != known_mtime:
                    return False
            except OSError:
                return False
        return True


    def changed(self, inputs: Inputs, first_only: bool = False) -> list[str] | None:
        """The files whose bytes changed since this snapshot (the first one found with `first_only`), or None
        when files came or went."""
        if inputs.stats.keys() != self.files.keys():
            return None
        return self._changed(inputs, first_only)

    def differences(self, inputs: Inputs) -> tuple[list[str], list[str], list[str]]:
        """The files that came since this snapshot, those of its files that went, and those whose bytes changed."""
        return (sorted(inputs.stats.keys() - self.files.keys()), sorted(self.files.keys() - inputs.stats.keys()),
                self._changed(inputs))

    def _changed(self, inputs: Inputs, first_only: bool = False) -> list[str]:
        trusted_before = self.taken_ns - RACY_NS
        found: list[str] = []
        for path, (size, mtime) in inputs.stats.items():
            if path not in self.files:
                continue
            known_size, known_mtime, digest = self.files[path]
            if size == known_size and mtime == known_mtime and mtime < trusted_before:
                continue
            if size != known_size or digest is None or inputs.digest(path) != digest:  # touched, or too recent
                found.append(path)
                if first_only:
                    break
        return found


@dataclass
class Inputs:
    """Size and modification time of every file a build may read, taken before it reads any."""

    stats: dict[str, tuple[int, int]]
    taken_ns: int
    recent: dict[str, str]  # digests of files changed so lately that their time cannot be trusted next time
    read: dict[str, str | None] = field(default_factory=dict, repr=False)  # digests read since (see digest)

    def digest(self, path: str) -> str | None:
        """The digest of a file's bytes now (None: gone), read once however often a build asks (the preview asks
        which files changed once for each kind of change it can build from memory)."""
        if path in self.recent:
            return self.recent[path]
        if path not in self.read:
            self.read[path] = _digest_if_there(path)
        return self.read[path]

    @staticmethod
    def of(root: Path, content_files: frozenset[str], theme_dirs: list[Path], known: Snapshot | None = None,
           reported: set[str] | None = None) -> Inputs:
        """`known` and `reported` (the preview, warm.py): a snapshot, and the content files (relative to `root`)
        a file watcher reported changed since it was taken; every other content file of the snapshot is taken to
        be as it says rather than asked. Only for a watcher that vouches for having seen every change."""
        taken = time.time_ns()
        folder = os.path.join(root, "")
        stats: dict[str, tuple[int, int]] = {}
        for rel in sorted(content_files):
            path = folder + rel
            if known is not None and reported is not None and rel not in reported:
                entry = known.files.get(path)
                if entry is not None:
                    stats[path] = entry[:2]
                    continue
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stats[path] = (stat.st_size, changed_ns(stat))
        for folder in theme_dirs:  # templates and assets, and anything they may include
            for sub in ("templates", "assets"):
                for dirpath, dirnames, names in os.walk(folder / sub):
                    dirnames.sort()
                    for name in sorted(names):
                        path = os.path.join(dirpath, name)
                        try:
                            stat = os.stat(path)
                        except OSError:
                            continue
                        stats[path] = (stat.st_size, changed_ns(stat))
        recent = {path: digest for path, (_, mtime) in stats.items() if mtime >= taken - RACY_NS
                  if (digest := _digest_if_there(path)) is not None}  # one gone since is the next build's change
        return Inputs(stats, taken, recent)

    def snapshot(self, key: str, digests: dict[str, tuple[int, int, str]], out: Path, outputs: frozenset[str],
                 diagnostics: list[Diagnostic], pages: int, artworks: int, site: Any = None) -> Snapshot:
        """The inputs as this build found them, and the site it left in `out`. `digests` (FileDigests.now)
        give the bytes' digest of the files the build read, where they were read at the same size and time.
        `site`: the record the commit made of the site (writer.SiteRecord), so the files are not looked at again."""
        written: dict[str, tuple[int, int]] = {}
        folder = str(out)
        folders = {"": os.stat(folder).st_mtime_ns}
        from .siterecord import MANIFEST  # noqa: I001  (siterecord.py imports this module)

        manifest = None
        if site is not None:
            files_ = site.files
            written = {name: files_[name][:2] for name in outputs}
            manifest = files_[MANIFEST][:2] if MANIFEST in files_ else None
            folders.update((name, mtime) for name, mtime in site.folders.items() if name)
        else:
            for name in sorted(outputs):
                stat = os.stat(os.path.join(folder, name))
                written[name] = (stat.st_size, stat.st_mtime_ns)
            for name in outputs:
                parent = os.path.dirname(name)
                while parent not in folders:
                    folders[parent] = os.stat(os.path.join(folder, parent)).st_mtime_ns
                    parent = os.path.dirname(parent)
        files: dict[str, tuple[int, int, str | None]] = {}
        for path, (size, mtime) in self.stats.items():
            read = digests.get(path)
            if path in self.recent:
                files[path] = (size, mtime, self.recent[path])
            else:
                files[path] = (size, mtime, read[2] if read is not None and read[:2] == (size, mtime) else None)
        said = [d for d in diagnostics if not isinstance(d, CacheWarning)]  # said once, not at every no-op build
        return Snapshot(key, files, written, folders, said, pages, artworks, self.taken_ns, manifest)


def _digest_if_there(path: str) -> str | None:
    try:
        return file_digest(path)
    except OSError:  # gone (or unreadable) since it was listed: changed
        return None


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
