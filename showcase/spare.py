"""The spare folder beside the site brought up to date with it, cheaply, before a build writes into it (see
writer.py): every file of the site still as the last build wrote it is hard-linked into the spare, a file put
there by hand is kept, and anything else in the spare is removed. After a site's first build the preview makes the
spare in a quiet moment instead (make_spare). Looking the site over (look_over) only reads, so that another process
may do it (look_ahead.py)."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .siterecord import MANIFEST, SiteRecord, Stat, folder_stamp, manifest

UNFINISHED = ".showcase-unfinished"  # in the spare while a build changes it: its record cannot be trusted


FOLDERS_MADE: set[str] = set()


def make_folder(folder: str) -> None:
    if folder not in FOLDERS_MADE:  # thousands of files share a few folders: ask the disk once for each
        try:
            os.mkdir(folder)  # usually its parent is there already (every story has a folder of its own)
        except FileExistsError:
            if not is_folder(folder):
                _clear_files_on_the_way(folder)
                os.mkdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            _clear_files_on_the_way(folder)
            os.makedirs(folder, exist_ok=True)
        FOLDERS_MADE.add(folder)


def _clear_files_on_the_way(folder: str) -> None:
    """A file of the last build where this build needs a folder (a page took the place of a file)."""
    while folder and folder != os.path.dirname(folder):
        if os.path.lexists(folder) and not is_folder(folder):
            os.unlink(folder)
            return
        folder = os.path.dirname(folder)



def is_folder(path: str) -> bool:
    """A folder itself, not a link to one (a build never writes through a link)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _stat(path: str) -> Stat | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def spare_of(live: Path) -> Path:
    """The spare folder beside a site (of the folder it is, where the site's folder is a link)."""
    real = live.resolve()
    return real.parent / f".{real.name}.staging"


def make_spare(live: Path, record: SiteRecord) -> bool:
    """The spare of a site built for the first time, made in a quiet moment (the preview's, once the page is shown)
    instead of by the next build, which then only writes what changed. `live`: the folder the site was built into (a
    link resolved). Every file of the site still as `record` says the build wrote it is linked into the spare (at
    10,000 stories, 12,600 files: about a second), and `record` is made to say what the spare holds, for the caller
    to save. False when there is nothing to do: the spare is there already, the record describes no site, or the site's
    folder or one of its folders is not a folder now (the next build looks it over)."""
    if live.resolve() != live:  # replaced by a link since the build
        return False
    spare = spare_of(live)
    if record.spare is not None or not record.files or os.path.lexists(spare):
        return False
    site = os.path.join(live, "")
    if not all(is_folder(site + folder) for folder in record.folders):
        return False
    os.mkdir(spare)
    marker = os.path.join(spare, UNFINISHED)  # until the record says what it holds, a build looks it over
    with open(marker, "wb"):
        pass
    into = os.path.join(spare, "")
    held: dict[str, int] = {}
    FOLDERS_MADE.clear()
    for rel, known in record.files.items():
        if _stat(site + rel) == known:  # (else edited or deleted by hand: the next build makes it)
            make_folder(os.path.dirname(into + rel))
            os.link(site + rel, into + rel, follow_symlinks=False)
            held[rel] = known[2]
    os.unlink(marker)
    record.spare = held
    record.spare_folders = {folder: st.st_mtime_ns for folder in record.folders
                            if (st := _folder_stat(into + folder)) is not None}
    record.spare_stamp = folder_stamp(spare)
    return True


def _folder_stat(path: str) -> os.stat_result | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISDIR(st.st_mode) else None


@dataclass
class Look:
    """The site's files as found before a build writes its spare (see look_over)."""

    trusted: dict[str, Stat] = field(default_factory=dict)  # as the last build wrote them
    edited: dict[str, int] = field(default_factory=dict)  # there, but not as written (by hand): file -> inode
    foreign: dict[str, Stat] = field(default_factory=dict)  # put there by hand, where no build made a file
    live_folders: dict[str, int] = field(default_factory=dict)  # the site's folders' times: the spare's after the swap
    odd: set[str] = field(default_factory=set)  # folders of the site that are not folders now (a link put there)
    others: bool = False  # another build (with another build cache) wrote the site since the last of this record


def look_over(live: Path, previous: SiteRecord) -> Look:
    """The site's files as found: an lstat of each file the last build wrote (`previous`), and of each folder of
    the site, for the files put there by hand (see _find_foreign). Only reads."""
    site = os.path.join(live, "")  # (its files' names are joined to it thousands of times)
    look = Look()
    trusted, edited = look.trusted, look.edited
    lstat = os.lstat
    for rel, known in previous.files.items():
        try:
            st = lstat(site + rel)
        except OSError:
            continue  # deleted by hand (or never there): made again
        if st.st_mtime_ns == known[1] and st.st_size == known[0] and st.st_ino == known[2]:
            trusted[rel] = known
        else:
            edited[rel] = st.st_ino  # edited by hand: made again, but it is there until the swap
    look.foreign = _find_foreign(live, previous, look)
    if look.odd:
        for rel in [rel for rel in trusted if _under(rel, look.odd)]:
            edited[rel] = trusted.pop(rel)[2]
    return look


def _find_foreign(live_path: Path, previous: SiteRecord, look: Look) -> dict[str, Stat]:
    """Files in the site that no build made (a CNAME, a verification file): those found last time, and new
    ones in the folders whose time changed since the last build (adding a file changes its folder's). The
    times found are kept (`live_folders`): they are the spare's after the swap."""
    live = str(live_path)
    found: dict[str, Stat] = {}

    def note(rel: str) -> None:
        try:
            st = os.lstat(os.path.join(live, rel))
        except OSError:
            return
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
            found[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)

    for rel in previous.foreign:
        note(rel)
    made: Collection[str] = previous.files
    folders = previous.folders
    if not made:  # no record of the last build (the cache was deleted): look through the whole site
        made = manifest(live_path)
        folders = {"": -1}
        for rel in made:
            while "/" in rel:
                rel = rel.rpartition("/")[0]
                folders[rel] = -1
    elif _stat(os.path.join(live, MANIFEST)) != previous.files.get(MANIFEST):
        # another build wrote the site since (one with another build cache): what it made is not foreign
        made = previous.files.keys() | manifest(live_path)
        look.others = True
    site = os.path.join(live, "")
    for folder, known in folders.items():
        path = site + folder
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            if stat.S_ISLNK(st.st_mode):
                look.odd.add(folder)  # its files are not the site's; the spare is walked next time
                look.others = True
            continue
        mtime = st.st_mtime_ns
        look.live_folders[folder] = mtime
        if mtime == known:
            continue
        try:
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
    return {rel: found_ for rel, found_ in found.items() if not _under(rel, look.odd)} if look.odd else found


def remove_empty_parents(folder: str, stop: str) -> None:
    """Remove `folder` if empty, then its parents, up to `stop` (an rmdir refused says a folder is not empty, or
    not a folder: cheaper than listing a folder of ten thousand stories)."""
    while folder != stop:
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)


class SpareFolder:
    """What writer.Output does to its spare before anything is written (its fields are set in Output.__init__)."""

    live: Path
    staging: Path
    previous: SiteRecord
    live_files: dict[str, int]
    live_folders: dict[str, int]
    spare_folders: dict[str, int] | None
    touched: set[str]
    foreign: dict[str, Stat]
    others: bool  # another build (with another build cache) wrote the site since the last one of this record

    def _sync(self, look: Look | None = None) -> dict[str, Stat]:
        """Make the spare hold exactly the site's files that are as the last build wrote them, and the files
        someone put there by hand. `look`: the site as a helper process looked it over while the build planned
        (look_ahead.py; None: looked over now). A while has passed since then, so each file linked into the spare
        is asked again whether it is still as the look found it."""
        live = os.path.join(self.live, "")  # (its files' names are joined to it thousands of times)
        looked_before = look is not None
        if look is None:
            look = look_over(self.live, self.previous)
        trusted, self.foreign = look.trusted, look.foreign
        self.others = self.others or look.others
        self.live_folders.update(look.live_folders)
        self.live_files.update(look.edited)
        wanted = {**trusted, **self.foreign}
        self.live_files.update((rel, stat_[2]) for rel, stat_ in wanted.items())
        spare = str(self.staging)
        made_now = not os.path.isdir(spare)
        if made_now:
            if os.path.lexists(spare):
                os.unlink(spare)
            os.mkdir(spare)
        known_spare = self.previous.spare if not os.path.lexists(os.path.join(spare, UNFINISHED)) else None
        if made_now:
            known_spare = {}  # (the record may say what a spare removed by hand held)
        elif folder_stamp(spare) != self.previous.spare_stamp:
            known_spare = None  # another build (with another build cache) changed the spare since: walk it
        with open(os.path.join(spare, UNFINISHED), "wb"):
            pass
        self.touched.add("")
        if known_spare is not None:  # the spare is the site before the last swap, which the record describes
            self.spare_folders = {} if made_now else self.previous.spare_folders
            present = self._sync_known(known_spare, wanted)
        else:
            present = self._sync_unknown(wanted)
        spare = os.path.join(spare, "")
        for rel in wanted.keys() - present:
            target = spare + rel
            make_folder(os.path.dirname(target))
            try:
                os.link(live + rel, target, follow_symlinks=False)
                changed = looked_before and _stat(target) != wanted[rel]
            except FileNotFoundError:
                changed = True
            self._touch(rel)
            if changed:  # deleted, replaced or edited by hand since it was looked at: made again
                if os.path.lexists(target):
                    os.unlink(target)
                trusted.pop(rel, None)
                self.foreign.pop(rel, None)
                now = _stat(live + rel)
                if now is None:
                    self.live_files.pop(rel, None)
                else:
                    self.live_files[rel] = now[2]  # (there until the swap)
        return trusted

    def _touch(self, rel: str) -> None:
        """Something was added or removed at `rel` in the spare: its folder's time changed (and, where folders
        were made or removed on the way, its parents'), so `commit` asks for them."""
        touched = self.touched
        while rel:
            rel = rel.rpartition("/")[0]
            if rel in touched:
                return  # and so are its parents
            touched.add(rel)

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
            except (IsADirectoryError, PermissionError):  # a folder made by hand where a file was
                shutil.rmtree(path, ignore_errors=True)
            if want is None:  # (else the site's file is linked in its place next: its folder stays)
                emptied.add(os.path.dirname(path))
            self._touch(rel)
        for folder in sorted(emptied, reverse=True):
            remove_empty_parents(folder, spare)
        return present

    def _sync_unknown(self, wanted: dict[str, Stat]) -> set[str]:
        """Walk the spare (a build stopped half-way, or no record): keep what is wanted, remove the rest. (The
        times of its folders are not known then: `commit` asks for each.)"""
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

def _under(rel: str, folders: set[str]) -> bool:
    """Whether a file is in one of these folders, at any depth."""
    while "/" in rel:
        rel = rel.rpartition("/")[0]
        if rel in folders:
            return True
    return False
