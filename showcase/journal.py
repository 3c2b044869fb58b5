"""A record of the build cache too big to write whole after every build, kept as two files: the whole record as some
build wrote it, and beside it the entries of its largest dicts that changed since (`JournaledFile`). A build that
changed a few pages writes those entries and the small parts of the record, not the whole record again (at 10,000
stories, pickling the build cache's page records took a quarter of a second of every build that edited one story).
Reading puts the two together. Once the changes grow past a sixteenth of the entries, the whole record is written
again.

The whole file and its changes belong together by a mark the whole file carries. A build moves the whole file aside
before it swaps the new site in and puts it back only once the changes that describe the new site are written: a
build cut short in between leaves no record, never one that describes an older site.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .snapshot import read_pickle, save_pickle

_GONE = object()
CHANGES_LIMIT = 1 / 16  # of a dict's entries: beyond, the whole record is written again...
FEW = 64  # ... unless that is fewer than this many


@dataclass
class _Whole:
    mark: str  # tells which changes file belongs to this whole record
    value: Any


@dataclass
class _Changes:
    mark: str  # the whole record these changes are to
    value: Any  # the record, less the entries of its journaled dicts
    changed: dict[str, dict]  # journaled field -> its entries added or changed since the whole record
    removed: dict[str, list]  # journaled field -> its keys gone since


@dataclass
class _Read:
    mark: str
    touched: dict[str, set]  # journaled field -> its keys the changes file held (changed or removed)
    entries: dict[str, dict]  # journaled field -> the dict as read (a copy of it: the build may change the record's)


class JournaledFile:
    """A dataclass record of `kind` saved at `path` (and path's changes file), its dict fields named in `journaled`
    saved as changes where few changed since the record was read."""

    def __init__(self, path: Path, version: str, kind: type, journaled: tuple[str, ...]):
        self.path, self.version, self.kind, self.journaled = Path(path), version, kind, journaled
        self.changes = self.path.with_name(f"{self.path.stem}.changes{self.path.suffix}")
        self.aside = self.path.with_name(f"{self.path.stem}.aside{self.path.suffix}")
        self._read: _Read | None = None
        self._whole = self.path  # where the whole file read is (set_aside moves it)

    def read(self) -> tuple[Any, Path | None, str | None]:
        """(the record, None, None); (None, None, None) when there is none or another version wrote it; (None, the
        file, why) when a file of it cannot be read: that file is removed, so it is said once."""
        self._read, self._whole = None, self.path
        whole, why = read_pickle(self.path, self.version, _Whole)
        if why is not None:
            return None, self.path, why
        if whole is None:
            return None, None, None
        if not isinstance(whole.value, self.kind):
            self.path.unlink(missing_ok=True)
            return None, self.path, f"it holds a {type(whole.value).__name__}"
        changes, why = read_pickle(self.changes, self.version, _Changes)
        if why is not None:
            self.path.unlink(missing_ok=True)  # the changes are part of the record: without them it is an older one
            return None, self.changes, why
        value, touched = whole.value, {name: set() for name in self.journaled}
        if changes is not None and changes.mark == whole.mark and isinstance(changes.value, self.kind):
            value = changes.value
            for name in self.journaled:
                entries = getattr(whole.value, name)
                for key in changes.removed.get(name, ()):
                    entries.pop(key, None)
                entries.update(changes.changed.get(name, {}))
                object.__setattr__(value, name, entries)  # (also a frozen dataclass's)
                touched[name] = set(changes.changed.get(name, ())) | set(changes.removed.get(name, ()))
        self._read = self._as_read(whole.mark, touched, value)
        return value, None, None

    def set_aside(self) -> None:
        """Before the site the record describes is replaced: no record until `save`. The whole file is kept aside
        for the changes `save` may write to it (first, so that it never stands without its changes)."""
        if self._read is not None and self.path.exists():
            os.replace(self.path, self.aside)
            self._whole = self.aside
        else:
            self.path.unlink(missing_ok=True)
            self._read = None
        self.changes.unlink(missing_ok=True)

    def remove(self) -> None:
        """No record at all."""
        self._read, self._whole = None, self.path
        for path in (self.path, self.changes, self.aside):
            path.unlink(missing_ok=True)

    def save(self, value: Any) -> None:
        """The record: as the changes to the whole file read (and set aside) where few entries changed since, else
        whole."""
        read = self._read
        if read is not None and self._whole.exists():
            changes = self._changes(read, value)
            if changes is not None:
                save_pickle(self.changes, self.version, changes)  # (in place of the last changes, at once)
                if self._whole != self.path:
                    os.replace(self._whole, self.path)
                    self._whole = self.path
                self._read = self._as_read(read.mark, {name: set(changes.changed[name]) | set(changes.removed[name])
                                                       for name in self.journaled}, value)
                return
        mark = secrets.token_hex(8)
        save_pickle(self.path, self.version, _Whole(mark, value))  # (first: a record never goes back to an older
        self.changes.unlink(missing_ok=True)                        # one; its new mark makes the changes no one's)
        self.aside.unlink(missing_ok=True)
        self._whole = self.path
        self._read = self._as_read(mark, {name: set() for name in self.journaled}, value)

    def _as_read(self, mark: str, touched: dict[str, set], value: Any) -> _Read:
        """What the next save compares with: the record as it now stands on disk."""
        return _Read(mark, touched, {name: dict(getattr(value, name)) for name in self.journaled})

    def _changes(self, read: _Read, value: Any) -> _Changes | None:
        """What changed since the whole record was written (what the changes file read held, and what changed since
        it was read); None when that is too much to be worth it."""
        changed: dict[str, dict] = {}
        removed: dict[str, list] = {}
        for name in self.journaled:
            now, then = getattr(value, name), read.entries[name]
            touched = set(read.touched[name])
            touched.update(key for key, entry in now.items()
                           if (was := then.get(key, _GONE)) is not entry and was != entry)
            touched.update(then.keys() - now.keys())
            if len(touched) > max(FEW, len(now) * CHANGES_LIMIT):
                return None
            changed[name] = {key: now[key] for key in touched if key in now}
            removed[name] = [key for key in touched if key not in now]
        rest = dataclasses.replace(value, **{name: {} for name in self.journaled})
        return _Changes(read.mark, rest, changed, removed)
