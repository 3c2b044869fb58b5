"""The preview's HTTP side: files of the site folder, pages with the live-reload script, and the event stream
open pages listen to.

Every request is answered, and none with a traceback: a request addressed to another host name gets 421 (see
`hosts`), an address too long for any file 414 or 404, bytes that are not an address 400; a bug while
answering gets 500 and one line in the terminal.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import socketserver
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from . import editing
from .events import EVENTS_PATH
from .files import content_type, decode_path, parse_range, resolve
from .hosts import host_name
from .inject import placeholder_page

if TYPE_CHECKING:
    from .preview import Preview

MAX_TARGET = 8192  # characters in a request's address; browsers and this site never come near it

# Sent with every answer: the preview's pages and files are for its own pages only, and are what they say.
COMMON_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    preview: Preview

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up in DNS, which can take seconds; it is not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser went away mid-response
        self.preview.bug(exc)


class PreviewServer6(PreviewServer):
    address_family = socket.AF_INET6


def server_for(host: str, port: int) -> PreviewServer:
    """A server listening on host:port (an IPv6 address when it has a colon); raises OSError."""
    return (PreviewServer6 if ":" in host else PreviewServer)((host, port), Handler)


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "showcase-preview"
    timeout = 60

    def log_message(self, format: str, *args) -> None:  # the base class's argument names
        pass  # one line per request would drown the build reports editors need to read

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        self._answered = True
        for name, value in COMMON_HEADERS:
            self.send_header(name, value)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_POST(self) -> None:  # the editor's saves (editing.py); nothing else takes a POST
        self._answer(head=False, post=True)

    def _other_method(self) -> None:  # asked for by name (do_PUT...): the Host is checked first, as for any
        self._answer(head=False, other=True)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _other_method

    def _answer(self, head: bool, post: bool = False, other: bool = False) -> None:
        self._answered = False
        try:
            self._respond(head, post, other)
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the browser went away mid-response
        except Exception as exc:  # a bug: one line in the terminal, a plain 500 to the browser
            self.close_connection = True
            self.server.preview.bug(exc)
            if not self._answered:
                try:
                    self._plain(HTTPStatus.INTERNAL_SERVER_ERROR, "The preview could not answer this request; "
                                "the terminal says why.", head)
                except OSError:
                    pass

    def _respond(self, head: bool, post: bool = False, other: bool = False) -> None:
        preview = self.server.preview
        if not self._addressed_here(head):  # first of all, for every address and method, the event stream's included
            return None
        if other:
            return self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "The preview answers GET and HEAD (and the editor's "
                               "API, POST).", head, allow="GET, HEAD, POST")
        if len(self.path) > MAX_TARGET:
            return self._plain(HTTPStatus.REQUEST_URI_TOO_LONG, "This address is too long.", head)
        target = self._target()
        if target is None:
            return self._plain(HTTPStatus.BAD_REQUEST, "This address cannot be served.", head)
        raw_path, query = target
        if editing.handles(raw_path):  # the editor at /admin/ and its API, on the content folder
            return editing.answer(self, preview.editor, raw_path, post, head)
        if post:  # as for any other method the preview does not take
            return self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "Only the editor's API (/admin/api/v1) takes a POST.",
                               head, allow="GET, HEAD")
        if raw_path == EVENTS_PATH:
            return self._events(preview, head)
        kind, path = resolve(preview.root, raw_path)
        published = preview.published_path
        if kind == "missing" and published != "/" and raw_path.startswith(published):
            # the address the site will have (the 404 page links from base_url's folder, as published)
            kind, path = resolve(preview.root, "/" + raw_path[len(published):])
        if kind == "redirect":
            decoded = decode_path(raw_path) or "/"
            location = quote("/" + decoded.strip("/") + "/", safe="/-._~!$&'()*+,;=:@") + (f"?{query}" if query else "")
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if kind == "file":
            assert path is not None
            return self._file(preview, path, head)
        status = HTTPStatus.BAD_REQUEST if kind == "bad" else HTTPStatus.NOT_FOUND
        page_404 = preview.root / "404.html"
        try:
            page = page_404.read_bytes() if status == 404 and page_404.is_file() else placeholder_page(status)
        except OSError:
            page = placeholder_page(status)
        return self._html(preview, status, page, head)

    def _target(self) -> tuple[str, str] | None:
        """The path and query of the request: "/path?query", or "http://host/path?query" (whose host must be
        one this preview answers to, as the Host header's must). None for anything else."""
        target = self.path
        if not target.startswith("/"):
            if not target.lower().startswith(("http://", "https://")):
                return None
            try:
                parts = urlsplit(target)
            except ValueError:
                return None
            if not self.server.preview.hosts.allows(host_name(parts.netloc)):
                return None
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
        path, _, query = target.partition("?")
        path = path.partition("#")[0]
        if any(ord(c) < 0x20 or c == "\x7f" for c in target):
            return None
        return path, query

    def _addressed_here(self, head: bool) -> bool:
        """Whether the request names this computer; if not, it is answered with 421 or 400 here."""
        preview = self.server.preview
        given = self.headers.get_all("Host") or []
        if len(given) != 1:
            self._plain(HTTPStatus.BAD_REQUEST, "A request needs exactly one Host header.", head)
            return False
        host = host_name(given[0])
        if preview.hosts.allows(host):
            return True
        preview.refused(host)
        self._plain(HTTPStatus.MISDIRECTED_REQUEST,
                    f"This showcase preview answers only requests addressed to {preview.hosts.examples}, "
                    f"such as {preview.url}", head)
        return False

    def _plain(self, status: int, text: str, head: bool, allow: str | None = None) -> None:
        body = (text + "\n").encode()
        self.close_connection = True
        self.send_response(status)
        if allow:
            self.send_header("Allow", allow)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _html(self, preview: Preview, status: int, page: bytes, head: bool) -> None:
        body = preview.decorate(page)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
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
            # If-Range: a copy of another version of the file asks for the rest; the preview gives no validators,
            # so none matches, and the whole file is the answer (RFC 9110, 13.1.5)
            wanted = None if self.headers.get("If-Range") else parse_range(self.headers.get("Range"), size)
            if wanted == "invalid":
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            start, end = wanted if isinstance(wanted, tuple) else (0, size - 1)
            self.send_response(HTTPStatus.PARTIAL_CONTENT if isinstance(wanted, tuple) else HTTPStatus.OK)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(max(0, end - start + 1)))
            self.send_header("Accept-Ranges", "bytes")
            if isinstance(wanted, tuple):
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.end_headers()
            if head:
                return None
            file.seek(start)
            left = end - start + 1
            while left > 0:
                chunk = file.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
        return None

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
