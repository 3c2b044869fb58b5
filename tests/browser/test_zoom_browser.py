"""Deep zoom ("Look closer") in real Chromium, on the example site published under a sub-path and opened from disk:
the viewer is loaded only when asked, is opened, zoomed, panned and closed from the keyboard with focus kept and
returned, its buttons work, every tile it asks for is a file of the site, and axe finds nothing with it open."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_checks import (
    axe_violations,
    format_violations,
    load,
    reflow_problem,
    serve,
)

pytestmark = pytest.mark.browser

ARTWORK = "first-light"  # 2400 px wide: tiles at scale factors 1, 2 and 4
SUB_PATH = "site"  # the example site is served from /site/, as under https://example.org/site/

VIEWER = "OpenSeadragon.getViewer(document.getElementById('zoom-viewer'))"
STATE = f"""() => {{
  const viewer = window.OpenSeadragon && {VIEWER};
  const image = viewer && viewer.world.getItemAt(0);
  if (!image) return null;
  const centre = viewer.viewport.getCenter(true);
  return {{zoom: viewer.viewport.getZoom(true), home: viewer.viewport.getHomeZoom(), x: centre.x, y: centre.y,
          loaded: image.getFullyLoaded()}};
}}"""
FOCUSED = """() => { const el = document.activeElement;
  return {id: el.id, className: typeof el.className === 'string' ? el.className : '', text: el.textContent.trim(),
          role: el.getAttribute('role'), label: el.getAttribute('aria-label'), inDialog: !!el.closest('dialog')}; }"""


class Requests:
    """Every request of a page, and those of the site that failed (an error status, or no answer at all)."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.urls: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("response", lambda response: response.status >= 400 and self.failed.append(
            f"{response.status} {response.url}"))
        page.on("requestfailed", lambda request: self.failed.append(f"{request.failure} {request.url}"))

    def tiles(self) -> list[str]:
        return [u for u in self.urls if f"/images/{ARTWORK}-zoom-" in u]


def state(page) -> dict:  # noqa: ANN001
    return page.evaluate(STATE)


def settled(page) -> dict:  # noqa: ANN001
    """The viewer once it has stopped moving (a key press zooms or pans over a few frames) and every tile it
    wants is drawn."""
    page.wait_for_function(f"() => ({STATE})() && ({STATE})().loaded")
    last = state(page)
    for _ in range(100):
        page.wait_for_timeout(100)
        now = state(page)
        if now == last:
            return now
        last = now
    pytest.fail(f"the viewer never came to rest: {last}")


def zoom_changes(page, key_or_button, grows: bool) -> dict:  # noqa: ANN001
    before = state(page)["zoom"]
    if isinstance(key_or_button, str):
        page.keyboard.press(key_or_button)
    else:
        key_or_button.focus()
        page.keyboard.press("Enter")
    sign = ">" if grows else "<"
    page.wait_for_function(f"() => ({STATE})().zoom {sign} {before} * {1.05 if grows else 0.95}")
    return settled(page)


def tab_to(page, element_id: str, limit: int = 80) -> None:  # noqa: ANN001
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def open_viewer_by_keyboard(page) -> dict:  # noqa: ANN001
    tab_to(page, "zoom-open")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('zoom-dialog').open")
    page.wait_for_function("() => document.activeElement.classList.contains('openseadragon-canvas')")
    return settled(page)


def existing_files(site: Path, urls: list[str], prefix: str) -> list[str]:
    """The URLs (under prefix, the site's address) that name no file of the built site."""
    return [u for u in urls if not (site / unquote(urlsplit(u).path).removeprefix(prefix)).is_file()]


@pytest.fixture(scope="module")
def hosted(example_site: Path):
    """The example site served under a sub-path: /site/ of a server of its parent folder."""
    with serve(example_site.parent) as base:
        yield f"{base}/{SUB_PATH}/"


def test_look_closer_from_the_keyboard(browser_page, hosted: str, example_site: Path) -> None:
    page = browser_page(width=1280, height=800)
    requests = Requests(page)
    loaded = load(page, f"{hosted}artworks/{ARTWORK}/")
    assert loaded.status == 200 and not loaded.failed_requests, loaded
    assert not [u for u in requests.urls if "openseadragon" in u or "-zoom-" in u]  # nothing until asked

    opened = open_viewer_by_keyboard(page)
    focused = page.evaluate(FOCUSED)
    assert focused["inDialog"] and focused["role"] == "application", focused
    assert focused["label"] == "Zoomable image: First light", focused
    assert page.get_by_role("dialog", name="Look closer: First light").is_visible()
    assert any(u.endswith("/assets/openseadragon/openseadragon.min.js") for u in requests.urls)
    assert abs(opened["zoom"] - opened["home"]) < 1e-6

    # the keys OpenSeadragon listens to on its canvas: + and - zoom, the arrows pan, 0 goes home
    zoomed = zoom_changes(page, "Equal", grows=True)
    for _ in range(6):
        zoomed = zoom_changes(page, "Equal", grows=True)
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({STATE})().x > {zoomed['x']} + 0.001")
    settled(page)
    zoom_changes(page, "Minus", grows=False)
    page.keyboard.press("0")
    page.wait_for_function(f"() => Math.abs(({STATE})().zoom - ({STATE})().home) < 1e-6")
    settled(page)

    # the visible buttons, real <button>s with names, work from the keyboard too
    zoom_in = page.get_by_role("button", name="Zoom in", exact=True)
    zoom_out = page.get_by_role("button", name="Zoom out", exact=True)
    reset = page.get_by_role("button", name="Reset", exact=True)
    for button in (zoom_in, zoom_out, reset, page.get_by_role("button", name="Full screen")):
        assert button.is_visible() and button.evaluate("b => b.tagName") == "BUTTON"
    twice = zoom_changes(page, zoom_in, grows=True)
    assert abs(twice["zoom"] / twice["home"] - 2) < 0.01
    zoom_changes(page, zoom_in, grows=True)
    zoom_changes(page, zoom_out, grows=False)
    reset.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => Math.abs(({STATE})().zoom - ({STATE})().home) < 1e-6")
    full_screen = page.get_by_role("button", name="Full screen")
    full_screen.focus()
    page.keyboard.press("Enter")
    pressed = "() => document.querySelector('[data-zoom=fullscreen]').getAttribute('aria-pressed') === '{}'"
    page.wait_for_function(pressed.format("true"))
    assert page.evaluate("document.fullscreenElement.contains(document.getElementById('zoom-viewer'))")
    page.keyboard.press("Enter")
    page.wait_for_function(pressed.format("false"))
    assert page.evaluate("document.fullscreenElement") is None

    found = axe_violations(page)  # with the dialog open
    assert not found, format_violations({f"artworks/{ARTWORK}/ (viewer open)": found}, "light")

    page.get_by_role("application").focus()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('zoom-dialog').open")
    assert page.evaluate("document.activeElement.id") == "zoom-open"  # back on the button

    tiles = requests.tiles()
    assert requests.failed == [], requests.failed
    assert len(tiles) > 10 and any("/512,512/0/default.jpg" in u for u in tiles), tiles
    assert existing_files(example_site, tiles, f"/{SUB_PATH}/") == []
    reopened = page.get_by_role("button", name="Look closer")
    reopened.focus()
    page.keyboard.press("Enter")  # once loaded, the viewer opens again at once, focus in it
    page.wait_for_function("() => document.activeElement.classList.contains('openseadragon-canvas')")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement.id === 'zoom-open'")


def test_look_closer_at_320px(browser_page, hosted: str) -> None:
    """On a phone the dialog fits the screen: nothing scrolls sideways, every button is on screen, and the
    + and - buttons keep their names though only their signs show."""
    page = browser_page(width=320, height=640)
    requests = Requests(page)
    load(page, f"{hosted}artworks/woven-together/")  # `zoom: true`, though only 1600 px wide
    open_viewer_by_keyboard(page)
    assert reflow_problem(page) is None
    for name in ("Close", "Zoom in", "Zoom out", "Reset", "Full screen"):
        box = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320 and box["y"] + box["height"] <= 640, name
    viewer = page.locator("#zoom-viewer").bounding_box()
    assert viewer["height"] >= 250, viewer  # the image gets the room
    found = axe_violations(page)
    assert not found, format_violations({"artworks/woven-together/ (viewer open, 320 px)": found}, "light")
    page.get_by_role("button", name="Close", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'zoom-open'")
    assert requests.failed == [], requests.failed


def test_look_closer_in_a_short_window_keeps_its_title_and_close_button_in_view(browser_page, hosted: str) -> None:
    """320 x 256 CSS px (a page zoomed to 400 %, a phone held sideways): focus goes to the image, and the
    dialog's title and Close button are still on screen."""
    page = browser_page(width=320, height=256)
    load(page, f"{hosted}artworks/woven-together/")
    open_viewer_by_keyboard(page)
    page.wait_for_function("() => document.activeElement.classList.contains('openseadragon-canvas')")
    box = page.get_by_role("button", name="Close", exact=True).bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 256, box
    title = page.locator(".zoom-dialog__title").bounding_box()
    assert title and title["y"] >= 0, title


def test_look_closer_opened_from_disk(browser_page, example_site: Path) -> None:
    """Opened from disk (file://) the page's viewer finds its script and tiles: no address is absolute."""
    page = browser_page(width=1280, height=800, axe=False)
    requests = Requests(page)
    page.goto((example_site / "artworks" / ARTWORK / "index.html").as_uri(), wait_until="load")
    open_viewer_by_keyboard(page)
    # Chromium fetches web fonts in CORS mode, which a file:// page cannot pass: opened from disk the text is set
    # in the reader's own serif (nothing else is missing); served, the font loads (test_theme_browser.py)
    fonts = [f for f in requests.failed if "/assets/fonts/" in f]
    assert [f for f in requests.failed if f not in fonts] == [], requests.failed
    tiles = requests.tiles()
    assert tiles and all(u.startswith("file://") for u in tiles)
    assert existing_files(example_site, tiles, str(example_site) + "/") == []


def test_without_javascript_the_full_size_image_is_there(chromium, hosted: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{hosted}artworks/{ARTWORK}/", wait_until="load")
        assert page.get_by_role("button", name="Look closer").count() == 0  # hidden: it would do nothing
        link = page.get_by_role("link", name="View the full-size image (2400 × 1004 pixels)")
        assert link.is_visible()
    finally:
        context.close()
