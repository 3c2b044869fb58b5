"""The store of artwork image derivatives: files (and folders of deep-zoom tiles) named by a digest of everything
their bytes depend on, a small JSON record per source (what planning measured, so a warm build never decodes), and
pruning of what a build no longer uses. A read-only store reads what is there and writes nothing, anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Only files that look like ours are ever pruned, so a mistyped cache folder loses nothing else.
_DERIVATIVE_NAME = re.compile(r"-[0-9a-f]{10}\.(?:webp|jpg|png|avif)$")
_PYRAMID_NAME = re.compile(r"-zoom-[0-9a-f]{10}$")  # a folder of tiles (tiles.py), which appears whole or not at all
_TEMP_PREFIX = ".tmp-"


class ImageCache:
    """Derivatives in `folder`, records in `folder/meta`; `version` is the imaging code's version, part of
    every name and record, so that nothing made by other code is ever served."""

    def __init__(self, folder: Path, version: str, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.meta_folder = self.folder / "meta"
        self.version = version
        self.read_only = read_only
        if not read_only:
            self.meta_folder.mkdir(parents=True, exist_ok=True)
        self._names: set[str] | None = None  # derivatives and tile folders in the folder, listed once
        self.damaged: list[tuple[Path, str]] = []  # records that could not be read, and why (see record)

    def name(self, stem: str, extension: str, spec: Any) -> str:
        """'<stem>-<digest>.<extension>'; spec (JSON-serialisable) must hold all the bytes depend on."""
        return f"{stem}-{self._digest(spec)}.{extension}"

    def folder_name(self, stem: str, spec: Any) -> str:
        """'<stem>-zoom-<digest>', the name of a folder of tiles, as name() names a file."""
        return f"{stem}-zoom-{self._digest(spec)}"

    def _digest(self, spec: Any) -> str:
        return hashlib.sha256(json.dumps([self.version, spec]).encode()).hexdigest()[:10]

    def path(self, name: str) -> Path:
        return self.folder / name

    def has(self, name: str) -> bool:
        if self._names is None:
            try:
                self._names = {e.name for e in os.scandir(self.folder)
                               if e.is_file() or (_PYRAMID_NAME.search(e.name) and e.is_dir())}
            except FileNotFoundError:  # a read-only look at a cache never made
                self._names = set()
        return name in self._names

    def added(self, names: Iterable[str]) -> None:
        """Note files (and tile folders) written into the folder (by write_atomic, in worker processes)."""
        if self._names is not None:
            self._names.update(names)

    def record(self, source_hash: str) -> dict[str, Any] | None:
        """What remember() stored for a source, or None (missing, unreadable, other version). A record that cannot
        be read is added to `damaged` (to be said) and, unless the store is read-only, removed: said once."""
        path = self.meta_folder / f"{source_hash}.json"
        try:
            stored = json.loads(path.read_text("utf-8"))
            why = "" if isinstance(stored, dict) else "not a record"
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            why = str(exc) if isinstance(exc, ValueError) else exc.strerror or str(exc)
        if why:
            if all(path != known for known, _ in self.damaged):  # (two artworks may show one image)
                self.damaged.append((path, why))
            if not self.read_only:
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # (a folder of that name, say: the build goes on without the record)
                    pass
            return None
        if stored.pop("version", None) != self.version:
            return None
        return stored

    def remember(self, source_hash: str, record: dict[str, Any]) -> None:
        if not self.read_only:
            content = json.dumps({"version": self.version, **record}, sort_keys=True).encode()
            write_atomic(self.meta_folder / f"{source_hash}.json", content)

    def prune(self, names: Iterable[str], source_hashes: Iterable[str]) -> int:
        """Delete derivatives, tile folders, records and abandoned temporary files other than these (a name
        "folder/file" keeps its folder); returns how many."""
        if self.read_only:
            raise RuntimeError("a read-only image cache cannot be pruned")
        names = set(names)
        removed = self._prune_folders({name.split("/", 1)[0] for name in names if "/" in name})
        for folder, keep, ours in (
            (self.folder, set(names), lambda n: bool(_DERIVATIVE_NAME.search(n))),
            (self.meta_folder, {f"{h}.json" for h in source_hashes}, lambda n: n.endswith(".json")),
        ):
            for entry in os.scandir(folder):
                name = entry.name
                if entry.is_file() and name not in keep and (ours(name) or name.startswith(_TEMP_PREFIX)):
                    os.unlink(entry.path)
                    removed += 1
                    if self._names is not None:
                        self._names.discard(name)
        return removed

    def _prune_folders(self, keep: set[str]) -> int:
        removed = 0
        for entry in os.scandir(self.folder):
            name = entry.name
            ours = _PYRAMID_NAME.search(name) or name.startswith(_TEMP_PREFIX)
            if ours and name not in keep and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
                removed += 1
                if self._names is not None:
                    self._names.discard(name)
        return removed


def write_atomic(path: Path, content: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
