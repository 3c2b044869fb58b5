"""How a save from the editor in the preview is checked and written (see editing.py for what protects it).

Every save (an entry with its uploads, an upload, a deletion) is first made in a copy of the content folder
(hard links, beside the build cache) and checked there by `python -m showcase check`; a save that would give
the site an error is refused with the messages of `check`. Paths are only ever `site.yaml` or a file directly
in one of the editor's folders, of the kind that folder holds, reached without following links; uploads are
limited in size and must be what their name says. Files are written whole (a hidden temporary file, then one
rename), one save at a time.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import secrets
import stat
import threading
from collections.abc import Iterable
from http import HTTPStatus
from pathlib import Path

import yaml

from .reading import readable
from .save_check import check_save
from .save_rules import (
    FOLDERS,
    IMAGE_SUFFIXES,
    MAX_TEXT,
    TEXT_SUFFIXES,
    Refused,
    Save,
    check_upload,
    megabytes,
)

WAIT_FOR_OTHERS = 45.0  # seconds a save waits for the saves before it


class Saver:
    """Checks and writes the saves of one content folder: one at a time, each whole or not at all."""

    def __init__(self, content: Path, cache: Path, strict: bool, base_url: str | None):
        self.content, self.cache, self.strict, self.base_url = content, cache, strict, base_url
        self._saving = threading.Lock()  # one save at a time: checked, then written, as a whole
        self._busy: set[str] = set()  # the files of the saves under way or waiting
        self._busy_lock = threading.Lock()
        # each text file's versions (SHA-256) the editor was given or wrote: a save over any other version would
        # overwrite a change made meanwhile outside the editor (in a text editor, by a git checkout)
        self._given: dict[str, set[str]] = {}

    def given(self, rel: str, version: str | None) -> None:
        """The editor was given this version of a file (its entry's id, the SHA-256 of its bytes)."""
        if version:
            with self._busy_lock:
                self._given.setdefault(rel, set()).add(version)

    def site_file(self) -> str:
        return next((name for name in ("site.yaml", "site.yml") if (self.content / name).is_file()), "site.yaml")

    def check_and_write(self, save: Save) -> list[str]:
        """Refused if the save breaks a rule of the API or the site; else written, and the real paths changed."""
        for path, data in save.write.items():
            self._may_write(path, data)
        for path in save.remove:
            self._may_write(path, None)
        keys = save.paths
        with self._busy_lock:
            clash = sorted(keys & self._busy)
            if clash:
                raise Refused(HTTPStatus.CONFLICT,
                              f"{self.shown(clash[0])} is being saved at this very moment by another save, so this "
                              "one was not written (nothing is mixed). Wait a moment, reload the entry and save "
                              "again if it still needs your change.")
            self._busy |= keys
        try:
            if not self._saving.acquire(timeout=WAIT_FOR_OTHERS):
                raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "Other saves are taking too long; nothing was "
                                                              "written. Try again in a moment.")
            try:
                self._with_artwork_images(save)
                self._not_changed_meanwhile(save)
                check_save(self, save)
                written = self._write(save)
                for rel, data in save.write.items():
                    self.given(rel, hashlib.sha256(data).hexdigest())
                return written
            finally:
                self._saving.release()
        finally:
            with self._busy_lock:
                self._busy -= keys

    def _not_changed_meanwhile(self, save: Save) -> None:
        """Refused if a text file the save replaces is a version the editor was never given: it was changed
        outside the editor since the form was opened, and saving would lose that change."""
        for rel, version in save.opened.items():  # what the page that saves opened: it must be as it was then
            real = readable(self.content, rel)
            try:
                now = hashlib.sha256(Path(real).read_bytes()).hexdigest() if real is not None else None
            except OSError:
                continue  # the write says what stands in its way
            if now != version:
                raise Refused(HTTPStatus.CONFLICT, self._meanwhile(rel, version, now))
        for rel in save.write:
            if posixpath.splitext(rel)[1].lower() not in TEXT_SUFFIXES or rel in save.opened:
                continue  # images and PDFs are replaced whole, by choice
            real = readable(self.content, rel)
            if real is None:
                continue  # a new file (or a link: the write refuses it)
            try:
                now = hashlib.sha256(Path(real).read_bytes()).hexdigest()
            except OSError:
                continue  # the write says what stands in its way
            if now not in self._given.get(rel, ()):
                raise Refused(HTTPStatus.CONFLICT,
                              f"{self.shown(rel)} was changed outside the editor after you opened it (in a text "
                              "editor, say), so this save was not written: it would undo that change. Copy what "
                              "you wrote, reload the entry to see the file as it is now, and make your change "
                              "again.")

    def _meanwhile(self, rel: str, version: str | None, now: str | None) -> str:
        """Why a save over a file changed since its form was opened is refused: saving would undo that change."""
        keep = ("so this save was not written: it would undo that change. Copy what you wrote, reload the entry to "
                "see the file as it is now, and make your change again.")
        if version is None:
            return (f"{self.shown(rel)} was made (in another tab or window of the editor, or outside it) while you "
                    "were writing this new entry, so this save was not written: it would replace that file. Copy what "
                    "you wrote, and save it under another title.")
        if now is None:
            return (f"{self.shown(rel)} was deleted (in another tab or window of the editor, or outside it) after "
                    "you opened it, so this save was not written. Copy what you wrote and reload the entry.")
        return (f"{self.shown(rel)} was changed after you opened it here (in another tab or window of the editor, "
                f"or outside it), {keep}")

    def shown(self, rel: str) -> str:
        return f"{self.content.name}/{rel}"

    def names(self, paths: Iterable[str]) -> str:
        return ", ".join(self.shown(p) for p in sorted(paths))

    def _may_write(self, rel: str, data: bytes | None) -> None:
        """The rules of the API for one file: where it may be, what it may be, how large (the build's own rules
        come after, in `_check`)."""
        parts = rel.split("/")
        suffix = posixpath.splitext(rel)[1].lower()
        site = len(parts) == 1 and parts[0] == self.site_file()
        if not site and not (len(parts) == 2 and parts[0] in FOLDERS and suffix in FOLDERS[parts[0]]):
            where = ", ".join(f"{name}/" for name in FOLDERS)
            if len(parts) == 2 and parts[0] in FOLDERS:
                kinds = ", ".join(sorted(FOLDERS[parts[0]]))
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{rel} cannot be saved: {parts[0]}/ holds only files ending {kinds}.")
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                          f"{rel} cannot be saved: the editor saves only {self.site_file()} and the files in "
                          f"{where} of the content folder.")
        self._no_links(parts)
        if data is None:
            return
        if site or suffix in TEXT_SUFFIXES:
            if len(data) > MAX_TEXT:
                raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                              f"{rel} is too long ({megabytes(len(data))}; at most {megabytes(MAX_TEXT)}).")
            return
        check_upload(rel, data)

    def _no_links(self, parts: list[str]) -> None:
        """Refuse a path that goes through a link or names something other than a file."""
        at = self.content
        for i, part in enumerate(parts):
            at = at / part
            try:
                mode = os.lstat(at).st_mode
            except FileNotFoundError:
                return
            except OSError as exc:
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{'/'.join(parts)} cannot be saved: {exc.strerror or exc}.") from None
            last = i == len(parts) - 1
            if stat.S_ISLNK(mode):
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{'/'.join(parts[:i + 1])} is a link; the editor does not save through links "
                              "(they could lead out of the content folder). Replace the link with the file.")
            if not last and not stat.S_ISDIR(mode) or last and not stat.S_ISREG(mode):
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                              f"{'/'.join(parts[:i + 1])} is not an ordinary "
                              f"{'folder' if not last else 'file'}, so nothing can be saved there.")

    def _with_artwork_images(self, save: Save) -> None:
        """An artwork is its sidecar and its image: a sidecar removed takes its image with it, and a sidecar
        that now names another image lets go of the one it named (unless another sidecar uses it)."""
        sidecars = [p for p in save.paths if p.startswith("artworks/") and p.endswith((".yaml", ".yml"))]
        if not sidecars:
            return
        folder = self.content / "artworks"
        try:
            names = {e.name for e in os.scandir(folder) if not e.name.startswith(".")}
        except OSError:
            return
        after = (names | {p.split("/", 1)[1] for p in save.write}) - {p.split("/", 1)[1] for p in save.remove}

        def current(name: str) -> bytes | None:
            try:
                return (folder / name).read_bytes()
            except OSError:
                return None

        let_go: set[str] = set()
        for path in sidecars:
            name = path.split("/", 1)[1]
            before = _artwork_images(name, current(name), names)
            now = _artwork_images(name, save.write[path], after) if path in save.write else set()
            let_go |= before - now
        if not let_go:
            return
        kept: set[str] = set()
        for other in after:
            path = f"artworks/{other}"
            if other.endswith((".yaml", ".yml")) and path not in sidecars:
                kept |= _artwork_images(other, current(other), after)
        for image in sorted(let_go - kept):
            path = f"artworks/{image}"
            if path not in save.write and (folder / image).is_file() and not (folder / image).is_symlink():
                save.remove.add(path)

    # -- writing

    def _write(self, save: Save) -> list[str]:
        """Write every file whole (each to a hidden temporary file first, all of them before any is put in
        place), then remove what goes; the real paths changed."""
        root = os.path.realpath(self.content)
        staged: list[tuple[int, str, str]] = []  # (folder fd, temporary name, name)
        folders: list[int] = []
        changed: list[str] = []
        try:
            for rel, data in save.write.items():
                *parents, name = rel.split("/")
                fd = _open_folder(root, parents, create=True)
                folders.append(fd)
                temporary = f".showcase-saving-{secrets.token_hex(6)}"
                mode = 0o666
                try:
                    existing = os.stat(name, dir_fd=fd, follow_symlinks=False)
                    if not stat.S_ISREG(existing.st_mode):
                        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{rel} is not an ordinary file.")
                    mode = stat.S_IMODE(existing.st_mode)
                except FileNotFoundError:
                    existing = None
                out = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=fd)
                staged.append((fd, temporary, name))
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(out, view):]
                    if existing is not None:
                        os.fchmod(out, mode)
                    os.fsync(out)
                finally:
                    os.close(out)
            _put_in_place([(*place, rel) for place, rel in zip(staged, save.write)])
            changed += [os.path.join(root, *rel.split("/")) for rel in save.write]
            staged = []
            for rel in sorted(save.remove):
                *parents, name = rel.split("/")
                try:
                    fd = _open_folder(root, parents, create=False)
                except FileNotFoundError:
                    continue
                folders.append(fd)
                try:
                    if stat.S_ISREG(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                        os.unlink(name, dir_fd=fd)
                        changed.append(os.path.join(root, *rel.split("/")))
                except FileNotFoundError:
                    pass
            for fd in set(folders):
                try:
                    os.fsync(fd)
                except OSError:
                    pass
        except OSError as exc:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"This save could not be written: "
                                                            f"{exc.strerror or exc}; the files are as they were.") from None
        finally:
            for fd, temporary, _ in staged:  # a save that failed half-way leaves no temporary file
                try:
                    os.unlink(temporary, dir_fd=fd)
                except OSError:
                    pass
            for fd in folders:
                os.close(fd)
        return changed


def _put_in_place(staged: list[tuple[int, str, str, str]]) -> None:
    """Each temporary file put in the place of its file (folder fd, temporary name, name, path in the content
    folder), all or none: each file there before is kept under a hidden name until all are in place, and put
    back, with the new files removed, if one cannot be."""
    before: list[tuple[int, str, str | None, str]] = []  # (folder fd, name, the hidden name of what was there, path)
    try:
        for fd, temporary, name, rel in staged:
            kept = f".showcase-before-{secrets.token_hex(6)}"
            try:
                os.link(name, kept, src_dir_fd=fd, dst_dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                kept = None
            before.append((fd, name, kept, rel))
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
    except OSError as exc:
        undone = []
        for fd, name, kept, rel in reversed(before):
            try:
                if kept is not None:
                    os.replace(kept, name, src_dir_fd=fd, dst_dir_fd=fd)
                    os.unlink(kept, dir_fd=fd)  # still there where the file was never replaced (the same file)
                else:
                    os.unlink(name, dir_fd=fd)
            except FileNotFoundError:
                pass
            except OSError:
                undone.append(rel)
        if undone:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"This save could not be written: {exc.strerror or exc}; "
                          f"{', '.join(sorted(undone))} could not be put back as it was: look at it before saving "
                          "again.") from None
        raise
    for fd, _, kept, _ in before:
        if kept is not None:
            try:
                os.unlink(kept, dir_fd=fd)
            except OSError:
                pass


def _artwork_images(sidecar: str, text: bytes | None, names: set[str]) -> set[str]:
    """The images of the artworks/ folder a sidecar uses: the one `image:` names, or those of its own name."""
    if text is not None:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            doc = None
        image = doc.get("image") if isinstance(doc, dict) else None
        if isinstance(image, str) and image and "/" not in image:
            return {image} & names
    stem = posixpath.splitext(sidecar)[0]
    return {n for n in names if posixpath.splitext(n)[0] == stem and posixpath.splitext(n)[1].lower()
            in IMAGE_SUFFIXES}


def _open_folder(root: str, parents: list[str], create: bool) -> int:
    """A descriptor of a folder of the content folder, opened part by part without following any link (a link
    put in place after the checks still cannot lead a save elsewhere); missing folders are made if `create`."""
    flags = os.O_RDONLY | os.O_DIRECTORY
    fd = os.open(root, flags)
    try:
        for part in parents:
            try:
                inner = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(part, 0o777, dir_fd=fd)
                inner = os.open(part, flags | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        return fd
    except BaseException:
        os.close(fd)
        raise
