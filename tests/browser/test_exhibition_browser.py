"""An exhibition's walk in real Chromium, on the example site: from the overview through the stops by keyboard alone
(Tab to a link and Enter; the arrow keys, which stand aside for players and modifier keys), the position said on
every stop, and no axe-core violations on the overview and the stops, light and dark."""

from __future__ import annotations

import pytest
from browser_checks import (
    FOCUSED,
    axe_violations,
    format_violations,
    load,
    reflow_problem,
)

pytestmark = pytest.mark.browser

WALK = "/exhibitions/clay-from-the-table-to-the-wall/"


def tab_to(page, words: str, limit: int = 80) -> dict:  # noqa: ANN001
    """Press Tab until the focused element's text starts with `words`; what has focus then."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["text"].startswith(words):
            return focused
    raise AssertionError(f"{limit} presses of Tab never reached {words!r}")


def go(page, key: str, to: str) -> None:  # noqa: ANN001
    """Press a key that follows a link, and wait for the page it leads to."""
    with page.expect_navigation(url=f"**{to}", wait_until="load"):
        page.keyboard.press(key)


def position(page) -> str:  # noqa: ANN001
    return " ".join(page.locator(".stop__position").inner_text().split())


def stays(page, key: str) -> None:  # noqa: ANN001
    """The key is pressed and the page does not change."""
    before = page.url
    page.keyboard.press(key)
    page.wait_for_timeout(400)
    assert page.url == before, f"{key} left {before} for {page.url}"


def test_the_walk_by_keyboard(browser_page, site_url: str) -> None:
    page = browser_page()
    assert load(page, site_url + WALK).status == 200
    start = tab_to(page, "Start the walk")
    assert start["href"] == "1/" and start["visible"]
    assert page.locator(".walk-keys").first.is_visible()  # the script says which keys it adds
    go(page, "Enter", f"{WALK}1/")
    assert position(page) == "Stop 1 of 7 · Story"
    assert page.title().startswith("Stop 1 of 7: Hands in the clay")

    link = tab_to(page, "Next stop")  # Tab to the link, Enter on it
    assert link["href"] == "../2/" and link["text"] == "Next stop: Coil and pinch" and link["visible"]
    go(page, "Enter", f"{WALK}2/")
    assert position(page) == "Stop 2 of 7 · Artwork" and page.locator("h1").inner_text() == "Coil and pinch"
    link = tab_to(page, "Previous stop")
    assert link["href"] == "../1/" and link["text"] == "Previous stop: Hands in the clay"
    go(page, "Enter", f"{WALK}1/")
    assert position(page) == "Stop 1 of 7 · Story"

    # the arrow keys, said on the page, follow the same links
    assert "the ← (left arrow) and → (right arrow) keys go to the previous and the next stop" in \
        page.locator(".walk .walk-keys").inner_text()
    go(page, "ArrowRight", f"{WALK}2/")
    go(page, "ArrowRight", f"{WALK}3/")
    assert position(page) == "Stop 3 of 7 · Film"
    # ...but never with a modifier (the browser's and screen readers' own keys) nor inside the player (it seeks)
    stays(page, "Shift+ArrowRight")
    stays(page, "Control+ArrowLeft")
    page.locator("video").focus()
    stays(page, "ArrowRight")
    stays(page, "ArrowLeft")
    page.evaluate("""() => {  // a table wider than the screen, in its box (theme.py): the arrows scroll it
        const box = document.createElement('div');
        box.className = 'table-scroll'; box.tabIndex = 0; box.setAttribute('role', 'region');
        box.innerHTML = '<table><tr><td>a</td><td>b</td></tr></table>';
        document.querySelector('main').append(box);
    }""")
    page.locator(".table-scroll").focus()
    stays(page, "ArrowRight")
    page.locator("h1").click()  # focus back on the page itself
    go(page, "ArrowLeft", f"{WALK}2/")
    assert position(page) == "Stop 2 of 7 · Artwork"
    # the first stop's ← leads back to the overview, the last stop's → too
    go(page, "ArrowLeft", f"{WALK}1/")
    go(page, "ArrowLeft", WALK)
    assert page.locator("h1").inner_text() == "Clay: from the table to the wall"
    assert load(page, f"{site_url}{WALK}7/").status == 200
    assert position(page) == "Stop 7 of 7 · Story"
    end = tab_to(page, "End of the walk")
    assert end["href"] == "../"
    go(page, "ArrowRight", WALK)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_exhibition_pages_pass_axe(browser_page, site_url: str, scheme: str) -> None:
    found = {}
    for address in ("/exhibitions/", WALK, f"{WALK}1/", f"{WALK}2/", f"{WALK}3/",
                    "/exhibitions/voices-of-the-choir/3/", "/artworks/two-bowls/"):
        page = browser_page(scheme)
        loaded = load(page, site_url + address)
        assert loaded.status == 200 and not loaded.failed_requests, loaded
        violations = axe_violations(page)
        if violations:
            found[address] = violations
    assert not found, format_violations(found, scheme)


def test_the_exhibition_pages_reflow_at_320px(browser_page, site_url: str) -> None:
    page = browser_page(width=320, height=640, axe=False)
    for address in ("/exhibitions/", WALK, f"{WALK}1/", f"{WALK}3/", f"{WALK}5/"):
        load(page, site_url + address)
        assert reflow_problem(page) is None, (address, reflow_problem(page))
