"""The theme's web font (issue 14, item 3): Literata shipped with its licence, preloaded from every page at any depth
and under a sub-path, declared with font-display: swap, and holding every character the showcase's text uses."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

from fontTools.subset import parse_unicodes
from fontTools.ttLib import TTFont
from sitekit import REPO, Site, write

FONTS = REPO / "themes/default/assets/fonts"
FACES = {"literata-roman.woff2": "normal", "literata-italic.woff2": "italic"}
WELSH = "ŵŷŴŶẁẃẅỳẀẂẄỲâêîôûŵŷ"
NEEDED = WELSH + "àáäçèéëíïñóöøúüßæœÀÉÖÜ£€–—‘’“”…×·°"


class _Preloads(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fonts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "preload" and values.get("as") == "font":
            self.fonts.append(values)


def preloads(html: str) -> list[dict[str, str | None]]:
    parser = _Preloads()
    parser.feed(html)
    return parser.fonts


def resolve(out: Path, page: str, href: str, base_path: str = "/") -> Path:
    """The file a link on `page` (a path in the site) leads to, a root-relative one under `base_path` too."""
    if href.startswith("/"):
        assert href.startswith(base_path), (page, href)
        return out / href[len(base_path):]
    return out / posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_the_site_carries_the_font_files_and_their_licence(site: Site) -> None:
    assert site.build() == 0
    for name in [*FACES, "OFL.txt"]:
        shipped = site.out / "assets/fonts" / name
        assert shipped.is_file(), name
        assert shipped.read_bytes() == (FONTS / name).read_bytes(), name
    licence = (site.out / "assets/fonts/OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License, Version 1.1" in licence and "Literata Project Authors" in licence


def test_every_page_preloads_a_font_file_that_exists(site: Site) -> None:
    """At the root, one and two folders down, on the 404 page (links from the root) and under a sub-path."""
    assert site.build("--base-url", "https://example.org/cpmr/") == 0
    pages = site.pages()
    depths = {page.count("/") for page in pages}
    assert {0, 1, 2} <= depths and "404.html" in pages, sorted(pages)[:5]
    for page, html in pages.items():
        found = preloads(html)
        assert len(found) == 1, f"{page}: {found}"
        link = found[0]
        assert link["type"] == "font/woff2" and "crossorigin" in link, (page, link)
        target = resolve(site.out, page, link["href"], "/cpmr/")
        assert target.is_file() and target.name == "literata-roman.woff2", (page, link["href"])
    assert preloads(pages["404.html"])[0]["href"] == "/cpmr/assets/fonts/literata-roman.woff2"
    assert preloads(pages["stories/first-light/index.html"])[0]["href"] == "../../assets/fonts/literata-roman.woff2"


def test_a_site_theme_may_replace_the_font(site: Site) -> None:
    """A theme of the site's own with its own fonts folder: its files are shipped and preloaded instead."""
    theme = site.content.parent / "themes/mine/assets/fonts"
    theme.mkdir(parents=True)
    (theme / "literata-roman.woff2").write_bytes(b"not really a font")
    write(site.content / "site.yaml", (site.content / "site.yaml").read_text() + "theme: mine\n")
    assert site.build() == 0
    assert (site.out / "assets/fonts/literata-roman.woff2").read_bytes() == b"not really a font"
    assert (site.out / "assets/fonts/OFL.txt").is_file()  # the rest still comes from the default theme


def font_faces(css: str) -> list[dict[str, str]]:
    faces = []
    for block in re.findall(r"@font-face\s*\{(.*?)\}", css, re.S):
        faces.append({name.strip(): value.strip() for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+);", block)})
    return faces


def test_the_stylesheet_declares_each_face_with_swap_and_uses_it_for_text() -> None:
    css = (REPO / "themes/default/assets/style.css").read_text(encoding="utf-8")
    faces = font_faces(css)
    assert len(faces) == len(FACES), faces
    for face in faces:
        assert face["font-family"] == '"Literata"' and face["font-display"] == "swap", face
        assert face["font-weight"] == "400 700", face  # the weights the files carry
        url = re.fullmatch(r'url\("fonts/([\w.-]+)"\) format\("woff2"\)', face["src"])
        assert url and (FONTS / url.group(1)).is_file(), face["src"]
        assert FACES[url.group(1)] == face["font-style"], face
    serif = re.search(r"--serif:\s*([^;]+);", css).group(1)
    assert serif.startswith('"Literata", ') and serif.endswith("serif"), serif
    assert re.search(r"body \{[^}]*font-family: var\(--serif\);", css)


def content_characters() -> set[str]:
    """Every character in the text of the example content, beyond spaces and control characters."""
    found: set[str] = set()
    for path in (REPO / "content").rglob("*"):
        if path.suffix in (".md", ".yaml", ".bib", ".vtt"):
            found |= set(path.read_text(encoding="utf-8"))
    return {c for c in found if c.isprintable() and not c.isspace()}


def test_the_font_files_hold_the_characters_showcases_use() -> None:
    """Welsh and accented Latin, £ € – and curly quotes, and every character the example content uses today."""
    needed = set(NEEDED) | content_characters()
    for name in FACES:
        font = TTFont(FONTS / name)
        cmap = font.getBestCmap()
        missing = sorted(c for c in needed if ord(c) not in cmap)
        assert not missing, f"{name} lacks {''.join(missing)}"
        axes = {axis.axisTag: (axis.minValue, axis.maxValue) for axis in font["fvar"].axes}
        assert axes == {"wght": (400, 700)}, axes  # the weights the stylesheet declares, text optical size
        assert font["name"].getDebugName(1) == "Literata"


def test_the_font_files_are_what_the_subsetting_script_makes() -> None:
    """Subset to the script's CHARACTERS (nothing beyond them, so the files stay small), and small enough."""
    script = (REPO / "scripts/subset_fonts.py").read_text(encoding="utf-8")
    ranges = re.search(r"CHARACTERS = \",\"\.join\(\[(.*?)\]\)", script, re.S).group(1)
    allowed = set(parse_unicodes(",".join(re.findall(r'"([^"]+)"', ranges))))
    for name in FACES:
        cmap = TTFont(FONTS / name).getBestCmap()
        assert set(cmap) <= allowed, sorted(hex(c) for c in set(cmap) - allowed)[:10]
        assert (FONTS / name).stat().st_size < 60_000, name
