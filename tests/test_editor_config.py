"""The editor in the browser: a Decap CMS config.yml made from the content models, /admin/ written only with an
`editor:` block, and artwork sidecars that name their image (`image:`), each in real sites built into tmp_path."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import re
import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, Field
from sitekit import REPO, Site, make_image, write

from showcase import editor
from showcase.content_models import ArtworkMeta, StoryMeta
from showcase.editor import DECAP_CMS, KINDS, decap_config
from showcase.field_types import SLUG_PATTERN
from showcase.models import SiteConfig
from showcase.parse import load_site_config

DECAP_SCHEMA = Path(__file__).parent / "decap_config_schema.json"
DECAP_JS = Path(__file__).parent / "browser" / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
GITHUB = "editor:\n  backend: github\n  repo: cpmr/showcase\n"


def example_config(**editor_block) -> SiteConfig:
    """The example's own site.yaml with an editor block."""
    config, problems = load_site_config(REPO / "content", "site.yaml")
    assert config is not None, problems
    block = {"backend": "github", "repo": "cpmr/showcase", **editor_block}
    return SiteConfig.model_validate({**config.model_dump(exclude_none=True), "editor": block})


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def models_in(annotation) -> list[type[BaseModel]]:
    """The models a field's type is made of (Credit in list[CreditField] | None, and so on)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in models_in(arg)]


def assert_every_field(fields: list[dict], model: type[BaseModel], where: str) -> None:
    """Every field of the model, and of the models inside it, is in the form, and nothing else is."""
    named = by_name(fields)
    assert set(named) == set(model.model_fields), f"{where}: {sorted(named)} != {sorted(model.model_fields)}"
    for name, info in model.model_fields.items():
        inner = models_in(info.annotation)
        if inner and named[name]["widget"] in ("object", "list"):
            assert_every_field(named[name]["fields"], inner[0], f"{where}.{name}")


def decap_validator() -> jsonschema.Validator:
    """Decap's own config schema (vendored, see its $comment), with ajv-keywords' uniqueItemProperties."""
    def unique_item_properties(validator, names, instance, schema):
        if validator.is_type(instance, "array"):
            for name in names:
                seen = [item.get(name) for item in instance if isinstance(item, dict) and name in item]
                if len(seen) != len(set(map(json.dumps, seen))):
                    yield jsonschema.ValidationError(f"{name} values must be unique: {seen}")

    checker = jsonschema.validators.extend(jsonschema.Draft7Validator,
                                           {"uniqueItemProperties": unique_item_properties})
    return checker(json.loads(DECAP_SCHEMA.read_text(encoding="utf-8")))


def decap_errors(config: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in decap_validator().iter_errors(config)]


class Tags(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


# --- the configuration, from the models -----------------------------------------------------------


def test_every_kind_is_a_collection_with_every_field_of_its_model():
    config = decap_config(example_config())
    assert [c["name"] for c in config["collections"]] == [*KINDS, "settings"]
    for kind in KINDS.values():
        found = collection(config, kind.name)
        assert found["folder"] == f"content/{kind.name}"
        fields = found["fields"]
        if kind.markdown:
            assert (found["extension"], found["format"]) == ("md", "yaml-frontmatter")
            assert fields[-1]["name"] == "body" and fields[-1]["widget"] == "markdown"
            fields = fields[:-1]
        else:
            assert (found["extension"], found["format"]) == ("yaml", "yaml")
        assert_every_field(fields, kind.model, kind.name)
    site = collection(config, "settings")["files"][0]
    assert site["file"] == "content/site.yaml"
    assert_every_field(site["fields"], SiteConfig, "site.yaml")


def test_widgets_follow_the_types():
    config = decap_config(example_config())
    story = by_name(collection(config, "stories")["fields"])
    assert story["consent"]["widget"] == "select"
    assert story["consent"]["options"] == ["pending", "recorded", "not-needed"]
    assert story["layout"] == {**story["layout"], "widget": "select", "options": ["default", "feature"]}
    assert by_name(story["authors"]["fields"])["display"]["options"] == ["full", "initials", "anonymous"]
    for name in ("date", "publish_date"):
        assert story[name]["widget"] == "datetime"
        assert (story[name]["format"], story[name]["date_format"], story[name]["time_format"]) == \
            ("YYYY-MM-DD", "YYYY-MM-DD", False)
    assert story["draft"]["widget"] == "boolean"
    assert story["authors"]["widget"] == "list" and story["authors"]["min"] == 1
    assert story["tags"]["widget"] == "list" and story["tags"]["field"]["widget"] == "string"
    assert story["summary"]["widget"] == "text" and story["title"]["widget"] == "string"
    # references are searches in the collection they point at; the value written is the item's slug
    relations = {(kind, name): target for kind, name, target in [
        ("stories", "project", "projects"), ("stories", "artworks", "artworks"), ("stories", "hero", "artworks"),
        ("artworks", "project", "projects"), ("projects", "hero", "artworks"), ("people", "projects", "projects"),
        ("people", "photo", "artworks"), ("media", "project", "projects"), ("media", "poster", "artworks")]}
    for (kind, name), target in relations.items():
        field = by_name(collection(config, kind)["fields"])[name]
        assert (field["widget"], field["collection"], field["value_field"]) == ("relation", target, "{{slug}}")
        assert field.get("multiple", False) == (name in ("artworks", "projects"))
    project = by_name(collection(config, "projects")["fields"])
    assert project["description"]["widget"] == "markdown"
    events = by_name(project["events"]["fields"])
    assert project["events"]["widget"] == "list" and events["start"]["widget"] == "datetime"
    assert project["period"]["widget"] == "object"
    assert by_name(project["period"]["fields"])["start"]["pattern"][0] == r"^\d{4}(-\d{2}-\d{2})?$"
    artwork = by_name(collection(config, "artworks")["fields"])
    assert artwork["image"]["widget"] == "image" and artwork["artist"]["widget"] == "object"
    # zoom is yes, no or unsaid (the build decides by the image's size): three states, so not a checkbox
    assert artwork["zoom"]["widget"] == "select" and "default" not in artwork["zoom"]
    assert [o["value"] for o in artwork["zoom"]["options"]] == ["true", "false"] and not artwork["zoom"]["required"]
    assert ArtworkMeta.model_validate({"title": "T", "alt": "A", "zoom": "false"}).zoom is False  # as the select saves
    assert by_name(collection(config, "reports")["fields"])["pdf"]["widget"] == "file"
    media = by_name(collection(config, "media")["fields"])
    assert (media["file"]["widget"], media["captions"]["widget"], media["transcript"]["widget"]) == \
        ("file", "file", "markdown")
    site = by_name(collection(config, "settings")["files"][0]["fields"])
    images = by_name(site["images"]["fields"])
    assert images["formats"] == {**images["formats"], "widget": "select", "multiple": True}
    assert (images["quality"]["widget"], images["quality"]["min"], images["quality"]["max"]) == ("number", 1, 100)


def test_required_pattern_and_hints_are_the_models():
    config = decap_config(example_config())
    story = by_name(collection(config, "stories")["fields"])
    for name, info in StoryMeta.model_fields.items():
        assert story[name]["required"] == (info.is_required() or name == "consent"), name
    assert story["slug"]["pattern"][0] == SLUG_PATTERN
    assert re.compile(story["slug"]["pattern"][0]).match("hands-in-the-clay")
    site = by_name(collection(config, "settings")["files"][0]["fields"])
    assert site["language"]["pattern"][0] == SiteConfig.model_json_schema()["properties"]["language"]["pattern"]
    block = by_name(site["editor"]["fields"])
    assert block["repo"]["pattern"][0].startswith("^")
    assert site["editor"]["required"] is False and block["repo"]["required"] is False  # an optional group
    assert block["repo"]["hint"].lower() == SiteConfig.model_fields["editor"].annotation.__args__[0] \
        .model_fields["repo"].description.lower()
    # consent is chosen for every artwork, never left to the model's default of `recorded`
    artwork = by_name(collection(config, "artworks")["fields"])
    assert artwork["consent"]["required"] is True and artwork["consent"]["default"] == "pending"
    assert artwork["image"]["required"] is False  # the same-stem rule still holds without it


def fields_within(field: dict) -> list[dict]:
    """Every field inside a group, at any depth (not inside lists, whose items the editor adds one by one)."""
    inner = field.get("fields", []) if field["widget"] == "object" else []
    return [f for one in inner for f in (one, *fields_within(one))]


def test_an_optional_group_asks_for_nothing_inside_it():
    """Decap asks for a required field even inside a group left empty: an artwork without `artist:` could not be
    saved. Inside an optional group nothing is required; a group that is required keeps its required fields."""
    config = decap_config(example_config())
    artwork = by_name(collection(config, "artworks")["fields"])
    assert artwork["artist"]["required"] is False and by_name(artwork["artist"]["fields"])["name"] == {
        **by_name(artwork["artist"]["fields"])["name"], "required": False}
    everything = [f for c in config["collections"] for form in (c.get("files") or [c]) for top in form["fields"]
                  for f in (top, *fields_within(top))]
    groups = [f for f in everything if f["widget"] == "object"]
    optional = [f for f in groups if not f["required"]]
    assert {"artist", "rights_holder", "period", "lead", "editor", "quote"} <= {f["name"] for f in optional}
    for group in optional:
        assert not [f["name"] for f in fields_within(group) if f["required"]], group["name"]
    # the items of a list are added one by one, and each keeps what it requires (a credit's name)
    story = by_name(collection(config, "stories")["fields"])
    assert by_name(story["authors"]["fields"])["name"]["required"] is True
    assert not decap_errors(config)


def test_a_group_filled_in_half_is_still_refused(site: Site, capsys):
    """What the form no longer asks for, the build does: an artist without a name is an error at its line."""
    bowl = site.content / "artworks/bowl.yaml"
    bowl.write_text(bowl.read_text().replace("  name: Jane Quinnell\n", ""))
    assert site.build() == 1
    assert "content/artworks/bowl.yaml:3:1: error: missing required field 'artist.name'" in capsys.readouterr().err
    bowl.write_text(re.sub(r"artist:\n  display: initials\n", "", bowl.read_text()))
    assert site.build() == 0  # without the group, the artwork is fine


def test_new_stories_start_as_pending_drafts_dated_today():
    story = by_name(collection(decap_config(example_config()), "stories")["fields"])
    assert story["draft"]["default"] is True
    assert story["consent"]["default"] == "pending"
    assert story["date"]["default"] == "{{now}}"
    page = by_name(collection(decap_config(example_config()), "pages")["fields"])
    assert page["draft"]["default"] is False


def test_a_field_added_to_a_model_appears_in_the_form(monkeypatch):
    class Mood(BaseModel):
        colour: Literal["blue", "ochre"]
        since: dt.date | None = None

    class Extended(StoryMeta):
        mood: Literal["calm", "bright"] | None = Field(None, description="how the story feels")
        read_aloud: bool = False
        moods: list[Mood] = Field(default_factory=list)

    monkeypatch.setitem(KINDS, "stories", dataclasses.replace(KINDS["stories"], model=Extended))
    story = by_name(collection(decap_config(example_config()), "stories")["fields"])
    assert story["mood"] == {"name": "mood", "label": "Mood", "widget": "select", "options": ["calm", "bright"],
                             "required": False, "hint": "How the story feels"}
    assert story["read_aloud"]["widget"] == "boolean" and story["read_aloud"]["label"] == "Read aloud"
    moods = by_name(story["moods"]["fields"])
    assert moods["colour"]["options"] == ["blue", "ochre"] and moods["colour"]["required"] is True
    assert moods["since"]["widget"] == "datetime"
    config = decap_config(example_config())
    assert_every_field(collection(config, "stories")["fields"][:-1], Extended, "stories")
    assert not decap_errors(config)


@pytest.mark.parametrize("block", [
    {},
    {"backend": "gitlab", "repo": "cpmr/sites/showcase", "app_id": "4a1b2c"},
    {"backend": "gitea", "base_url": "https://git.example.org", "app_id": "0d3e"},
    {"branch": "pages", "content_folder": "site/content", "base_url": "https://auth.example.org",
     "auth_endpoint": "api/auth"},
], ids=["github", "gitlab-pkce", "gitea", "github-helper"])
def test_the_config_passes_decaps_own_schema(block):
    config = decap_config(example_config(**block))
    assert not decap_errors(config)
    backend = config["backend"]
    assert backend["name"] == block.get("backend", "github") and backend["branch"] == block.get("branch", "main")
    if backend["name"] == "gitlab":
        assert (backend["auth_type"], backend["app_id"]) == ("pkce", "4a1b2c")
    if backend["name"] == "gitea":
        assert backend["api_root"] == "https://git.example.org/api/v1"
        assert "publish_mode" not in config  # Decap's Gitea backend refuses the editorial workflow
    else:
        assert config["publish_mode"] == "editorial_workflow"
    folder = block.get("content_folder", "content")
    assert collection(config, "stories")["folder"] == f"{folder}/stories"
    assert collection(config, "stories")["media_folder"] == f"/{folder}/artworks"
    for name in ("artworks", "reports", "media"):  # files an entry names are saved beside it
        assert (collection(config, name)["media_folder"], collection(config, name)["public_folder"]) == ("", "")
    links = {c["name"]: c["preview_path"] for c in config["collections"] if "folder" in c}
    assert (links["projects"], links["artworks"], links["people"]) == \
        ("projects/{{slug}}/", "artworks/{{slug}}/", "people/#{{slug}}")  # tests/test_editor_preview_links.py
    assert all("{{fields.slug}}" in links[name] for name in ("stories", "reports", "pages", "media", "exhibitions"))
    assert config["site_url"] == example_config().base_url


def test_the_schema_check_is_not_a_formality():
    """The vendored schema refuses what Decap refuses (so the test above can fail)."""
    good = decap_config(example_config())
    broken = json.loads(json.dumps(good))
    story = collection(broken, "stories")["fields"]
    by_name(story)["consent"].pop("options")  # a select without options
    by_name(story)["hero"].pop("search_fields")  # a relation without search fields
    story.append(dict(story[0]))  # two fields of one name
    story[1]["widget"] = "date"  # removed in Decap 3
    broken["publish_mode"] = "review"
    errors = "\n".join(decap_errors(broken))
    for expected in ("collections/0/fields/4", "collections/0/fields/9", "name values must be unique",
                     "'date' is not one of", "publish_mode"):
        assert expected in errors, errors


def test_admin_page_pins_the_cms_with_integrity():
    page = editor.admin_page(example_config())
    tags = Tags(page)
    html_tag = next(attrs for tag, attrs in tags.found if tag == "html")
    assert html_tag["lang"] == "en"
    assert tags.title == "Edit CPMR"
    assert ("meta", {"name": "robots", "content": "noindex"}) in tags.found
    scripts = [attrs for tag, attrs in tags.found if tag == "script"]
    assert len(scripts) == 1
    script = scripts[0]
    assert script["src"] == f"https://unpkg.com/decap-cms@{DECAP_CMS.version}/dist/decap-cms.js"
    assert re.fullmatch(r"\d+\.\d+\.\d+", DECAP_CMS.version)  # an exact version, never a range
    assert script["crossorigin"] == "anonymous"
    assert re.fullmatch(r"sha384-[A-Za-z0-9+/]{64}", script["integrity"])
    assert len(base64.b64decode(script["integrity"].removeprefix("sha384-"))) == 48


@pytest.mark.parametrize("block, connect, images", [
    ({}, "'self' https://api.github.com", "'self' blob: https://avatars.githubusercontent.com"),
    ({"base_url": "https://auth.example.org", "auth_endpoint": "auth"}, "'self' https://api.github.com",
     "'self' blob: https://avatars.githubusercontent.com"),  # the OAuth helper is a window of its own
    ({"backend": "gitlab", "repo": "cpmr/sites/showcase", "app_id": "4a"}, "'self' https://gitlab.com",
     "'self' blob: https://gitlab.com https://secure.gravatar.com"),
    ({"backend": "gitea", "base_url": "https://git.example.org", "app_id": "0d"}, "'self' https://git.example.org",
     "'self' blob: https://git.example.org"),
    ({"backend": "gitlab", "repo": "a/b", "app_id": "4a", "base_url": "https://gitlab.example.org",
      "api_root": "https://api.gitlab.example.org/api/v4"},
     "'self' https://api.gitlab.example.org https://gitlab.example.org",
     "'self' blob: https://api.gitlab.example.org https://gitlab.example.org https://secure.gravatar.com"),
], ids=["github", "github-helper", "gitlab-pkce", "gitea", "gitlab-own-server"])
def test_the_admin_page_allows_only_what_the_editor_needs(block, connect, images):
    """Tried in Chromium by tests/browser/test_admin_csp.py: nothing but the pinned script, and the backend's API."""
    tags = Tags(editor.admin_page(example_config(**block)))
    metas = [attrs for tag, attrs in tags.found if tag == "meta"]
    policy = next(m["content"] for m in metas if m.get("http-equiv") == "Content-Security-Policy")
    assert tags.found.index(("meta", {"http-equiv": "Content-Security-Policy", "content": policy})) < \
        next(i for i, (tag, _) in enumerate(tags.found) if tag == "script")  # in force before the script loads
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives == {"default-src": "'none'", "script-src": f"{DECAP_CMS.url} 'unsafe-eval'",
                          "style-src": "'unsafe-inline'", "img-src": images, "connect-src": connect,
                          "base-uri": "'none'", "form-action": "'none'"}
    local = dict(d.split(" ", 1) for d in editor.content_security_policy(DECAP_CMS.url, {}).split("; "))
    assert (local["connect-src"], local["img-src"]) == ("'self'", "'self' blob:")  # the editor of `serve`


@pytest.mark.skipif(not DECAP_JS.is_file(), reason="decap-cms is not installed in tests/browser/node_modules")
def test_integrity_is_the_hash_of_the_npm_package():
    package = json.loads((DECAP_JS.parents[1] / "package.json").read_text(encoding="utf-8"))
    assert package["version"] == DECAP_CMS.version
    digest = base64.b64encode(hashlib.sha384(DECAP_JS.read_bytes()).digest()).decode()
    assert DECAP_CMS.integrity == f"sha384-{digest}"


# --- the built site ---------------------------------------------------------------------------------


def with_editor(site: Site, block: str = GITHUB, base_url: bool = True) -> None:
    text = (site.content / "site.yaml").read_text(encoding="utf-8")
    if base_url and "base_url:" not in text:
        text += "base_url: https://example.org/mt/\n"
    (site.content / "site.yaml").write_text(text + block, encoding="utf-8")


def test_admin_is_written_only_with_an_editor_block(site: Site, capsys):
    assert site.build() == 0
    assert not (site.out / "admin").exists()
    with_editor(site)
    assert site.build() == 0
    assert sorted(p.name for p in (site.out / "admin").iterdir()) == ["config.yml", "index.html"]
    written = yaml.safe_load((site.out / "admin/config.yml").read_text(encoding="utf-8"))
    assert written == decap_config(load_site_config(site.content, "site.yaml")[0])
    assert not decap_errors(written)
    assert 'content="noindex"' in site.page("admin/index.html")
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/first-light/" in sitemap and "admin" not in sitemap
    assert "data-pagefind-body" not in site.page("admin/index.html")
    fragments = list((site.out / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments, "the search index was built"
    from test_search import fragments as indexed
    assert indexed(site.out) and not [url for url in indexed(site.out) if "admin" in url]
    # the block removed: /admin/ goes with it
    (site.content / "site.yaml").write_text(
        (site.content / "site.yaml").read_text(encoding="utf-8").replace(GITHUB, ""), encoding="utf-8")
    assert site.build() == 0
    assert not (site.out / "admin").exists()


@pytest.mark.parametrize("block, where, message", [
    ("editor:\n  backend: bitbucket\n  repo: a/b\n", ":{line}:3:", "editor.backend: 'bitbucket' is not one of"),
    ("editor:\n  backend: github\n  repo: just-a-name\n", ":{line1}:3:", "editor.repo: write the repository as owner/name"),
    ("editor:\n  backend: github\n  repo: a/b/c\n", ":{line1}:3:", "editor.repo: write the repository as owner/name"),
    ("editor:\n  backend: gitlab\n  repo: \"a/../b\"\n", ":{line1}:3:", "editor.repo: write the repository"),
    ("editor:\n  backend: github\n", ":{line0}:1:", "missing required field 'editor.repo'"),
    ("editor:\n  backend: gitea\n  repo: a/b\n", ":{line0}:1:", "editor: Gitea needs the address of its server"),
    ("editor:\n  backend: github\n  repo: a/b\n  base_url: http://auth.example.org\n", ":{line2}:3:",
     "editor.base_url: write an https:// address"),
    ("editor:\n  backend: github\n  repo: a/b\n  content_folder: ../elsewhere\n", ":{line2}:3:",
     "editor.content_folder: write the folder's path"),
    ("editor:\n  backend: github\n  repo: a/b\n  reviewers: 2\n", ":{line2}:3:", "unknown field 'editor.reviewers'"),
], ids=["backend", "repo-one-part", "repo-three-parts", "repo-dots", "no-repo", "gitea-server", "http", "folder",
        "unknown"])
def test_a_bad_editor_block_is_an_error_at_its_line(site: Site, capsys, block, where, message):
    with_editor(site, block)
    lines = (site.content / "site.yaml").read_text(encoding="utf-8").splitlines()
    start = lines.index("editor:") + 1
    where = where.format(line=start + 1, line0=start, line1=start + 2, line2=start + 3)
    for run in (site.check, site.build):
        assert run() == 1
        err = capsys.readouterr().err
        assert f"site.yaml{where} error: {message}" in err, err
    assert not site.out.exists()


def test_a_page_may_not_take_the_editors_address(site: Site, capsys):
    write(site.content / "pages/admin.md", "---\ntitle: Admin\n---\nOur team.\n")
    with_editor(site)
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "pages/admin.md: error: the address /admin/ is where the editor is published" in err, err


# --- artwork sidecars that name their image ---------------------------------------------------------


def test_a_sidecar_may_name_its_image(site: Site, capsys):
    make_image(site.content / "artworks/IMG_2041.jpg", colour=(20, 90, 160))
    write(site.content / "artworks/river-study.yaml", """
        title: River study
        alt: Blue water under a bridge.
        image: IMG_2041.jpg
        """)
    assert site.build() == 0, capsys.readouterr().err
    page = site.page("artworks/river-study/")
    assert "River study" in page and "images/river-study" in page
    assert not (site.out / "artworks/img-2041").exists()
    # a story may show it by the image's own name, as any artwork image
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n![](../artworks/IMG_2041.jpg)\n", encoding="utf-8")
    assert site.build() == 0, capsys.readouterr().err
    assert "artworks/river-study/" in site.page("stories/second-story/")


def test_a_named_image_that_is_missing_is_an_error_at_its_line(site: Site, capsys):
    write(site.content / "artworks/river-study.yaml", "title: River study\nalt: Blue water.\nimage: river.jpeg\n")
    make_image(site.content / "artworks/rivers.jpeg")
    make_image(site.content / "artworks/river-study.jpg")  # the same-stem image is not taken instead
    assert site.check() == 1
    err = capsys.readouterr().err
    assert ("artworks/river-study.yaml:3:1: error: image: 'river.jpeg' is not an image in artworks/; "
            "did you mean rivers.jpeg?") in err, err
    # once it is there the sidecar is read again (the build remembers which image it looked for)
    assert site.build() == 1
    capsys.readouterr()
    (site.content / "artworks/rivers.jpeg").rename(site.content / "artworks/river.jpeg")
    (site.content / "artworks/river-study.jpg").unlink()
    assert site.build() == 0, capsys.readouterr().err


@pytest.mark.parametrize("name", ["../pages/about.md", "../../outside.jpg", "/etc/hosts", "sub/bowl.jpg", ".."])
def test_a_named_image_may_not_leave_the_folder(site: Site, capsys, name):
    make_image(site.content / "artworks/sub/bowl.jpg")
    make_image(site.root / "outside.jpg")
    write(site.content / "artworks/bowl.yaml", f"title: Blue bowl\nalt: A bowl.\nimage: \"{name}\"\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert (f"artworks/bowl.yaml:3:1: error: image: '{name}' must be the name of an image beside this sidecar"
            in err), err


def test_two_sidecars_may_not_share_an_image(site: Site, capsys):
    write(site.content / "artworks/bowl-again.yaml", "title: Bowl again\nalt: A bowl.\nimage: bowl.jpg\n")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert ("artworks/bowl-again.yaml:3:1: error: image: bowl.jpg is the image of artworks/bowl.yaml already"
            in err), err


def test_an_image_its_sidecar_does_not_use_is_an_error(site: Site, capsys):
    make_image(site.content / "artworks/bowl-2016.png")
    (site.content / "artworks/bowl.yaml").write_text(
        (site.content / "artworks/bowl.yaml").read_text(encoding="utf-8") + "image: bowl-2016.png\n", encoding="utf-8")
    assert site.check() == 1
    err = capsys.readouterr().err
    assert "artworks/bowl.jpg: error: this image is not used: artworks/bowl.yaml names another image" in err, err
    (site.content / "artworks/bowl.jpg").unlink()
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8").replace("bowl.jpg", "bowl-2016.png"), encoding="utf-8")
    assert site.build() == 0, capsys.readouterr().err
    assert "artworks/bowl/" in site.page("stories/first-light/")


def test_the_artwork_schema_has_the_image_field():
    from showcase.schema import schema

    assert "image" in schema("artwork.schema.json")["properties"]
    assert "image" not in ArtworkMeta.model_json_schema()["required"]
