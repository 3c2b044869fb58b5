"""The editor's "View Live" links lead to the page the build really makes for each entry: a story, page, report,
recording or exhibition with its own `slug:`, a final report and an impact statement (at /final-report/ and
/impact-statement/), a person (an anchor of /people/). Each collection's preview_path is filled in as Decap CMS
3.16 fills it (the code below follows decap-cms-core's previewUrlFormatter and decap-cms-lib-widgets'
compileStringTemplate), the address resolved as a browser resolves it, and the file looked for in a real build.
tests/browser/test_admin_csp.py reads the same links from Decap itself in Chromium."""

from __future__ import annotations

import re
import unicodedata

import pytest
import yaml
from sitekit import Site, write
from test_editor_config import collection, example_config

from showcase.editor import decap_config
from showcase.editor_preview import preview_path

SITE_URL = "https://example.org/mt/"  # a site in a sub-folder: a link must never climb out of it
_VARIABLE = re.compile(r"\{\{ *([^}{| ]+)( \| ([^}{]+?))? *\}\}")  # decap-cms-lib-widgets' templateVariablePattern


def _filtered(value: str, name: str | None) -> str:
    """Decap's template filters (those this config may use), as in decap-cms-lib-widgets' stringTemplate.ts."""
    if not name:
        return value
    if match := re.fullmatch(r"ternary\('(.*)',\s*'(.*)'\)", name):
        return match[1] if value else match[2]
    if match := re.fullmatch(r"default\('(.+)'\)", name):
        return value or match[1]
    if match := re.fullmatch(r"truncate\(([0-9]+)(?:(?:,\s*['\"])([^'\"]*)(?:['\"]))?\)", name):
        omission = match[2] or "..."
        length = int(match[1]) + len(omission)  # then lodash's truncate(value, {length, omission})
        if length >= len(value):
            return value
        end = length - len(omission)
        return omission if end < 1 else value[:end] + omission
    raise AssertionError(f"a filter this emulation does not know: {name}")


def _cleaned(value: str, slug: dict) -> str:
    """Decap's getProcessSegment: prepareSlug, then sanitizeSlug with the config's `slug` options."""
    value = value.strip().lower().replace("'", "").replace(".", "-")
    if slug.get("clean_accents"):
        value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    replacement = slug.get("sanitize_replacement", "-")
    allowed = r"[A-Za-z0-9_\-.~]" if slug.get("encoding") == "ascii" else r"[\w\-.~]"
    value = "".join(c if re.fullmatch(allowed, c) else replacement for c in value)
    if value in (".", ".."):  # sanitize-filename's reserved names
        value = replacement
    value = re.sub(f"(?:{re.escape(replacement)})+", replacement, value)
    return value.removeprefix(replacement).removesuffix(replacement)


def decap_preview_link(config: dict, name: str, file_stem: str, data: dict) -> str:
    """The "View Live" address Decap gives an entry of the collection `name` (its file, its fields)."""
    template = collection(config, name)["preview_path"]

    def one(match: re.Match) -> str:
        key, filter_name = match[1], match[3]
        value = data.get(key.removeprefix("fields.")) if key.startswith("fields.") else None
        if not value:
            value = file_stem if key == "slug" else "" if key.startswith("fields.") else data.get(key, "")
        value = _filtered(str(value), filter_name)
        return value if value == "" else _cleaned(value, config["slug"])  # dirname ("") is left as it is

    path = _VARIABLE.sub(one, template)
    return config["site_url"].rstrip("/") + "/" + path.lstrip(" /")


def browser_path(url: str) -> tuple[str, str]:
    """The path a browser asks for when the link is opened (dot segments resolved as in the WHATWG URL standard),
    and the fragment."""
    url, _, fragment = url.partition("#")
    path = re.sub(r"^[a-z]+://[^/]+", "", url)
    resolved: list[str] = []
    segments = path.split("/")[1:]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment.lower() in ("..", ".%2e", "%2e.", "%2e%2e"):
            if resolved:
                resolved.pop()
            if last:
                resolved.append("")
        elif segment.lower() in (".", "%2e"):
            if last:
                resolved.append("")
        else:
            resolved.append(segment)
    return "/" + "/".join(resolved), fragment


# file in content/ -> (its text, the page the build makes for it, as a browser asks for it)
ENTRIES = {
    "stories/first-light.md": (None, "/mt/stories/first-light/"),
    "stories/a-long-file-name.md": ("---\ntitle: Short\ndate: 2016-01-01\nsummary: S.\nauthors: [A]\n"
                                    "consent: recorded\nslug: short\n---\nText.\n", "/mt/stories/short/"),
    "projects/clay.yaml": (None, "/mt/projects/clay/"),
    "artworks/bowl.yaml": (None, "/mt/artworks/bowl/"),
    "reports/final-report.md": ("---\ntitle: The final report\nkind: final-report\ndate: 2018-04-01\n"
                                "summary: What we learnt.\n---\nText.\n", "/mt/final-report/"),
    "reports/impact-statement.md": ("---\ntitle: Impact\nkind: impact-statement\ndate: 2018-04-01\n---\nImpact.\n",
                                    "/mt/impact-statement/"),
    "reports/interim.md": ("---\ntitle: Interim\ndate: 2016-01-01\n---\nText.\n", "/mt/reports/interim/"),
    "reports/evaluation.md": ("---\ntitle: Evaluation\nkind: report\ndate: 2017-01-01\n---\nText.\n",
                              "/mt/reports/evaluation/"),
    "reports/the-second-interim-report.md": ("---\ntitle: Second\ndate: 2017-01-01\nslug: second\n---\nText.\n",
                                             "/mt/reports/second/"),
    "pages/about.md": (None, "/mt/about/"),
    "pages/who-we-are.md": ("---\ntitle: Who we are\nslug: team\n---\nUs.\n", "/mt/team/"),
    "people/jane-quinnell.yaml": ("name: Jane Quinnell\nprojects: [clay]\n", "/mt/people/#jane-quinnell"),
    "media/wind-film.yaml": ("title: Wind\nkind: video\nurl: https://example.org/films/wind\nslug: wind\n"
                             "transcript: The wind in the grass.\n",
                             "/mt/media/wind/"),
    "exhibitions/a-walk-through-clay.yaml": ("title: A walk\nsummary: Clay.\nslug: walk\n"
                                             "stops:\n  - artwork: bowl\n    text: The bowl.\n",
                                             "/mt/exhibitions/walk/"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("links"))
    for name in ("reports/final.md", "reports/impact.md"):  # named after their kind below, as import-report does
        (site.content / name).unlink()
    for name, (text, _) in ENTRIES.items():
        if text is not None:
            write(site.content / name, text)
    assert site.build("--base-url", SITE_URL) == 0
    return site


def test_every_collection_has_a_case_here():
    config = decap_config(example_config())
    assert {c["name"] for c in config["collections"] if "folder" in c} == {n.split("/")[0] for n in ENTRIES}


@pytest.mark.parametrize("name", list(ENTRIES))
def test_view_live_opens_the_page_the_build_makes(built: Site, name: str):
    config = decap_config(example_config()) | {"site_url": SITE_URL}
    folder, file_name = name.split("/")
    text = (built.content / name).read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1] if name.endswith(".md") else text)
    link = decap_preview_link(config, folder, file_name.rsplit(".", 1)[0], data)
    path, fragment = browser_path(link)
    assert path + (f"#{fragment}" if fragment else "") == ENTRIES[name][1], link
    page = built.out / path.removeprefix("/mt/") / "index.html"
    assert page.is_file(), link
    title = data.get("title") or data.get("name")
    assert title in page.read_text(encoding="utf-8")
    if fragment:
        assert f'id="{fragment}"' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("stem, data, expected", [
    ("final", {"kind": "final-report"}, "/mt/final/"),  # the kind makes the address, not the name: see the docs
    ("Notes on Clay", {}, "/mt/reports/notes-on-clay/"),
])
def test_what_the_link_cannot_know(stem: str, data: dict, expected: str):
    """The limits docs/editing.md states: a final report not named after its kind, and (the same as the build's
    slug for such a name) a hand-made file name with capitals and spaces."""
    config = decap_config(example_config()) | {"site_url": SITE_URL}
    assert browser_path(decap_preview_link(config, "reports", stem, data))[0] == expected


def test_the_links_without_a_slug_of_their_own_are_plain():
    assert preview_path("projects/", own_slug=False) == "projects/{{slug}}/"
    assert preview_path("people/#", own_slug=False) == "people/#{{slug}}"
