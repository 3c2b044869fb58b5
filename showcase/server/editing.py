"""The editor in the preview: `/admin/` and the local API Decap CMS saves through, on the preview's own origin.

`python build.py serve` offers the same editor as the published `/admin/` (showcase/editor.py), working on this
computer's content folder. Decap CMS talks to it with its *local backend* protocol (the one `decap-server`
answers at http://localhost:8081/api/v1): one POST address, `/admin/api/v1`, whose JSON body names an `action`.
Only what Decap uses without the editorial workflow is answered: `info`, `entriesByFolder`, `entriesByFiles`,
`getEntry`, `persistEntry`, `getMedia`, `getMediaFile`, `persistMedia`, `deleteFile`, `deleteFiles`, and
`getDeployPreview` (the preview itself, so that "View Live" opens an entry's page in it).

What protects it:

- who may ask: the preview answers only requests addressed to this computer (`hosts`, against DNS rebinding),
  and the editor only requests made from it (a loopback address), even when `--host 0.0.0.0` shares the
  preview with the network; a save must moreover come from the preview's own pages: `Content-Type:
  application/json` (which a page of another site cannot send without a CORS preflight, never granted here),
  an `Origin` that is the preview's own, and, where the browser says it, `Sec-Fetch-Site: same-origin`;
- where files go: paths are relative to the content folder and are only ever `site.yaml` or a file directly
  in one of the folders the editor has (stories/, projects/, artworks/, reports/, pages/, people/, media/) of
  the kind that folder holds; absolute paths, `..`, hidden names, backslashes, NUL and control characters are
  refused, and the folders are opened one by one without following links, so no link leads a save elsewhere;
- what is saved: every save (a new or changed entry with its uploads, an upload, a deletion) is first made in a
  copy of the content folder (hard links, beside the build cache) and checked there by `python -m showcase
  check`, the very command and rules of `check`; a save that would give the site an error is refused (422)
  with the messages of `check`, and the content folder is left as it was. Uploads are at most 20 MB and must be
  what their name says (an image of its type, a PDF, a recording or captions);
- how: files are written whole (a hidden temporary file, then one rename), one save at a time; a second save of
  a file while the first is still at work is refused (409), never mixed with it.

The watcher sees each saved file like any other change, so the preview rebuilds and its open pages reload.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import ipaddress
import json
import os
import posixpath
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import yaml

from ..discover import MEDIA_EXTENSIONS
from ..editor import KINDS, admin_page, local_config_yaml
from ..markdown import ARTWORK_EXTENSIONS
from ..parse import load_site_config

if TYPE_CHECKING:
    from .http import Handler

ADMIN = "/admin/"
CONFIG = "/admin/config.yml"
API = "/admin/api/v1"

MAX_FILE = 20 * 1024 * 1024  # bytes in one upload (an image, a PDF, a recording)
MAX_TEXT = 2 * 1024 * 1024  # bytes in one entry (a story, a sidecar)
MAX_BODY = 64 * 1024 * 1024  # bytes in one request: an entry and its uploads, base64-encoded
MAX_PATH = 1024
CHECK_TIMEOUT = 50.0  # seconds; Decap gives up on a request after 60
WAIT_FOR_OTHERS = 45.0  # seconds a save waits for the saves before it

TEXT_SUFFIXES = {".md", ".yaml", ".yml"}
IMAGE_SUFFIXES = set(ARTWORK_EXTENSIONS)
# What the editor saves, by folder: entries (text) and the files uploaded beside them.
FOLDERS: dict[str, set[str]] = {
    "stories": {".md"},
    "pages": {".md"},
    "reports": {".md", ".pdf"},
    "projects": {".yaml", ".yml"},
    "people": {".yaml", ".yml"},
    "artworks": {".yaml", ".yml", *IMAGE_SUFFIXES},
    "media": {".yaml", ".yml", *MEDIA_EXTENSIONS},
}
assert set(FOLDERS) == set(KINDS), "a collection of the editor has no folder here"
UPLOAD_SUFFIXES = {suffix for suffixes in FOLDERS.values() for suffix in suffixes} - TEXT_SUFFIXES

_FILE_KINDS = {".jpg": "a JPEG image", ".jpeg": "a JPEG image", ".png": "a PNG image", ".gif": "a GIF image",
               ".webp": "a WebP image", ".tif": "a TIFF image", ".tiff": "a TIFF image", ".pdf": "a PDF",
               ".mp4": "an MP4 video", ".webm": "a WebM video", ".mp3": "an MP3 recording",
               ".m4a": "an M4A recording", ".ogg": "an Ogg recording", ".vtt": "a WebVTT captions file"}
_PIL_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WEBP", ".tif": "TIFF",
                ".tiff": "TIFF"}


class Refused(Exception):
    """A request the API does not carry out: its HTTP status and the plain-language reason Decap shows."""

    def __init__(self, status: int, message: str, problems: list[dict] | None = None):
        super().__init__(message)
        self.status, self.message, self.problems = status, message, problems or []


@dataclass
class Save:
    """One save: files to write (path -> bytes) and to remove, all relative to the content folder."""

    write: dict[str, bytes] = field(default_factory=dict)
    remove: set[str] = field(default_factory=set)

    @property
    def paths(self) -> set[str]:
        return set(self.write) | self.remove


# --- the HTTP side -------------------------------------------------------------------------------------


def handles(path: str) -> bool:
    """Whether an address is the editor's (anything else under /admin/ is the site's, as usual)."""
    return path in ("/admin", ADMIN, "/admin/index.html", CONFIG, API)


def answer(handler: Handler, editor: LocalEditor, path: str, post: bool, head: bool) -> None:
    """Answer a request for one of the editor's addresses (`handles(path)`); the Host was checked already."""
    if not _from_this_computer(handler):  # `--host 0.0.0.0` shares the preview, never the editor
        if post:
            return _json(handler, HTTPStatus.FORBIDDEN, {"error": NOT_HERE})
        return _send(handler, HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", (NOT_HERE + "\n").encode(), head)
    if path == "/admin":
        handler.send_response(HTTPStatus.MOVED_PERMANENTLY)
        handler.send_header("Location", ADMIN)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    if path == API:
        if not post:
            return _send(handler, HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                         b"The editor's API answers POST requests from /admin/ only.\n", head, allow="POST")
        return _api(handler, editor)
    if post:
        return _send(handler, HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                     b"This address cannot be posted to.\n", head, allow="GET, HEAD")
    if path == CONFIG:
        host = handler.headers.get("Host", "").strip().lower()
        text = editor.config_yaml(host)
        return _send(handler, HTTPStatus.OK, "text/yaml; charset=utf-8", text.encode(), head)
    return _send(handler, HTTPStatus.OK, "text/html; charset=utf-8", editor.page().encode(), head)


NOT_HERE = ("The editor of the preview is for this computer only: open it at http://localhost:<port>/admin/ on the "
            "computer that runs python build.py serve.")


def _from_this_computer(handler: Handler) -> bool:
    try:
        address = ipaddress.ip_address(str(handler.client_address[0]).split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _send(handler: Handler, status: int, ctype: str, body: bytes, head: bool, allow: str | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    if allow:
        handler.send_header("Allow", allow)
    if ctype.startswith("text/html"):
        handler.send_header("X-Robots-Tag", "noindex")
        handler.send_header("X-Frame-Options", "DENY")
    handler.end_headers()
    if not head:
        handler.wfile.write(body)


def _json(handler: Handler, status: int, payload: Any) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    if status >= 400:
        handler.close_connection = True  # the request's body may not have been read
    _send(handler, status, "application/json; charset=utf-8", body, head=False)


def _api(handler: Handler, editor: LocalEditor) -> None:
    try:
        request = _read_request(handler)
        result = editor.act(request, (handler.headers.get("Host") or "").strip().lower())
    except Refused as refused:
        body: dict[str, Any] = {"error": refused.message}
        if refused.problems:
            body["problems"] = refused.problems
        return _json(handler, refused.status, body)
    return _json(handler, HTTPStatus.OK, result)


def _read_request(handler: Handler) -> dict:
    """The JSON body of a POST that comes from the preview's own editor page; Refused otherwise."""
    headers = handler.headers
    host = (headers.get("Host") or "").strip().lower()
    origin = (headers.get("Origin") or "").strip().lower()
    site = (headers.get("Sec-Fetch-Site") or "same-origin").strip().lower()
    if origin != f"http://{host}" or site != "same-origin":
        raise Refused(HTTPStatus.FORBIDDEN, "Only the editor at /admin/ of this preview can save here; a request "
                                            "from another page or site is refused.")
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "The editor's API takes JSON (Content-Type: "
                                                         "application/json) only.")
    length = headers.get("Content-Length")
    if length is None or headers.get("Transfer-Encoding"):
        raise Refused(HTTPStatus.LENGTH_REQUIRED, "A request to the editor's API must say its length.")
    if not length.strip().isdigit():
        raise Refused(HTTPStatus.BAD_REQUEST, "This request's length cannot be read.")
    size = int(length)
    if size > MAX_BODY:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"This save is too large ({_megabytes(size)}): files of "
                                                           f"up to {_megabytes(MAX_FILE)} can be uploaded.")
    body = handler.rfile.read(size)
    if len(body) != size:
        raise Refused(HTTPStatus.BAD_REQUEST, "The request ended before its end.")
    try:
        request = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Refused(HTTPStatus.BAD_REQUEST, "This request is not JSON.") from None
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        raise Refused(HTTPStatus.BAD_REQUEST, "A request to the editor's API names an action.")
    if not isinstance(request.get("params", {}), dict):
        raise Refused(HTTPStatus.BAD_REQUEST, "The request's params must be an object.")
    return request


# --- the editor ----------------------------------------------------------------------------------------


class LocalEditor:
    """The editor of one content folder: its page, its configuration and the actions of Decap's local backend.

    `notify(path)` is called for every file written or removed (the preview then rebuilds); `say(text)` prints a
    line in the terminal."""

    def __init__(self, content: Path, cache: Path | None = None, *, strict: bool = False, base_url: str | None = None,
                 notify: Callable[[str], None] | None = None, say: Callable[[str], None] | None = None):
        self.content = Path(os.path.abspath(content))
        self.cache = Path(os.path.abspath(cache)) if cache else self.content.parent / ".showcase-cache"
        self.strict, self.base_url = strict, base_url
        self.notify = notify or (lambda path: None)
        self.say = say or (lambda text: None)
        self._saving = threading.Lock()  # one save at a time: checked, then written, as a whole
        self._busy: set[str] = set()  # the files of the saves under way or waiting
        self._busy_lock = threading.Lock()

    # -- the page and the configuration

    def site_file(self) -> str:
        return next((name for name in ("site.yaml", "site.yml") if (self.content / name).is_file()), "site.yaml")

    def page(self) -> str:
        config = None
        if (self.content / self.site_file()).is_file():
            config, _ = load_site_config(self.content, self.site_file())
        # a site.yaml that cannot be read still gets the editor (to correct it in), under a plain title
        shown = config if config is not None else SimpleNamespace(short_title=None, title="the showcase")
        return admin_page(shown)  # type: ignore[arg-type]

    def config_yaml(self, host: str) -> str:
        """The configuration for a page opened at http://<host>/admin/ (the Host header, already checked)."""
        origin = f"http://{host}"
        hostname = host[:host.find("]") + 1] if host.startswith("[") else host.split(":", 1)[0]  # as location.hostname
        allowed = [] if hostname in ("localhost", "127.0.0.1") else [hostname]
        return local_config_yaml(f"{origin}{API}", f"{origin}/", allowed, self.site_file())

    # -- the actions

    def act(self, request: dict, host: str = "") -> Any:
        """Carry out one request of Decap's local backend; `host` is the Host it was addressed to (checked)."""
        action, params = request["action"], request.get("params") or {}
        if action == "info":
            return {"repo": self.content.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return self._entries_by_folder(params)
        if action == "entriesByFiles":
            files = params.get("files")
            if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
                raise Refused(HTTPStatus.BAD_REQUEST, "entriesByFiles needs a list of files.")
            return [self._entry(f.get("path"), f.get("label")) for f in files]
        if action == "getEntry":
            return self._entry(params.get("path"))
        if action == "getMedia":
            return self._media(params.get("mediaFolder"))
        if action == "getMediaFile":
            return self._media_file(_relative(params.get("path")))
        if action == "persistEntry":
            return self._persist_entry(params)
        if action == "persistMedia":
            asset = params.get("asset")
            if not isinstance(asset, dict):
                raise Refused(HTTPStatus.BAD_REQUEST, "persistMedia needs an asset.")
            path, data = _asset(asset)
            self.save(Save(write={path: data}))
            return self._media_file(path)
        if action == "deleteFile":
            self.save(Save(remove={_relative(params.get("path"))}))
            return {"message": f"deleted file {params.get('path')}"}
        if action == "deleteFiles":
            paths = params.get("paths")
            if not isinstance(paths, list) or not paths:
                raise Refused(HTTPStatus.BAD_REQUEST, "deleteFiles needs a list of paths.")
            self.save(Save(remove={_relative(p) for p in paths}))
            return {"message": f"deleted files {', '.join(map(str, paths))}"}
        if action == "getDeployPreview":  # "View Live" opens the entry's page in this preview
            return {"url": f"http://{host}/", "status": "SUCCESS"} if host else None
        if action in ("unpublishedEntries", "unpublishedEntry", "unpublishedEntryDataFile",
                      "unpublishedEntryMediaFile", "deleteUnpublishedEntry", "updateUnpublishedEntryStatus",
                      "publishUnpublishedEntry"):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "The preview saves straight to the content folder: "
                                                           "drafts and reviews are for the published editor.")
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"Unknown action {action[:50]!r}.")

    # -- reading

    def _entries_by_folder(self, params: dict) -> list[dict]:
        folder = _relative(params.get("folder"), what="folder")
        extension = params.get("extension") or ""
        depth = params.get("depth", 1)
        if not isinstance(extension, str) or not isinstance(depth, int):
            raise Refused(HTTPStatus.BAD_REQUEST, "entriesByFolder needs an extension and a depth.")
        suffix = "." + extension.lstrip(".") if extension else ""
        return [self._entry(path) for path in self._listing(folder, min(depth, 5)) if path.endswith(suffix)]

    def _listing(self, folder: str, depth: int) -> list[str]:
        """Files (not hidden) under a folder of the content folder, to `depth` levels, as relative paths."""
        found: list[str] = []
        start = self._readable(folder, folder=True)
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
                child = f"{rel}/{entry.name}" if rel else entry.name
                target = self._readable(child, folder=entry.is_dir())
                if target is None:
                    continue
                if entry.is_dir():
                    if level < depth:
                        todo.append((child, target, level + 1))
                elif entry.is_file():
                    found.append(child)
        return sorted(found)

    def _readable(self, rel: str, folder: bool = False) -> str | None:
        """The real path of a file (or folder) in the content folder, if it is one: links are followed only
        when they stay inside the content folder, as the build follows them."""
        root = os.path.realpath(self.content)
        real = os.path.realpath(os.path.join(root, *rel.split("/")))
        if real != root and not real.startswith(root + os.sep):
            return None
        return real if (os.path.isdir(real) if folder else os.path.isfile(real)) else None

    def _entry(self, path: Any, label: Any = None) -> dict:
        rel = _relative(path)
        file: dict[str, Any] = {"path": rel}
        if isinstance(label, str):
            file["label"] = label
        real = self._readable(rel)
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

    def _media(self, folder: Any) -> list[dict]:
        rel = _relative(folder, what="folder")
        return [self._media_file(path) for path in self._listing(rel, 1)
                if posixpath.splitext(path)[1].lower() in UPLOAD_SUFFIXES]

    def _media_file(self, rel: str) -> dict:
        real = self._readable(rel)
        if real is None:
            raise Refused(HTTPStatus.NOT_FOUND, f"There is no file {rel} in the content folder.")
        try:
            data = Path(real).read_bytes()
        except OSError as exc:
            raise Refused(HTTPStatus.NOT_FOUND, f"{rel} cannot be read: {exc.strerror or exc}.") from None
        return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
                "encoding": "base64", "path": rel, "name": posixpath.basename(rel)}

    # -- saving

    def _persist_entry(self, params: dict) -> dict:
        data_files = params.get("dataFiles")
        if data_files is None and isinstance(params.get("entry"), dict):
            data_files = [params["entry"]]
        assets = params.get("assets") or []
        if not isinstance(data_files, list) or not data_files or not isinstance(assets, list):
            raise Refused(HTTPStatus.BAD_REQUEST, "persistEntry needs the entry's files.")
        save = Save()
        for asset in assets:  # the uploads first: they are written before the entry that names them
            if not isinstance(asset, dict):
                raise Refused(HTTPStatus.BAD_REQUEST, "An asset must be an object.")
            path, data = _asset(asset)
            save.write[path] = data
        for data_file in data_files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise Refused(HTTPStatus.BAD_REQUEST, "An entry must have its text.")
            path = _relative(data_file.get("path"))
            try:
                raw = data_file["raw"].encode("utf-8")
            except UnicodeEncodeError:
                raise Refused(HTTPStatus.BAD_REQUEST, f"The text of {path} is not valid Unicode.") from None
            new_path = data_file.get("newPath")
            if new_path:  # renamed: the text goes to the new name, the old file is removed
                target = _relative(new_path)
                if target != path:
                    save.remove.add(path)
                path = target
            save.write[path] = raw
        self.save(save)
        return {"message": "entry persisted"}

    def save(self, save: Save) -> None:
        """Check a save as `check` would check the content folder with it, then write it; Refused if it would
        break the site (or a rule of the API), and then nothing is written."""
        keys = save.paths
        try:
            written = self._save(save)
        except Refused as refused:
            self.say(f"{time.strftime('%H:%M:%S')} The editor's save of {self._names(keys)} was refused: "
                     f"{refused.message}")
            raise
        removed = sorted(save.remove)
        said = f"{time.strftime('%H:%M:%S')} Saved from the editor: {self._names(save.write)}"
        if removed:
            said += ("; removed " if save.write else "") + self._names(removed)
            if not save.write:
                said = f"{time.strftime('%H:%M:%S')} Removed in the editor: {self._names(removed)}"
        self.say(said)
        for path in written:
            self.notify(path)

    def _save(self, save: Save) -> list[str]:
        for path, data in save.write.items():
            self._may_write(path, data)
        for path in save.remove:
            self._may_write(path, None)
        keys = save.paths
        with self._busy_lock:
            clash = sorted(keys & self._busy)
            if clash:
                raise Refused(HTTPStatus.CONFLICT,
                              f"{self._shown(clash[0])} is being saved at this very moment by another save, so this "
                              "one was not written (nothing is mixed). Wait a moment, reload the entry and save "
                              "again if it still needs your change.")
            self._busy |= keys
        try:
            if not self._saving.acquire(timeout=WAIT_FOR_OTHERS):
                raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "Other saves are taking too long; nothing was "
                                                              "written. Try again in a moment.")
            try:
                self._with_artwork_images(save)
                self._check(save)
                return self._write(save)
            finally:
                self._saving.release()
        finally:
            with self._busy_lock:
                self._busy -= keys

    def _shown(self, rel: str) -> str:
        return f"{self.content.name}/{rel}"

    def _names(self, paths: Iterable[str]) -> str:
        return ", ".join(self._shown(p) for p in sorted(paths))

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
                              f"{rel} is too long ({_megabytes(len(data))}; at most {_megabytes(MAX_TEXT)}).")
            return
        _check_upload(rel, data)

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

    # -- the check, in a copy of the content folder

    def _check(self, save: Save) -> None:
        """Refuse the save if `check` finds an error (under --strict, a warning too) in the content folder with
        it that it does not find without it, or any error in the files it writes."""
        problems = self._problems(save)
        if not problems:
            return
        touched = {self._shown(p) for p in save.paths}
        own = [p for p in problems if p["file"] in touched]
        others = [p for p in problems if p["file"] not in touched]
        if others:
            before = {(p["file"], p["message"]) for p in self._problems(Save())}
            others = [p for p in others if (p["file"], p["message"]) not in before]
        new = own + others
        if new:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, _refusal(new), new)

    def _problems(self, save: Save) -> list[dict]:
        scratch = self._scratch()
        try:
            copy = scratch / self.content.name
            _mirror(Path(os.path.realpath(self.content)), copy)
            themes = self.content.parent / "themes"
            if themes.is_dir():
                os.symlink(themes.resolve(), scratch / "themes")
            for rel in save.remove:
                _unlink(copy / rel)
            for rel, data in save.write.items():
                target = copy / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                _unlink(target)  # a hard link to the real file: never written through
                target.write_bytes(data)
            report = self._run_check(scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        strict = self.strict
        found = []
        for problem in report.get("problems", []):
            if problem.get("severity") == "error" or (strict and problem.get("severity") == "warning"):
                message = str(problem.get("message", "")).replace(str(scratch) + os.sep, "")
                found.append({"file": str(problem.get("file", "")), "line": problem.get("line"),
                              "column": problem.get("column"), "severity": problem.get("severity"),
                              "message": message})
        return found

    def _scratch(self) -> Path:
        """A folder for the copy, beside the build cache (on the content's own disk, so hard links work)."""
        try:
            parent = self.cache / "editing"
            parent.mkdir(parents=True, exist_ok=True)
            for old in parent.glob("save-*"):  # left by a preview that was killed while checking
                if time.time() - old.stat().st_mtime > 3600:
                    shutil.rmtree(old, ignore_errors=True)
            return Path(tempfile.mkdtemp(prefix="save-", dir=parent))
        except OSError:
            return Path(tempfile.mkdtemp(prefix="showcase-save-"))

    def _run_check(self, scratch: Path) -> dict:
        command = [sys.executable, "-m", "showcase", "check", "--content", self.content.name, "--format", "json"]
        if self.strict:
            command.append("--strict")
        if self.base_url:
            command += ["--base-url", self.base_url]
        package_parent = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [package_parent, *filter(None, [os.environ.get("PYTHONPATH")])])}
        try:
            done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True,
                                  timeout=CHECK_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "Checking this save took too long, so it was not "
                                                          "written. Try again, or run python build.py check.") from None
        except OSError as exc:
            raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"This save could not be checked, so it was not "
                                                            f"written: {exc.strerror or exc}.") from None
        if done.returncode in (0, 1):
            try:
                return json.loads(done.stdout)
            except ValueError:
                pass
        said = (done.stderr.strip().splitlines() or ["the check stopped"])[-1].removeprefix("showcase: ")
        raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR,
                      f"This save could not be checked, so it was not written: {said}")

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
            for fd, temporary, name in staged:
                os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
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


# --- helpers -------------------------------------------------------------------------------------------


def _relative(value: Any, what: str = "file") -> str:
    """A path Decap gave, relative to the content folder, refused unless it plainly names a place in it."""
    if not isinstance(value, str) or (not value and what == "file"):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The request names no {what}.")
    shown = repr(value[:80])
    if len(value) > MAX_PATH:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown}… is too long to be a file's name.")
    if "\x00" in value:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a NUL character, which no file name can.")
    if "\\" in value:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a backslash; write paths with / only.")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} holds a control character.")
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} is an absolute path; the editor works only inside "
                                                       "the content folder, with paths relative to it.")
    if not value:
        return ""
    parts = value.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} leaves the content folder or is not a plain "
                                                       "path (.., . or an empty part); nothing was saved.")
    if any(part.startswith(".") for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown} is a hidden file, which the editor does not touch.")
    if any(len(part.encode("utf-8", "surrogatepass")) > 255 for part in parts):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{shown}… has a name too long for a file.")
    return value


def _asset(asset: dict) -> tuple[str, bytes]:
    path = _relative(asset.get("path"))
    content = asset.get("content")
    if asset.get("encoding", "base64") != "base64" or not isinstance(content, str):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The upload {path} must be base64-encoded.")
    if len(content) > (MAX_FILE * 4) // 3 + 8:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _too_large(path, len(content) * 3 // 4))
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(HTTPStatus.BAD_REQUEST, f"The upload {path} is not valid base64.") from None
    return path, data


def _too_large(path: str, size: int) -> str:
    return (f"{posixpath.basename(path)} is too large to upload ({_megabytes(size)}; at most "
            f"{_megabytes(MAX_FILE)}). Make the image smaller, or link a long recording from a video site.")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def _check_upload(rel: str, data: bytes) -> None:
    """An upload is no larger than MAX_FILE and is what its name says."""
    if len(data) > MAX_FILE:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, _too_large(rel, len(data)))
    suffix = posixpath.splitext(rel)[1].lower()
    name = posixpath.basename(rel)
    expected = _FILE_KINDS.get(suffix, f"a {suffix} file")
    if not _looks_like(suffix, data):
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{name} is not {expected}, as its name says; upload "
                                                       f"{expected} (or give the file its right name).")
    if suffix in _PIL_FORMATS:
        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PIL_FORMATS[suffix]:
                    raise ValueError(image.format)
                image.verify()
        except Exception:  # noqa: BLE001 - Pillow says "damaged" with many kinds of exception
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{name} cannot be read as {expected}: it may be "
                                                           "damaged or cut short.") from None


def _looks_like(suffix: str, data: bytes) -> bool:
    head = data[:16]
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix == ".gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix in (".tif", ".tiff"):
        return head.startswith((b"II*\x00", b"MM\x00*"))
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix in (".mp4", ".m4a"):
        return head[4:8] == b"ftyp"
    if suffix == ".webm":
        return head.startswith(b"\x1a\x45\xdf\xa3")
    if suffix == ".mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if suffix == ".ogg":
        return head.startswith(b"OggS")
    if suffix == ".vtt":
        try:
            return data.decode("utf-8").lstrip("\ufeff").startswith("WEBVTT")
        except UnicodeDecodeError:
            return False
    return False


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


def _refusal(problems: list[dict]) -> str:
    """The plain-language message Decap shows for a save `check` refused."""
    def one(problem: dict) -> str:
        where = problem["file"] + (f", line {problem['line']}" if problem.get("line") else "")
        label = "warning (--strict): " if problem.get("severity") == "warning" else ""
        return f"{where}: {label}{problem['message']}"

    shown = [one(p) for p in problems[:5]]
    more = f" … and {len(problems) - 5} more (python build.py check lists them all)" if len(problems) > 5 else ""
    if len(problems) == 1:
        return f"Not saved, because the site could not be built with this change: {shown[0]}"
    return (f"Not saved, because the site could not be built with this change ({len(problems)} problems): "
            + " · ".join(shown) + more)


def _mirror(source: Path, target: Path) -> None:
    """A copy of a content folder made of hard links (copies where links cannot be made), hidden files left
    out as the build leaves them out; links inside it are copied as links."""
    target.mkdir(parents=True)
    todo = [(source, target)]
    linkable = True
    while todo:
        src, dst = todo.pop()
        try:
            entries = list(os.scandir(src))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            to = dst / entry.name
            try:
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), to)
                elif entry.is_dir(follow_symlinks=False):
                    to.mkdir()
                    todo.append((Path(entry.path), to))
                elif entry.is_file(follow_symlinks=False):
                    if linkable:
                        try:
                            os.link(entry.path, to, follow_symlinks=False)
                            continue
                        except OSError:
                            linkable = False  # another disk, or a file system without hard links
                    shutil.copy2(entry.path, to, follow_symlinks=False)
            except OSError:
                continue  # unreadable here: the check of the real folder would say so, and so will this one


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


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
