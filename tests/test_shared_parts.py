"""The site's header and footer are rendered once for all the pages on which they come out the same
(shared_parts.py): the site is byte for byte what rendering them on every page makes, a theme's own part that shows
something of each page shows it on each page, and a change the preview builds shows on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitekit import REPO, Site, snapshot, worker_processes
from showcase.pipeline import BuildOptions, build
from showcase.shared_parts import MOST_SHAPES, SHARED
from showcase.theme import default_theme_dir
from showcase.warm import WarmState


def _example(root: Path, theme: str | None = None) -> Path:
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    if theme:
        (content / "site.yaml").write_text((content / "site.yaml").read_text() + f"theme: {theme}\n")
    return content


def _build(content: Path, out: Path, cache: Path, warm: WarmState | None = None, **more) -> None:
    result = build(BuildOptions(content=content, out=out, cache=cache, search=False, **more), warm)
    assert not result.failed, [d.format() for d in result.diagnostics.sorted()]


def _html(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.html"))}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "worker processes"])
def test_the_site_is_what_rendering_the_header_and_footer_on_every_page_makes(tmp_path: Path, parallel: bool):
    shared = _example(tmp_path / "a")
    every_page = _example(tmp_path / "b", theme="every-page")
    base = (default_theme_dir() / "templates/base.html").read_text()
    assert base.count('{{ shared("') == 2
    own = tmp_path / "b/themes/every-page/templates/base.html"
    own.parent.mkdir(parents=True)
    own.write_text(base.replace('{{ shared("_site_header.html") }}', '{% include "_site_header.html" %}\n')
                   .replace('{{ shared("_site_footer.html") }}', '{% include "_site_footer.html" %}\n'))
    cache = tmp_path / "cache"  # (one cache for both: the artworks' images are made once)
    with worker_processes(parallel):
        _build(shared, tmp_path / "site-a", cache, workers=2 if parallel else 1)
        _build(every_page, tmp_path / "site-b", cache, workers=2 if parallel else 1)
    a, b = _html(tmp_path / "site-a"), _html(tmp_path / "site-b")
    assert len(a) > 100 and a == b
    home, story = a["index.html"].decode(), a["stories/index.html"].decode()
    assert '<a class="brand" href="./" aria-current="page">' in home
    assert '<a class="brand" href="../">' in story and 'href="./" aria-current="page">Stories</a>' in story


def test_the_header_is_rendered_once_for_the_pages_that_share_it(tmp_path: Path):
    content = _example(tmp_path)
    warm = WarmState()  # (it keeps the theme the build rendered with)
    _build(content, tmp_path / "site", tmp_path / "cache", warm, workers=1)
    parts = [key for key in warm.last.theme._cards if key[0] == SHARED]
    headers = [key for key in parts if key[1] == "_site_header.html"]
    footers = [key for key in parts if key[1] == "_site_footer.html"]
    pages = len(warm.last.tasks)
    assert pages > 100 and 1 < len(headers) < pages / 4 and 1 < len(footers) < pages / 8
    # a footer for each depth and top folder (its addresses differ by them alone), and the 404 page's own
    places = {(task.page.up, task.page.top) for task in warm.last.tasks.values() if not task.page.root_relative}
    assert len(footers) <= len(places) + 1


def test_a_themes_own_header_that_shows_the_page_shows_each_pages_own(site: Site):
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    header = (default_theme_dir() / "templates/_site_header.html").read_text()
    own = site.root / "themes/mine/templates/_site_header.html"
    own.parent.mkdir(parents=True)
    own.write_text(header.replace("</header>", '<p class="here">{{ page.title }} ({{ page.breadcrumbs|length }})'
                                               "</p></header>"))
    _build(site.content, site.out, site.root / "cache", workers=1)
    for name, title in [("stories/first-light/index.html", "First light"),
                        ("stories/second-story/index.html", "Second story"), ("stories/index.html", "Stories"),
                        ("index.html", "")]:
        page = (site.out / name).read_text()
        assert page.count('<p class="here">') == 1
        assert f'<p class="here">{title} (' in page if title else '<p class="here">' in page


def test_a_change_to_the_site_shows_in_every_header_the_preview_builds(site: Site):
    warm = WarmState()
    options = dict(workers=1)
    _build(site.content, site.out, site.root / "cache", warm, **options)
    warm.settle()
    config = site.content / "site.yaml"
    config.write_text(config.read_text().replace("short_title: MT", "short_title: Short name"))
    _build(site.content, site.out, site.root / "cache", warm, **options)
    for page in site.out.rglob("*.html"):
        text = page.read_text()
        if 'class="site-header"' in text:
            assert '<span class="brand__short">Short name</span>' in text, page
    _build(site.content, site.root / "clean", site.root / "clean-cache", **options)
    assert snapshot(site.out) == snapshot(site.root / "clean")


def _own_parts(root: Path, theme: str, header: str = "", footer: str = "", page_set: str = "",
               include: bool = False) -> None:
    """A theme of the site's own: the default header and footer with more in them, page.html setting a variable,
    and base.html asking for the two parts by shared() or, with `include`, including them."""
    templates = root / "themes" / theme / "templates"
    templates.mkdir(parents=True)
    default = default_theme_dir() / "templates"
    (templates / "_site_header.html").write_text(
        (default / "_site_header.html").read_text().replace("</header>", header + "</header>"))
    (templates / "_site_footer.html").write_text(
        (default / "_site_footer.html").read_text().replace("</footer>", footer + "</footer>"))
    page = (default / "page.html").read_text()
    (templates / "page.html").write_text(page.replace("{% block main %}", page_set + "{% block main %}", 1))
    base = (default / "base.html").read_text()
    if include:
        base = base.replace('{{ shared("_site_header.html") }}', '{% include "_site_header.html" %}\n') \
                   .replace('{{ shared("_site_footer.html") }}', '{% include "_site_footer.html" %}\n')
    (templates / "base.html").write_text(base)


def _both_ways(tmp_path: Path, **parts: str) -> tuple[dict[str, bytes], WarmState]:
    """The example built with a theme's own parts asked for by shared(), and again included: the same pages."""
    sites = []
    warm = WarmState()
    for way, include in (("shared", False), ("included", True)):
        content = _example(tmp_path / way, theme="mine")
        _own_parts(tmp_path / way, "mine", include=include, **parts)
        _build(content, tmp_path / f"site-{way}", tmp_path / "cache", warm if not include else None, workers=1)
        sites.append(_html(tmp_path / f"site-{way}"))
    assert len(sites[0]) > 100 and sites[0] == sites[1]
    return sites[0], warm


def test_a_part_reading_what_cannot_be_compared_is_rendered_for_each_page(tmp_path: Path):
    """The page's picture (an artwork), its structured data (dicts): the pages that have one render the part."""
    pages, _ = _both_ways(tmp_path, header="{% if page.image %}<p>pictured</p>{% endif %}"
                                           "{% if page.structured %}<p>data</p>{% endif %}")
    assert any(b"<p>pictured</p>" in html for html in pages.values())
    assert any(b"<p>data</p>" in html for html in pages.values())
    assert any(b"<p>pictured</p>" not in html for html in pages.values())


def test_a_part_sees_the_variables_of_the_page_as_an_include_does(tmp_path: Path):
    """A variable the plan gives the page (story) and one its template sets (active_page), read with `is defined`
    and `default`, which raise nothing when they are missing."""
    pages, _ = _both_ways(tmp_path, header="<p>{{ active_page|default('none') }}</p>",
                          footer="{% if story is defined %}<p>From {{ story.meta.title }}</p>{% endif %}",
                          page_set="{% set active_page = 'a page' %}")
    assert b"<p>a page</p>" in pages["about/index.html"] and b"<p>none</p>" in pages["index.html"]
    story = next(html for name, html in pages.items() if name.startswith("stories/") and b"<p>From " in html)
    assert b"<p>From " not in pages["index.html"] and story


def test_a_part_that_differs_on_every_page_stops_being_compared(tmp_path: Path):
    """Asked about each page's own address, the part comes out differently on every page: after a few dozen ways,
    it is rendered for each page, rather than every page comparing itself with all the pages before."""
    _, warm = _both_ways(tmp_path, header='<a href="{{ url(page.url) }}#main">Back to the top</a>')
    parts = warm.last.theme._parts
    assert "_site_header.html" in parts.unshared
    assert len(parts.shapes["_site_header.html"]) <= MOST_SHAPES + 1
    assert "_site_footer.html" not in parts.unshared  # (the footer is still shared)
