"""Walk a content folder and sort its files by what they are, without reading them."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Diagnostics
from .markdown import ARTWORK_EXTENSIONS

MEDIA_EXTENSIONS = (".mp4", ".webm", ".mp3", ".m4a", ".ogg", ".vtt")


@dataclass
class ContentFiles:
    root: Path
    site: str | None = None
    projects: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    artwork_images: list[str] = field(default_factory=list)
    artwork_sidecars: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # reports/*.pdf
    pages: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    exhibitions: list[str] = field(default_factory=list)
    publications: str | None = None
    static: list[str] = field(default_factory=list)
    all: frozenset[str] = frozenset()  # every file, posix paths relative to root

    def path(self, rel: str) -> Path:
        return self.root / rel


_FOLDERS = {
    "projects": ((".yaml", ".yml"), "projects"),
    "stories": ((".md",), "stories"),
    "reports": ((".md",), "reports"),
    "pages": ((".md",), "pages"),
    "people": ((".yaml", ".yml"), "people"),
    "exhibitions": ((".yaml", ".yml", ".md"), "exhibitions"),
}


# files an operating system makes by itself in any folder (Windows' thumbnails and folder settings, macOS's icon)
SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"}


def discover(root: Path, diagnostics: Diagnostics) -> ContentFiles:
    files = ContentFiles(root=root)
    if not root.is_dir():
        diagnostics.error(root, "this is a file, not the content folder (the folder that holds site.yaml)"
                          if root.exists() else "the content folder does not exist")
        return files
    real_root = root.resolve()
    found: list[str] = []
    folders = [""]
    while folders:  # os.scandir rather than os.walk: it says which entries are links without asking again
        folder = folders.pop()
        try:
            with os.scandir(root / folder if folder else root) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            diagnostics.error(root / folder, f"this folder cannot be read: {exc.strerror or exc}")
            continue
        for entry in listed:
            name = entry.name
            if name.startswith(".") or name.endswith("~") or name.lower() in SYSTEM_FILES:
                continue  # hidden folders, editor swap files, .DS_Store, Thumbs.db and the like
            rel = f"{folder}/{name}" if folder else name
            if entry.is_dir(follow_symlinks=False):
                folders.append(rel)
            elif entry.is_symlink():
                kind, problem = _follow_link(entry.path, real_root)
                if kind == "error":
                    diagnostics.error(entry.path, problem)
                elif kind == "warning":
                    diagnostics.warning(entry.path, problem)
                else:
                    found.append(rel)
            elif entry.is_file(follow_symlinks=False):
                found.append(rel)
            else:
                diagnostics.error(entry.path, f"this is not an ordinary file ({_kind_of(entry.path)}); remove it")
    found.sort()
    files.all = frozenset(found)
    for rel in found:
        top, _, rest = rel.partition("/")
        suffix = os.path.splitext(rel)[1].lower()
        if not rest:
            if rel in ("site.yaml", "site.yml"):
                files.site = rel
            elif rel in ("publications.bib", "publications.yaml", "publications.yml"):
                if files.publications:
                    diagnostics.error(root / rel, f"there is already {files.publications}: keep the publications in one file")
                files.publications = rel
            else:
                diagnostics.warning(root / rel, "this file is not part of the showcase (see the content reference)")
        elif top == "static":
            files.static.append(rel)
        elif top in _FOLDERS and "/" not in rest and suffix in _FOLDERS[top][0]:
            getattr(files, _FOLDERS[top][1]).append(rel)
        elif top == "artworks" and "/" not in rest and suffix in ARTWORK_EXTENSIONS:
            files.artwork_images.append(rel)
        elif top == "artworks" and "/" not in rest and suffix in (".yaml", ".yml"):
            files.artwork_sidecars.append(rel)
        elif top == "reports" and "/" not in rest and suffix == ".pdf":
            files.attachments.append(rel)
        elif top == "media" and "/" not in rest and suffix in (".yaml", ".yml", ".md", *MEDIA_EXTENSIONS):
            files.media.append(rel)
        elif top == "artworks" and "/" not in rest:
            diagnostics.error(root / rel, _not_an_artwork(suffix))
        else:
            diagnostics.warning(root / rel, "this file is not part of the showcase (see the content reference)")
    if files.site is None:
        diagnostics.error(root / "site.yaml", "site.yaml is missing: every content folder needs one (title, description, language)")
    return files


_PHOTO_FORMATS = {  # formats phones and cameras save that browsers cannot show as they are
    ".heic": "a photo in the format iPhones save (HEIC)", ".heif": "a photo in the format iPhones save (HEIF)",
    ".dng": "a camera's raw photo (DNG)", ".cr2": "a camera's raw photo", ".nef": "a camera's raw photo",
    ".arw": "a camera's raw photo", ".raw": "a camera's raw photo",
}


def _not_an_artwork(suffix: str) -> str:
    """What to do with a file in artworks/ that is not one of its kinds, in the words of someone holding a photo."""
    kinds = f"artworks must be {', '.join(e[1:] for e in ARTWORK_EXTENSIONS)} images with a .yaml sidecar"
    what = _PHOTO_FORMATS.get(suffix)
    if what is None:
        return kinds
    iphone = ("; on an iPhone, Settings > Camera > Formats > Most Compatible takes JPEG photos from then on"
              if suffix in (".heic", ".heif") else "")
    return (f"this is {what}, which web browsers cannot show: save it as a JPEG (.jpg) and put that here instead "
            f"(most photo apps can export or share a photo as JPEG{iphone}). {kinds[0].upper()}{kinds[1:]}.")


def _follow_link(path: str, real_root: Path) -> tuple[str, str]:
    """Where a symbolic link in the content folder leads: ("file", ""), or a problem ("error" or "warning",
    message). Only links to files inside the content folder are read; links to folders are not followed."""
    try:
        target = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "error", "this link leads round in a loop (in the end it points to itself); remove it"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "error", (f"this link points to '{_link_text(path)}', which does not exist; "
                             "remove the link or correct where it points")
        return "error", f"this link cannot be followed: {exc.strerror or exc}"
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(real_root):
        return "error", "this link points outside the content folder"
    if stat.S_ISDIR(target.st_mode):
        if Path(os.path.realpath(os.path.dirname(path))).is_relative_to(real):
            return "error", "this link leads back to a folder it is in, a loop; remove it"
        return "warning", ("this is a link to a folder, and links to folders are not followed: "
                           "the files it leads to are not part of the showcase")
    if not stat.S_ISREG(target.st_mode):
        return "error", f"this link leads to something that is not an ordinary file ({_kind_of(path)}); remove it"
    return "file", ""


def _link_text(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover - it was a link a moment ago
        return "?"


def _kind_of(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "it cannot be read"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file or a folder"
