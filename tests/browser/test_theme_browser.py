"""The visitor's theme in real Chromium (issue 14, items 3, 4 and 7): the web font loaded and drawing the text, Welsh
included; a gallery that shows its art in the first screen, two works abreast on a phone, with its filters folded
into a disclosure the keyboard opens; body text at 7:1 or more in both colour schemes (WCAG 1.4.6, AAA); and pages
that stay usable in forced colours (Windows High Contrast): axe clean, focus rings and card borders drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_checks import axe_violations, format_violations, load, url_path

pytestmark = pytest.mark.browser

FAMILY = "Literata"
WELSH = "Ŵyneb ŷd ŵyr ẁ ẃ ẅ ỳ Ŷ"


def first_page(site_pages: list[str], folder: str) -> str:
    """The address of the first page one folder down in `folder`, e.g. /stories/<slug>/."""
    found = sorted(p for p in site_pages if p.startswith(folder + "/") and p.count("/") == 2 and "/page/" not in p)
    assert found, f"the example site has no page under /{folder}/"
    return url_path(found[0])


def visitor_pages(site_pages: list[str], example_site: Path | None = None) -> dict[str, str]:
    """Home, a story (one with a content note, given the built site), the gallery, an artwork and the people page."""
    story = first_page(site_pages, "stories")
    if example_site is not None:
        noted = [p for p in site_pages if p.startswith("stories/") and p.count("/") == 2
                 and 'class="content-note' in (example_site / p).read_text(encoding="utf-8")]
        assert noted, "no story of the example site has a content note"
        story = url_path(noted[0])
    return {"home": "/", "story": story, "gallery": "/artworks/", "artwork": first_page(site_pages, "artworks"),
            "people": "/people/"}


# --- type --------------------------------------------------------------------------------------

FONT_STATE = """async (family) => {
  await document.fonts.ready;
  const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === family);
  // body text: the first paragraph of eight words or more that is not a kicker, a byline or a card's small print
  const body = [...document.querySelectorAll('main p')].find(p => p.textContent.trim().split(/\\s+/).length >= 8
    && !p.closest('.eyebrow, .byline, .card__meta, .card__note, .breadcrumbs, .draft-banner, .content-note'));
  body.id = 'body-text';
  return {faces: faces.map(f => [f.style, f.status]), check: document.fonts.check(`1em "${family}"`, 'ŵŷŴŶ'),
          body: getComputedStyle(body).fontFamily, text: body.textContent.trim().slice(0, 60)};
}"""


def platform_fonts(page, selector: str) -> list[dict]:  # noqa: ANN001
    """The fonts Chromium really drew an element's text with (DevTools protocol), not what the CSS asked for."""
    client = page.context.new_cdp_session(page)
    try:
        client.send("DOM.enable")
        client.send("CSS.enable")
        root = client.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = client.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector}"
        return client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        client.detach()


@pytest.mark.parametrize("name", ["home", "story"])
def test_the_web_font_draws_the_text_welsh_included(name: str, browser_page, site_url: str,
                                                     site_pages: list[str]) -> None:
    page = browser_page(width=1280, axe=False)
    loaded = load(page, site_url + visitor_pages(site_pages)[name])
    assert not loaded.failed_requests, loaded.failed_requests
    state = page.evaluate(FONT_STATE, FAMILY)
    assert ["normal", "loaded"] in state["faces"], f"{FAMILY} was not loaded: {state}"
    assert state["check"], f"document.fonts.check says {FAMILY} cannot draw ŵŷŴŶ yet: {state}"
    assert state["body"].startswith(f'"{FAMILY}"') or state["body"].startswith(FAMILY), state
    drawn = platform_fonts(page, "#body-text")
    assert [f["familyName"] for f in drawn] == [FAMILY] and all(f["isCustomFont"] for f in drawn), drawn
    page.evaluate("""(text) => { const p = document.createElement('p'); p.id = 'welsh'; p.textContent = text;
                                 document.querySelector('main').append(p); }""", WELSH)
    # the new paragraph is drawn in the next frames: until then Chromium has no fonts to report for it
    page.wait_for_function("""() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
                                  () => done(document.getElementById('welsh').getBoundingClientRect().height > 0))))""")
    welsh = []
    for _ in range(20):
        welsh = platform_fonts(page, "#welsh")
        if welsh:
            break
        page.wait_for_timeout(100)
    assert [f["familyName"] for f in welsh] == [FAMILY], f"Welsh letters fell back to another font: {welsh}"


# --- the gallery -------------------------------------------------------------------------------

FIRST_WORKS = """() => [...document.querySelectorAll('main .gallery .gallery__item')].slice(0, 4).map(item => {
  const box = item.querySelector('img').getBoundingClientRect();
  return {left: box.left, top: box.top, bottom: box.bottom, width: box.width};
})"""


@pytest.mark.parametrize("width,height", [(320, 640), (1280, 800)])
def test_the_gallery_shows_art_in_the_first_screen(width: int, height: int, browser_page, site_url: str) -> None:
    """The first works' pictures are whole in the first viewport, and at 320 px two stand side by side."""
    page = browser_page(width=width, height=height, axe=False)
    load(page, site_url + "/artworks/")
    works = page.evaluate(FIRST_WORKS)
    assert len(works) >= 2, works
    first, second = works[0], works[1]
    assert 0 <= first["top"] and first["bottom"] <= height, f"the first work spans {first['top']:.0f}-" \
        f"{first['bottom']:.0f} px of a {height} px screen"
    assert abs(second["top"] - first["top"]) < 1 and second["left"] > first["left"] + first["width"] - 1, \
        f"the first two works are not side by side at {width} px: {works[:2]}"
    if width == 320:
        assert first["width"] >= 100, f"works at 320 px are only {first['width']:.0f} px wide"


FILTERS = """() => {
  const details = document.querySelector('main details.filters');
  const links = [...details.querySelectorAll('a')].filter(a => a.checkVisibility()).length;
  return {open: details.open, links, focused: document.activeElement.tagName.toLowerCase(),
          inFilters: details.contains(document.activeElement)};
}"""


def test_the_gallery_filters_open_and_close_from_the_keyboard(browser_page, site_url: str) -> None:
    page = browser_page(width=320, height=640, axe=False)
    load(page, site_url + "/artworks/")
    closed = page.evaluate(FILTERS)
    assert not closed["open"] and closed["links"] == 0, closed
    for _ in range(30):
        page.keyboard.press("Tab")
        state = page.evaluate(FILTERS)
        if state["focused"] == "summary" and state["inFilters"]:
            break
    else:
        pytest.fail("Tab never reached the gallery's filters")
    page.keyboard.press("Enter")
    opened = page.evaluate(FILTERS)
    assert opened["open"] and opened["links"] >= 2, opened
    page.keyboard.press("Tab")
    inside = page.evaluate(FILTERS)
    assert inside["focused"] == "a" and inside["inFilters"], inside
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert not page.evaluate(FILTERS)["open"], "Space did not close the filters"


# --- contrast (WCAG 1.4.6, AAA) ----------------------------------------------------------------

CONTRAST = """() => {
  const rgba = value => {
    const m = value.match(/^rgba?\\(([^)]+)\\)$/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3]));
  const luminance = c => {
    const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {  // the colour behind an element: its own and its ancestors' backgrounds, blended
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.backgroundImage !== 'none') return null;  // text over a picture is not measured here
      const c = rgba(style.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255]);
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('script, style, noscript, .visually-hidden, svg')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true}) || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const behind = background(el);
    const colour = rgba(style.color);
    if (!behind || !colour) continue;
    const text = over(colour, behind);
    const [hi, lo] = [luminance(text), luminance(behind)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);  // WCAG's large text needs 4.5:1 at AAA
    found.push({ratio, needed: large ? 4.5 : 7, large, text: node.textContent.trim().slice(0, 40),
                inNote: !!el.closest('.content-note'),
                where: el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                       ? '.' + el.className.trim().split(/\\s+/).join('.') : ''),
                colour: style.color, behind: `rgb(${behind.map(Math.round).join(', ')})`});
  }
  return found;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_body_text_contrast_is_at_least_7_to_1(scheme: str, browser_page, site_url: str, site_pages: list[str],
                                               example_site: Path) -> None:
    """Every piece of visible text on home, a story, the gallery, an artwork and the people page: 7:1 against what is
    behind it (4.5:1 for large text, as WCAG 1.4.6 allows), paragraphs, list items, cards and captions included."""
    page = browser_page(scheme, width=1280, axe=False)
    problems: dict[str, list[str]] = {}
    kinds: set[str] = set()
    notes: set[str] = set()
    for name, address in visitor_pages(site_pages, example_site).items():
        load(page, site_url + address)
        measured = page.evaluate(CONTRAST)
        assert len(measured) > 20, f"{address}: only {len(measured)} pieces of text were measured"
        kinds |= {m["where"].split(".")[0] for m in measured}
        notes |= {"content-note" for m in measured if m["inNote"]}
        low = [m for m in measured if m["ratio"] < m["needed"]]
        if low:
            problems[f"{name} ({address})"] = [f"{m['ratio']:.2f} < {m['needed']}: {m['where']} {m['text']!r} "
                                               f"({m['colour']} on {m['behind']})" for m in low]
    assert {"p", "li", "a", "figcaption"} <= kinds, kinds  # body text, lists, links and captions were measured
    assert "content-note" in notes, "the content note's text was not measured"
    assert not problems, f"text below AAA contrast in the {scheme} scheme:\n" + "\n".join(
        f"  {where}:\n" + "\n".join(f"      {line}" for line in lines[:12]) for where, lines in problems.items())


# --- forced colours ----------------------------------------------------------------------------

FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), inMain: !!el.closest('main'), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), colour: style.outlineColor,
          behind: getComputedStyle(document.body).backgroundColor};
}"""

CARD_BORDERS = """() => [...document.querySelectorAll('main .card, main .artwork-card')].map(card => {
  const style = getComputedStyle(card);
  return {style: style.borderTopStyle, width: parseFloat(style.borderTopWidth), colour: style.borderTopColor,
          sides: ['Right', 'Bottom', 'Left'].every(side => style[`border${side}Style`] !== 'none'),
          behind: getComputedStyle(document.body).backgroundColor};
})"""


def forced_page(browser_page, width: int = 1280):  # noqa: ANN001, ANN201
    page = browser_page("light", width=width)
    page.emulate_media(forced_colors="active", color_scheme="light", reduced_motion="reduce")
    return page


def test_pages_are_usable_in_forced_colours(browser_page, site_url: str, site_pages: list[str]) -> None:
    """In forced colours (as Windows High Contrast makes them): axe finds nothing, a link focused from the keyboard
    has a ring drawn in a colour other than the page's, and every card has a border all round."""
    page = forced_page(browser_page)
    addresses = {**visitor_pages(site_pages), "stories": "/stories/", "report": "/final-report/",
                 "search": "/search/", "project": first_page(site_pages, "projects")}
    found: dict[str, list[dict]] = {}
    cards_seen = 0
    for name, address in addresses.items():
        load(page, site_url + address)
        assert page.evaluate("matchMedia('(forced-colors: active)').matches"), "forced colours are not on"
        violations = axe_violations(page)
        if violations:
            found[address] = violations
        for card in page.evaluate(CARD_BORDERS):
            cards_seen += 1
            assert card["style"] == "solid" and card["width"] >= 1 and card["sides"], f"{address}: card {card}"
            assert card["colour"] != card["behind"], f"{address}: a card's border is the page's colour: {card}"
    assert cards_seen >= 10, f"only {cards_seen} cards were checked"
    assert not found, format_violations(found, "forced-colours")

    load(page, site_url + "/stories/")
    for _ in range(40):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring["tag"] == "a" and ring["inMain"]:
            break
    else:
        pytest.fail("Tab never reached a link in <main>")
    assert ring["style"] != "none" and ring["width"] >= 2, f"the focused link has no visible ring: {ring}"
    assert ring["colour"] != ring["behind"], f"the focus ring is drawn in the page's own colour: {ring}"


def test_forced_colours_menu_shows_only_the_current_page(browser_page, site_url: str) -> None:
    """The menu's links underline the current page only; a transparent line must not turn into a line under each."""
    page = forced_page(browser_page)
    load(page, site_url + "/stories/")
    lines = page.evaluate("""() => [...document.querySelectorAll('nav[aria-label="Main"] a')].map(a => {
      const s = getComputedStyle(a);
      return {current: a.hasAttribute('aria-current'), line: s.borderBottomColor,
              behind: getComputedStyle(document.body).backgroundColor};
    })""")
    assert len(lines) >= 3
    for link in lines:
        assert (link["line"] != link["behind"]) == link["current"], lines


def test_the_forced_colours_test_would_see_a_borderless_card(browser_page, site_url: str,
                                                              example_site: Path) -> None:
    """Without the theme's forced-colours rules (as before them), cards have no border: the check above bites."""
    page = forced_page(browser_page)
    load(page, site_url + "/stories/")
    page.evaluate("""() => { for (const sheet of document.styleSheets) for (let i = sheet.cssRules.length - 1; i >= 0; i--)
                               if (sheet.cssRules[i].conditionText?.includes('forced-colors')) sheet.deleteRule(i); }""")
    borders = page.evaluate(CARD_BORDERS)
    assert borders and all(card["style"] == "none" for card in borders), borders[:2]
