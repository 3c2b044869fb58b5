"""The site's header and footer are rendered once for all the pages on which they come out the same
(shared_parts.py): the site is byte for byte what rendering them on every page makes, a theme's own part that shows
something of each page shows it on each page, and a change the preview builds shows on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitekit import REPO, Site, snapshot, worker_processes
from showcase.pipeline import BuildOptions, build
from showcase.shared_parts import SHARED
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
