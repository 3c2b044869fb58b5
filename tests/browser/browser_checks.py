"""The checks of the browser accessibility suite, shared by the real site's tests and the broken fixture's."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# --- pages and a static server ---------------------------------------------------------------

def page_files(folder: Path) -> list[str]:
    """Every page of a built site: each index.html and 404.html, as paths relative to the folder."""
    found = [p for p in folder.rglob("*.html") if p.name in ("index.html", "404.html")]
    return sorted(p.relative_to(folder).as_posix() for p in found)


def url_path(page: str) -> str:
    """The address a page is served at: 'a/b/index.html' -> '/a/b/', '404.html' -> '/404.html'."""
    return "/" + (page[: -len("index.html")] if page.endswith("index.html") else page)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; a missing address gets the site's 404.html with status 404, like a real host."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep the test output quiet
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser left a page before an image came
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) from a thread; yields the base URL without a final slash."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)



def new_page(browser, axe_source: str | None, color_scheme: str = "light", width: int = 1280,  # noqa: ANN001, ANN201
             height: int = 800):
    """A page in a fresh context of the given size and colour scheme, with reduced motion; when axe_source is
    given, axe-core is injected into every document before its own scripts (so a page's CSP cannot block it)."""
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True,
                                  service_workers="block")
    if axe_source:
        context.add_init_script(script=axe_source)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.emulate_media(color_scheme=color_scheme, reduced_motion="reduce")
    return context, page


# --- checks shared by the real site and the broken fixture -------------------------------------

@dataclass
class Loaded:
    url: str
    status: int
    failed_requests: list[str]


def load(page, url: str) -> Loaded:  # noqa: ANN001
    """Open a page and wait for it; note every sub-resource from our server that did not load."""
    failed: list[str] = []
    origin = urlsplit(url)[:2]

    def on_response(response) -> None:  # noqa: ANN001
        if response.status >= 400 and urlsplit(response.url)[:2] == origin and response.url != url:
            failed.append(f"{response.status} {unquote(urlsplit(response.url).path)}")

    def on_failed(request) -> None:  # noqa: ANN001
        # ERR_ABORTED is Chromium cancelling a late fetch (the favicon, a lazy image) when the next page opens
        if urlsplit(request.url)[:2] == origin and "ERR_ABORTED" not in str(request.failure):
            failed.append(f"{request.failure} {unquote(urlsplit(request.url).path)}")

    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    try:
        response = page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")  # laid out in its own fonts, as a visitor sees it
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("requestfailed", on_failed)
    return Loaded(url=url, status=response.status if response else 0, failed_requests=failed)


AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {
    version: axe.version,
    violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' | '),
                                summary: n.failureSummary || ''})),
    })),
  };
}"""


def axe_violations(page) -> list[dict]:  # noqa: ANN001
    """Run axe-core (injected by the context) on the loaded page with the WCAG 2.2 AA tags."""
    result = page.evaluate(AXE_RUN, AXE_TAGS)
    return result["violations"]


def format_violations(found: dict[str, list[dict]], scheme: str) -> str:
    count = sum(len(v["nodes"]) for vs in found.values() for v in vs)
    lines = [f"axe-core found {count} violation(s) in the {scheme} colour scheme on {len(found)} page(s):"]
    for page, violations in found.items():
        for v in violations:
            lines.append(f"  {page}  [{v['id']}] ({v['impact']}) {v['help']}  <{v['helpUrl']}>")
            for node in v["nodes"][:8]:
                summary = " ".join(node["summary"].split())
                lines.append(f"      {node['target']}\n          {summary[:400]}")
            if len(v["nodes"]) > 8:
                lines.append(f"      ... and {len(v['nodes']) - 8} more element(s)")
    return "\n".join(lines)


REFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      const path = [];
      for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) {
        const classes = typeof e.className === 'string' ? e.className.trim().split(/\\s+/).filter(Boolean) : [];
        path.unshift(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes.map(c => '.' + c).join(''));
      }
      wide.push(path.join(' > ') + ` (left ${Math.round(box.left)}, right ${Math.round(box.right)})`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 5)};
}"""


def reflow_problem(page) -> str | None:  # noqa: ANN001
    """At the current viewport: None, or why the page scrolls sideways."""
    r = page.evaluate(REFLOW)
    if r["scrollWidth"] <= r["clientWidth"]:
        return None
    return (f"scrollWidth {r['scrollWidth']} > clientWidth {r['clientWidth']}; wider than the viewport: "
            + ("; ".join(r["wide"]) or "(no single element found)"))


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), href: el.getAttribute('href'), text: (el.textContent || '').trim(),
          id: el.id, inMain: !!(document.querySelector('main') && document.querySelector('main').contains(el)),
          visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
                   && box.right > 0 && box.left < innerWidth};
}"""


def skip_link_problem(page) -> str | None:  # noqa: ANN001
    """None if the first Tab reaches a visible skip link and Enter on it moves focus into <main>."""
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    is_skip_link = first and first["tag"] == "a" and (first["href"] or "").startswith("#")
    if not is_skip_link or "skip" not in first["text"].lower():
        return f"the first Tab focused {first or 'nothing'}, not a skip link"
    if not first["visible"]:
        return f"the skip link {first['text']!r} is not visible when focused"
    page.keyboard.press("Enter")
    page.wait_for_timeout(50)
    after = page.evaluate(FOCUSED)
    if not after or not after["inMain"]:
        return (f"Enter on the skip link {first['text']!r} ({first['href']}) moved focus to {after or 'nothing'}, "
                "not into <main>")
    return None


# --- the Nu HTML Checker -----------------------------------------------------------------------

def run_vnu(java: str, vnu_jar: Path, folder: Path) -> dict[str, list[str]]:
    """Check every HTML file under a folder in one run; returns {relative path: [error, ...]}."""
    proc = subprocess.run(
        [java, "-jar", str(vnu_jar), "--errors-only", "--skip-non-html", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=600)
    output = proc.stderr.strip() or proc.stdout.strip()
    start = output.find("{")
    try:
        report = json.loads(output[start:]) if start >= 0 else None
    except json.JSONDecodeError:
        report = None
    if report is None or "messages" not in report:
        pytest.fail(f"the Nu HTML Checker gave no JSON report (exit {proc.returncode}):\n{output[:4000]}",
                    pytrace=False)
    errors: dict[str, list[str]] = {}
    root = folder.resolve()
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error") and message.get("subType") != "fatal":
            continue
        url = message.get("url", "")
        path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else None
        where = path.resolve().relative_to(root).as_posix() if path and root in path.resolve().parents else url
        line = f"line {message.get('lastLine', '?')}: {message.get('message', '')}"
        extract = " ".join(str(message.get("extract", "")).split())
        errors.setdefault(where or "(no file)", []).append(line + (f"  [{extract[:160]}]" if extract else ""))
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not errors):
        pytest.fail(f"the Nu HTML Checker failed (exit {proc.returncode}):\n{output[:4000]}", pytrace=False)
    return errors


def format_vnu(errors: dict[str, list[str]]) -> str:
    count = sum(len(e) for e in errors.values())
    lines = [f"the Nu HTML Checker found {count} error(s) on {len(errors)} page(s):"]
    for page, messages in sorted(errors.items()):
        lines.append(f"  {page}")
        lines.extend(f"      {m}" for m in messages[:20])
        if len(messages) > 20:
            lines.append(f"      ... and {len(messages) - 20} more")
    return "\n".join(lines)
