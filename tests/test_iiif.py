"""IIIF Presentation 3.0: a manifest per artwork, a collection per project and one for the whole showcase.

They are checked as the official IIIF Presentation Validator checks them, offline: against its JSON Schema
(tests/iiif_presentation_3.schema.json: the rules of Presentation 3.0 these manifests rely on, see its $comment), and each id against the address it is published at.
The site is built under a sub-path (https://example.org/cpmr/), as a viewer on another site would meet it:
every id that points into the site must be a file the build wrote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft7Validator

from sitekit import REPO, Site, make_image, write
from showcase.cli import main

BASE = "https://example.org/cpmr/"
CONTEXT = "http://iiif.io/api/presentation/3/context.json"
SCHEMA = json.loads((Path(__file__).parent / "iiif_presentation_3.schema.json").read_text(encoding="utf-8"))
RIGHTS = re.compile(r"^http://(creativecommons\.org/(licenses|publicdomain)/|rightsstatements\.org/vocab/)")


def validator(kind: str | None = None) -> Draft7Validator:
    """The rules (a manifest or a collection), or one of its classes (a Canvas) on its own."""
    schema = SCHEMA if kind is None else {**SCHEMA, "oneOf": [{"$ref": f"#/classes/{kind}"}]}
    return Draft7Validator(schema)


def problems(document: dict, kind: str | None = None) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(document)]


def ids(node) -> list[str]:
    """Every id in a IIIF document, nested ones too."""
    if isinstance(node, dict):
        found = [node["id"]] if isinstance(node.get("id"), str) else []
        return found + [i for value in node.values() for i in ids(value)]
    if isinstance(node, list):
        return [i for value in node for i in ids(value)]
    return []


def service_ids(node) -> set[str]:
    """The ids of the image services in a IIIF document: each names the folder of an info.json, not a file."""
    if isinstance(node, dict):
        found = {s["id"] for s in node.get("service", []) if isinstance(s, dict) and "id" in s}
        return found | {i for value in node.values() for i in service_ids(value)}
    if isinstance(node, list):
        return {i for value in node for i in service_ids(value)}
    return set()


def published_file(out: Path, address: str, services: set[str]) -> Path:
    """The file of the site an id in a document names: a page's index.html, an image service's info.json."""
    rel = address.removeprefix(BASE)
    if address in services:
        return out / rel / "info.json"
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def keys(node) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for value in node.values() for k in keys(value)}
    if isinstance(node, list):
        return {k for value in node for k in keys(value)}
    return set()


def texts(node) -> list[str]:
    """Every string a viewer might show: the values of language maps."""
    if isinstance(node, dict):
        return [t for key, value in node.items() if key not in ("id", "@context", "type", "format")
                for t in texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in texts(value)]
    return [node] if isinstance(node, str) else []


def add_artwork(site: Site, slug: str, sidecar: str, size=(900, 600)) -> None:
    make_image(site.content / f"artworks/{slug}.jpg", size=size, colour=(60, 120, 90))
    write(site.content / f"artworks/{slug}.yaml", sidecar)


def iiif_files(out: Path) -> dict[str, dict]:
    return {p.relative_to(out).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((out / "iiif").rglob("*.json"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("iiif"))
    add_artwork(site, "river", """
        title: "The <em>long</em> *river*"
        alt: A long green river under a grey sky.
        artist:
          name: Rowan Birchall-Smythe
          display: anonymous
        year: 2016
        medium: Oil on **board**
        dimensions: 40 × 60 cm
        licence: CC-BY-SA-4.0
        credit: Shown with the <b>artist's</b> permission
        description: |
          Painted **from memory** after a [walk](../stories/second-story.md) by the river.

          <p>It took <i>three</i> weeks.</p>
        """)
    assert site.build("--base-url", BASE) == 0
    return site


@pytest.fixture(scope="module")
def files(built: Site) -> dict[str, dict]:
    return iiif_files(built.out)


def test_the_files_written(files: dict[str, dict]):
    assert sorted(files) == [
        "iiif/artworks/bowl/annotation-page.json", "iiif/artworks/bowl/annotation.json",
        "iiif/artworks/bowl/canvas.json", "iiif/artworks/bowl/manifest.json",
        "iiif/artworks/river/annotation-page.json", "iiif/artworks/river/annotation.json",
        "iiif/artworks/river/canvas.json", "iiif/artworks/river/manifest.json",
        "iiif/collection.json", "iiif/projects/clay/collection.json"]


def test_manifests_and_collections_are_valid_presentation_3(files: dict[str, dict]):
    kinds = {"Manifest": None, "Collection": None, "Canvas": "canvas", "AnnotationPage": "annotationPage",
             "Annotation": "annotation"}
    seen = set()
    for name, document in files.items():
        assert document["@context"] == CONTEXT, name
        assert not problems(document, kinds[document["type"]]), (name, problems(document, kinds[document["type"]]))
        seen.add(document["type"])
    assert seen == set(kinds)


def test_the_schema_would_catch_mistakes(files: dict[str, dict]):
    """The schema is strict enough to matter: a few plausible mistakes are each refused."""
    manifest = files["iiif/artworks/river/manifest.json"]
    for mistake in ({"label": "The long river"}, {"rights": "https://creativecommons.org/licenses/by-sa/4.0/"},
                    {"items": [{"type": "Canvas", "width": 900, "height": 600}]},
                    {"type": "manifest"}, {"id": "artworks/river/manifest.json"}):
        assert problems({**manifest, **mistake}), mistake
    no_items = {k: v for k, v in manifest.items() if k != "items"}
    assert problems(no_items)


def test_every_id_is_where_it_is_published_under_the_sub_path(built: Site, files: dict[str, dict]):
    for name, document in files.items():
        assert document["id"] == BASE + name, name  # as the validator checks: the id is the file's address
        for found in ids(document):
            assert found.startswith(BASE), (name, found)  # nothing on the site's host outside /cpmr/
            rel = found[len(BASE):]
            path = built.out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
            assert path.is_file(), (name, found)


def test_the_manifest(built: Site, files: dict[str, dict]):
    manifest = files["iiif/artworks/river/manifest.json"]
    assert manifest["label"] == {"en-GB": ["The long river"]}
    assert manifest["summary"] == {"en-GB": ["Painted from memory after a walk by the river.\n\nIt took three weeks."]}
    pairs = [(p["label"]["en"][0], p["value"]["en-GB"][0]) for p in manifest["metadata"]]
    assert pairs == [("Artist", "Anonymous contributor"), ("Year", "2016"), ("Medium", "Oil on board"),
                     ("Dimensions", "40 × 60 cm"),
                     ("Licence", "Creative Commons Attribution-ShareAlike 4.0 International")]
    assert manifest["rights"] == "http://creativecommons.org/licenses/by-sa/4.0/"
    assert RIGHTS.match(manifest["rights"])
    assert manifest["requiredStatement"]["value"] == {"en-GB": ["Shown with the artist's permission"]}
    assert manifest["homepage"][0]["id"] == BASE + "artworks/river/"
    assert manifest["partOf"] == [{"id": BASE + "iiif/collection.json", "type": "Collection"}]  # in no project
    (canvas,) = manifest["items"]
    (page,) = canvas["items"]
    (annotation,) = page["items"]
    body = annotation["body"]
    assert (annotation["motivation"], annotation["target"]) == ("painting", canvas["id"])
    assert (body["type"], body["format"], body["width"], body["height"]) == ("Image", "image/jpeg", 900, 600)
    assert (canvas["width"], canvas["height"]) == (900, 600)
    assert re.fullmatch(re.escape(BASE) + r"images/river-full-[0-9a-f]+\.jpg", body["id"])
    (thumbnail,) = manifest["thumbnail"]
    assert thumbnail["width"] == 480 and thumbnail["format"] == "image/jpeg"
    assert "service" not in keys(files) and "services" not in keys(files)  # no image service: only static images
    for name in ("canvas", "annotation-page", "annotation"):  # each part on its own is the same as in the manifest
        part = dict(files[f"iiif/artworks/river/{name}.json"])
        assert part.pop("@context") == CONTEXT
        assert part == {"canvas": canvas, "annotation-page": page, "annotation": annotation}[name]


def test_initials_and_anonymous_are_honoured(files: dict[str, dict]):
    everything = json.dumps(files, ensure_ascii=False)
    assert "Rowan" not in everything and "Birchall" not in everything  # display: anonymous
    assert "Jane" not in everything and "Quinnell" not in everything  # display: initials
    bowl = files["iiif/artworks/bowl/manifest.json"]
    assert bowl["metadata"][0] == {"label": {"en": ["Artist"]}, "value": {"en-GB": ["J.Q."]}}


def test_text_is_plain(files: dict[str, dict]):
    for name, document in files.items():
        for text in texts(document):
            assert not re.search(r"<[a-z/][^>]*>|\*\*|\*\w|\]\(", text), (name, text)


def test_markup_in_a_plain_field_is_a_warning_at_its_line(tmp_path: Path, capsys, monkeypatch):
    site = Site(tmp_path)
    monkeypatch.chdir(tmp_path)
    add_artwork(site, "river", 'title: "The <em>long</em> river"\nalt: A river.\nmedium: Oil on **board**\n')
    expected = [("content/artworks/river.yaml:1:1: warning: title: this is plain text, not Markdown or HTML, so the "
                 "page shows the markup as written and the IIIF manifest leaves it out ('The long river'); write the "
                 'words alone, e.g. title: "The long river"'),
                "content/artworks/river.yaml:3:1: warning: medium: this is plain text"]
    assert site.check("--base-url", BASE) == 0
    said = capsys.readouterr().err
    assert all(e in said for e in expected), said
    assert site.check() == 0  # without base_url no manifest is made, so it is not said
    assert "plain text" not in capsys.readouterr().err


def test_collections(files: dict[str, dict]):
    showcase = files["iiif/collection.json"]
    assert showcase["label"] == {"en-GB": ["Making Together"]}
    assert [(i["type"], i["id"]) for i in showcase["items"]] == [
        ("Collection", BASE + "iiif/projects/clay/collection.json"),
        ("Manifest", BASE + "iiif/artworks/river/manifest.json")]
    clay = files["iiif/projects/clay/collection.json"]
    assert clay["label"] == {"en-GB": ["Clay together"]}
    assert clay["partOf"] == [{"id": BASE + "iiif/collection.json", "type": "Collection"}]
    assert [(i["type"], i["id"], i["label"]) for i in clay["items"]] == [
        ("Manifest", BASE + "iiif/artworks/bowl/manifest.json", {"en-GB": ["Blue bowl"]})]
    bowl = files["iiif/artworks/bowl/manifest.json"]
    assert bowl["partOf"] == [{"id": clay["id"], "type": "Collection"}]


def test_the_artwork_page_links_its_manifest(built: Site):
    html = built.page("artworks/river")
    manifest = BASE + "iiif/artworks/river/manifest.json"
    alternate = f'<link rel="alternate" type="application/ld+json;profile=&quot;{CONTEXT}&quot;" href="{manifest}">'
    assert alternate in html
    (href,) = re.findall(r'<a href="([^"]+)" type="application/ld\+json">Open in a IIIF viewer</a>', html)
    parts = urlsplit(href.replace("&amp;", "&"))
    assert parts._replace(query="").geturl() == manifest  # the IIIF drag-and-drop link: the manifest ...
    assert parse_qs(parts.query) == {"manifest": [manifest]}  # ... naming itself


def test_manifests_are_not_pages(built: Site):
    sitemap = (built.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "iiif" not in sitemap and "manifest" not in sitemap


def test_no_manifests_without_base_url(site: Site):
    assert site.build() == 0
    assert not (site.out / "iiif").exists()
    html = site.page("artworks/bowl")
    assert "IIIF" not in html and "iiif" not in html


def test_the_manifests_of_a_removed_artwork_are_removed(tmp_path: Path):
    site = Site(tmp_path)
    add_artwork(site, "river", "title: River\nalt: A river.\n")
    assert site.build("--base-url", BASE) == 0
    assert (site.out / "iiif/artworks/river/manifest.json").is_file()
    (site.content / "artworks/river.yaml").unlink()
    (site.content / "artworks/river.jpg").unlink()
    assert site.build("--base-url", BASE) == 0
    assert not (site.out / "iiif/artworks/river").exists()
    showcase = json.loads((site.out / "iiif/collection.json").read_text(encoding="utf-8"))
    assert "river" not in json.dumps(showcase)


def test_the_example_showcase_under_a_sub_path(tmp_path: Path):
    """The real content: every manifest and collection valid, every id a file the build wrote."""
    out = tmp_path / "cpmr"
    assert main(["build", "--content", str(REPO / "content"), "--out", str(out), "--base-url", BASE,
                 "--no-search"]) == 0
    files = iiif_files(out)
    artworks = sorted(p.stem for p in (REPO / "content/artworks").glob("*.yaml"))
    assert [n.split("/")[2] for n in files if n.endswith("/manifest.json")] == artworks
    for name, document in files.items():
        if document["type"] in ("Manifest", "Collection"):
            assert not problems(document), (name, problems(document))
        assert document["id"] == BASE + name
        services = service_ids(document)
        for found in ids(document):
            assert found.startswith(BASE) and published_file(out, found, services).is_file(), (name, found)
        for service in services:  # the tiles' info.json names itself by the same address
            info = json.loads(published_file(out, service, services).read_text(encoding="utf-8"))
            assert info["id"] == service and info["profile"] == "level0", (name, info)
    first_light = json.dumps(files["iiif/artworks/first-light/manifest.json"])
    assert "Corinna" not in first_light and "Anonymous contributor" in first_light  # display: anonymous
    rights = files["iiif/artworks/first-light/manifest.json"]["rights"]
    assert rights == "http://creativecommons.org/licenses/by-nc-nd/4.0/"


# --- deep zoom: the tiles as the image's service -------------------------------------------------------


def test_a_zoomable_artwork_names_its_tiles_as_its_image_service(tmp_path: Path):
    """Under a sub-path: the painting's body names the tiles' level-0 service, whose info.json is published
    under that id and names itself by it; the manifest stays valid, and a service id that points at the
    info.json itself (a common mistake) is refused by the schema."""
    site = Site(tmp_path)
    add_artwork(site, "river", "title: River\nalt: A long green river.\n", size=(2400, 1004))
    assert site.build("--base-url", BASE) == 0
    files = iiif_files(site.out)
    manifest = files["iiif/artworks/river/manifest.json"]
    assert not problems(manifest), problems(manifest)
    body = manifest["items"][0]["items"][0]["items"][0]["body"]
    (service,) = body["service"]
    folder = service["id"].removeprefix(BASE + "images/")
    assert re.fullmatch(r"river-zoom-[0-9a-f]{10}", folder), service
    assert service == {"id": f"{BASE}images/{folder}", "type": "ImageService3", "profile": "level0"}
    assert files["iiif/artworks/river/annotation.json"]["body"] == body  # the parts say the same
    info = json.loads((site.out / "images" / folder / "info.json").read_text(encoding="utf-8"))
    assert info["id"] == service["id"] and info["type"] == "ImageService3" and info["profile"] == "level0"
    assert (info["width"], info["height"]) == (body["width"], body["height"]) == (2400, 1004)
    wrong = json.loads(json.dumps(manifest).replace(service["id"], service["id"] + "/info.json"))
    assert problems(wrong)
    # the small bowl gets no tiles, so it names no service
    bowl = files["iiif/artworks/bowl/manifest.json"]["items"][0]["items"][0]["items"][0]["body"]
    assert "service" not in bowl


def test_no_manifest_link_on_an_artwork_page_that_is_not_published(tmp_path: Path):
    """A preview (`--drafts`) marks a page it shows but does not publish; iiif.py writes manifests for what is
    published, so such a page must not offer one (nor name it in <link rel="alternate">). No artwork page is
    marked so today (an artwork without consent is left out even from a preview), so the artwork template is
    rendered as the preview would render one, beside the published page, which does offer it."""
    from dataclasses import replace

    from showcase.pipeline import BuildOptions, build
    from showcase.plan import plan
    from showcase.publishing import PublishRules
    from showcase.theme import Theme, theme_dirs

    site = Site(tmp_path)
    result = build(BuildOptions(content=site.content, out=site.out, base_url=BASE, drafts=True))
    assert not result.failed and result.site is not None
    (task,) = [t for t in plan(result.site, PublishRules(drafts=True)) if t.page.url == "artworks/bowl/"]
    theme = Theme(theme_dirs(site.content, result.site.config.theme))

    def render(page) -> str:
        return theme.env.get_template(task.template).render(site=result.site, page=page, **task.context)

    published = render(task.page)
    assert "Open in a IIIF viewer" in published and 'rel="alternate"' in published
    preview = render(replace(task.page, unpublished="This is a preview, built with --drafts."))
    assert "Open in a IIIF viewer" not in preview and "manifest.json" not in preview
    assert "Draft, not published" in preview  # it is the preview's page, banner and all
