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

What that costs at every build, in proportion to the site: an lstat of every file of the site (a file edited
in place changes nothing else, so nothing cheaper would notice it) and a stat of every folder of the site
(a file put there by hand changes its folder's time); the preview has a helper process do that while it plans
a story added or removed (look_ahead.py). The record of the site written after the swap needs the
time of every folder of the new site: only the folders this build added something to or removed something from
are asked; the others are as the build before found them when they were the site's (see `commit`).

One build at a time may write a site: see lock.py.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .look_ahead import Helper
from .siterecord import (
    MANIFEST,
    SiteRecord,
    Stat,
    folder_stamp,
    load_record,
    save_record,
)
from .spare import (
    FOLDERS_MADE,
    UNFINISHED,
    SpareFolder,
    make_folder,
    remove_empty_parents,
    spare_of,
)
from .swap import recover, swap
from .theme import default_theme_dir


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
    for themes in (content_r.parent / "themes", default_theme_dir().resolve()):  # where every theme lives
        if out_r == themes or out_r.is_relative_to(themes):  # (its assets would publish the last site in the next)
            raise UsageError(f"the output folder {out} is inside the theme folder {themes}; choose another --out")
    if out_r == Path.home().resolve() or out_r == Path(out_r.anchor):
        raise UsageError(f"refusing to build into {out}; choose a folder such as _site")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file, not a folder")
    if out.is_dir() and not out.stat().st_mode & stat.S_IWUSR:  # made read-only by its owner: not ours to replace
        raise UsageError(f"{out} is read-only; make it writable (chmod u+w {out}) to build into it, or choose "
                         "another --out")
    above = next((folder for folder in out_r.parents if folder.exists()), None)
    if above is not None and not above.is_dir():
        raise UsageError(f"{above} is a file, so {out} cannot be made; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise UsageError(f"{out} is not empty and was not made by showcase; choose an empty or new folder")


# --- writing files into the spare ----------------------------------------------------------------------

def _clear(path: str) -> None:
    """Make way for a new file at `path`: remove what is there (a file of the last build, or a folder where
    a file now goes), or make its folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        make_folder(os.path.dirname(path))
        return
    except NotADirectoryError:
        make_folder(os.path.dirname(path))
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

class Output(SpareFolder):
    """The next version of the site, made in the spare folder beside it (see the module's docstring).
    `known`: the record of the site where the caller keeps it in memory and knows it is the one saved at
    `record` (the preview, warm.py); else it is read from there. `look_ahead`: a helper holding `known` looks the
    site over while the caller plans, and the spare is brought up to date when the build first asks what is in
    the site (see look_ahead.py); nothing is written into the spare before that."""

    def __init__(self, out: Path, record: Path, known: SiteRecord | None = None, look_ahead: Helper | None = None):
        real = out.resolve()  # a site folder that is a link: swap the folder it points to
        self.out = out
        self.live = real
        self.staging = spare_of(out)
        self.record_path = record
        self.files: set[str] = set()  # every file of the new site
        self.written: set[str] = set()  # files this build may have written (else they are the last build's)
        self.live_files: dict[str, int] = {}  # what the site holds now (file -> inode): the spare after the swap
        self.removed = 0
        self.record: SiteRecord | None = None  # the site as the commit left it
        FOLDERS_MADE.clear()
        real.parent.mkdir(parents=True, exist_ok=True)
        recover(real)
        if not real.is_dir():
            self.previous, self.unreadable = SiteRecord(), None
        elif known is not None:
            self.previous, self.unreadable = known, None
        else:
            self.previous, self.unreadable = load_record(record)
        self.foreign: dict[str, Stat] = {}  # files put in the site by hand: kept (see `_find_foreign`)
        self.others = False  # the site was written by a build with another build cache since the last of this one
        self.live_folders: dict[str, int] = {}  # the site's folders' times, as found: the spare's after the swap
        self.spare_folders: dict[str, int] | None = None  # the spare's folders' times as the last build left them
        self.touched: set[str] = set()  # folders of the spare this build added to or removed from (and parents)
        self.look_ahead: Helper | None = None  # looking the site over until the build first asks what is in it
        if look_ahead is not None and known is not None and look_ahead.serves(real, known):
            self.look_ahead = look_ahead  # (one not taken is the caller's to stop)
            look_ahead.look()
        self._trusted = None if self.look_ahead is not None else self._sync()

    @property
    def trusted(self) -> dict[str, Stat]:
        """The files of the site as the last build left them, now also in the spare."""
        if self._trusted is None:
            helper, self.look_ahead = self.look_ahead, None
            self._trusted = self._sync(helper.result() if helper is not None else None)
        return self._trusted

    @trusted.setter
    def trusted(self, files: dict[str, Stat]) -> None:
        self._trusted = files

    def known_stat(self, rel: str) -> Stat | None:
        """The size, time and inode of the site's file `rel`, where this build has not written it and it is as
        the last build left it (looked at when the spare was brought up to date), else None."""
        return self.trusted.get(rel) if rel not in self.written else None

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

    def keep_all(self, names: Iterable[str]) -> set[str]:
        """Keep every one of `names` that is as the last build wrote it; the others (edited or deleted by hand
        since) are returned."""
        names = set(names)
        kept = names & self.trusted.keys()
        self.files |= kept
        return names - kept

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
        self._touch(f"{folder}/")
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
            remove_empty_parents(os.path.dirname(path), spare)
            self._touch(rel)
            del self.trusted[rel]
            self.removed += 1

    def discard(self) -> None:
        """The build failed: the site is left as it was; the spare is put right by the next build."""
        if self.look_ahead is not None:
            self.look_ahead.stop()
            self.look_ahead = None

    def commit(self) -> WriteStats:
        """Swap the new site in, whole. Returns what changed compared with the site before.

        The record written afterwards holds every file's size, time and inode (the files this build wrote are
        asked, the others it has), and every folder's time: the folders this build added something to or removed
        something from are asked; the others are as they were when this spare was the site, which the build
        before found (its `live_folders`, kept in the record as `spare_folders`). Where that is not known (the
        spare was looked over afresh, or this is the first build) every folder is asked."""
        stats = WriteStats()
        spare = os.path.join(self.staging, "")
        self.record_path.unlink(missing_ok=True)  # until the swap is done, no record describes the site
        self.files.discard(MANIFEST)
        listed = MANIFEST in self.trusted and self.previous.files.keys() == self.files | {MANIFEST}
        self.files.add(MANIFEST)
        self.remove_stale()
        if listed:  # the same files as the last build: the manifest in the site lists them already
            self.keep(MANIFEST)
        else:
            self.add(MANIFEST, json.dumps(sorted(self.files - {MANIFEST}), indent=0) + "\n")
        os.unlink(spare + UNFINISHED)  # (with no record, the next build would look it over anyway)
        kept_foreign = {rel for rel in self.foreign if rel not in self.files and os.path.lexists(spare + rel)}
        # what the site holds now becomes the spare; with no record of the site, or a site another build wrote
        # since, its files were not all looked at (only those the record names are, and those put there by
        # hand): the next build walks it instead
        spare_files = self.live_files if self.previous.files and not self.others else None
        record = SiteRecord(foreign=kept_foreign, spare=spare_files, spare_folders=self.live_folders)
        trusted, written = self.trusted, self.written
        for rel in self.files:
            known = trusted.get(rel)
            if known is None or rel in written:
                st = os.lstat(spare + rel)
                now = (st.st_size, st.st_mtime_ns, st.st_ino)
            else:
                now = known
            if rel != MANIFEST:
                if known == now:
                    stats.unchanged += 1
                else:
                    stats.written += 1
            record.files[rel] = now
        for rel in written:
            self._touch(rel)
        known_times = self.spare_folders
        if listed and kept_foreign == self.previous.foreign:
            folders: Iterable[str] = self.previous.folders.keys()  # the same files: the same folders
        else:
            folders = _folders_of(self.files | kept_foreign)
        for folder in folders:
            if known_times is not None and folder not in self.touched and folder in known_times:
                record.folders[folder] = known_times[folder]
            else:
                record.folders[folder] = os.stat(spare + folder).st_mtime_ns
        stats.removed = self.removed
        if self.live.is_dir():
            swap(self.staging, self.live)
        else:
            os.rename(self.staging, self.live)  # the first build: the spare becomes the site
        record.spare_stamp = folder_stamp(self.staging)
        save_record(self.record_path, record)
        self.record = record
        return stats


def _folders_of(files: Iterable[str]) -> set[str]:
    """Every folder the given files of the site are in, the site's own ("") included."""
    folders = {""}
    for rel in files:
        while "/" in rel:
            rel = rel.rpartition("/")[0]
            if rel in folders:
                break
            folders.add(rel)
    return folders
