"""What the editor in the preview reads: the entries and files of the content folder Decap CMS lists and opens,
following links only where they stay inside the content folder (as the build follows them)."""

from __future__ import annotations

import base64
import hashlib
import os
import posixpath
from http import HTTPStatus
from pathlib import Path
from typing import Any

from .save_rules import MAX_TEXT, UPLOAD_SUFFIXES, Refused, relative


def listing(content: Path, folder: str, depth: int) -> list[str]:
    """Files (not hidden) under a folder of the content folder, to `depth` levels, as relative paths."""
    found: list[str] = []
    start = readable(content, folder, folder=True)
    if start is None:
        return found
    todo = [(folder, start, 1)]
    while todo:
        rel, real, level = todo.pop()
        try:
            entries = sorted(os.scandir(real), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            try:
                entry.name.encode("utf-8")
            except UnicodeEncodeError:  # a name that is not UTF-8: the editor cannot name it (the build says so)
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            target = readable(content, child, folder=entry.is_dir())
            if target is None:
                continue
            if entry.is_dir():
                if level < depth:
                    todo.append((child, target, level + 1))
            elif entry.is_file():
                found.append(child)
    return sorted(found)


def readable(content: Path, rel: str, folder: bool = False) -> str | None:
    """The real path of a file (or folder) in the content folder, if it is one: links are followed only
    when they stay inside the content folder, as the build follows them."""
    root = os.path.realpath(content)
    real = os.path.realpath(os.path.join(root, *rel.split("/")))
    if real != root and not real.startswith(root + os.sep):
        return None
    return real if (os.path.isdir(real) if folder else os.path.isfile(real)) else None


def entry(content: Path, path: Any, label: Any = None) -> dict:
    rel = relative(path)
    file: dict[str, Any] = {"path": rel}
    if isinstance(label, str):
        file["label"] = label
    real = readable(content, rel)
    data = None
    if real is not None and os.path.getsize(real) <= MAX_TEXT:
        try:
            raw = Path(real).read_bytes()
            data = raw.decode("utf-8")
            file["id"] = hashlib.sha256(raw).hexdigest()
        except (OSError, UnicodeDecodeError):
            data = None
    if data is None:
        file["id"] = None
    return {"data": data, "file": file}


def media(content: Path, folder: Any) -> list[dict]:
    rel = relative(folder, what="folder")
    return [media_file(content, path) for path in listing(content, rel, 1)
            if posixpath.splitext(path)[1].lower() in UPLOAD_SUFFIXES]


def media_file(content: Path, rel: str) -> dict:
    real = readable(content, rel)
    if real is None:
        raise Refused(HTTPStatus.NOT_FOUND, f"There is no file {rel} in the content folder.")
    try:
        data = Path(real).read_bytes()
    except OSError as exc:
        raise Refused(HTTPStatus.NOT_FOUND, f"{rel} cannot be read: {exc.strerror or exc}.") from None
    return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64", "path": rel, "name": posixpath.basename(rel)}
