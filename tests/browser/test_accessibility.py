"""WCAG 2.2 AA checks of every page of the example site in a real browser (Chromium via Playwright).

- axe-core with the WCAG 2.0/2.1/2.2 A and AA tags: no violations, light and dark, reduced motion;
- the Nu HTML Checker over the whole built site: no errors;
- 320 CSS px wide: no horizontal scrolling (WCAG 1.4.10 Reflow);
- the first Tab reaches the skip link, and Enter on it moves focus into <main> (WCAG 2.4.1);
- and a deliberately broken fixture proves that every one of these checks reports problems.

Run alone with `python -m pytest tests/browser`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from browser_checks import (
    axe_violations,
    format_violations,
    format_vnu,
    load,
    reflow_problem,
    run_vnu,
    serve,
    skip_link_problem,
    url_path,
)

pytestmark = pytest.mark.browser

BROKEN = Path(__file__).resolve().parent / "fixtures" / "broken"


def _report(title: str, problems: dict[str, str]) -> str:
    return f"{title} on {len(problems)} page(s):\n" + "\n".join(f"  {page}: {why}" for page, why in problems.items())


def _targets(violations: list[dict], rule: str) -> str:
    return " ".join(node["target"] for v in violations if v["id"] == rule for node in v["nodes"])


def test_every_page_is_valid_html(vnu_tools, example_site: Path, site_pages: list[str]) -> None:
    """One Nu HTML Checker run over the whole built site: zero errors on every page."""
    errors = run_vnu(vnu_tools.java, vnu_tools.vnu_jar, example_site)
    assert not errors, format_vnu(errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(scheme: str, browser_page, site_url: str, site_pages: list[str]) -> None:
    """axe-core (WCAG 2.2 AA tags) on every page, in one colour scheme, with reduced motion."""
    page = browser_page(scheme)
    found: dict[str, list[dict]] = {}
    broken: dict[str, str] = {}
    started = time.perf_counter()
    for name in site_pages:
        loaded = load(page, site_url + url_path(name))
        if loaded.status != 200 or loaded.failed_requests:
            broken[name] = f"status {loaded.status}; did not load: {', '.join(loaded.failed_requests) or '-'}"
        violations = axe_violations(page)
        if violations:
            found[url_path(name)] = violations
    print(f"\naxe-core, {scheme}: {len(site_pages)} pages in {time.perf_counter() - started:.1f} s")
    assert not found and not broken, "\n\n".join(
        ([format_violations(found, scheme)] if found else [])
        + ([_report("pages or their resources did not load", broken)] if broken else []))


def test_missing_address_gets_an_accessible_404_page(browser_page, site_url: str) -> None:
    """The 404 page, served (as a host would) at a nested address that does not exist, links from the root."""
    page = browser_page("light")
    loaded = load(page, site_url + "/no/such/address/here/")
    assert loaded.status == 404
    assert not loaded.failed_requests, f"the 404 page at a nested address did not load: {loaded.failed_requests}"
    violations = axe_violations(page)
    assert not violations, format_violations({"/no/such/address/here/ (404.html)": violations}, "light")


def test_no_horizontal_scrolling_at_320px(narrow_pass: dict[str, dict[str, str]]) -> None:
    """WCAG 1.4.10 Reflow: at 320 CSS px wide, no page scrolls sideways."""
    problems = narrow_pass["reflow"]
    assert not problems, _report("horizontal scrolling at 320 px", problems)


def test_axe_finds_no_violations_at_320px(narrow_pass: dict[str, dict]) -> None:
    """axe-core on every page at 320 CSS px too: what only a narrow screen has (a table that scrolls sideways
    inside a box the keyboard must reach) is checked there."""
    assert not narrow_pass["axe"], format_violations(narrow_pass["axe"], "light, 320 px")


def test_skip_link_is_first_and_moves_focus_into_main(narrow_pass: dict[str, dict[str, str]]) -> None:
    """WCAG 2.4.1: at 320 px the first Tab focuses a visible skip link, and Enter on it puts focus inside <main>."""
    problems = narrow_pass["skip_link"]
    assert not problems, _report("the skip link does not work", problems)


def test_the_checks_bite(vnu_tools, browser_page) -> None:
    """A deliberately broken page, served and checked the same way, is reported by every check."""
    with serve(BROKEN) as base:
        page = browser_page("light")
        loaded = load(page, base + "/")
        assert loaded.status == 200 and not loaded.failed_requests
        light = axe_violations(page)
        rules = {v["id"] for v in light}
        assert {"image-alt", "color-contrast"} <= rules, f"axe-core missed problems; it reported only {rules}"
        assert ".dark-only" not in _targets(light, "color-contrast"), "the light scheme was not the light one"
        assert "[color-contrast]" in format_violations({"/": light}, "light")
        assert skip_link_problem(page), "the skip-link check accepted a page without a skip link"

        narrow = browser_page("light", width=320, height=640, axe=False)
        load(narrow, base + "/")
        assert reflow_problem(narrow), "the reflow check accepted a page wider than 320 px"

        dark = browser_page("dark")
        load(dark, base + "/")
        assert ".dark-only" in _targets(axe_violations(dark), "color-contrast"), \
            "axe-core missed text that is low-contrast only in the dark scheme: was the scheme emulated?"

    errors = run_vnu(vnu_tools.java, vnu_tools.vnu_jar, BROKEN)
    assert "index.html" in errors, f"the Nu HTML Checker missed the invalid fixture: {errors}"
    text = "\n".join(errors["index.html"])
    assert "img" in text and "alt" in text, text
    assert "“p” not allowed as child of element “span”" in text, text
    assert format_vnu(errors).startswith("the Nu HTML Checker found")
