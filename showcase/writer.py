"""Safe output: everything is staged first; the site folder changes only when the whole build succeeded."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

MANIFEST = ".showcase-files.json"  # what the last build wrote, so stale files (and only those) are removed


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


_FOLDERS_MADE: set[str] = set()


def _make_folder(folder: str) -> None:
    if folder not in _FOLDERS_MADE:  # thousands of files share a few folders: ask the disk once for each
        try:
            os.mkdir(folder)  # usually its parent is there already (every story has a folder of its own)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        _FOLDERS_MADE.add(folder)


def write_file(staging: Path, rel: str, data: bytes) -> None:
    path = os.path.join(staging, rel)
    folder = os.path.dirname(path)
    _make_folder(folder)
    with open(path, "wb") as handle:
        handle.write(data)


class Output:
    """A staging folder beside the site; `commit` moves changed files in atomically, one by one."""

    def __init__(self, out: Path):
        self.out = out
        self.staging = out.parent / f".{out.name}.staging"
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left by a build that was interrupted
        self.staging.mkdir(parents=True)
        _FOLDERS_MADE.clear()
        self.files: set[str] = set()
        self.kept: set[str] = set()

    def add(self, rel: str, data: bytes | str) -> None:
        path = self.staging / rel
        if path.exists():  # never write through a link into a file that lives elsewhere
            path.unlink()
        write_file(self.staging, rel, data.encode("utf-8") if isinstance(data, str) else data)
        self.files.add(rel)

    def keep(self, rel: str) -> None:
        """A file already in the site with the right bytes: it stays as it is, nothing is staged."""
        self.files.add(rel)
        self.kept.add(rel)

    def stage_kept(self, suffix: str) -> None:
        """Link kept files into the staging folder, for tools that need the whole site there (search)."""
        for rel in sorted(self.kept):
            if rel.endswith(suffix) and not (self.staging / rel).exists():
                self.add_copy(rel, self.out / rel)

    def add_copy(self, rel: str, source: Path, link: bool = True) -> None:
        """Stage a copy of a file. `link`: a hard link is enough, for files nobody edits in place (the image
        cache, the theme, the previous site); an editor's own files are always copied, so that the
        published site never shares bytes with the content folder."""
        target = self.staging / rel
        _make_folder(str(target.parent))
        if target.exists():
            target.unlink()
        if link:
            try:
                os.link(source, target)
                self.files.add(rel)
                return
            except OSError:
                pass
        shutil.copyfile(source, target)
        self.files.add(rel)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteStats:
        stats = WriteStats()
        if not self.out.exists():  # a first build: the whole staging folder becomes the site at once
            os.replace(self.staging, self.out)
            stats.written = len(self.files)
            self._write_manifest()
            return stats
        # Files of removed content go first, so that a page may take the place of an old file or folder.
        for rel in sorted(_manifest(self.out) - self.files, reverse=True):
            path = self.out / rel
            if path.is_file() or path.is_symlink():
                path.unlink()
                stats.removed += 1
                _remove_empty_parents(path.parent, self.out)
        for rel in sorted(self.files):
            if rel in self.kept and not (self.staging / rel).exists():
                stats.unchanged += 1
                continue
            staged, final = self.staging / rel, self.out / rel
            if final.is_file() and _same(staged, final):
                stats.unchanged += 1
                continue
            _make_folder(str(final.parent))
            os.replace(staged, final)
            stats.written += 1
        self._write_manifest()
        self.discard()
        return stats

    def _write_manifest(self) -> None:
        manifest = json.dumps(sorted(self.files), indent=0).encode() + b"\n"
        manifest_path = self.out / MANIFEST
        if not manifest_path.is_file() or manifest_path.read_bytes() != manifest:
            tmp = self.out / (MANIFEST + ".tmp")
            tmp.write_bytes(manifest)
            os.replace(tmp, manifest_path)


def _same(a: Path, b: Path) -> bool:
    sa, sb = a.stat(), b.stat()
    if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
        return True
    if sa.st_size != sb.st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            chunk = fa.read(1 << 16)
            if chunk != fb.read(1 << 16):
                return False
            if not chunk:
                return True


def _manifest(out: Path) -> set[str]:
    try:
        return set(json.loads((out / MANIFEST).read_text()))
    except (OSError, ValueError):
        return set()


def _remove_empty_parents(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
