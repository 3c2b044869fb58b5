"""Lists of stories long enough to have later pages, which the example site's lists are not: their first and later
pages (a later page says the dates it covers) valid HTML, axe 0 light and dark at 320 and 1280 px, no sideways
scrolling, and their pages reached with the keyboard alone."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_checks import axe_violations, format_violations, format_vnu, load, reflow_problem, run_vnu, serve
from sitekit import REPO, write

pytestmark = pytest.mark.browser

LIST_PAGES = ["stories/", "stories/page/2/", "practices/music/", "practices/music/page/2/",
              "tags/singing-together/page/2/"]


@pytest.fixture(scope="module")
def long_lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example content with 60 older stories in music, filed under one theme: 75 stories in all."""
    from showcase.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("long-lists")
    shutil.copytree(REPO / "content", root / "content")
    for n in range(60):
        day = dt.date(2012, 1, 2) + dt.timedelta(days=7 * n)
        write(root / "content" / f"stories/an-older-story-{n:02}.md",
              f"---\ntitle: An older story, number {n}\ndate: {day}\nsummary: A story from the early days.\n"
              "authors: [Sam Carter]\nconsent: recorded\npractices: [music]\ntags: [singing-together]\n---\n"
              "We met on Thursdays and sang.\n")
    result = build(BuildOptions(content=root / "content", out=root / "site", cache=root / "cache", search=False))
    assert not result.failed, [d.format() for d in result.diagnostics.sorted()]
    for page in LIST_PAGES:
        assert (root / "site" / page / "index.html").is_file(), page
    return root / "site"


@pytest.fixture(scope="module")
def lists_url(long_lists: Path) -> Iterator[str]:
    with serve(long_lists) as base:
        yield base


def test_the_pages_of_a_long_list_are_valid_html(vnu_tools, long_lists: Path, tmp_path: Path) -> None:
    for page in LIST_PAGES:
        target = tmp_path / page / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(long_lists / page / "index.html", target)
    errors = run_vnu(vnu_tools.java, vnu_tools.vnu_jar, tmp_path)
    assert not errors, format_vnu(errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_axe_finds_nothing_on_the_pages_of_a_long_list(scheme: str, width: int, browser_page, lists_url: str) -> None:
    page = browser_page(scheme, width=width, height=800)
    found: dict[str, list[dict]] = {}
    wide: dict[str, str] = {}
    for address in LIST_PAGES:
        loaded = load(page, f"{lists_url}/{address}")
        assert loaded.status == 200 and not loaded.failed_requests, (address, loaded)
        violations = axe_violations(page)
        if violations:
            found[address] = violations
        problem = reflow_problem(page)
        if problem:
            wide[address] = problem
    assert not found, format_violations(found, scheme)
    assert not wide, wide
    later = page.locator("main .page-head .lede").inner_text()  # (the last page loaded is a later one)
    assert later.startswith("Stories from ") and later.endswith(", newest first."), later


def test_a_long_lists_pages_are_reached_with_the_keyboard(browser_page, lists_url: str) -> None:
    """Tab to "Next page" and press Enter: the second page, marked current; from there, "Previous page" back."""
    page = browser_page("light", width=1280, height=800, axe=False)
    load(page, f"{lists_url}/stories/")
    for label, address in (("Next page", "/stories/page/2/"), ("Previous page", "/stories/")):
        for _ in range(400):  # every link of the page, if need be
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == label:
                break
        else:
            pytest.fail(f"Tab never reached {label!r} on {page.url}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == lists_url + address
        page.evaluate("document.fonts.ready.then(() => true)")
    assert page.locator('nav.pagination [aria-current="page"]').inner_text().strip().endswith("1")
