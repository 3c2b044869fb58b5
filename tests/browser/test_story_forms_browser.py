"""The example's stories in other forms (issue 14, item 8), in real Chromium: the interview, the poem, the photo
essay and the reflective note pass axe at 320 and 1280 px in both colour schemes, read well at those widths
(answers under their questions, a poem's lines unbroken on a phone, a photo essay's pictures whole in the window),
and every link in them is reached by Tab, in reading order, with a visible focus ring."""

from __future__ import annotations

import pytest
from browser_checks import axe_violations, format_violations, load, reflow_problem

pytestmark = pytest.mark.browser

FORMS = {"interview": "/stories/clapping-on-the-edge-of-the-circle/", "poem": "/stories/walking-the-shoreline/",
         "photo essay": "/stories/weaving-on-thursdays/", "note": "/stories/a-corner-of-my-own/"}
WIDTHS = (320, 1280)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_form_passes_axe_and_reflows(scheme: str, browser_page, site_url: str) -> None:
    found: dict[str, list[dict]] = {}
    reflow: dict[str, str] = {}
    for width in WIDTHS:
        page = browser_page(scheme, width=width)
        for form, path in FORMS.items():
            loaded = load(page, site_url + path)
            assert loaded.status == 200 and not loaded.failed_requests, (path, loaded)
            violations = axe_violations(page)
            if violations:
                found[f"{path} ({form}, {width} px)"] = violations
            problem = reflow_problem(page)
            if problem:
                reflow[f"{path} at {width} px"] = problem
    assert not found, format_violations(found, scheme)
    assert not reflow, reflow


QUESTIONS = """() => [...document.querySelectorAll('#story-body dl > dt')].map(dt => {
  const dd = dt.nextElementSibling, q = dt.getBoundingClientRect(), a = dd.getBoundingClientRect();
  return {question: dt.textContent.trim(), weight: +getComputedStyle(dt).fontWeight, qLeft: q.left, qBottom: q.bottom,
          aLeft: a.left, aTop: a.top, rule: parseFloat(getComputedStyle(dd).borderLeftWidth),
          ruleStyle: getComputedStyle(dd).borderLeftStyle};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_interview_answers_sit_under_their_questions(width: int, browser_page, site_url: str) -> None:
    """Questions stand out (bold); each answer starts below its question, marked by a rule, and is not pushed
    in by the browser's 40 px definition indent, which leaves a phone's answers a few words a line."""
    page = browser_page(width=width, axe=False)
    load(page, site_url + FORMS["interview"])
    questions = page.evaluate(QUESTIONS)
    assert len(questions) >= 5, questions
    for q in questions:
        assert q["weight"] >= 600, q
        assert q["aTop"] >= q["qBottom"] - 1, q
        assert 0 <= q["aLeft"] - q["qLeft"] <= 4, q  # the rule and the padding are inside the answer's box
        assert q["rule"] >= 2 and q["ruleStyle"] == "solid", q


STANZAS = """() => [...document.querySelectorAll('#story-body p')].filter(p => p.querySelector('br')).map(p => {
  const range = document.createRange(); range.selectNodeContents(p);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return {lines: p.querySelectorAll('br').length + 1, shown: tops.size, text: p.textContent.slice(0, 40)};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_poem_lines_are_kept_and_do_not_wrap(width: int, browser_page, site_url: str) -> None:
    """Each line of the poem is one line on the screen, even at 320 px: as many line boxes as written lines."""
    page = browser_page(width=width, axe=False)
    load(page, site_url + FORMS["poem"])
    stanzas = page.evaluate(STANZAS)
    assert len(stanzas) >= 5, stanzas
    wrapped = [s for s in stanzas if s["shown"] != s["lines"]]
    assert not wrapped, f"stanzas shown on more (or fewer) lines than written at {width} px: {wrapped}"


PICTURES = """async () => {
  const images = [...document.querySelectorAll('#story-body figure img')];
  for (const img of images) { img.scrollIntoView(); await img.decode().catch(() => null); }
  return images.map(img => { const box = img.getBoundingClientRect();
    return {src: img.currentSrc.split('/').pop(), width: box.width, height: box.height, loaded: img.naturalWidth}; });
}"""


@pytest.mark.parametrize("size", [(320, 640), (1280, 800)])
def test_photo_essay_pictures_are_whole_in_the_window(size: tuple[int, int], browser_page, site_url: str) -> None:
    """A photo essay is read picture by picture: each is loaded and seen whole, never taller than 85% of the
    window (the tall painting in it would otherwise run past the screen at desktop widths)."""
    width, height = size
    page = browser_page(width=width, height=height, axe=False)
    load(page, site_url + FORMS["photo essay"])
    pictures = page.evaluate(PICTURES)
    assert len(pictures) >= 3, pictures
    for picture in pictures:
        assert picture["loaded"] > 0, picture
        assert picture["height"] <= 0.85 * height + 1 and picture["width"] <= width, (size, picture)
        assert picture["width"] >= 0.5 * min(width, 608), (size, picture)  # whole, and not shrunk to a thumbnail


BODY_LINKS = "() => [...document.querySelectorAll('#story-body a[href]')].map(a => a.getAttribute('href'))"
FOCUS = """() => { const el = document.activeElement, style = getComputedStyle(el);
  return {inBody: !!el.closest('#story-body'), href: el.getAttribute('href'),
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2}; }"""


@pytest.mark.parametrize("form", list(FORMS))
def test_links_in_each_form_are_reached_by_tab(form: str, browser_page, site_url: str) -> None:
    """From the top of the page, Tab reaches every link in the story, in the order it is read, each with a
    visible focus ring (a link in a definition list or between pictures is no harder to reach)."""
    page = browser_page(width=320, axe=False)
    load(page, site_url + FORMS[form])
    wanted = page.evaluate(BODY_LINKS)
    assert wanted, f"the {form} has no links to reach"
    reached: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["inBody"]:
            assert focus["ring"], f"no visible focus ring on {focus['href']} in the {form}"
            reached.append(focus["href"])
        elif reached:
            break
    assert reached == wanted, (reached, wanted)


SHIFTS = """() => { window.__shifts = 0; new PerformanceObserver(list => { for (const entry of list.getEntries()) {
  if (!entry.hadRecentInput) window.__shifts += entry.value; } }).observe({type: 'layout-shift', buffered: true}); }"""


@pytest.mark.parametrize("width", [412, 1280])
def test_pictures_capped_by_the_window_keep_their_place_while_loading(width: int, browser_page, site_url: str) -> None:
    """A lead picture, a photo essay's pictures and an artwork page's picture are sized from their proportions
    before their files arrive: with every image held back, nothing on the page moves when they come (Lighthouse
    saw layout shifts of 0.15 to 0.34 when a lead picture arrived after the words)."""
    import time

    page = browser_page(width=width, height=823, axe=False)
    page.add_init_script(f"({SHIFTS})()")

    def late(route) -> None:  # noqa: ANN001
        time.sleep(0.6)
        route.continue_()

    page.route("**/images/**", late)
    moved = {}
    for path in (FORMS["note"], FORMS["photo essay"], "/artworks/two-bowls/"):
        load(page, site_url + path)
        page.evaluate(PICTURES)  # scroll each picture in and wait for it
        page.wait_for_timeout(300)
        shifted = page.evaluate("window.__shifts")
        if shifted > 0.01:
            moved[path] = round(shifted, 3)
    assert not moved, f"layout shifts while pictures loaded at {width} px: {moved}"
