"""Videos hosted elsewhere, in real Chromium: nothing is fetched from their host before the reader clicks Play."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_checks import axe_violations, format_violations, load, serve

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sitekit import Site, write  # noqa: E402

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def media_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from showcase.cli import main

    site = Site(tmp_path_factory.mktemp("media"))
    write(site.content / "media/hosted-film.yaml", """
        title: A film hosted elsewhere
        kind: video
        url: https://www.youtube.com/watch?v=abc123XYZ
        poster: bowl
        transcript: |
          The words of the film, for everyone.
        """)
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text() + "\n[Watch the film](../media/hosted-film.yaml)\n")
    assert main(["build", "--content", str(site.content), "--out", str(site.out)]) == 0
    return site.out


@pytest.mark.parametrize("address", ["media/hosted-film/", "stories/first-light/"])
def test_external_video_loads_nothing_until_clicked(media_site: Path, browser_page, address: str):
    page = browser_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    with serve(media_site) as base:
        loaded = load(page, f"{base}/{address}")
        assert loaded.status == 200 and not loaded.failed_requests, loaded
        page.wait_for_timeout(300)
        elsewhere = [u for u in requests if urlsplit(u).hostname not in ("127.0.0.1", None)]
        assert elsewhere == [], elsewhere  # the poster, the button and the transcript link are all local
        assert page.locator("iframe").count() == 0
        play = page.get_by_role("link", name="Play (loads content from www.youtube.com)")
        play.focus()
        page.keyboard.press("Enter")  # keyboard alone is enough
        page.wait_for_selector("iframe")
        frame = page.locator("iframe")
        assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/abc123XYZ")
        assert frame.get_attribute("title") == "A film hosted elsewhere"
        assert any(urlsplit(u).hostname == "www.youtube-nocookie.com" for u in requests)  # only now


def test_media_page_passes_axe(media_site: Path, browser_page):
    for scheme in ("light", "dark"):
        page = browser_page(scheme)
        with serve(media_site) as base:
            assert load(page, f"{base}/media/hosted-film/").status == 200
            found = axe_violations(page)
            assert not found, format_violations({"media/hosted-film/": found}, scheme)
