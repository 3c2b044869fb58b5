"""The record of a site as the last build left it (every file with its size, time and inode, every folder's
time, the files put there by hand, what the spare holds and its folders' times), and the manifest file every
built site carries. writer.py reads it to know which files of the site it can trust, and writes it after each
swap."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .snapshot import read_pickle, save_pickle

MANIFEST = ".showcase-files.json"  # what the last build wrote: proof that the folder is showcase's own
RECORD_VERSION = "6"

Stat = tuple[int, int, int]  # size, modification time (ns), inode


@dataclass
class SiteRecord:
    """The site as the last build left it."""

    files: dict[str, Stat] = field(default_factory=dict)  # every file the build made
    folders: dict[str, int] = field(default_factory=dict)  # every folder -> its time ("" is the site's own)
    foreign: set[str] = field(default_factory=set)  # files someone put in the site by hand
    spare: dict[str, int] | None = None  # what the spare folder holds (file -> inode): the site before the swap
    # the time of each of the spare's folders, as the build before the swap found them in the site (see
    # writer.Output.commit: the next build takes the times of the folders it does not change from here)
    spare_folders: dict[str, int] | None = None
    # the spare folder's inode and times after the swap: another build into the same site with another build
    # cache (whose record this is not) changes them, and then `spare` cannot be trusted
    spare_stamp: tuple[int, int, int] | None = None


def folder_stamp(path: str | Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_ctime_ns


def load_record(path: Path) -> tuple[SiteRecord, str | None]:
    """The record, and why it could not be read if so (then nothing in the site is trusted: all is made again)."""
    record, why = read_pickle(path, RECORD_VERSION, SiteRecord)
    return record or SiteRecord(), why


def save_record(path: Path, record: SiteRecord) -> None:
    save_pickle(path, RECORD_VERSION, record)


def manifest(live: Path) -> set[str]:
    try:
        return set(json.loads((live / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()
