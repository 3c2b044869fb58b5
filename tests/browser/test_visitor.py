"""What a visitor sees, in real Chromium, on the example site: each picture shown once on a page, card pictures that
fill their boxes at every width, lead images that leave room for the words, a home page that says what the
programme was before the reader scrolls on a phone, a menu that folds away on a phone and works from the keyboard,
and section permalinks that appear only when wanted."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_checks import load, url_path

pytestmark = pytest.mark.browser

# images/<artwork>-<width>w-<hash>.<ext>, -full- and -og- too: one artwork, whichever derivative the browser picks
DERIVATIVE = re.compile(r"-(?:\d+w|full|og)-[0-9a-f]+\.[a-z0-9]+$")


def picture_identity(src: str) -> str:
    """The artwork an image file shows: its derivative's name without width, hash and format."""
    name = src.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
    return DERIVATIVE.sub("", name)


class _MainPictures(HTMLParser):
    """The pictures (each <img>, each <video> poster) inside <main>, by the image file they show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <main> when > 0 (there is one <main>; nested ones would be invalid)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self.depth += 1
        elif self.depth and tag == "img" and values.get("src"):
            self.found.append(picture_identity(values["src"]))
        elif self.depth and tag == "video" and values.get("poster"):
            self.found.append(picture_identity(values["poster"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main" and self.depth:
            self.depth -= 1


def pictures_in_main(html: str) -> list[str]:
    parser = _MainPictures()
    parser.feed(html)
    return parser.found


def test_no_page_shows_the_same_picture_twice(example_site: Path, site_pages: list[str]) -> None:
    """A lead image is not shown again in the text, in the list of artworks or on a card; no card repeats a
    picture the page shows already. Identity is the artwork's image file, whichever size or format is served."""
    repeated = {}
    for name in site_pages:
        shown = pictures_in_main((example_site / name).read_text(encoding="utf-8"))
        twice = sorted(identity for identity, count in Counter(shown).items() if count > 1)
        if twice:
            repeated[url_path(name)] = twice
    assert not repeated, "pictures shown more than once on a page:\n" + "\n".join(
        f"  {page}: {', '.join(names)}" for page, names in repeated.items())


def test_picture_identity_reads_derivative_names() -> None:
    assert picture_identity("../../images/vessel-in-ochre-960w-ec45916d09.webp") == "vessel-in-ochre"
    assert picture_identity("images/two-bowls-full-0123abcd.jpg") == "two-bowls"
    html = ('<header><img src="images/a-480w-1a.jpg" alt=""></header><main><img src="images/b-480w-2b.jpg" alt="">'
            '<video poster="images/b-full-3c.jpg"></video></main><img src="images/b-960w-4d.jpg" alt="">')
    assert pictures_in_main(html) == ["b", "b"]


# --- cards -------------------------------------------------------------------------------------

CARD_WIDTHS = (320, 768, 1280)

CARD_BOXES = """() => [...document.querySelectorAll('main .card img')].map(img => {
  const box = img.closest('.card__image') || img.parentElement.closest('picture') || img.parentElement;
  const i = img.getBoundingClientRect(), b = box.getBoundingClientRect(), style = getComputedStyle(img);
  const natural = (+img.getAttribute('width') || img.naturalWidth) / (+img.getAttribute('height') || img.naturalHeight);
  return {src: img.getAttribute('src'), img: [i.width, i.height], box: [b.width, b.height], fit: style.objectFit,
          natural, title: (img.closest('.card').querySelector('.card__title') || {}).textContent || ''};
})"""


def card_problems(boxes: list[dict]) -> list[str]:
    """Why any card picture does not fill its box: a band of the box showing above, below or beside it."""
    problems = []
    for card in boxes:
        (iw, ih), (bw, bh) = card["img"], card["box"]
        where = f"{card['title'].strip()[:40]!r} ({picture_identity(card['src'])})"
        if abs(ih - bh) > 1 or abs(iw - bw) > 1:
            problems.append(f"{where}: picture {iw:.0f}x{ih:.0f} in a box of {bw:.0f}x{bh:.0f}")
        elif card["fit"] in ("contain", "scale-down", "none") and ih \
                and abs(iw / ih - card["natural"]) > 0.02 * card["natural"]:
            problems.append(f"{where}: object-fit {card['fit']} leaves bands inside a {iw:.0f}x{ih:.0f} box")
    return problems


def test_card_pictures_fill_their_boxes(browser_page, site_url: str, example_site: Path,
                                        site_pages: list[str]) -> None:
    """On every story card (home, story lists, related stories, projects, practices and themes) the picture's box
    is its card's picture box, at 320, 768 and 1280 px: no beige band under a wide picture."""
    with_cards = [name for name in site_pages if 'class="card' in (example_site / name).read_text(encoding="utf-8")]
    assert len(with_cards) > 10, with_cards  # home, story lists, stories, projects, practices and themes
    page = browser_page(width=CARD_WIDTHS[0], axe=False)
    problems: dict[str, list[str]] = {}
    measured = 0
    for name in with_cards:
        load(page, site_url + url_path(name))
        for width in CARD_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            boxes = page.evaluate(CARD_BOXES)
            measured += len(boxes)
            found = card_problems(boxes)
            if found:
                problems[f"{url_path(name)} at {width} px"] = found
    assert measured, "no card pictures were measured"
    assert not problems, "card pictures that do not fill their boxes:\n" + "\n".join(
        f"  {where}:\n" + "\n".join(f"      {p}" for p in found[:6]) for where, found in problems.items())


# --- lead images -------------------------------------------------------------------------------

LEAD = """() => [...document.querySelectorAll('main .story-hero img')].map(img => img.getBoundingClientRect().height)"""


def test_lead_images_leave_room_for_the_words(browser_page, site_url: str, site_pages: list[str]) -> None:
    """A story's or project's lead image is at most three quarters of the window tall (at 1280 x 800)."""
    page = browser_page(width=1280, height=800, axe=False)
    too_tall = {}
    leads = 0
    for name in site_pages:
        if not name.startswith(("stories/", "projects/")) or name.count("/") != 2:
            continue
        load(page, site_url + url_path(name))
        heights = page.evaluate(LEAD)
        leads += len(heights)
        if any(height > 0.75 * 800 + 1 for height in heights):
            too_tall[url_path(name)] = [round(h) for h in heights]
    assert leads, "no lead images were measured"
    assert not too_tall, f"lead images taller than 75% of an 800 px window: {too_tall}"


# --- the home page -----------------------------------------------------------------------------

FIRST_PARAGRAPH = """() => {
  const p = [...document.querySelectorAll('main p')].find(p =>
    !p.closest('.eyebrow, .skip-link, .visually-hidden') && !p.matches('.eyebrow')
    && p.textContent.trim().split(/\\s+/).length >= 8);
  if (!p) return null;
  const box = p.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, text: p.textContent.trim().slice(0, 80), height: innerHeight};
}"""


def test_home_says_what_the_programme_is_in_the_first_screen(browser_page, site_url: str) -> None:
    """At 320 x 640 the first paragraph of the home page (not a kicker) is read without scrolling, all of it."""
    page = browser_page(width=320, height=640, axe=False)
    load(page, site_url + "/")
    first = page.evaluate(FIRST_PARAGRAPH)
    assert first, "the home page has no paragraph of eight words or more"
    assert 0 <= first["top"] and first["bottom"] <= first["height"], \
        f"the first paragraph ({first['text']!r}...) runs from {first['top']:.0f} to {first['bottom']:.0f} px, " \
        f"past the first {first['height']} px"


# --- the menu ----------------------------------------------------------------------------------

MENU_ROWS = """() => {
  const nav = document.querySelector('nav[aria-label="Main"]');
  // shown: rendered (not in a closed <details>, whose contents are skipped), visible and with a size
  const shown = el => el.checkVisibility({visibilityProperty: true}) && el.getBoundingClientRect().height > 0;
  const tops = [];
  for (const el of nav.querySelectorAll('a, summary')) {
    if (!shown(el)) continue;
    const top = el.getBoundingClientRect().top;
    if (!tops.some(seen => Math.abs(seen - top) < 6)) tops.push(top);
  }
  const links = [...nav.querySelectorAll('a')].filter(shown).length;
  return {rows: tops.length, links, height: nav.getBoundingClientRect().height};
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  return el ? {tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
               inNav: !!el.closest('nav[aria-label="Main"]')} : null;
}"""


def _menu_state(page) -> dict:  # noqa: ANN001
    state = page.evaluate(MENU_ROWS)
    details = page.locator('nav[aria-label="Main"] details')
    state["open"] = details.count() == 1 and details.evaluate("d => d.open")
    return state


def test_menu_folds_at_320px_and_works_from_the_keyboard(browser_page, site_url: str) -> None:
    """At 320 px the ten-item menu, closed, takes at most two lines; Tab reaches its button, Enter opens it and Space
    closes it, and the links inside are reached by Tab once it is open. It needs no script: it is a <details>."""
    page = browser_page(width=320, height=640, axe=False)
    load(page, site_url + "/stories/")
    closed = _menu_state(page)
    assert closed["rows"] <= 2, f"the closed menu takes {closed['rows']} lines ({closed['height']:.0f} px) at 320 px"
    assert closed["links"] == 0 and not closed["open"], closed

    for _ in range(12):  # skip link, the site's name, Get support, then the menu's button
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["tag"] == "summary":
            break
    else:
        pytest.fail(f"Tab never reached the menu's button; focus ended on {focused}")
    assert focused["inNav"] and focused["text"], focused  # it has a name ("Menu") and is in the main navigation

    page.keyboard.press("Enter")
    opened = _menu_state(page)
    assert opened["open"] and opened["links"] >= 3, f"Enter did not open the menu: {opened}"
    page.keyboard.press("Tab")
    inside = page.evaluate(FOCUSED)
    assert inside["tag"] == "a" and inside["inNav"], f"Tab from the open menu's button went to {inside}"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    again = _menu_state(page)
    assert not again["open"] and again["links"] == 0, f"Space did not close the menu: {again}"
    page.keyboard.press("Space")
    assert _menu_state(page)["open"], "Space did not open the menu again"


def test_menu_is_open_on_a_wide_screen(browser_page, site_url: str) -> None:
    """At 1280 px every menu link shows without opening anything, on one line (the example's eleven sections)."""
    page = browser_page(width=1280, axe=False)
    load(page, site_url + "/")
    state = _menu_state(page)
    total = page.locator('nav[aria-label="Main"] a').count()
    assert state["links"] == total and total >= 3, state
    assert page.locator('nav[aria-label="Main"] summary').is_hidden()
    assert state["rows"] == 1, state
    page.keyboard.press("Tab")  # the skip link
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["inNav"], "Tab does not reach the menu's links on a wide screen"


# --- permalinks --------------------------------------------------------------------------------

def test_permalinks_show_on_hover_and_focus_only(browser_page, site_url: str) -> None:
    page = browser_page(width=1280, axe=False)
    load(page, site_url + "/final-report/")
    link = page.locator("main .permalink").first
    heading = page.locator("main h2:has(.permalink)").first
    opacity = "el => getComputedStyle(el).opacity"
    assert link.evaluate(opacity) == "0", "a permalink shows before it is wanted"
    assert link.get_attribute("href", timeout=1000).startswith("#")
    name = link.evaluate("el => el.textContent.replace('#', '').trim()")
    assert name.startswith("Link to the section"), name  # its accessible name is kept
    heading.hover()
    page.wait_for_timeout(250)  # reduced motion: no fade, but allow a frame
    assert link.evaluate(opacity) == "1", "pointing at the heading does not show its permalink"
    page.mouse.move(0, 0)
    page.wait_for_timeout(250)
    assert link.evaluate(opacity) == "0"
    link.focus()
    page.wait_for_timeout(250)
    assert link.evaluate(opacity) == "1", "a focused permalink is not shown"
