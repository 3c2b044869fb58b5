"""Safe output: the next version of the site is made whole in a folder beside it, then swapped in at once.

The site folder (`_site`) is never written file by file. Beside it lives its spare, `._site.staging`,
which holds the version before. A build first brings the spare up to date with the site, cheaply: every
file of the site that is still exactly as the last build wrote it (same size, time and inode) is hard
linked into the spare; anything else there is removed. Then it writes what changed into the spare,
always as new files (never through a link, so the live site is never touched), and finally swaps the two
folders with one atomic rename (`renameat2(RENAME_EXCHANGE)` on Linux, `renamex_np(RENAME_SWAP)` on
macOS). A reader, or a build killed at any moment, sees either the whole old site or the whole new one.

Nothing in the site is shared with the theme, the content folder or the image cache: those files are
copied. The only links are between the site and its own spare, and a page edited by hand in the site
is noticed (its time or size no longer match) and made again.

One build at a time may write a site: see lock.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .siterecord import MANIFEST, SiteRecord, Stat, load_record, manifest, save_record
from .swap import recover, swap

UNFINISHED = ".showcase-unfinished"  # in the spare while a build changes it: its record cannot be trusted


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def check_output_folder(out: Path, content: Path) -> None:
    out_r, content_r = out.resolve(), content.resolve()
    if out_r == content_r or out_r.is_relative_to(content_r):
        raise UsageError(f"the output folder {out} is inside the content folder; choose another --out")
    if content_r.is_relative_to(out_r):
        raise UsageError(f"the output folder {out} contains the content folder; choose another --out")
    if out_r == Path.home().resolve() or out_r == Path(out_r.anchor):
        raise UsageError(f"refusing to build into {out}; choose a folder such as _site")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UsageError(f"{out} is not empty and was not made by showcase; choose an empty or new folder")


# --- writing files into the spare ----------------------------------------------------------------------

_FOLDERS_MADE: set[str] = set()


def _make_folder(folder: str) -> None:
    if folder not in _FOLDERS_MADE:  # thousands of files share a few folders: ask the disk once for each
        try:
            os.mkdir(folder)  # usually its parent is there already (every story has a folder of its own)
        except FileExistsError:
            if not os.path.isdir(folder):
                _clear_files_on_the_way(folder)
                os.mkdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            _clear_files_on_the_way(folder)
            os.makedirs(folder, exist_ok=True)
        _FOLDERS_MADE.add(folder)


def _clear_files_on_the_way(folder: str) -> None:
    """A file of the last build where this build needs a folder (a page took the place of a file)."""
    while folder and folder != os.path.dirname(folder):
        if os.path.lexists(folder) and not os.path.isdir(folder):
            os.unlink(folder)
            return
        folder = os.path.dirname(folder)


def _clear(path: str) -> None:
    """Make way for a new file at `path`: remove what is there (a file of the last build, or a folder where
    a file now goes), or make its folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        _make_folder(os.path.dirname(path))
        return
    except NotADirectoryError:
        _make_folder(os.path.dirname(path))
        return
    if stat.S_ISDIR(mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def write_file(staging: Path, rel: str, data: bytes) -> None:
    """Write `data` as staging/rel. A file already there with the same bytes is left as it is (it is the live
    site's own file, linked); any other is replaced by a new file, never written through."""
    path = os.path.join(staging, rel)
    try:
        st = os.lstat(path)
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    return
    except (FileNotFoundError, NotADirectoryError):
        pass
    _clear(path)
    with open(path, "xb") as handle:
        handle.write(data)


def _same_bytes(a: str, b: str) -> bool:
    try:
        sa, sb = os.stat(a), os.stat(b)
    except FileNotFoundError:
        return False
    if sa.st_size != sb.st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(1 << 16)
            if chunk != fb.read(1 << 16):
                return False
            if not chunk:
                return True


# --- the site and its spare ----------------------------------------------------------------------------

class Output:
    """The next version of the site, made in the spare folder beside it (see the module's docstring)."""

    def __init__(self, out: Path, record: Path):
        real = out.resolve()  # a site folder that is a link: swap the folder it points to
        self.out = out
        self.live = real
        self.staging = real.parent / f".{real.name}.staging"
        self.record_path = record
        self.files: set[str] = set()  # every file of the new site
        self.written: set[str] = set()  # files this build may have written (else they are the last build's)
        self.live_files: dict[str, int] = {}  # what the site holds now (file -> inode): the spare after the swap
        self.removed = 0
        self.record: SiteRecord | None = None  # the site as the commit left it
        _FOLDERS_MADE.clear()
        real.parent.mkdir(parents=True, exist_ok=True)
        recover(real)
        self.previous, self.unreadable = load_record(record) if real.is_dir() else (SiteRecord(), None)
        self.foreign: dict[str, Stat] = {}  # files put in the site by hand: kept (see `_find_foreign`)
        self.trusted = self._sync()  # files of the site as the last build left them, now also in the spare

    def _sync(self) -> dict[str, Stat]:
        """Make the spare hold exactly the site's files that are as the last build wrote them, and the files
        someone put there by hand."""
        live = str(self.live)
        trusted: dict[str, Stat] = {}
        for rel, known in self.previous.files.items():
            try:
                st = os.lstat(os.path.join(live, rel))
            except OSError:
                continue  # deleted by hand (or never there): made again
            if (st.st_size, st.st_mtime_ns, st.st_ino) == known:
                trusted[rel] = known
            else:
                self.live_files[rel] = st.st_ino  # edited by hand: made again, but it is there until the swap
        self.foreign = self._find_foreign()
        wanted = {**trusted, **self.foreign}
        self.live_files.update((rel, stat_[2]) for rel, stat_ in wanted.items())
        spare = str(self.staging)
        if not os.path.isdir(spare):
            if os.path.lexists(spare):
                os.unlink(spare)
            os.mkdir(spare)
        known_spare = self.previous.spare if not os.path.lexists(os.path.join(spare, UNFINISHED)) else None
        with open(os.path.join(spare, UNFINISHED), "wb"):
            pass
        if known_spare is not None:  # the spare is the site before the last swap, which the record describes
            present = self._sync_known(known_spare, wanted)
        else:
            present = self._sync_unknown(wanted)
        for rel in wanted.keys() - present:
            target = os.path.join(spare, rel)
            _make_folder(os.path.dirname(target))
            os.link(os.path.join(live, rel), target, follow_symlinks=False)
        return trusted

    def _sync_known(self, known_spare: dict[str, int], wanted: dict[str, Stat]) -> set[str]:
        spare = str(self.staging)
        present: set[str] = set()
        emptied: set[str] = set()
        for rel, inode in known_spare.items():
            want = wanted.get(rel)
            if want is not None and want[2] == inode:
                present.add(rel)
                continue
            path = os.path.join(spare, rel)
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            emptied.add(os.path.dirname(path))
        for folder in sorted(emptied, reverse=True):
            _remove_empty_parents(folder, spare)
        return present

    def _sync_unknown(self, wanted: dict[str, Stat]) -> set[str]:
        """Walk the spare (a build stopped half-way, or no record): keep what is wanted, remove the rest."""
        spare = str(self.staging)
        present: set[str] = set()
        for dirpath, dirnames, names in os.walk(spare, topdown=False):
            rel_dir = os.path.relpath(dirpath, spare)
            prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
            for name in names:
                rel, path = prefix + name, os.path.join(dirpath, name)
                known = wanted.get(rel)
                if rel == UNFINISHED or known is not None and os.lstat(path).st_ino == known[2]:
                    present.add(rel)
                else:
                    os.unlink(path)
            for name in dirnames:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    os.unlink(path)
            if dirpath != spare and not os.listdir(dirpath):
                os.rmdir(dirpath)
        present.discard(UNFINISHED)
        return present

    def _find_foreign(self) -> dict[str, Stat]:
        """Files in the site that no build made (a CNAME, a verification file): those found last time, and new
        ones in the folders whose time changed since the last build (adding a file changes its folder's)."""
        live = str(self.live)
        found: dict[str, Stat] = {}

        def note(rel: str) -> None:
            try:
                st = os.lstat(os.path.join(live, rel))
            except OSError:
                return
            if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                found[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)

        for rel in self.previous.foreign:
            note(rel)
        made: Collection[str] = self.previous.files
        folders = self.previous.folders
        if not made:  # no record of the last build (the cache was deleted): look through the whole site
            made, folders = manifest(self.live), {"": -1}
        for folder, known in folders.items():
            path = os.path.join(live, folder)
            try:
                if os.stat(path).st_mtime_ns == known:
                    continue
                entries = list(os.scandir(path))
            except OSError:
                continue
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if rel in made or rel in folders:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    for dirpath, _, names in os.walk(entry.path):
                        prefix = os.path.relpath(dirpath, live).replace(os.sep, "/")
                        for name in names:
                            if f"{prefix}/{name}" not in made:
                                note(f"{prefix}/{name}")
                elif rel != MANIFEST:
                    note(rel)
        return found

    def is_kept(self, rel: str) -> bool:
        """The site's file `rel` is as the last build wrote it (so a page need not be rendered again)."""
        return rel in self.trusted

    def add(self, rel: str, data: bytes | str) -> None:
        write_file(self.staging, rel, data.encode("utf-8") if isinstance(data, str) else data)
        self.files.add(rel)
        self.written.add(rel)

    def keep(self, rel: str) -> None:
        """A file already in the site with the right bytes: it stays as it is."""
        if rel not in self.trusted:
            raise ValueError(f"{rel} is not a file of the last build")
        self.files.add(rel)

    def rendered(self, names: Iterable[str]) -> None:
        """Pages written into the staging folder by `write_file` (in worker processes)."""
        names = set(names)
        self.files.update(names)
        self.written.update(names)

    def add_copy(self, rel: str, source: Path) -> None:
        """A copy of a file (theme asset, static file, image derivative). Never a link: people edit the
        published folder, and that must not change the theme, the content or the cache."""
        target = os.path.join(self.staging, rel)
        self.files.add(rel)
        if rel in self.trusted and _same_bytes(str(source), target):
            return
        _clear(target)
        shutil.copyfile(source, target)
        self.written.add(rel)

    def forget(self, folder: str) -> None:
        """Empty a folder of the spare that a tool is about to write afresh (the search index)."""
        shutil.rmtree(self.staging / folder, ignore_errors=True)
        self.files = {f for f in self.files if not f.startswith(folder + "/")}
        self.trusted = {f: s for f, s in self.trusted.items() if not f.startswith(folder + "/")}

    def written_by_tool(self, names: Iterable[str]) -> None:
        """Files a tool wrote into the spare (the search index)."""
        names = set(names)
        self.files.update(names)
        self.written.update(names)

    def remove_stale(self) -> None:
        """Remove from the spare the files of the last build that this one did not make (removed content)."""
        spare = str(self.staging)
        for rel in sorted(set(self.trusted) - self.files, reverse=True):
            path = os.path.join(spare, rel)
            if os.path.isfile(path) and not os.path.islink(path):  # else already made way for a new file
                os.unlink(path)
            _remove_empty_parents(os.path.dirname(path), spare)
            del self.trusted[rel]
            self.removed += 1

    def discard(self) -> None:
        """The build failed: the site is left as it was; the spare is put right by the next build."""

    def commit(self) -> WriteStats:
        """Swap the new site in, whole. Returns what changed compared with the site before."""
        stats = WriteStats()
        spare = str(self.staging)
        self.record_path.unlink(missing_ok=True)  # until the swap is done, no record describes the site
        self.files.discard(MANIFEST)
        manifest = json.dumps(sorted(self.files), indent=0) + "\n"
        self.files.add(MANIFEST)
        self.remove_stale()
        self.add(MANIFEST, manifest)
        os.unlink(os.path.join(spare, UNFINISHED))  # (with no record, the next build would look it over anyway)
        kept_foreign = {rel for rel in self.foreign if rel not in self.files and os.path.lexists(os.path.join(spare, rel))}
        record = SiteRecord(foreign=kept_foreign, spare=self.live_files)
        for rel in sorted(self.files):
            now = self.trusted.get(rel) if rel not in self.written else None
            if now is None:
                st = os.lstat(os.path.join(spare, rel))
                now = (st.st_size, st.st_mtime_ns, st.st_ino)
            if rel != MANIFEST:
                if self.trusted.get(rel) == now:
                    stats.unchanged += 1
                else:
                    stats.written += 1
            record.files[rel] = now
        for rel in self.files | kept_foreign:
            parent = os.path.dirname(rel)
            while parent not in record.folders:
                record.folders[parent] = os.stat(os.path.join(spare, parent)).st_mtime_ns
                parent = os.path.dirname(parent)
        stats.removed = self.removed
        if self.live.is_dir():
            swap(self.staging, self.live)
        else:
            os.rename(self.staging, self.live)  # the first build: the spare becomes the site
        save_record(self.record_path, record)
        self.record = record
        return stats


def _remove_empty_parents(folder: str, stop: str) -> None:
    while folder != stop and os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)
