"""The editor at /admin/ in a real browser: Decap CMS (from npm, served in place of the CDN, no network) boots to
its sign-in screen with the generated config.yml and no configuration error, shows every collection and every
field of the content models, saves a story that `check` accepts, refuses a changed script (Subresource
Integrity), and axe finds nothing on the admin page's own markup.

Run alone with `python -m pytest tests/browser/test_admin_page.py`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_checks import AXE_TAGS, format_violations, format_vnu, run_vnu, serve
from sitekit import Site

from showcase.editor import DECAP_CMS, config_yaml
from showcase.models import SiteConfig
from showcase.parse import load_site_config

pytestmark = pytest.mark.browser

EDITOR = "base_url: https://example.org/mt/\neditor:\n  backend: github\n  repo: making-together/showcase\n"
CONFIG_ERROR = "Error loading the CMS configuration"

AXE_OWN_MARKUP = """async (tags) => {
  const results = await axe.run({exclude: [['#nc-root']]},
                                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' | '), summary: n.failureSummary || ''})),
  }));
}"""


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("admin-site"))
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text(encoding="utf-8") + EDITOR,
                                            encoding="utf-8")
    assert site.build() == 0
    return site


@pytest.fixture()
def served(admin_site: Site, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of the built site on a local server (a test may change its admin/config.yml)."""
    folder = tmp_path / "served"
    shutil.copytree(admin_site.out, folder)
    with serve(folder) as base:
        yield base, folder


def open_admin(page, base: str, script: bytes) -> dict[str, list[str]]:  # noqa: ANN001
    """Open /admin/ with the CDN's address answered from the npm package; any other address away from the local
    server is refused and noted. Returns what went wrong: requests elsewhere, and script errors."""
    seen: dict[str, list[str]] = {"elsewhere": [], "errors": [], "console": []}

    def route(request_route) -> None:  # noqa: ANN001
        url = request_route.request.url
        if url == DECAP_CMS.url:
            request_route.fulfill(status=200, body=script, headers={
                "content-type": "application/javascript; charset=utf-8", "access-control-allow-origin": "*"})
        elif url.startswith(base):
            request_route.continue_()
        else:
            seen["elsewhere"].append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["console"].append(f"{message.type}: {message.text}"))
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" between forms
    page.goto(base + "/admin/", wait_until="load")
    return seen


def use_backend(folder: Path, backend: dict) -> dict:
    """Point the served config.yml at another backend (everything else as the build wrote it)."""
    path = folder / "admin" / "config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["backend"] = backend
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return config


@pytest.mark.parametrize("block, button", [
    ({}, "Login with GitHub"),
    ({"backend": "gitlab", "repo": "making-together/sites/showcase", "app_id": "4a1b2c"}, "Login with GitLab"),
    ({"backend": "gitea", "base_url": "https://git.example.org", "app_id": "0d3e"}, "Login with Gitea"),
], ids=["github", "gitlab-pkce", "gitea"])
def test_the_cms_boots_to_its_sign_in_screen(browser_page, served, cms_script: bytes, admin_site: Site,
                                            block: dict, button: str):
    base, folder = served
    if block:  # the same site with another editor: block
        config, _ = load_site_config(admin_site.content, "site.yaml")
        editor = {**config.editor.model_dump(exclude_none=True), **block}
        config = SiteConfig.model_validate({**config.model_dump(exclude_none=True), "editor": editor})
        (folder / "admin" / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    page = browser_page("light")
    seen = open_admin(page, base, cms_script)
    page.get_by_role("button", name=button).wait_for(timeout=20_000)
    body = page.inner_text("body")
    assert CONFIG_ERROR not in body, body
    assert not seen["errors"], seen
    assert not seen["elsewhere"], seen
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == "Edit MT"
    violations = page.evaluate(AXE_OWN_MARKUP, AXE_TAGS)
    assert not violations, format_violations({"/admin/ (its own markup)": violations}, "light")


def test_the_admin_page_is_valid_html(vnu_tools, admin_site: Site, tmp_path: Path):
    (tmp_path / "admin").mkdir()
    shutil.copy(admin_site.out / "admin" / "index.html", tmp_path / "admin" / "index.html")
    errors = run_vnu(vnu_tools.java, vnu_tools.vnu_jar, tmp_path)
    assert not errors, format_vnu(errors)


def test_a_config_error_would_be_seen(browser_page, served, cms_script: bytes):
    """The check above can fail: Decap shows its configuration error for a select without options."""
    base, folder = served
    path = folder / "admin" / "config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(f for f in config["collections"][0]["fields"] if f["name"] == "consent").pop("options")
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    page = browser_page("light", axe=False)
    open_admin(page, base, cms_script)
    page.get_by_text(CONFIG_ERROR).wait_for(timeout=20_000)
    assert "options" in page.inner_text("body")


def test_a_changed_script_is_refused(browser_page, served, cms_script: bytes):
    base, _ = served
    page = browser_page("light", axe=False)
    seen = open_admin(page, base, cms_script + b"\n;window.tampered = true;\n")
    page.wait_for_timeout(1500)
    assert page.evaluate("typeof window.tampered") == "undefined"
    assert page.evaluate("document.getElementById('nc-root')") is None
    assert any("integrity" in line.lower() for line in seen["console"]), seen["console"]


def test_every_collection_and_field_is_in_the_forms(browser_page, served, cms_script: bytes):
    """Signed in to Decap's in-memory test backend: each collection is listed and each form has every field."""
    base, folder = served
    config = use_backend(folder, {"name": "test-repo"})
    page = browser_page("light", axe=False)
    seen = open_admin(page, base, cms_script)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Stories").first.wait_for(timeout=20_000)
    sidebar = page.inner_text("body")
    for collection in config["collections"]:
        assert collection["label"] in sidebar, collection["label"]
    for collection in config["collections"]:
        if "folder" in collection:
            forms = [(f"#/collections/{collection['name']}/new", collection["fields"])]
        else:
            forms = [(f"#/collections/{collection['name']}/entries/{f['name']}", f["fields"])
                     for f in collection["files"]]
        for address, fields in forms:
            page.goto(base + "/admin/" + address)
            page.get_by_role("button", name="Save").wait_for(timeout=20_000)
            labels = {text.strip().removesuffix(" (optional)")
                      for text in page.eval_on_selector_all("label", "els => els.map(e => e.textContent)")}
            missing = [f["label"] for f in fields if f["label"] not in labels]
            assert not missing, f"{address}: no {missing} among {sorted(labels)}"
    assert CONFIG_ERROR not in page.inner_text("body")
    assert not seen["errors"] and not seen["elsewhere"], seen


def test_a_story_saved_in_the_form_is_accepted_by_check(browser_page, served, cms_script: bytes,
                                                        admin_site: Site, capsys):
    base, folder = served
    use_backend(folder, {"name": "test-repo"})
    page = browser_page("light", axe=False)
    seen = open_admin(page, base, cms_script)
    page.get_by_role("button", name="Login").click()
    page.goto(base + "/admin/#/collections/stories/new")
    page.get_by_label("Title").fill("Singing on Thursdays")
    page.get_by_label("Summary").fill("How a choir of strangers began.")
    page.get_by_role("button", name="Add credit").click()
    page.get_by_label("Name").fill("Sam Carter")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for(timeout=20_000)
    saved = page.evaluate("() => Object.fromEntries(Object.entries(window.repoFilesUnpublished))")
    assert not seen["errors"], seen
    (diff,) = saved["stories/singing-on-thursdays"]["diffs"]  # a draft in the editorial workflow, as a pull request
    assert diff["path"] == "content/stories/singing-on-thursdays.md"
    text = diff["content"]
    assert "draft: true" in text and "consent: pending" in text
    story = admin_site.content / "stories/singing-on-thursdays.md"
    try:
        story.write_text(text, encoding="utf-8")
        assert admin_site.check() == 0
        out = capsys.readouterr()
        assert "singing-on-thursdays.md" in out.out + out.err and "draft, not published" in out.out + out.err
    finally:
        story.unlink()
