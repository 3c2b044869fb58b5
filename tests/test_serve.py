"""`serve`: the live preview, against a real server, real files and a real file watcher."""

from __future__ import annotations

import http.client
import io
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.console import Console

from sitekit import REPO, write
from showcase.errors import Diagnostic, Diagnostics
from showcase.pipeline import BuildOptions, BuildResult, build
from showcase.server import EVENTS_PATH, OVERLAY_ID, Preview, error_overlay, parse_range

TIMEOUT = 10.0
OVERLAY = f'id="{OVERLAY_ID}"'  # the message itself (the script only names it)


def wait_for(check: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def small_site(root: Path) -> tuple[Path, Path]:
    content, out = root / "content", root / "_site"
    write(content / "site.yaml", """
        title: Making Together
        description: Stories from a community arts programme.
        language: en-GB
        support:
          - name: Samaritans
            phone: "116 123"
        """)
    write(content / "stories/hello.md", """
        ---
        title: Hello
        date: 2020-01-02
        summary: A first story.
        authors:
          - Sam Carter
        consent: recorded
        ---
        Original words here.
        """)
    write(content / "pages/about.md", """
        ---
        title: About
        ---
        About us.
        """)
    (root / "secret.txt").write_text("TOP SECRET")
    return content, out


class Running:
    """A preview serving in a thread, with what it printed."""

    def __init__(self, preview: Preview, thread: threading.Thread, stop: threading.Event, terminal: io.StringIO):
        self.preview, self.thread, self.stop, self.terminal = preview, thread, stop, terminal
        self.status: list[int] = []

    def get(self, path: str, method: str = "GET", headers: dict | None = None
            ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.preview.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, headers=headers or {})  # http.client sends the path as it is
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode()


@contextmanager
def running(content: Path, out: Path, **preview_args) -> Iterator[Running]:
    terminal = io.StringIO()
    preview = Preview(BuildOptions(content=content, out=out), port=0,
                      console=Console(file=terminal, width=400, highlight=False), **preview_args)
    preview.heartbeat = 0.3
    ready, stop = threading.Event(), threading.Event()
    handle: Running
    thread = threading.Thread(target=lambda: handle.status.append(preview.run(ready=ready, stop=stop)), daemon=True)
    handle = Running(preview, thread, stop, terminal)
    thread.start()
    try:
        assert ready.wait(TIMEOUT), terminal.getvalue()
        yield handle
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive(), "the preview did not stop"
    assert handle.status == [0]


class EventStream:
    """An open page's EventSource, read from a raw HTTP connection."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        self.conn.request("GET", EVENTS_PATH)
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type", "").startswith("text/event-stream")
        self.events: queue.Queue = queue.Queue()
        self.comments = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        name, data = "message", []
        try:
            while True:
                line = self.response.fp.readline()
                if not line:
                    break
                line = line.decode().rstrip("\n")
                if line.startswith(":"):
                    self.comments += 1
                elif line.startswith("event:"):
                    name = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif not line and data:
                    self.events.put((name, json.loads("\n".join(data))))
                    name, data = "message", []
        except OSError:
            pass
        self.events.put(None)  # the server closed the stream

    def next(self, timeout: float = TIMEOUT) -> tuple[str, dict]:
        event = self.events.get(timeout=timeout)
        assert event is not None, "the event stream closed"
        return event

    def expect(self, name: str) -> dict:
        event, data = self.next()
        assert event == name, (event, data)
        return data

    def close(self) -> None:
        self.conn.close()


def on_disk_clean(out: Path) -> None:
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"__showcase" not in data and b"showcase-preview" not in data, path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_page_made_by_a_preview_stopped_since_reloads_when_another_starts(tmp_path: Path):
    """Stop the preview, change the content (a git switch), start it again: an open page reconnects and reloads,
    for its build number is another process's."""
    content, out = small_site(tmp_path)
    with running(content, out) as site:
        first = EventStream(site.preview.port).expect("hello")["build"]
    edit(content / "stories/hello.md", "Original words", "Words changed while it was stopped")
    with running(content, out) as site:
        assert EventStream(site.preview.port).expect("hello")["build"] != first


def test_edit_break_and_fix_a_story_while_a_page_watches(tmp_path: Path):
    content, out = small_site(tmp_path)
    story = content / "stories/hello.md"
    with running(content, out) as site:
        page = site.text("/stories/hello/")
        assert "Original words here." in page
        assert 'new EventSource("/__showcase/events")' in page and OVERLAY not in page
        stream = EventStream(site.preview.port)
        hello = stream.expect("hello")
        first = hello["build"]
        assert hello == {"build": first, "ok": True} and first % 1000 == 1  # numbered on from the process's own
        assert f"var build = {hello['build']};" in page  # so a page that missed a build reloads on connecting

        edit(story, "Original words", "Changed words")
        assert stream.expect("reload")["ok"] is True
        assert "Changed words here." in site.text("/stories/hello/")  # built before the reload was sent
        assert "Changed: content/stories/hello.md" in site.terminal.getvalue()

        edit(story, "summary: A first story.", "summary: [oops")
        assert stream.expect("error") == {"build": first + 2, "ok": False}
        page = site.text("/stories/hello/")
        assert "Changed words here." in page  # the last good site is still served ...
        assert 'role="alertdialog"' in page and 'aria-modal="false"' in page  # ... with the problems on top
        assert "The last change could not be built" in page
        assert "<code>content/stories/hello.md:4</code> (line 4, column 10)" in page
        assert "put it in quotes: summary: &quot;[oops&quot;" in page  # escaped
        assert page.index(OVERLAY) < page.index('class="skip-link"')  # first thing on the page
        assert OVERLAY in site.text("/about/")  # every page says so
        status, _, missing = site.get("/no/such/page/")
        assert status == 404 and OVERLAY.encode() in missing
        assert re.search(r"hello\.md:4:10: error: summary: the list that starts with \[ is not closed",
                         site.terminal.getvalue())
        assert "the previous site is unchanged" in site.terminal.getvalue()
        on_disk_clean(out)

        edit(story, "summary: [oops", "summary: A first story.")
        edit(story, "Changed words", "Fixed words")
        assert stream.expect("reload") == {"build": first + 3, "ok": True}
        page = site.text("/stories/hello/")
        assert "Fixed words here." in page and OVERLAY not in page
        assert site.preview.builds == 4  # the two saves of the fix were one build
        on_disk_clean(out)

        time.sleep(site.preview.heartbeat * 2)
        assert stream.comments >= 1  # idle streams get a heartbeat
    stream.reader.join(TIMEOUT)
    assert not stream.reader.is_alive(), "stopping the server left the event stream open"
    on_disk_clean(out)


def test_files_are_served_safely(tmp_path: Path):
    content, out = small_site(tmp_path)
    with running(content, out) as site:
        status, headers, body = site.get("/assets/style.css")
        assert status == 200 and headers["content-type"] == "text/css; charset=utf-8"
        assert body == (out / "assets/style.css").read_bytes()  # not HTML: served as it is
        status, headers, part = site.get("/assets/style.css", headers={"Range": "bytes=0-9"})
        assert status == 206 and part == body[:10] and headers["content-range"] == f"bytes 0-9/{len(body)}"
        status, _, whole = site.get("/assets/style.css", headers={"Range": "bytes=10-", "If-Range": '"an-old-etag"'})
        assert status == 200 and whole == body  # the rest of another version is not spliced onto the first part

        status, headers, body = site.get("/")
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        assert int(headers["content-length"]) == len(body)
        status, head_headers, nothing = site.get("/", method="HEAD")
        assert status == 200 and nothing == b"" and head_headers["content-length"] == headers["content-length"]

        status, headers, _ = site.get("/stories?x=1")
        assert status == 301 and headers["location"] == "/stories/?x=1"
        status, _, body = site.get("/stories/hello/index.html")
        assert status == 200 and b"Original words here." in body

        status, _, body = site.get("/assets/")  # a folder without index.html is not listed
        assert status == 404 and b"Page not found" in body and b"Index of" not in body
        status, _, body = site.get("/nothing-here")
        assert status == 404 and b"Page not found" in body and b"showcase-preview-script" in body
        assert site.get("/.showcase-files.json")[0] == 404

        (out / "link.txt").symlink_to(tmp_path / "secret.txt")
        for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/stories/..%2f..%2f..%2fsecret.txt",
                     "//../secret.txt", "/..\\secret.txt", "/link.txt", "/%00", str(tmp_path / "secret.txt")):
            status, _, body = site.get(path)
            assert status in (400, 404), path
            assert b"TOP SECRET" not in body, path
    on_disk_clean(out)


def test_a_site_that_never_built_shows_why_then_appears_when_fixed(tmp_path: Path):
    content, out = small_site(tmp_path)
    story = content / "stories/hello.md"
    edit(story, "consent: recorded", "consent: [oops")
    with running(content, out) as site:
        assert not out.exists() or not any(out.iterdir())
        status, _, body = site.get("/")
        page = body.decode()
        assert status == 404 and "The last change could not be built" in page
        assert "There is no earlier version of the site to show yet." in page
        assert re.search(r"<code>content/stories/hello\.md:\d+</code> \(line \d+, column \d+\)", page)
        stream = EventStream(site.preview.port)
        assert stream.expect("hello")["ok"] is False
        edit(story, "consent: [oops", "consent: recorded")
        assert stream.expect("reload")["ok"] is True
        assert "Making Together" in site.text("/") and OVERLAY not in site.text("/")
        stream.close()


def test_a_change_to_the_sites_own_theme_rebuilds(tmp_path: Path):
    content, out = small_site(tmp_path)
    (tmp_path / "themes/default/assets").mkdir(parents=True)
    with running(content, out) as site:
        assert site.get("/assets/extra.css")[0] == 404
        stream = EventStream(site.preview.port)
        stream.expect("hello")
        write(tmp_path / "themes/default/assets/extra.css", "p { color: #123; }")
        stream.expect("reload")
        status, headers, body = site.get("/assets/extra.css")
        assert status == 200 and body == b"p { color: #123; }" and headers["content-type"].startswith("text/css")
        stream.close()


def test_one_build_at_a_time_and_one_more_for_changes_made_during_it(tmp_path: Path):
    content, out = small_site(tmp_path)
    active, most, started = [0], [0], threading.Semaphore(0)
    gate = threading.Event()  # a build waits for it once it is cleared
    gate.set()
    lock = threading.Lock()

    def fake_build(options: BuildOptions) -> BuildResult:
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        started.release()
        gate.wait(TIMEOUT)
        with lock:
            active[0] -= 1
        return BuildResult(Diagnostics(), failed=False)

    with running(content, out, builder=fake_build) as site:
        preview = site.preview
        assert started.acquire(timeout=TIMEOUT) and preview.builds == 1
        gate.clear()
        for _ in range(5):  # a burst of saves: one build, once they settle
            preview.changed(str(content / "stories/hello.md"))
            time.sleep(0.02)
        assert started.acquire(timeout=TIMEOUT)  # the second build is running, held at the gate
        for name in ("a.md", "b.md", "c.md"):
            preview.changed(str(content / "stories" / name))
        time.sleep(preview.debounce + 0.1)
        assert preview.builds == 1 and active[0] == 1  # no second build alongside
        gate.set()
        wait_for(lambda: preview.builds == 3, "the build for the changes made during a build")
        time.sleep(preview.debounce + 0.3)
        assert preview.builds == 3 and most[0] == 1, site.terminal.getvalue()
        preview.changed(str(out / "index.html"))  # the build's own output is not a change
        time.sleep(preview.debounce + 0.2)
        assert preview.builds == 3, site.terminal.getvalue()
        assert "Changed: content/stories/hello.md; rebuilding" in site.terminal.getvalue()


def test_the_overlay_escapes_and_caps_what_it_lists():
    problems = [Diagnostic("/x/content/a.md", 3, 2, "error", "bad <script>alert(1)</script>")]
    problems += [Diagnostic(f"/x/content/{i}.md", None, None, "error", "no") for i in range(60)]
    shown = error_overlay(problems, False, Path("/x"))
    assert "<script>" not in shown and "bad &lt;script&gt;" in shown
    assert "<code>content/a.md:3</code> (line 3, column 2)" in shown
    assert shown.count("<li>") == 51 and "and 11 more" in shown and "(61 problems)" in shown
    assert 'role="alertdialog"' in shown and f'aria-labelledby="{OVERLAY_ID}-title"' in shown
    assert "data-showcase-dismiss" in shown  # with Escape, handled by the injected script


def test_ranges():
    assert parse_range(None, 10) is None
    assert parse_range("bytes=2-4", 10) == (2, 4)
    assert parse_range("bytes=5-", 10) == (5, 9)
    assert parse_range("bytes=-3", 10) == (7, 9)
    assert parse_range("bytes=0-100", 10) == (0, 9)
    assert parse_range("bytes=10-", 10) == "invalid"
    assert parse_range("bytes=0-1,4-5", 10) is None


def test_a_port_in_use_is_explained(tmp_path: Path):
    content, out = small_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        terminal = io.StringIO()
        preview = Preview(BuildOptions(content=content, out=out), port=taken.getsockname()[1],
                          console=Console(file=terminal, width=400))
        assert preview.run() == 2
    assert "is another preview running? Choose another with --port" in terminal.getvalue()
    assert not out.exists()


def test_wrong_folders_are_explained_before_serving(tmp_path: Path):
    content, out = small_site(tmp_path)
    write(out / "notes.txt", "mine")  # not a folder showcase made: the build refuses to write there
    terminal = io.StringIO()
    preview = Preview(BuildOptions(content=content, out=out), port=0, console=Console(file=terminal, width=400))
    assert preview.run() == 2
    assert "is not empty and was not made by showcase" in terminal.getvalue()
    assert (out / "notes.txt").read_text() == "mine"
    missing = Preview(BuildOptions(content=tmp_path / "nope", out=out), port=0,
                      console=Console(file=terminal, width=400))
    assert missing.run() == 2 and "the content folder" in terminal.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_ctrl_c_stops_cleanly(tmp_path: Path):
    content, out = small_site(tmp_path)
    code = ("import sys; from pathlib import Path; from showcase.server import serve; "
            "from showcase.pipeline import BuildOptions; "
            "sys.exit(serve(BuildOptions(content=Path(sys.argv[1]), out=Path(sys.argv[2])), port=0))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", code, str(content), str(out)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        found = wait_for(lambda: next((m for line in list(lines)
                                       if (m := re.search(r"http://127\.0\.0\.1:(\d+)/", line))), None),
                         "the preview's address")
        port = int(found[1])  # type: ignore[index]
        stream = EventStream(port)  # an open page must not hold the server up
        stream.expect("hello")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/stories/hello/")
        assert b"Original words here." in conn.getresponse().read(), "".join(lines)
        conn.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(TIMEOUT)
    stderr = "".join(lines)
    assert "Traceback" not in stderr, stderr
    assert "Preview stopped." in stderr
    stream.reader.join(TIMEOUT)
    assert not stream.reader.is_alive()
    # the spare beside the site (made once the first build was shown) is whole: no build was stopped half-way
    assert not (tmp_path / "._site.staging/.showcase-unfinished").exists()


def test_the_first_build_is_the_real_build(tmp_path: Path):
    """The preview writes the same site as `build` does: nothing of the preview is published."""
    content, out = small_site(tmp_path)
    with running(content, out):
        pass
    other = tmp_path / "other"
    assert not build(BuildOptions(content=content, out=other)).failed
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == \
           {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}


def test_in_a_real_browser_the_page_reloads_and_the_message_can_be_dismissed(tmp_path: Path):
    """The injected script itself: EventSource reloads, focus on the message, Escape to hide it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).is_file():
        pytest.skip(f"no Chromium at {chromium} (set SHOWCASE_CHROMIUM)")
    content, out = small_site(tmp_path)
    story = content / "stories/hello.md"
    with running(content, out) as site, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page(reduced_motion="reduce")
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(site.preview.url + "stories/hello/")
            wait_for(lambda: len(site.preview.events._clients) == 1, "the page's event stream")
            with page.expect_navigation():
                edit(story, "summary: A first story.", "summary: [oops")
            box = page.locator(f"#{OVERLAY_ID}")
            assert box.is_visible() and page.evaluate("document.activeElement.id") == OVERLAY_ID
            assert page.evaluate(f"getComputedStyle(document.getElementById('{OVERLAY_ID}')).animationName") == "none"
            assert "hello.md:4" in box.inner_text() and "Original words here." in page.content()
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent") == "Hide this message"
            page.keyboard.press("Escape")
            assert not box.is_visible() and page.evaluate("document.activeElement.id") == "main"
            wait_for(lambda: len(site.preview.events._clients) == 1, "the reloaded page's event stream")
            with page.expect_navigation():
                edit(story, "summary: [oops", "summary: A first story.")
            assert page.locator(f"#{OVERLAY_ID}").count() == 0
            assert problems == []
        finally:
            browser.close()


def test_stopped_before_the_search_index_caught_up_the_preview_says_so(tmp_path: Path, monkeypatch):
    import showcase.server.preview as preview_module

    monkeypatch.setattr(preview_module, "SEARCH_CATCH_UP", 60)  # no pause long enough before it stops
    content, out = small_site(tmp_path)
    with running(content, out) as site:
        stream = EventStream(site.preview.port)
        stream.expect("hello")
        edit(content / "stories/hello.md", "Original words", "Marmalade words")
        assert stream.expect("reload")["ok"] is True
        stream.close()
    assert "is behind its pages: build again" in site.terminal.getvalue()


def test_the_reload_script_and_the_overlay_go_into_documents_at_their_real_tags():
    """A "<body>" inside a script's text or a comment is not the page's body; a fragment of HTML (a piece a
    page loads) is not a page: it is served as it is."""
    from showcase.server.inject import OVERLAY_ID, inject

    page = (b'<!doctype html><html><head><script>var tpl = "<body class=x>";</script><!-- <body> --></head>'
            b'<body><p id=ok>ok</p></body></html>')
    made = inject(page, '<script id="showcase-preview-script"></script>', f'<div id="{OVERLAY_ID}"></div>')
    assert b'var tpl = "<body class=x>";</script>' in made  # the script's text untouched
    assert f'</head><body><div id="{OVERLAY_ID}"></div><p id=ok>'.encode() in made
    assert made.index(b'<style id="') < made.index(b"</head>")
    fragment = b"<li><a href=x>a partner</a></li>\n"
    assert inject(fragment, '<script id="showcase-preview-script"></script>', "<div>overlay</div>") == fragment


def test_with_a_base_url_in_a_folder_the_404_page_works_in_the_preview(tmp_path: Path):
    """The 404 page links from base_url's folder (it is served at any address): the preview serves the site
    there too, so its style and links work, as they will once published."""
    content, out = small_site(tmp_path)
    (content / "site.yaml").write_text((content / "site.yaml").read_text() + 'base_url: "https://example.org/cpmr/"\n')
    with running(content, out) as site:
        status, _, missing = site.get("/stories/no-such-story/")
        assert status == 404 and b'href="/cpmr/assets/style.css' in missing
        status, headers, css = site.get("/cpmr/assets/style.css")
        assert status == 200 and css == (out / "assets/style.css").read_bytes()
        status, _, home = site.get("/cpmr/")
        assert status == 200 and home == site.get("/")[2]
        assert site.get("/cpmr/stories")[0] == 301


def test_in_a_real_browser_eight_tabs_share_one_connection_and_all_reload(tmp_path: Path):
    """A browser opens six connections at most to one address: with a connection for each open page, the
    seventh tab (the editor, say) never loaded. The tabs share one, and every one of them reloads after a build."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).is_file():
        pytest.skip(f"no Chromium at {chromium} (set SHOWCASE_CHROMIUM)")
    content, out = small_site(tmp_path)
    with running(content, out) as site, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            context = browser.new_context()
            pages = []
            for _ in range(8):
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.goto(site.preview.url + "stories/hello/")
                pages.append(page)
            wait_for(lambda: len(site.preview.events._clients) == 1, "one event stream for all the tabs")
            for page in pages:
                page.evaluate("window.__before = true")
            edit(content / "stories/hello.md", "Original words", "Shared words")
            for page in pages:
                page.wait_for_function("() => window.__before === undefined && "
                                       "document.body.textContent.includes('Shared words here.')")
            pages[0].close()  # the tab that listened goes: another takes over
            wait_for(lambda: len(site.preview.events._clients) == 1, "another tab's event stream")
            edit(content / "stories/hello.md", "Shared words", "Handed-over words")
            pages[1].wait_for_function("() => document.body.textContent.includes('Handed-over words here.')")
        finally:
            browser.close()


def test_a_save_shows_at_once_and_the_search_index_catches_up_in_a_pause(tmp_path: Path):
    from test_search import everything_indexed

    content, out = small_site(tmp_path)
    with running(content, out) as site:
        stream = EventStream(site.preview.port)
        stream.expect("hello")
        assert "original" in everything_indexed(out)
        edit(content / "stories/hello.md", "Original words", "Marmalade words")
        assert stream.expect("reload")["ok"] is True
        assert "Marmalade words here." in site.text("/stories/hello/")
        assert "the search index is brought up to date when you pause" in site.terminal.getvalue()
        wait_for(lambda: "Search index brought up to date" in site.terminal.getvalue(), "the search index")
        assert "marmalade" in everything_indexed(out) and "original" not in everything_indexed(out)
        with pytest.raises(queue.Empty):
            stream.next(timeout=0.5)  # open pages are not reloaded for the index
        assert site.preview.builds == 2
        stream.close()


def test_the_preview_serves_while_it_makes_the_story_cards_and_a_terminal_build_may_run(tmp_path: Path, monkeypatch):
    """The cards a build of the whole site did not keep are made after the page is served, and with nothing locked."""
    from showcase.warm import WarmState

    making, done = threading.Event(), threading.Event()

    def held(self, waiting=lambda: False) -> None:  # (as long as making the cards of 10,000 stories takes, or longer)
        making.set()
        done.wait(TIMEOUT)

    monkeypatch.setattr(WarmState, "make_cards", held)
    content, out = small_site(tmp_path)
    with running(content, out) as site:  # (ready: served)
        try:
            assert making.wait(TIMEOUT)
            assert "<html" in site.text("/")  # served meanwhile
            other = build(BuildOptions(content=content, out=out, cache=tmp_path / "terminal-cache", search=False))
            assert not other.failed  # a build from a terminal is not refused meanwhile
        finally:
            done.set()
