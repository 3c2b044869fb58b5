"""Real-browser accessibility suite: shared, session-scoped fixtures.

One build of the example site, one static server, one Chromium and one Nu HTML Checker run for the
whole suite. Run this suite alone with `python -m pytest tests/browser` (or `-m browser`).

On a developer machine without Chromium, Java or the npm checkers the suite skips with a loud
reason; under CI (env CI=true) the same absence is a failure, so a green run always means tested.
Install the checkers with `npm ci --ignore-scripts` in tests/browser: vnu-jar's install script would
download a Java runtime, which is neither needed (the system Java runs vnu.jar) nor reachable here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_checks import (
    axe_violations,
    load,
    new_page,
    page_files,
    reflow_problem,
    serve,
    skip_link_problem,
    url_path,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("SHOWCASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
INSTALL_HINT = ("install Chromium (apt-get install chromium), Java 17+ (apt-get install default-jre-headless) "
                "and the checkers (cd tests/browser && npm ci --ignore-scripts), or run `bash .ci/run`")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def unavailable(reason: str) -> None:
    """Skip loudly on a developer machine; fail under CI, where an untested run must never look green."""
    message = f"BROWSER ACCESSIBILITY SUITE NOT RUN: {reason}; {INSTALL_HINT}"
    if in_ci():
        pytest.fail(f"{message} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


# --- pytest hooks ------------------------------------------------------------------------------

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: real-browser accessibility checks (Chromium + axe-core + Nu HTML Checker); "
                   "run alone with `python -m pytest tests/browser`")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "BROWSER ACCESSIBILITY SUITE NOT RUN" in str(getattr(r, "longrepr", ""))]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} browser accessibility test(s) were SKIPPED, not passed",
                                   red=True, bold=True)
        terminalreporter.write_line(f"To run them: {INSTALL_HINT}.", red=True)


# --- tools -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BrowserTools:
    chromium: str
    axe_source: str


@dataclass(frozen=True)
class VnuTools:
    java: str
    vnu_jar: Path


def _missing_files(*paths: Path) -> list[str]:
    return [f"{path.relative_to(REPO)} (run npm ci --ignore-scripts in tests/browser)"
            for path in paths if not path.is_file()]


DECAP_JS = Path(__file__).resolve().parent / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"


@pytest.fixture(scope="session")
def cms_script() -> bytes:
    """Decap CMS from npm, served in place of the CDN (a loud skip without it, a failure under CI)."""
    if not DECAP_JS.is_file():
        unavailable("missing tests/browser/node_modules/decap-cms (cd tests/browser && npm ci --ignore-scripts)")
    return DECAP_JS.read_bytes()


@pytest.fixture(scope="session")
def browser_tools() -> BrowserTools:
    """Chromium, Playwright and axe-core, or a loud skip (a failure under CI)."""
    chromium = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    missing = [] if chromium else [f"Chromium ({CHROMIUM})"]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[test]')")
    missing += _missing_files(AXE_JS)
    if missing:
        unavailable("missing " + ", ".join(missing))
    return BrowserTools(chromium=chromium, axe_source=AXE_JS.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def vnu_tools() -> VnuTools:
    """Java and the Nu HTML Checker, or a loud skip (a failure under CI)."""
    java = shutil.which("java")
    missing = ([] if java else ["java"]) + _missing_files(VNU_JAR)
    if missing:
        unavailable("missing " + ", ".join(missing))
    return VnuTools(java=java, vnu_jar=VNU_JAR)


# --- the example site and a static server ------------------------------------------------------

# A draft added to a copy of the example content, so that the suite also checks the "Draft, not published"
# banner a preview (--drafts) puts on every page that is not published.
DRAFT_STORY = """---
title: "Rehearsing the spring concert"
date: 2013-01-15
summary: "A draft about the first rehearsals, waiting for its author's consent."
authors: [{ name: "Robin Example", display: initials }]
consent: pending
project: making-music
practices: [music]
draft: true
---
We started with scales and ended with a song nobody knew the words to.
"""


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built fresh from content/ once per session, as a preview (--drafts) with one draft."""
    root = tmp_path_factory.mktemp("example-site")
    out = root / "site"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "stories" / "rehearsing-the-spring-concert.md").write_text(DRAFT_STORY, encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "build.py", "--content", str(root / "content"), "--out", str(out),
                           "--drafts"], cwd=REPO, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"building the example site failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}",
                    pytrace=False)
    pages = page_files(out)
    assert pages, f"the example site in {out} has no pages"
    draft = out / "stories" / "rehearsing-the-spring-concert" / "index.html"
    assert "Draft, not published" in draft.read_text(encoding="utf-8"), "the draft's banner is not checked"
    print(f"\nbuilt the example site ({len(pages)} pages) in {time.perf_counter() - started:.1f} s")
    return out


@pytest.fixture(scope="session")
def site_url(example_site: Path) -> Iterator[str]:
    with serve(example_site) as base:
        yield base


@pytest.fixture(scope="session")
def site_pages(example_site: Path) -> list[str]:
    return page_files(example_site)


# --- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(browser_tools: BrowserTools):  # noqa: ANN201 - a playwright Browser
    """One Chromium for this suite's module. Not session-scoped on purpose: a sync Playwright left open keeps
    its asyncio loop running, and any later test that starts its own sync_playwright() would then fail."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=browser_tools.chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            unavailable(f"Chromium at {browser_tools.chromium} did not start: {exc}")
        yield browser
        browser.close()


@pytest.fixture()
def browser_page(chromium, browser_tools: BrowserTools):  # noqa: ANN001, ANN201
    """A page factory: browser_page(scheme, width=..., axe=True) gives a page in a context closed after the test."""
    contexts = []

    def make(color_scheme: str = "light", width: int = 1280, height: int = 800, axe: bool = True):  # noqa: ANN202
        context, page = new_page(chromium, browser_tools.axe_source if axe else None, color_scheme, width, height)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def narrow_pass(chromium, browser_tools, site_url: str, site_pages: list[str]) -> dict[str, dict]:
    """Each page loaded once at 320 x 640 CSS px: {'reflow': {page: problem}, 'skip_link': {page: problem},
    'axe': {page: violations}} (a table wider than the screen, say, is only there at this size)."""
    context, page = new_page(chromium, browser_tools.axe_source, "light", 320, 640)
    problems: dict[str, dict] = {"reflow": {}, "skip_link": {}, "axe": {}}
    try:
        for name in site_pages:
            load(page, site_url + url_path(name))
            violations = axe_violations(page)
            if violations:
                problems["axe"][url_path(name)] = violations
            for check, find in (("reflow", reflow_problem), ("skip_link", skip_link_problem)):
                problem = find(page)  # reflow first: the skip link moves focus and scrolls
                if problem:
                    problems[check][url_path(name)] = problem
    finally:
        context.close()
    return problems
