"""Walk a content folder and sort its files by what they are, without reading them."""

from __future__ import annotations

import os
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
}


def discover(root: Path, diagnostics: Diagnostics) -> ContentFiles:
    files = ContentFiles(root=root)
    if not root.is_dir():
        diagnostics.error(root, "the content folder does not exist")
        return files
    real_root = root.resolve()
    found: list[str] = []
    folders = [""]
    while folders:  # os.scandir rather than os.walk: it says which entries are links without asking again
        folder = folders.pop()
        with os.scandir(root / folder if folder else root) as entries:
            listed = sorted(entries, key=lambda e: e.name)
        for entry in listed:
            name = entry.name
            if name.startswith(".") or name.endswith("~"):
                continue  # hidden folders, editor swap files, .DS_Store and the like
            rel = f"{folder}/{name}" if folder else name
            if entry.is_dir(follow_symlinks=False):
                folders.append(rel)
            elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(real_root):
                diagnostics.error(entry.path, "this link points outside the content folder")
            elif not entry.is_symlink() or not Path(entry.path).is_dir():
                found.append(rel)
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
        elif top == "media" and "/" not in rest and suffix in (".yaml", ".yml", *MEDIA_EXTENSIONS):
            files.media.append(rel)
        elif top == "artworks" and "/" not in rest:
            diagnostics.error(root / rel, f"artworks must be {', '.join(e[1:] for e in ARTWORK_EXTENSIONS)} images with a .yaml sidecar")
        else:
            diagnostics.warning(root / rel, "this file is not part of the showcase (see the content reference)")
    if files.site is None:
        diagnostics.error(root / "site.yaml", "site.yaml is missing: every content folder needs one (title, description, language)")
    return files
