"""`serve`: build, serve the site on the loopback interface, and rebuild and reload open pages on every change.

One background thread does every build, one at a time; a burst of changes is waited out first, and changes made
during a build start exactly one more build after it. Open pages learn of a new build through Server-Sent Events
(`/__showcase/events`) and reload. A build that fails never touches the site folder (the build stages its output),
so the last good site stays on show; every HTML page served then carries an accessible message listing the
problems. The reload script and the message are added only to what this server sends: the files on disk, which are
the site to publish, never contain them.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rich.console import Console
from watchdog.events import FileSystemEventHandler

from .errors import Diagnostic, UsageError
from .pipeline import BuildOptions, BuildResult, build
from .theme import default_theme_dir

EVENTS_PATH = "/__showcase/events"
OVERLAY_ID = "showcase-preview-errors"
MAX_LISTED = 50  # problems listed on the page; the terminal shows them all
SEARCH_CATCH_UP = 1.0  # seconds without a change before a search index left behind is made again

_TYPES = {
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json", ".webmanifest": "application/manifest+json", ".map": "application/json",
    ".xml": "application/xml", ".atom": "application/atom+xml", ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8", ".bib": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8", ".vtt": "text/vtt; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
    ".pdf": "application/pdf", ".zip": "application/zip",
    ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
}


def content_type(path: Path) -> str:
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    import mimetypes

    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild until Ctrl-C or `stop` is set; returns the exit status."""
    return Preview(options, host, port, open_browser=open_browser).run(ready=ready, stop=stop)


# --- what the server adds to HTML pages -----------------------------------------------------------

_SCRIPT = """<script id="showcase-preview-script">
(function () {
  "use strict";
  var build = %(build)d;
  var box = document.getElementById("%(id)s");
  if (box) {
    var hide = function () {
      if (box.hidden) return;
      var inside = box.contains(document.activeElement);
      box.hidden = true;
      if (inside) {
        var main = document.getElementById("main");
        if (main) main.focus({preventScroll: true});
      }
    };
    var button = box.querySelector("[data-showcase-dismiss]");
    if (button) button.addEventListener("click", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") hide();
    });
    box.focus({preventScroll: true});
  }
  if (!window.EventSource) return;
  var source = new EventSource("%(events)s");
  var reload = function () { source.close(); window.location.reload(); };
  source.addEventListener("hello", function (event) {
    try { if (JSON.parse(event.data).build !== build) reload(); } catch (ignored) {}
  });
  source.addEventListener("reload", reload);
  source.addEventListener("error", function (event) {
    if (typeof event.data === "string") reload();  /* a failed build, not a lost connection */
  });
})();
</script>
"""

_OVERLAY_CSS = """
#%(id)s{position:fixed;top:0;left:0;right:0;z-index:2147483647;box-sizing:border-box;max-height:70vh;
overflow:auto;margin:0;padding:1rem 1.25rem 1.25rem;background:#fff;color:#111;color-scheme:light;
border-top:.4rem solid #a4000f;border-bottom:.4rem solid #a4000f;box-shadow:0 .25rem 1.25rem rgba(0,0,0,.4);
font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;text-align:left;
letter-spacing:normal;word-spacing:normal}
#%(id)s[hidden]{display:none}
#%(id)s *{box-sizing:border-box;color:inherit;background:none;font:inherit;text-transform:none}
#%(id)s h2{margin:0 0 .5rem;font-size:1.375rem;line-height:1.25;font-weight:700;color:#a4000f}
#%(id)s p{margin:0 0 .75rem;max-width:70ch}
#%(id)s ul{margin:0 0 1rem;padding:0 0 0 1.25rem;list-style:disc}
#%(id)s li{margin:0 0 .75rem}
#%(id)s li p{margin:0}
#%(id)s .where{font-weight:700}
#%(id)s code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;
background:#eee;color:#111;padding:.05em .3em;border-radius:.2em;overflow-wrap:anywhere}
#%(id)s button{font-weight:700;padding:.5rem 1rem;border:2px solid #111;border-radius:.25rem;background:#111;
color:#fff;cursor:pointer}
#%(id)s button:hover{background:#fff;color:#111}
#%(id)s:focus{outline:none}
#%(id)s:focus-visible,#%(id)s button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
@media (prefers-reduced-motion:no-preference){#%(id)s{animation:showcase-preview-in .2s ease-out}}
@keyframes showcase-preview-in{from{opacity:0;transform:translateY(-.5rem)}to{opacity:1;transform:none}}
@media (forced-colors:active){#%(id)s{border-color:CanvasText}#%(id)s button{border-color:ButtonText}}
@media print{#%(id)s{display:none}}
"""


def error_overlay(problems: list[Diagnostic], nothing_built: bool, base: Path | None = None) -> str:
    """The message shown at the top of every page while the last change cannot be built (escaped HTML)."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    if nothing_built:
        status = "There is no earlier version of the site to show yet."
    else:
        status = "You are looking at the last version that could be built."
    items = []
    for problem in problems[:MAX_LISTED]:
        where = _shown_path(problem.path, base)
        if problem.line is not None:
            place = f"{where}:{problem.line}"
            words = f" (line {problem.line}" + (f", column {problem.col}" if problem.col else "") + ")"
        else:
            place, words = where, ""
        label = "Warning, treated as an error: " if problem.severity == "warning" else ""
        items.append(f'<li><p class="where"><code>{html.escape(place)}</code>{html.escape(words)}</p>'
                     f"<p>{html.escape(label + problem.message)}</p></li>")
    if count > MAX_LISTED:
        items.append(f"<li><p>… and {count - MAX_LISTED} more; the terminal lists them all.</p></li>")
    if not items:
        items.append("<li><p>The build failed; the terminal says why.</p></li>")
    return (
        f'<div id="{OVERLAY_ID}" role="alertdialog" aria-modal="false" aria-labelledby="{OVERLAY_ID}-title" '
        f'aria-describedby="{OVERLAY_ID}-intro" tabindex="-1" lang="en" dir="ltr">'
        f'<h2 id="{OVERLAY_ID}-title">The last change could not be built</h2>'
        f'<p id="{OVERLAY_ID}-intro">{status} Correct the {noun} below and save the file; this page will update '
        f"by itself. ({count} {noun})</p>"
        f'<ul>{"".join(items)}</ul>'
        f'<p><button type="button" data-showcase-dismiss>Hide this message</button> (or press Escape)</p>'
        f"</div>\n")


def _shown_path(path: str, base: Path | None) -> str:
    """A problem's file as an editor knows it: relative to the folder that holds the content folder."""
    if base is not None:
        try:
            return Path(path).resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            pass
    return path


_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


OVERLAY_STYLE = f'<style id="{OVERLAY_ID}-style">{_OVERLAY_CSS % {"id": OVERLAY_ID}}</style>\n'


def inject(page: bytes, script: str, overlay: str = "") -> bytes:
    """The page with the script before </body> (or at the end) and, if given, the overlay right after <body>
    and its style sheet before </head>."""
    end = page.lower().rfind(b"</body>")
    if end < 0:
        end = len(page)
    page = page[:end] + script.encode() + page[end:]
    if overlay:
        opening = _BODY_OPEN.search(page)
        at = opening.end() if opening else page.find(b'<script id="showcase-preview-script">')
        head_end = page.lower().find(b"</head>", 0, at)
        if head_end < 0:
            page = page[:at] + (OVERLAY_STYLE + overlay).encode() + page[at:]
        else:
            page = (page[:head_end] + OVERLAY_STYLE.encode() + page[head_end:at] + overlay.encode() + page[at:])
    return page


_PLACEHOLDER = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – showcase preview</title></head>
<body style="font:1.125rem/1.5 system-ui,sans-serif;margin:0;padding:2rem;max-width:40rem">
<main id="main" tabindex="-1"><h1>{title}</h1><p>{text}</p></main>
</body>
</html>
"""


def placeholder_page(status: int) -> bytes:
    """What is served when the site folder has nothing at an address, not even a 404 page."""
    if status == 404:
        title, text = "Nothing here", "There is no page at this address in the preview."
    else:
        title, text = "Bad request", "This address cannot be served."
    return _PLACEHOLDER.format(title=title, text=text).encode()


# --- events to open pages -------------------------------------------------------------------------

class Broadcaster:
    """Hands every event to every connected page; `close` ends all their streams."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self._closed = False

    def subscribe(self) -> queue.Queue | None:
        with self._lock:
            if self._closed:
                return None
            client: queue.Queue = queue.Queue()
            self._clients.add(client)
            return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def send(self, event: str, data: dict) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
        with self._lock:
            for client in self._clients:
                client.put(message)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)


# --- the HTTP side ----------------------------------------------------------------------------------

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    preview: Preview

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS, which can take seconds; it is not needed.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser went away mid-response
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "showcase-preview"
    timeout = 60

    def log_message(self, format: str, *args) -> None:  # the base class's argument names
        pass  # one line per request would drown the build reports editors need to read

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        preview = self.server.preview
        raw_path = urlsplit(self.path).path or "/"
        if raw_path == EVENTS_PATH:
            return self._events(preview, head)
        kind, path = resolve(preview.root, raw_path)
        if kind == "redirect":
            query = urlsplit(self.path).query
            location = "/" + raw_path.lstrip("/") + "/" + (f"?{query}" if query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if kind == "file":
            assert path is not None
            return self._file(preview, path, head)
        status = HTTPStatus.BAD_REQUEST if kind == "bad" else HTTPStatus.NOT_FOUND
        page_404 = preview.root / "404.html"
        try:
            page = page_404.read_bytes() if status == 404 and page_404.is_file() else placeholder_page(status)
        except OSError:
            page = placeholder_page(status)
        self._html(preview, status, page, head)

    def _html(self, preview: Preview, status: int, page: bytes, head: bool) -> None:
        body = preview.decorate(page)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _file(self, preview: Preview, path: Path, head: bool) -> None:
        ctype = content_type(path)
        if ctype.startswith("text/html"):
            try:
                page = path.read_bytes()
            except OSError:
                return self._html(preview, HTTPStatus.NOT_FOUND, placeholder_page(404), head)
            return self._html(preview, HTTPStatus.OK, page, head)
        try:
            file = path.open("rb")
        except OSError:
            return self._html(preview, HTTPStatus.NOT_FOUND, placeholder_page(404), head)
        with file:
            size = os.fstat(file.fileno()).st_size
            wanted = parse_range(self.headers.get("Range"), size)
            if wanted == "invalid":
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if isinstance(wanted, tuple) else HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(max(0, end - start + 1)))
            self.send_header("Accept-Ranges", "bytes")
            if isinstance(wanted, tuple):
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if head:
                return
            file.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = file.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)

    def _events(self, preview: Preview, head: bool) -> None:
        self.close_connection = True
        if head:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.end_headers()
            return
        client = preview.events.subscribe()
        if client is None:  # shutting down
            self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Accel-Buffering", "no")
            self.end_headers()
            state = preview.state()
            hello = {"build": state["build"], "ok": state["ok"]}
            self.wfile.write(f"retry: 1000\nevent: hello\ndata: {json.dumps(hello)}\n\n".encode())
            while True:
                try:
                    message = client.get(timeout=preview.heartbeat)
                except queue.Empty:
                    message = b": still here\n\n"
                if message is None:
                    return
                self.wfile.write(message)
        except OSError:
            return  # the page was closed or reloaded
        finally:
            preview.events.unsubscribe(client)


def resolve(root: Path, url_path: str) -> tuple[str, Path | None]:
    """Map a request path to a file under root: ("file", path), ("redirect", None), ("missing", None) or
    ("bad", None). Nothing outside root is ever returned, and folders are never listed."""
    path = unquote(url_path, errors="replace")
    if "\x00" in path or "\\" in path:
        return "bad", None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") for part in parts):
        return "bad", None
    if any(part.startswith(".") for part in parts):  # the build's manifest and anything else hidden
        return "missing", None
    candidate = root.joinpath(*parts)
    try:
        real_root = root.resolve()
        real = candidate.resolve()
    except (OSError, RuntimeError):
        return "missing", None
    if real != real_root and not real.is_relative_to(real_root):
        return "missing", None
    if real.is_dir():
        if not url_path.endswith("/"):
            return "redirect", None
        index = real / "index.html"
        return ("file", index) if index.is_file() else ("missing", None)
    if real.is_file():
        return "file", real
    return "missing", None


def parse_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """A single `Range: bytes=` request as (first, last) byte; None to send it all; "invalid" for 416."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not match or not (match[1] or match[2]):
        return None  # several ranges or nonsense: the whole file is a valid answer
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
        if start >= size:
            return "invalid"
        return None if end < start else (start, end)
    suffix = int(match[2])
    if suffix == 0 or size == 0:
        return "invalid"
    return max(0, size - suffix), size - 1


# --- the preview: watching, building, serving ----------------------------------------------------------

class Preview:
    """The live preview of one content folder. `run` blocks until Ctrl-C or `stop`; `port` is the real port."""

    debounce = 0.25  # seconds of quiet after the last change before building
    heartbeat = 15.0  # seconds between comments on an idle event stream, so proxies and browsers keep it

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, *,
                 open_browser: bool = False, console: Console | None = None,
                 builder: Callable[[BuildOptions], BuildResult] = build):
        self.options = dataclasses.replace(options, write=True)
        self.host, self.port = host, port
        self.open_browser = open_browser
        self.console = console or Console(stderr=True, highlight=False)
        self.root = Path(os.path.abspath(self.options.out))
        self.events = Broadcaster()
        self.builds = 0  # completed builds, good or bad
        self._build_fn = builder
        self._lock = threading.Lock()
        self._build_id = 0
        self._problems: list[Diagnostic] = []
        self._failed = False
        self._ever_built = False
        self._overlay = ""
        self._wake = threading.Event()
        self._changed: set[str] = set()
        self._last_change = float("-inf")
        self._closing = threading.Event()
        self._first_done = threading.Event()
        self._fatal: UsageError | None = None
        self._building = False
        self._search_behind = False  # the last build kept an older search index (see _build_once)
        self._server: _Server | None = None
        self._serving: threading.Thread | None = None
        self._builder: threading.Thread | None = None
        self._observer = None
        self._ignored: list[str] = []
        self._watched: list[str] = []

    # -- state, as pages and tests see it

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    def state(self) -> dict:
        with self._lock:
            return {"build": self._build_id, "ok": not self._failed, "problems": list(self._problems)}

    def decorate(self, page: bytes) -> bytes:
        """An HTML page as the preview serves it: with the reload script, and the problems if the build failed."""
        with self._lock:
            build_id, overlay = self._build_id, self._overlay
        script = _SCRIPT % {"build": build_id, "id": OVERLAY_ID, "events": EVENTS_PATH}
        return inject(page, script, overlay)

    # -- running

    def run(self, ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
        stop = stop or threading.Event()
        restore = self._on_sigterm(stop)
        status: int | None = None
        interrupted = False
        try:
            try:
                status = self._start(stop)
                if status is None:
                    self._announce(ready)
                    while not stop.wait(0.2):
                        pass
            except KeyboardInterrupt:
                interrupted = True
                self.console.print("", markup=False)  # past the ^C the terminal shows
            finally:
                self._close()
                restore()
        except KeyboardInterrupt:  # a second Ctrl-C while closing: stop at once
            return 130
        if status is not None and not interrupted:
            return status
        self.console.print("Preview stopped.", markup=False)
        return 0

    def _announce(self, ready: threading.Event | None) -> None:
        self.console.print(f"Previewing {self.options.content} at {self.url}  (press Ctrl-C to stop)",
                           markup=False, soft_wrap=True, style="bold")
        if self.host in ("0.0.0.0", "::", ""):
            self.console.print("Anyone on your network can open this preview.", markup=False, style="yellow")
        if ready is not None:
            ready.set()
        if self.open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()

    def _start(self, stop: threading.Event) -> int | None:
        content = self.options.content
        if not content.is_dir():
            self.console.print(f"showcase: the content folder {content} does not exist", markup=False)
            return 2
        server_class = _Server6 if ":" in self.host else _Server
        try:
            self._server = server_class((self.host, self.port), _Handler)
        except OSError as exc:
            hint = "; is another preview running? Choose another with --port" if _in_use(exc) else ""
            self.console.print(f"showcase: cannot listen on {self.host}:{self.port}: {exc.strerror or exc}{hint}",
                               markup=False)
            return 2
        self._server.preview = self
        self.port = self._server.server_address[1]
        cache = Path(os.path.abspath(self.options.cache or content.resolve().parent / ".showcase-cache"))
        ignored = [self.root, self.root.parent / f".{self.root.name}.staging", cache]
        self._ignored = sorted({str(p) for p in ignored} | {str(p.resolve()) for p in ignored})
        self._watched = [str(p) for p in self.watched_folders()]
        self._observer = self._watch()
        self._builder = threading.Thread(target=self._build_loop, name="showcase-build", daemon=True)
        self._wake.set()  # the first build, at once
        self._builder.start()
        while not self._first_done.wait(0.2):
            if stop.is_set():
                return 0
        if self._fatal is not None:
            self.console.print(f"showcase: {self._fatal}", markup=False)
            return 2
        self._serving = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                         name="showcase-http", daemon=True)
        self._serving.start()
        return None

    def _close(self) -> None:
        self._closing.set()
        self._wake.set()
        self.events.close()
        if self._observer is not None:
            self._observer.stop()
        if self._server is not None:
            if self._serving is not None:
                self._server.shutdown()
            self._server.server_close()
        if self._observer is not None:
            self._observer.join(timeout=5)
        if self._builder is not None and self._builder.is_alive():
            if self._building:
                self.console.print("Finishing the current build first (press Ctrl-C again to stop at once)…",
                                   markup=False)
            while self._builder.is_alive():
                self._builder.join(0.2)

    @staticmethod
    def _on_sigterm(stop: threading.Event) -> Callable[[], None]:
        """Let `kill` end the preview as cleanly as Ctrl-C (only the main thread can handle signals)."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
            return lambda: None
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)

    # -- watching

    def watched_folders(self) -> list[Path]:
        """The content folder, the site's own themes beside it, and the default theme: each once."""
        content = self.options.content.resolve()
        candidates = [content, content.parent / "themes", default_theme_dir().resolve()]
        chosen: list[Path] = []
        for folder in candidates:
            if folder.is_dir() and not any(folder == c or folder.is_relative_to(c) for c in chosen):
                chosen = [c for c in chosen if not c.is_relative_to(folder)] + [folder]
        return chosen

    def _watch(self):
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        handler = _ChangeHandler(self)
        for factory in (Observer, PollingObserver):
            observer = factory()
            try:
                for folder in self._watched:
                    observer.schedule(handler, folder, recursive=True)
                observer.start()
                return observer
            except OSError as exc:
                try:
                    observer.stop()
                except Exception:
                    pass
                problem = exc
        self.console.print(f"showcase: changes cannot be watched ({problem}); restart the preview to see them",
                           markup=False, style="yellow")
        return None

    def changed(self, path: str) -> None:
        """Note a changed file; the build starts once the changes have stopped for `debounce` seconds."""
        path = os.path.abspath(path)
        if any(path == i or path.startswith(i + os.sep) for i in self._ignored) or self._is_noise(path):
            return
        with self._lock:
            self._changed.add(path)
            self._last_change = time.monotonic()
            self._wake.set()

    def _is_noise(self, path: str) -> bool:
        """Hidden files and folders, editors' swap, backup and probe files: the build skips them too."""
        for folder in self._watched:
            if path.startswith(folder + os.sep):
                parts = path[len(folder) + 1:].split(os.sep)
                break
        else:
            parts = [os.path.basename(path)]
        return any(p.startswith(".") or p.endswith("~") for p in parts) or parts[-1] == "4913"

    # -- building

    def _build_loop(self) -> None:
        if hasattr(signal, "pthread_sigmask"):
            # Ctrl-C is for the main thread; worker processes this thread forks inherit the mask, so they
            # do not die (with tracebacks) half-way through a build either.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            woke = self._wake.wait(SEARCH_CATCH_UP if self._search_behind else None)
            if self._closing.is_set():
                return
            if not woke:  # a quiet moment, and the search index is behind the pages: bring it up to date
                self._building = True
                try:
                    self._build_once([], catch_up=True)
                finally:
                    self._building = False
                continue
            while True:  # let a burst of changes (an editor saving, git switching branch) settle
                with self._lock:
                    quiet = self._last_change + self.debounce - time.monotonic()
                if quiet <= 0:
                    break
                if self._closing.wait(quiet):
                    return
            with self._lock:
                self._wake.clear()
                changed, self._changed = sorted(self._changed), set()
            self._building = True
            try:
                self._build_once(changed)
            finally:
                self._building = False
                self._first_done.set()

    def _build_once(self, changed: list[str], catch_up: bool = False) -> None:
        """Build and report. `catch_up`: the build made in a quiet moment to bring the search index up to
        date (the others keep the last index, so that a save shows at once); open pages are not reloaded
        for it unless it found changed pages after all."""
        first = not self._first_done.is_set()
        if changed:
            shown = [p for p in changed if os.path.exists(p)] or changed  # not editors' short-lived temporary files
            names = ", ".join(_shown_path(p, self._base()) for p in shown[:3])
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            self.console.print(f"{time.strftime('%H:%M:%S')} Changed: {names}{more}; rebuilding…",
                               markup=False, soft_wrap=True)
        result: BuildResult | None = None
        self._search_behind = False  # until this build says otherwise (a build that fails is not retried)
        try:
            # today is asked afresh, so a story whose publish_date comes round appears without a restart
            result = self._build_fn(dataclasses.replace(self.options, today=datetime.date.today(),
                                                        search_later=self.options.search and not catch_up))
            self._search_behind = result.search_behind
            if catch_up and not result.failed and not result.rendered:
                self.console.print(f"{time.strftime('%H:%M:%S')} Search index brought up to date "
                                   f"({result.seconds:.2f} s).", markup=False)
                return
            failed = result.failed
            problems = [d for d in result.diagnostics.sorted()
                        if d.severity == "error" or (self.options.strict and failed)]
        except UsageError as exc:
            if first:
                self._fatal = exc
                return
            failed, problems = True, [Diagnostic(str(self.options.content), None, None, "error", str(exc))]
        except Exception as exc:  # a bug, not the editor's mistake; keep serving the last good site
            if self._closing.is_set():
                return
            self.console.print("showcase: the build stopped unexpectedly; please report this:", markup=False)
            self.console.print(traceback.format_exc(), markup=False, soft_wrap=True)
            failed, problems = True, [Diagnostic(str(self.options.content), None, None, "error",
                                                 f"the build stopped unexpectedly ({type(exc).__name__}: {exc}); "
                                                 "the terminal has the details")]
        if self._closing.is_set() and not first:
            return
        if result is not None:
            from .cli import (
                report,  # here, not at the top: the command line imports this module
            )

            report(result, self.options, self.console)
        elif failed:
            for problem in problems:
                self.console.print(problem.format(), style="red", markup=False, soft_wrap=True)
        if failed:
            self.console.print("The preview keeps showing the last site that was built; "
                               "fix the problem and save again.", markup=False, style="red", soft_wrap=True)
        with self._lock:
            self.builds += 1
            self._build_id += 1
            self._failed = failed
            self._problems = problems if failed else []
            self._ever_built = self._ever_built or not failed or (self.root / "index.html").is_file()
            self._overlay = error_overlay(problems, not self._ever_built, self._base()) if failed else ""
            build_id = self._build_id
        self.events.send("error" if failed else "reload", {"build": build_id, "ok": not failed})

    def _base(self) -> Path:
        return self.options.content.resolve().parent


class _ChangeHandler(FileSystemEventHandler):
    """Watchdog calls `dispatch` for every event; only real changes to files count."""

    _IGNORED_TYPES = ("opened", "closed_no_write", "attrib")  # reads by the build itself, links made to files

    def __init__(self, preview: Preview):
        super().__init__()
        self.preview = preview

    def dispatch(self, event) -> None:
        if event.event_type in self._IGNORED_TYPES:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's listing changed: the file's own event says what happened
        paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        for raw in paths:
            self.preview.changed(os.fsdecode(raw))


def _in_use(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))


__all__ = ["EVENTS_PATH", "Preview", "content_type", "error_overlay", "inject", "parse_range", "resolve", "serve"]
