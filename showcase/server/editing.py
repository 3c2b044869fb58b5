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
  a file while the first is still at work is refused (409), never mixed with it; so is a save over another version
  of an entry than the one its page opened (another tab saved it meanwhile: the page says which version it
  opened, editor_versions.js), or over a file made or removed since.

The watcher sees each saved file like any other change, so the preview rebuilds and its open pages reload.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import posixpath
import time
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..editor import admin_page, local_config_yaml
from ..parse import load_site_config
from .reading import entry, listing, media, media_file
from .save_rules import (
    MAX_FILE,
    TEXT_SUFFIXES,
    Refused,
    Save,
    megabytes,
    relative,
    uploaded,
)
from .saving import Saver
from .yaml_versions import as_the_build_reads_it

if TYPE_CHECKING:
    from .http import Handler


ADMIN = "/admin/"
CONFIG = "/admin/config.yml"
API = "/admin/api/v1"

MAX_BODY = 64 * 1024 * 1024  # bytes in one request: an entry and its uploads, base64-encoded


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
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"This save is too large ({megabytes(size)}): files of "
                                                           f"up to {megabytes(MAX_FILE)} can be uploaded.")
    body = handler.rfile.read(size)
    if len(body) != size:
        raise Refused(HTTPStatus.BAD_REQUEST, "The request ended before its end.")
    try:
        request = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):  # (nested deeper than the reader goes)
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
        self.saver = Saver(self.content, self.cache, strict, base_url)

    # -- the page and the configuration

    def site_file(self) -> str:
        return self.saver.site_file()

    def page(self) -> str:
        config = None
        if (self.content / self.site_file()).is_file():
            config, _ = load_site_config(self.content, self.site_file())
        # a site.yaml that cannot be read still gets the editor (to correct it in), under a plain title
        shown = config if config is not None else SimpleNamespace(short_title=None, title="the showcase")
        return admin_page(shown, local=True)  # type: ignore[arg-type]

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
            return [self._given(entry(self.content, f.get("path"), f.get("label"))) for f in files]
        if action == "getEntry":
            return self._given(entry(self.content, params.get("path")))
        if action == "getMedia":
            return media(self.content, params.get("mediaFolder"))
        if action == "getMediaFile":
            return media_file(self.content, relative(params.get("path")))
        if action == "persistEntry":
            return self._persist_entry(params)
        if action == "persistMedia":
            asset = params.get("asset")
            if not isinstance(asset, dict):
                raise Refused(HTTPStatus.BAD_REQUEST, "persistMedia needs an asset.")
            path, data = uploaded(asset)
            self.save(Save(write={path: data}))
            return media_file(self.content, path)
        if action == "deleteFile":
            self.save(Save(remove={relative(params.get("path"))}))
            return {"message": f"deleted file {params.get('path')}"}
        if action == "deleteFiles":
            paths = params.get("paths")
            if not isinstance(paths, list) or not paths:
                raise Refused(HTTPStatus.BAD_REQUEST, "deleteFiles needs a list of paths.")
            self.save(Save(remove={relative(p) for p in paths}))
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
        folder = relative(params.get("folder"), what="folder")
        extension = params.get("extension") or ""
        depth = params.get("depth", 1)
        if not isinstance(extension, str) or not isinstance(depth, int):
            raise Refused(HTTPStatus.BAD_REQUEST, "entriesByFolder needs an extension and a depth.")
        suffix = "." + extension.lstrip(".") if extension else ""
        found = listing(self.content, folder, min(depth, 5))
        return [self._given(entry(self.content, path)) for path in found if path.endswith(suffix)]

    def _given(self, found: dict) -> dict:
        """An entry handed to the editor: its version is one a save may replace (see Saver.given)."""
        self.saver.given(found["file"]["path"], found["file"].get("id"))
        return found

    # -- saving

    def _persist_entry(self, params: dict) -> dict:
        data_files = params.get("dataFiles")
        if data_files is None and isinstance(params.get("entry"), dict):
            data_files = [params["entry"]]
        assets = params.get("assets") or []
        if not isinstance(data_files, list) or not data_files or not isinstance(assets, list):
            raise Refused(HTTPStatus.BAD_REQUEST, "persistEntry needs the entry's files.")
        opened = params.get("opened")  # what this page was given (editor_versions.js); absent from other pages
        new_entry = isinstance(params.get("options"), dict) and params["options"].get("newEntry") is True
        save = Save()
        for asset in assets:  # the uploads first: they are written before the entry that names them
            if not isinstance(asset, dict):
                raise Refused(HTTPStatus.BAD_REQUEST, "An asset must be an object.")
            path, data = uploaded(asset)
            save.write[path] = data
        for data_file in data_files:
            if not isinstance(data_file, dict) or not isinstance(data_file.get("raw"), str):
                raise Refused(HTTPStatus.BAD_REQUEST, "An entry must have its text.")
            path = relative(data_file.get("path"))
            if isinstance(opened, dict) and isinstance(opened.get(path), str):
                save.opened[path] = opened[path]
            elif new_entry and isinstance(opened, dict):
                save.opened[path] = None  # a new entry: no file may be there yet
            text = data_file["raw"]
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise Refused(HTTPStatus.BAD_REQUEST, f"The text of {path} is not valid Unicode.") from None
            new_path = data_file.get("newPath")
            if new_path:  # renamed: the text goes to the new name, the old file is removed
                target = relative(new_path)
                if target != path:
                    save.remove.add(path)
                path = target
            save.write[path] = as_the_build_reads_it(text, path).encode("utf-8")  # Decap writes YAML 1.2
        self.save(save)
        # the versions now on disk, so that this page's next save of the same entry is checked against them
        return {"message": "entry persisted",
                "versions": {path: hashlib.sha256(data).hexdigest() for path, data in save.write.items()
                             if posixpath.splitext(path)[1].lower() in TEXT_SUFFIXES}}

    def save(self, save: Save) -> None:
        """Check a save as `check` would check the content folder with it, then write it; Refused if it would
        break the site (or a rule of the API), and then nothing is written."""
        keys = save.paths
        try:
            written = self.saver.check_and_write(save)
        except Refused as refused:
            self.say(f"{time.strftime('%H:%M:%S')} The editor's save of {self.saver.names(keys)} was refused: "
                     f"{refused.message}")
            raise
        removed = sorted(save.remove)
        said = f"{time.strftime('%H:%M:%S')} Saved from the editor: {self.saver.names(save.write)}"
        if removed:
            said += ("; removed " if save.write else "") + self.saver.names(removed)
            if not save.write:
                said = f"{time.strftime('%H:%M:%S')} Removed in the editor: {self.saver.names(removed)}"
        self.say(said)
        for path in written:
            self.notify(path)
