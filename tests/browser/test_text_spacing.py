"""WCAG 1.4.12 text spacing: with the spacing a reader's own style sheet may force, nothing is cut off and
nothing scrolls sideways at 320 px. Every page of the example site, in real Chromium."""

from __future__ import annotations

import pytest
from browser_checks import load, url_path

pytestmark = pytest.mark.browser

SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

CLIPPED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
    if (!hides || !el.textContent.trim() || el.closest('.visually-hidden, .skip-link')) continue;
    if (el.matches('.visually-hidden, .skip-link')) continue;
    if (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1) {
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
    }
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) found.push(`page is ${root.scrollWidth}px wide`);
  return found;
}"""


@pytest.mark.parametrize("width", [320, 1280])
def test_text_spacing_clips_nothing(browser_page, site_url: str, site_pages: list[str], width: int):
    page = browser_page(width=width, axe=False)
    problems = {}
    for name in site_pages:
        load(page, site_url + url_path(name))
        page.add_style_tag(content=SPACING)
        found = page.evaluate(CLIPPED)
        if found:
            problems[url_path(name)] = found
    assert not problems, problems
