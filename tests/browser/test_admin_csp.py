"""The editor's page under its own Content-Security-Policy, in Chromium with the policy enforced (the other admin
tests bypass it): the editor of `serve` (Decap CMS from npm in place of the CDN, no network) signs in, lists every
collection, opens entries with their images and previews, and not one violation of the policy is reported; and
each entry's "View Live" link, as Decap itself makes it, opens the page the build made for that entry.

Run alone with `python -m pytest -p no:cacheprovider tests/browser/test_admin_csp.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_checks import AXE_TAGS, format_violations, serve
from sitekit import Site, write
from test_admin_page import AXE_OWN_MARKUP, CONFIG_ERROR, EDITOR, open_admin
from test_serve import Running, running

pytestmark = pytest.mark.browser

UI_TIMEOUT = 30_000  # ms
COLLECTIONS = ("Stories", "Projects", "Artworks", "Reports", "Pages", "People", "Films and recordings", "Settings")
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    {directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber}));"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Site]]:
    site = Site(tmp_path_factory.mktemp("admin-csp"))
    (site.content / "reports/final.md").rename(site.content / "reports/final-report.md")  # named after its kind
    bowl = site.content / "artworks/bowl.yaml"
    bowl.write_text(bowl.read_text(encoding="utf-8") + "image: bowl.jpg\n", encoding="utf-8")  # shown in its form
    write(site.content / "stories/a-long-file-name.md", "---\ntitle: Short and sweet\ndate: 2016-01-01\n"
          "summary: S.\nauthors: [A]\nconsent: recorded\nslug: short\n---\nText.\n")
    write(site.content / "pages/who-we-are.md", "---\ntitle: Who we are\nslug: team\n---\nUs.\n")
    with running(site.content, site.out) as served:
        yield served, site


@pytest.fixture()
def enforced(chromium, browser_tools):  # noqa: ANN001, ANN201 - a page whose context enforces CSP
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=False,
                                   service_workers="block")
    context.add_init_script(script=browser_tools.axe_source)
    context.add_init_script(script=LISTEN)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT)
    yield page
    context.close()


def signed_in(page, base: str, script: bytes) -> dict:  # noqa: ANN001
    seen = open_admin(page, base, script)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Stories").first.wait_for(timeout=UI_TIMEOUT)
    return seen


def open_entry(page, base: str, address: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/admin/#/collections/{address}")
    page.reload()  # Decap keeps a previous form's widgets when only the hash changes
    page.get_by_role("link", name="View Live").wait_for(timeout=UI_TIMEOUT)


def violations(page) -> list[dict]:  # noqa: ANN001
    return page.evaluate("window.__violations")


def test_the_local_editor_runs_under_its_policy_with_no_violation(enforced, preview, cms_script: bytes):
    served, _ = preview
    base = f"http://127.0.0.1:{served.preview.port}"
    page = enforced
    seen = signed_in(page, base, cms_script)
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "default-src 'none'" in policy and "connect-src 'self';" in policy, policy
    page.get_by_text("First light").wait_for(timeout=UI_TIMEOUT)  # entries read through the preview's API
    for label in COLLECTIONS:
        assert page.get_by_role("link", name=label).count() >= 1, label
    # a story with its image in the preview pane, an artwork with its image read as a blob, the settings form
    open_entry(page, base, "stories/entries/first-light")
    page.frame_locator("iframe").first.locator("img").first.wait_for(timeout=UI_TIMEOUT)
    open_entry(page, base, "artworks/entries/bowl")
    page.locator('img[src^="blob:"]').first.wait_for(timeout=UI_TIMEOUT)
    page.goto(f"{base}/admin/#/collections/settings/entries/site")
    page.reload()
    page.get_by_label("Title", exact=True).first.wait_for(timeout=UI_TIMEOUT)
    page.wait_for_timeout(1000)
    assert CONFIG_ERROR not in page.inner_text("body")
    assert violations(page) == []
    assert not [line for line in seen["console"] if "Content Security Policy" in line], seen["console"]
    assert not seen["errors"] and not seen["elsewhere"], seen
    own = page.evaluate(AXE_OWN_MARKUP, AXE_TAGS)
    assert not own, format_violations({"/admin/ under its policy (its own markup)": own}, "light")

    # the listener hears a violation when there is one: an image from elsewhere is refused
    page.evaluate("() => { const img = new Image(); img.src = 'https://elsewhere.example/x.png'; "
                  "document.body.append(img); }")
    page.wait_for_function("window.__violations.length > 0", timeout=5_000)
    assert [v["directive"] for v in violations(page)] == ["img-src"]


def test_the_published_editor_boots_under_its_policy(enforced, cms_script: bytes, tmp_path):
    """The published /admin/ (GitHub backend): its policy lets Decap reach api.github.com and nothing else."""
    site = Site(tmp_path)
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text(encoding="utf-8") + EDITOR,
                                            encoding="utf-8")
    assert site.build() == 0
    with serve(site.out) as base:
        seen = open_admin(enforced, base, cms_script)
        enforced.get_by_role("button", name="Login with GitHub").wait_for(timeout=UI_TIMEOUT)
        policy = enforced.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
        assert "connect-src 'self' https://api.github.com;" in policy, policy
        assert CONFIG_ERROR not in enforced.inner_text("body")
        assert violations(enforced) == [] and not seen["errors"] and not seen["elsewhere"], seen


@pytest.mark.parametrize("address, path", [
    ("stories/entries/first-light", "/stories/first-light/"),
    ("stories/entries/a-long-file-name", "/stories/short/"),  # slug: short
    ("reports/entries/final-report", "/final-report/"),  # kind: final-report
    ("pages/entries/who-we-are", "/team/"),  # slug: team
    ("projects/entries/clay", "/projects/clay/"),
])
def test_view_live_opens_the_page_the_build_made(enforced, preview, cms_script: bytes, address: str, path: str):
    served, _ = preview
    base = f"http://127.0.0.1:{served.preview.port}"
    page = enforced
    signed_in(page, base, cms_script)
    open_entry(page, base, address)
    link = page.get_by_role("link", name="View Live")
    resolved = link.evaluate("a => a.href")  # the address the browser opens, dot segments resolved
    assert resolved == base + path, (link.get_attribute("href"), resolved)
    status, _, body = served.get(path)
    assert status == 200 and b"<h1" in body, (path, status)
    assert violations(page) == []
