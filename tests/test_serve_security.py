"""`serve` under attack: only requests addressed to this computer are answered (DNS rebinding), and every odd
request gets a status code, never a traceback. Against the real command (`python build.py serve`), over raw sockets."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console

from sitekit import REPO
from showcase.pipeline import BuildOptions, BuildResult
from test_serve import TIMEOUT, running, small_site, wait_for


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def ask(port: int, target: bytes | str, host: bytes | str | None = "localhost", extra: bytes = b"",
        method: bytes = b"GET", version: bytes = b"HTTP/1.1") -> Answer:
    """One request exactly as written (nothing quoted or checked on the way), and the whole answer."""
    if isinstance(target, str):
        target = target.encode()
    if isinstance(host, str):
        host = host.encode()
    request = method + b" " + target + b" " + version + b"\r\n"
    if host is not None:
        request += b"Host: " + host + b"\r\n"
    request += extra + b"Connection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn:
        conn.sendall(request)
        data = b""
        while chunk := conn.recv(1 << 16):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/"), data[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(lines[0].split()[1]), headers, body)


class Command:
    """`python build.py serve --port 0` in a folder of its own, with everything it printed."""

    def __init__(self, root: Path, *args: str):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("SHOWCASE_DEBUG", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(REPO / "build.py"), "serve", "--content", "content", "--out", "_site", "--port", "0",
             *args], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stdout), daemon=True)  # type: ignore[arg-type]
        self.reader.start()
        found = wait_for(lambda: next((m for line in list(self.lines)
                                       if (m := re.search(r"http://127\.0\.0\.1:(\d+)/", line))), None),
                         "the preview's address", timeout=60)
        self.port = int(found[1])  # type: ignore[index]

    def stop(self) -> str:
        """Ctrl-C, and all it printed."""
        try:
            self.proc.send_signal(signal.SIGINT)
            assert self.proc.wait(timeout=TIMEOUT) == 0
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(TIMEOUT)
        return "".join(self.lines)


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[Command]:
    root = tmp_path_factory.mktemp("preview")
    small_site(root)
    command = Command(root)
    yield command
    printed = command.stop()
    assert "Traceback" not in printed and "Exception" not in printed, printed
    assert "Preview stopped." in printed


def test_other_host_names_are_refused(preview: Command):
    port = preview.port
    for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io",
                 "evil.example:80@127.0.0.1", "", "[::1"):
        answer = ask(port, "/", host=host)
        assert answer.status in (400, 421), (host, answer)
        assert answer.headers["content-type"] == "text/plain; charset=utf-8", host
        assert b"Making Together" not in answer.body and b"<" not in answer.body, host
    answer = ask(port, "/stories/hello/", host="evil.example")
    assert answer.status == 421 and b"localhost" in answer.body and b"Original words" not in answer.body
    assert ask(port, "/stories/hello/", host="evil.example", method=b"HEAD").status == 421
    assert ask(port, "/", host=None, version=b"HTTP/1.0").status == 400  # no browser sends no Host
    assert ask(port, "/", extra=b"Host: evil.example\r\n").status == 400  # two Host headers
    # the absolute form names its host in the request line, which must be this computer's too
    assert ask(port, "http://evil.example/stories/hello/").status == 400
    assert ask(port, f"http://localhost:{port}/stories/hello/").status == 200
    assert any("Refused a request for evil.example" in line for line in preview.lines), preview.lines


def test_the_live_reload_stream_is_refused_to_other_hosts_too(preview: Command):
    answer = ask(preview.port, "/__showcase/events", host="evil.example")
    assert answer.status == 421 and "event-stream" not in answer.headers["content-type"]


@pytest.mark.parametrize("host", ["localhost", "LocalHost:{port}", "127.0.0.1", "127.0.0.1:{port}", "127.8.9.10",
                                  "[::1]", "[::1]:{port}", "localhost:9999"])  # a forwarded port keeps its name
def test_this_computer_is_served_under_its_own_names(preview: Command, host: str):
    answer = ask(preview.port, "/stories/hello/", host=host.format(port=preview.port))
    assert answer.status == 200 and b"Original words here." in answer.body, answer
    assert answer.headers["cross-origin-resource-policy"] == "same-origin"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_long_and_odd_addresses_get_an_answer_not_a_traceback(preview: Command):
    port = preview.port
    expected = {
        "/" + "a" * 300: 404,  # a segment longer than any file name: no such page
        "/stories/" + "b" * 300 + "/": 404,
        "/" + "/".join(["c" * 200] * 40): 404,  # longer than any path the file system takes
        "/" + "d" * 9000: 414,
        "/?q=" + "e" * 9000: 414,
        "/" + "f" * 70000: 414,  # longer than a request line may be
        "/%zz": 404,  # not percent-encoding: a name with a % in it, and there is none
        "/%ff%fe": 400,  # not UTF-8
        "/%ed%a0%80": 400,  # a lone surrogate
        "/%00": 400,
        "/a%00b/": 400,
        "/%2e%2e/%2e%2e/etc/passwd": 400,
        "/stories/..%2f..%2fsecret.txt": 400,
        "//[x": 404,  # not a host: a path
        "/stories?" + "x" * 4000: 301,
    }
    for target, status in expected.items():
        answer = ask(port, target)
        assert answer.status == status, (target[:40], answer.status, answer.body[:200])
        assert b"Traceback" not in answer.body
    assert ask(port, b"/\xff\xfe/").status == 400  # raw bytes that are not UTF-8
    assert ask(port, b"/caf\xc3\xa9").status == 404  # raw UTF-8: a name, not there
    assert ask(port, b"not-a-path").status == 400
    assert ask(port, "/a b").status == 400  # three words is not a request line
    huge = b"Range: bytes=" + b"9" * 5000 + b"-\r\n"
    assert ask(port, "/assets/style.css", extra=huge).status == 416
    assert ask(port, "/assets/style.css", extra=b"Range: bytes=0-" + b"9" * 5000 + b"\r\n").status == 206
    answer = ask(port, "/stories")
    assert answer.status == 301 and answer.headers["location"] == "/stories/"
    assert ask(port, "/", extra=b"X-Big: " + b"y" * 70000 + b"\r\n").status in (400, 431)
    posted = ask(port, "/", method=b"POST")
    assert posted.status == 405 and posted.headers["allow"] == "GET, HEAD"
    for method in (b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE"):
        assert ask(port, "/", method=method).status == 405, method
        assert ask(port, "/", method=method, host="evil.example").status == 421, method  # the Host comes first
    assert ask(port, "/stories/hello/").status == 200  # and the preview is still there


def test_a_bug_while_answering_is_a_500_and_one_line(tmp_path: Path, monkeypatch, capfd):
    import showcase.server.http as http

    content, out = small_site(tmp_path)
    with running(content, out) as site:
        def broken(root, path):
            raise RuntimeError("no answer for you")

        monkeypatch.setattr(http, "resolve", broken)
        answer = ask(site.preview.port, "/stories/hello/")
        assert answer.status == 500 and answer.headers["content-type"].startswith("text/plain")
        assert b"RuntimeError" not in answer.body and b"Traceback" not in answer.body
        monkeypatch.undo()
        assert ask(site.preview.port, "/stories/hello/").status == 200
        terminal = site.terminal.getvalue()
    assert "showcase: internal error: RuntimeError: no answer for you — this is a bug in showcase" in terminal
    assert "Traceback" not in terminal and "Traceback" not in "".join(capfd.readouterr())


def test_a_bug_in_a_build_is_one_line_and_the_last_site_stays(tmp_path: Path, capfd):
    content, out = small_site(tmp_path)
    from showcase.pipeline import build

    calls = []

    def flaky(options: BuildOptions) -> BuildResult:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the planner tripped")
        return build(options)

    with running(content, out, builder=flaky) as site:
        site.preview.changed(str(content / "stories/hello.md"))
        wait_for(lambda: site.preview.builds == 2, "the second build")
        status, _, body = site.get("/stories/hello/")
        assert status == 200 and b"Original words here." in body
        assert b"internal error: RuntimeError: the planner tripped" in body  # on the page, too
        terminal = site.terminal.getvalue()
    assert "showcase: internal error: RuntimeError: the planner tripped — this is a bug in showcase" in terminal
    assert "Traceback" not in terminal and "Traceback" not in "".join(capfd.readouterr())


def test_listening_everywhere_serves_addresses_but_not_names(tmp_path: Path):
    content, out = small_site(tmp_path)
    terminal = io.StringIO()
    from showcase.server import Preview

    preview = Preview(BuildOptions(content=content, out=out), host="0.0.0.0", port=0,
                      console=Console(file=terminal, width=400))
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=preview.run, kwargs={"ready": ready, "stop": stop}, daemon=True)
    thread.start()
    try:
        assert ready.wait(TIMEOUT), terminal.getvalue()
        assert ask(preview.port, "/", host="192.0.2.7:8000").status == 200  # a phone on the same network
        assert ask(preview.port, "/", host="[2001:db8::7]").status == 200
        assert ask(preview.port, "/", host="evil.example").status == 421
        assert ask(preview.port, "/", host="localhost").status == 200
    finally:
        stop.set()
        thread.join(TIMEOUT)
    assert "Anyone on your network can open this preview." in terminal.getvalue()


def test_the_host_rules():
    from showcase.server.hosts import HostCheck, host_name

    assert host_name("LocalHost:8000") == "localhost" and host_name("[::1]:80") == "::1"
    assert host_name("::1") is None and host_name("a b") is None and host_name("x:y") is None
    loopback = HostCheck("127.0.0.1")
    assert loopback.allows("localhost") and loopback.allows("127.0.0.1") and loopback.allows("127.255.0.1")
    assert loopback.allows("::1")
    assert not loopback.allows("192.168.1.5") and not loopback.allows("evil.example") and not loopback.allows(None)
    lan = HostCheck("192.168.1.5")
    assert lan.allows("192.168.1.5") and lan.allows("localhost") and not lan.allows("192.168.1.6")
    named = HostCheck("preview.test")
    assert named.allows("preview.test") and not named.allows("evil.example")
    assert HostCheck("::").allows("fe80::1") and not HostCheck("::").allows("evil.example")


def test_a_bug_while_noting_a_change_is_said_and_watching_goes_on(tmp_path: Path):
    from watchdog.events import FileModifiedEvent

    from showcase.server.watch import Watcher, _EventHandler

    seen, bugs = [], []

    def note(path: str) -> None:
        if path.endswith("bad.md"):
            raise RuntimeError("cannot note")
        seen.append(path)

    watcher = Watcher([tmp_path], [tmp_path / "_site"], note, on_error=bugs.append)
    handler = _EventHandler(watcher)
    handler.dispatch(FileModifiedEvent(str(tmp_path / "bad.md")))
    handler.dispatch(FileModifiedEvent(str(tmp_path / "good.md")))
    handler.dispatch(FileModifiedEvent(str(tmp_path / "_site/index.html")))  # the build's own output
    handler.dispatch(FileModifiedEvent(str(tmp_path / ".good.md.swp")))  # an editor's swap file
    assert [str(b) for b in bugs] == ["cannot note"] and seen == [str(tmp_path / "good.md")]
