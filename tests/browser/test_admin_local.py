"""The editor in the preview, in a real browser: `serve` on a copy of a small site (no `editor:` block), Decap CMS
from npm served in place of the CDN (no network), its local backend talking to the preview's own API. Through
the forms: sign in, create a story that is written to content/stories/, accepted by `check` and shown by the
open preview; a save that would break the site refused with its message and nothing written; an artwork uploaded
with its sidecar, built. The page's own markup is axe-clean.

Run alone with `python -m pytest tests/browser/test_admin_local.py`. With SHOWCASE_SCREENSHOTS=docs/images the
tests also save the screenshots of docs/editing.md there (editing-*.png).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_checks import AXE_TAGS, format_violations
from sitekit import Site, make_image, snapshot
from test_admin_page import AXE_OWN_MARKUP, CONFIG_ERROR, open_admin
from test_serve import Running, running, wait_for

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SHOWCASE_SCREENSHOTS")
UI_TIMEOUT = 30_000  # ms: Decap boots, and each save runs `check`, on a busy machine


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Running, Site]]:
    site = Site(tmp_path_factory.mktemp("local-admin"))
    make_image(site.root / "upload" / "red-square.png", size=(480, 480), colour=(190, 30, 40))
    with running(site.content, site.out) as served:
        yield served, site


def base_of(served: Running) -> str:
    return f"http://127.0.0.1:{served.preview.port}"


def shoot(page, name: str) -> None:
    """A screenshot for docs/editing.md, only when asked for (SHOWCASE_SCREENSHOTS=<folder>)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(1500)  # Decap's messages slide in, and its lists load after their frame
        page.screenshot(path=str(Path(SHOTS) / f"editing-{name}.png"))


def signed_in(page, base: str, script: bytes, address: str = "") -> dict:
    seen = open_admin(page, base, script)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Stories").first.wait_for(timeout=UI_TIMEOUT)
    if address:  # a fresh page for each form: Decap keeps a previous form's widgets when only the hash changes
        page.goto(f"{base}/admin/{address}")
        page.reload()
    return seen


def publish(page) -> None:
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_role("menuitem", name="Publish now").click()


def choose(page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_the_local_editor_boots_to_its_login_and_its_page_is_axe_clean(browser_page, preview, cms_script: bytes):
    served, _ = preview
    base = base_of(served)
    page = browser_page("light")
    seen = open_admin(page, base, cms_script)
    page.get_by_role("button", name="Login").wait_for(timeout=UI_TIMEOUT)
    shoot(page, "login")
    assert CONFIG_ERROR not in page.inner_text("body")
    assert page.title() == "Edit MT" and page.evaluate("document.documentElement.lang") == "en"
    violations = page.evaluate(AXE_OWN_MARKUP, AXE_TAGS)
    assert not violations, format_violations({"/admin/ of the preview (its own markup)": violations}, "light")
    assert any("Detected Decap CMS Proxy Server" in line for line in seen["console"]), seen["console"]
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Stories").first.wait_for(timeout=UI_TIMEOUT)
    page.get_by_text("First light").wait_for(timeout=UI_TIMEOUT)  # read from content/stories/ by the API
    shoot(page, "collections")
    for label in ("Stories", "Projects", "Artworks", "Reports", "Pages", "People", "Films and recordings",
                  "Settings"):
        assert page.get_by_role("link", name=label).count() >= 1, label
    assert not seen["errors"] and not seen["elsewhere"], seen


def test_a_story_made_in_the_form_is_written_checked_and_shown(browser_page, preview, cms_script: bytes):
    served, site = preview
    base = base_of(served)
    watching = browser_page("light", axe=False)  # the preview, open on the list of stories
    watching.goto(f"{base}/stories/")
    assert watching.get_by_text("Singing on Thursdays").count() == 0
    page = browser_page("light", axe=False)
    seen = signed_in(page, base, cms_script, "#/collections/stories/new")
    page.get_by_role("button", name="Publish", exact=True).wait_for(timeout=UI_TIMEOUT)
    page.get_by_label("Title").fill("Singing on Thursdays")
    page.get_by_label("Summary").fill("How a choir of strangers began.")
    page.get_by_role("button", name="Add credit").click()
    page.get_by_label("Name").fill("Sam Carter")
    choose(page, "Consent", "recorded")
    page.get_by_label("Draft (optional)").click()  # a new story starts as a draft: this one is ready
    page.locator('[aria-label="markdown field"] [contenteditable=true]').click()
    page.keyboard.type("We met on Thursdays, and sang.")
    page.get_by_label("Title").scroll_into_view_if_needed()
    shoot(page, "story-form")
    publish(page)
    page.get_by_text("Changes saved").wait_for(timeout=UI_TIMEOUT)

    story = site.content / "stories/singing-on-thursdays.md"
    assert story.is_file()
    text = story.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "Singing on Thursdays" and front["authors"] == [{"name": "Sam Carter"}]
    assert front["consent"] == "recorded" and front["draft"] is False
    assert text.rstrip().endswith("We met on Thursdays, and sang.")
    assert site.check() == 0
    # the watcher rebuilt the preview, and the open page reloaded by itself with the new story
    watching.get_by_text("Singing on Thursdays").wait_for(timeout=UI_TIMEOUT)
    assert "We met on Thursdays, and sang." in served.text("/stories/singing-on-thursdays/")
    # opened again in the editor, the story's "View Live" is its page in the preview
    page.goto(f"{base}/admin/#/collections/stories/entries/singing-on-thursdays")
    page.reload()
    live = page.get_by_role("link", name="View Live")
    live.wait_for(timeout=UI_TIMEOUT)
    assert live.evaluate("a => a.href") == f"{base}/stories/singing-on-thursdays/"  # as the browser resolves it
    assert not seen["errors"] and not seen["elsewhere"], seen


def test_a_save_that_would_break_the_site_is_refused_with_its_message(browser_page, preview, cms_script: bytes):
    served, site = preview
    base = base_of(served)
    before = snapshot(site.content)
    page = browser_page("light", axe=False)
    signed_in(page, base, cms_script, "#/collections/stories/new")
    page.get_by_role("button", name="Publish", exact=True).wait_for(timeout=UI_TIMEOUT)
    page.get_by_label("Title").fill("A song with a script")
    page.get_by_label("Summary").fill("It tries to run a script.")
    page.get_by_role("button", name="Add credit").click()
    page.get_by_label("Name").fill("Sam Carter")
    body = page.locator('[aria-label="markdown field"]')
    body.get_by_role("switch").click()  # the Markdown as written
    body.locator("[contenteditable=true]").click()
    page.keyboard.type("Hello <script>alert(1)</script>")
    publish(page)
    toast = page.get_by_text("Not saved, because the site could not be built with this change")
    toast.wait_for(timeout=UI_TIMEOUT)
    message = toast.inner_text()
    assert "content/stories/a-song-with-a-script.md, line" in message and "<script> element is not allowed" in message
    shoot(page, "refused")
    assert page.get_by_text("Unsaved changes").count() == 1  # the form keeps what was typed
    assert snapshot(site.content) == before

    # the same API, asked directly from the page as Decap asks it: a story about a project that does not exist
    story = ("---\ntitle: Lost\ndate: 2024-05-02\nsummary: A story.\nauthors: [Sam Carter]\nconsent: recorded\n"
             "project: pottery\n---\nText.\n")
    answer = page.evaluate("""async (story) => {
        const response = await fetch('/admin/api/v1', {method: 'POST',
            headers: {'Content-Type': 'application/json; charset=utf-8'},
            body: JSON.stringify({action: 'persistEntry', params: {
                dataFiles: [{path: 'stories/lost.md', raw: story, slug: 'lost'}], assets: [], options: {}}})});
        return {status: response.status, body: await response.json()};
    }""", story)
    assert answer["status"] == 422, answer
    assert "content/stories/lost.md, line 7: project 'pottery' does not exist" in answer["body"]["error"], answer
    assert snapshot(site.content) == before


def test_an_artwork_uploaded_with_its_sidecar_builds(browser_page, preview, cms_script: bytes):
    served, site = preview
    base = base_of(served)
    page = browser_page("light", axe=False)
    seen = signed_in(page, base, cms_script, "#/collections/artworks/new")
    page.get_by_role("button", name="Publish", exact=True).wait_for(timeout=UI_TIMEOUT)
    page.get_by_label("Title").fill("Red square")
    page.get_by_label("Alt").fill("A red square on white.")  # the optional groups (artist...) are left empty
    choose(page, "Consent", "recorded")
    page.get_by_role("button", name="Choose an image").click()
    page.locator(".ReactModalPortal input[type=file]").set_input_files(str(site.root / "upload" / "red-square.png"))
    page.get_by_text("red-square.png").wait_for(timeout=UI_TIMEOUT)
    page.get_by_role("button", name="Choose selected").click()
    publish(page)
    page.get_by_text("Changes saved").wait_for(timeout=UI_TIMEOUT)

    sidecar = yaml.safe_load((site.content / "artworks/red-square.yaml").read_text(encoding="utf-8"))
    assert sidecar["image"] == "red-square.png" and sidecar["consent"] == "recorded"
    assert not {"artist", "rights_holder", "zoom"} & set(sidecar)  # saved without what nobody filled in or said
    assert (site.content / "artworks/red-square.png").read_bytes() == (site.root / "upload/red-square.png").read_bytes()
    assert site.check() == 0
    wait_for(lambda: (site.out / "artworks/red-square/index.html").is_file(), "the artwork's page", timeout=60)
    assert "A red square on white." in served.text("/artworks/red-square/")
    assert not [p for p in site.content.rglob("*") if ".showcase-saving" in p.name]
    assert not seen["errors"] and not seen["elsewhere"], json.dumps(seen)[:2000]


def test_two_tabs_editing_one_story_never_undo_each_other(browser_page, preview, cms_script: bytes):
    """The same story open in two tabs: the first saves; the second's save, made on the version it opened, would undo
    the first's change without a word. It is refused with what to do, the form keeps what was typed and the file
    keeps the first tab's change; the first tab saves again freely."""
    served, site = preview
    base = base_of(served)
    story = site.content / "stories/two-tabs.md"
    story.write_text("---\ntitle: Two tabs\ndate: 2016-03-01\nsummary: Told once.\nauthors:\n  - name: Sam Carter\n"
                     "consent: recorded\n---\nWe sang.\n", encoding="utf-8")
    address = "#/collections/stories/entries/two-tabs"
    one, two = browser_page("light", axe=False), browser_page("light", axe=False)
    seen = [signed_in(one, base, cms_script, address), signed_in(two, base, cms_script, address)]
    for page in (one, two):
        page.get_by_label("Summary").wait_for(timeout=UI_TIMEOUT)
    one.get_by_label("Summary").fill("Told in the first tab.")
    publish(one)
    one.get_by_text("Changes saved").wait_for(timeout=UI_TIMEOUT)
    assert "Told in the first tab." in story.read_text(encoding="utf-8")
    saved = story.read_bytes()

    two.get_by_label("Summary").fill("Told in the second tab.")
    publish(two)
    toast = two.get_by_text("was changed after you opened it here (in another tab or window")
    toast.wait_for(timeout=UI_TIMEOUT)
    assert "reload the entry" in toast.inner_text()
    assert two.get_by_text("Unsaved changes").count() == 1  # what was typed is still in the form
    assert story.read_bytes() == saved

    one.get_by_label("Summary").fill("Told in the first tab, then again.")  # the first tab knows what it wrote
    publish(one)
    one.get_by_text("Changes saved").wait_for(timeout=UI_TIMEOUT)
    assert "Told in the first tab, then again." in story.read_text(encoding="utf-8")
    assert site.check() == 0
    assert not seen[0]["errors"] and not seen[0]["elsewhere"], json.dumps(seen[0])[:2000]
    assert not seen[1]["elsewhere"]  # (Decap reports a refused save as an error of its own: the toast says it)
