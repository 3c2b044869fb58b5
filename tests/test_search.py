"""Full-text search: a Pagefind index of public content only, byte-identical between builds, loud on failure.

What is in the index is read straight from the files Pagefind writes: each page's fragment (gzip of
"pagefind_dcd" + JSON with the page's URL, indexed text, metadata and filters) and the word index
(gzip of "pagefind_dcd" + CBOR, where every indexed word is stored as text).
"""

from __future__ import annotations

import gzip
import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitekit import REPO, Site, snapshot, write
from showcase import search
from showcase.search import SearchError, build_search_index

HEADER = b"pagefind_dcd"
SEARCH_JS = REPO / "themes" / "default" / "assets" / "search.js"


def _decompress(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(HEADER), path
    return data[len(HEADER):]


def fragments(site_dir: Path) -> dict[str, dict]:
    """Every indexed page by its URL: {"content", "meta", "filters", ...}."""
    found = {}
    for path in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(_decompress(path))
        found[data["url"]] = data
    return found


def index_words(site_dir: Path) -> bytes:
    """The word index and filter index, decompressed and joined: every indexed word appears in it as text."""
    parts = [_decompress(p) for folder in ("index", "filter")
             for p in sorted((site_dir / "pagefind" / folder).glob("*"))]
    return b"\n".join(parts).lower()


def everything_indexed(site_dir: Path) -> str:
    """All the text a visitor's search could see: fragments (text, titles, metadata, filters) and words."""
    return (json.dumps(fragments(site_dir), ensure_ascii=False) + index_words(site_dir).decode("utf-8", "replace")).lower()


class BodyFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.body = False

    def handle_starttag(self, tag, attrs):
        if "data-pagefind-body" in dict(attrs):
            self.body = True


def has_pagefind_body(html: str) -> bool:
    finder = BodyFinder()
    finder.feed(html)
    return finder.body


def page_url(rel: str) -> str:
    return "/" + rel.removesuffix("index.html")


@pytest.fixture()
def private_site(site: Site) -> Site:
    """The small site, plus one public story and three that must never be found."""
    write(site.content / "stories/public-marker.md", """
        ---
        title: Plumbrook evenings
        date: 2017-05-05
        summary: A public story with a word found nowhere else.
        authors: [Ada Public]
        consent: recorded
        project: clay
        practices: [craft]
        ---
        We met at the plumbrook hall on Tuesdays.
        """)
    write(site.content / "stories/withheld.md", """
        ---
        title: Zorblaxk withheld
        date: 2017-01-01
        summary: Consent is still being sought.
        authors: [Wendy Zorblaxk]
        consent: pending
        ---
        The zorblaxk story must never be published.
        """)
    write(site.content / "stories/draft.md", """
        ---
        title: Quimbrok draft
        date: 2017-01-02
        summary: Not finished.
        authors: [Dora Quimbrok]
        consent: recorded
        draft: true
        ---
        The quimbrok story is a draft.
        """)
    write(site.content / "stories/later.md", """
        ---
        title: Flindtrop later
        date: 2017-01-03
        publish_date: 2999-01-01
        summary: Not yet due.
        authors: [Fred Flindtrop]
        consent: recorded
        ---
        The flindtrop story is not due yet.
        """)
    assert site.build() == 0
    return site


# --- what is indexed ------------------------------------------------------------------------

def test_public_content_is_indexed(private_site: Site):
    pages = fragments(private_site.out)
    story = pages["/stories/public-marker/"]
    assert "plumbrook hall" in story["content"].lower()
    assert story["meta"]["title"] == "Plumbrook evenings"
    assert story["meta"]["type"] == "Story"
    assert b"plumbrook" in index_words(private_site.out)
    # a co-author who is credited by name stays findable beside an anonymous one
    assert "sam carter" in pages["/stories/second-story/"]["content"].lower()
    assert "We sang" in pages["/stories/second-story/"]["content"]


def test_drafts_withheld_and_future_stories_are_never_indexed(private_site: Site):
    text = everything_indexed(private_site.out)
    assert "plumbrook" in text  # the control: the same reading finds a public story's words
    for word in ("zorblaxk", "quimbrok", "flindtrop"):
        assert word not in text, word
    urls = set(fragments(private_site.out))
    assert not {"/stories/withheld/", "/stories/draft/", "/stories/later/"} & urls


def test_real_names_of_anonymous_and_initials_contributors_are_never_indexed(private_site: Site):
    text = everything_indexed(private_site.out)
    for part in ("rowan", "birchall", "smythe", "quinnell"):
        assert part not in text, part
    assert "anonymous" in fragments(private_site.out)["/stories/second-story/"]["content"].lower()


def test_only_content_pages_are_indexed(private_site: Site):
    out = private_site.out
    indexed = set(fragments(out))
    pages = {rel: html for rel, html in private_site.pages().items()}
    with_body = {page_url(rel) for rel, html in pages.items() if has_pagefind_body(html)}
    assert indexed == with_body
    for url in ("/stories/first-light/", "/stories/second-story/", "/artworks/bowl/", "/projects/clay/",
                "/final-report/", "/impact-statement/", "/about/", "/get-support/"):
        assert url in indexed, url
    for url in ("/", "/stories/", "/artworks/", "/projects/", "/practices/", "/practices/craft/", "/tags/",
                "/tags/belonging/", "/reports/", "/search/", "/404.html"):
        assert url not in indexed, url
    types = {url: page["meta"].get("type") for url, page in fragments(out).items()}
    assert types["/artworks/bowl/"] == "Artwork" and types["/projects/clay/"] == "Project"
    assert types["/final-report/"] == "Report" and types["/about/"] == "Page"


def test_content_notes_support_boxes_and_chrome_are_not_indexed(private_site: Site):
    pages = fragments(private_site.out)
    story = pages["/stories/first-light/"]["content"]
    assert "Arriving" in story and "I came with a friend" in story  # the story itself
    for chrome in ("Mentions a stay in hospital", "Content note", "Samaritans", "Continue to the story",
                   "Skip to main content", "No cookies", "About this showcase"):
        assert chrome not in story, chrome
    report = pages["/final-report/"]["content"]
    assert "Download the citation" not in report and "Contents" not in report
    for url, page in pages.items():
        assert "Skip to main content" not in page["content"], url  # site chrome is outside every body


def test_filters_by_project_and_practice(private_site: Site):
    pages = fragments(private_site.out)
    assert pages["/stories/first-light/"]["filters"] == {"project": ["Clay together"], "practice": ["Craft"]}
    assert pages["/stories/second-story/"]["filters"] == {"practice": ["Music"]}
    assert pages["/projects/clay/"]["filters"] == {"project": ["Clay together"], "practice": ["Craft"]}
    assert pages["/artworks/bowl/"]["filters"] == {"project": ["Clay together"]}
    filters = index_words(private_site.out)
    for value in (b"clay together", b"craft", b"music"):
        assert value in filters


# --- the files -------------------------------------------------------------------------------

def test_index_files_are_published_and_unused_widgets_left_out(private_site: Site):
    out = private_site.out
    on_disk = sorted(p.relative_to(out).as_posix() for p in (out / "pagefind").rglob("*") if p.is_file())
    manifest = json.loads((out / ".showcase-files.json").read_text())
    assert on_disk and set(on_disk) <= set(manifest)
    for needed in ("pagefind/pagefind.js", "pagefind/pagefind-entry.json", "pagefind/pagefind-worker.js"):
        assert needed in on_disk
    assert any(name.startswith("pagefind/wasm.") for name in on_disk)
    assert not [name for name in on_disk if "-ui." in name or "highlight" in name]
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en-gb"]  # the site's language, one index


def test_build_search_index_returns_what_it_wrote(tmp_path: Path):
    write(tmp_path / "a/index.html", '<html lang="en"><body><main data-pagefind-body><h1>One</h1>'
                                     '<p>Alpha text.</p></main></body></html>')
    write(tmp_path / "b/index.html", '<html lang="en"><body><main><h1>Two</h1></main></body></html>')
    files = build_search_index(tmp_path, "en")
    assert files == sorted(files)
    assert files == sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "pagefind").rglob("*")
                           if p.is_file())
    assert set(fragments(tmp_path)) == {"/a/"}


# --- determinism -----------------------------------------------------------------------------

def test_two_builds_write_byte_identical_index_files(site: Site, tmp_path: Path):
    assert site.build() == 0
    first = snapshot(site.out / "pagefind")
    other = tmp_path / "elsewhere" / "site-two"
    assert site.build() == 0  # into the same folder again: nothing in the index changes
    assert snapshot(site.out / "pagefind") == first
    from showcase.cli import main
    assert main(["build", "--content", str(site.content), "--out", str(other)]) == 0
    assert snapshot(other / "pagefind") == first
    assert first


def test_index_of_many_pages_is_deterministic(tmp_path: Path):
    """Pagefind indexes in parallel; with hundreds of pages the files must still be byte-identical."""
    words = ("clay music river garden voice paper thread kiln song dance film light harbour bread "
             "window lantern orchard meadow ribbon").split()
    for folder in ("one", "two"):
        for n in range(600):
            body = " ".join(words[(n * 7 + k * 3) % len(words)] for k in range(60))
            write(tmp_path / folder / f"p/{n}/index.html",
                  f'<html lang="en"><body><main data-pagefind-body><h1>Page {n}</h1><p>{body} n{n}</p>'
                  f'<a data-pagefind-filter="project">Project {n % 9}</a></main></body></html>')
    first = build_search_index(tmp_path / "one", "en")
    second = build_search_index(tmp_path / "two", "en")
    assert first == second
    assert snapshot(tmp_path / "one" / "pagefind") == snapshot(tmp_path / "two" / "pagefind")
    assert len(fragments(tmp_path / "one")) == 600


def test_filter_order_is_made_canonical_and_unknown_formats_are_left_alone(tmp_path: Path):
    for n, project in enumerate(["Zebra", "Apple", "Mango", "Kiwi", "Banana", "Lime"]):
        write(tmp_path / f"s/{n}/index.html", f'<html lang="en"><body><main data-pagefind-body><h1>P{n}</h1>'
                                              f'<a data-pagefind-filter="project">{project}</a>'
                                              f'<a data-pagefind-filter="practice">Craft {n % 2}</a></main></body></html>')
    build_search_index(tmp_path / "s", "en")
    bundle = tmp_path / "s" / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta = _decompress(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert meta.index(b"practice") < meta.index(b"project")  # the filter list, by name
    for path in (bundle / "filter").glob("*.pf_filter"):
        data = _decompress(path)
        values = re.findall(rb"(Apple|Banana|Kiwi|Lime|Mango|Zebra|Craft \d)", data)
        assert values == sorted(values) and values, path.name
        assert path.stem == "en_" + search._pagefind_hash(data)[:7]  # named as Pagefind names its files
    # a bundle it does not understand is left exactly as it is
    broken = next((bundle / "filter").glob("*.pf_filter"))
    broken.write_bytes(gzip.compress(b"pagefind_dcd" + b"\xbf\xff"))
    before = snapshot(bundle)
    assert search.canonicalise(bundle) is False
    assert snapshot(bundle) == before


# --- failures --------------------------------------------------------------------------------

def _fake_pagefind(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "fake-pagefind"
    path.write_text("#!/bin/sh\n" + script + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _one_page(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site / "index.html", '<html lang="en"><body><main data-pagefind-body>Hi</main></body></html>')
    return site


def test_missing_binary_is_a_search_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)

    def no_module(name):
        raise ImportError(name)

    monkeypatch.setattr(search.importlib, "import_module", no_module)
    monkeypatch.setattr(search.shutil, "which", lambda name: None)
    with pytest.raises(SearchError, match=r"Pagefind is not installed.*pip install 'pagefind\[bin\]'"):
        build_search_index(_one_page(tmp_path), "en")


def test_configured_binary_that_does_not_exist_is_a_search_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(SearchError, match="not a file"):
        build_search_index(_one_page(tmp_path), "en")


def test_failing_binary_is_a_search_error_with_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "echo 'Error: disk on fire' >&2; exit 3")))
    with pytest.raises(SearchError, match=r"exit status 3.*disk on fire"):
        build_search_index(_one_page(tmp_path), "en")


def test_binary_that_writes_nothing_is_a_search_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "exit 0")))
    with pytest.raises(SearchError, match="wrote no index"):
        build_search_index(_one_page(tmp_path), "en")


def test_binary_that_cannot_run_is_a_search_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "not-executable"
    path.write_text("nothing")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(path))
    with pytest.raises(SearchError, match="could not be started"):
        build_search_index(_one_page(tmp_path), "en")


def test_failed_index_fails_the_build_and_leaves_the_site_alone(site: Site, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch, capsys):
    assert site.build() == 0
    before = snapshot(site.out)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_fake_pagefind(tmp_path, "echo 'Error: no space' >&2; exit 1")))
    write(site.content / "pages/new.md", "---\ntitle: New page\n---\nNew.\n")
    assert site.build() != 0
    said = capsys.readouterr()
    assert "the search index could not be built" in said.err + said.out
    assert "no space" in said.err + said.out
    assert snapshot(site.out) == before


def test_a_static_file_where_the_index_goes_is_an_error(site: Site, capsys):
    write(site.content / "static/pagefind/readme.txt", "mine")
    assert site.build() != 0
    said = capsys.readouterr()
    assert "/pagefind/" in said.err + said.out


def test_settings_come_only_from_showcase(site: Site, monkeypatch: pytest.MonkeyPatch):
    """A PAGEFIND_* variable in the environment (here: index only one page) changes nothing."""
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "footer")
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    assert site.build() == 0
    assert "/stories/first-light/" in fragments(site.out)
    assert list(json.loads((site.out / "pagefind/pagefind-entry.json").read_text())["languages"]) == ["en-gb"]


# --- the search page -------------------------------------------------------------------------

class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_search_page_is_labelled_announces_and_works_without_javascript(site: Site):
    assert site.build() == 0
    html = site.page("search/")
    parser = Tags()
    parser.feed(html)
    tags = parser.tags
    by_id = {a["id"]: (t, a) for t, a in tags if "id" in a}
    labels = {a.get("for") for t, a in tags if t == "label"}
    for field in ("search-query", "search-project", "search-practice"):
        assert field in by_id and field in labels, field
    assert by_id["search-query"][1].get("type") == "search"
    assert by_id["search-status"][1].get("role") == "status"
    assert by_id["search-status"][1].get("aria-live") == "polite"
    assert by_id["search-form"][1].get("role") == "search"
    # without JavaScript: the form stays hidden, a note says why, and the browse pages are linked
    assert "hidden" in by_id["search-form"][1]
    assert "search needs javascript" in html.lower()
    hrefs = {a.get("href") for t, a in tags if t == "a"}
    for target in ("../stories/", "../projects/", "../practices/", "../tags/", "../artworks/"):
        assert target in hrefs, target
    # one module script, addressed relative to the page so the site works under a sub-path
    scripts = [a for t, a in tags if t == "script" and a.get("src")]
    assert scripts == [{"type": "module", "src": "../assets/search.js"}]
    assert (site.out / "assets/search.js").is_file()
    assert "pagefind-ui" not in html


def test_search_script_uses_the_api_relatively_and_builds_excerpts_safely():
    source = SEARCH_JS.read_text(encoding="utf-8")
    assert 'new URL("../pagefind/pagefind.js", SCRIPT_URL)' in source
    assert "import.meta.url" in source
    assert "pagefind-ui" not in source.lower() and "PagefindUI" not in source
    assert not re.search(r"""import\(\s*["'`]/""", source)  # no root-absolute import
    # the only HTML ever parsed is an excerpt, into an inert <template>, and only text and <mark> are kept
    assert re.findall(r"(\w+)\.innerHTML\s*=", source) == ["template"]
    assert "outerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source


def test_an_index_left_behind_is_kept_then_brought_up_to_date(site: Site, tmp_path: Path):
    from showcase.pipeline import BuildOptions, build

    def options(**changes) -> BuildOptions:
        return BuildOptions(content=site.content, out=site.out, cache=site.root / ".showcase-cache", **changes)

    assert not build(options()).failed
    before = snapshot(site.out / "pagefind")
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text() + "\nWe sang about marmalade.\n")

    later = build(options(search_later=True))  # what the preview does on a save
    assert not later.failed and later.search_behind
    assert "marmalade" in site.page("stories/second-story")
    assert snapshot(site.out / "pagefind") == before and "marmalade" not in everything_indexed(site.out)

    again = build(options(search_later=True))  # nothing new, but the index is still behind
    assert again.search_behind and not again.up_to_date

    caught_up = build(options())  # the next plain build (or the preview, when the editor pauses) makes it
    assert not caught_up.failed and not caught_up.search_behind and not caught_up.rendered
    assert "marmalade" in everything_indexed(site.out)
    clean = tmp_path / "clean"
    assert not build(BuildOptions(content=site.content, out=clean, cache=tmp_path / "clean-cache")).failed
    assert snapshot(site.out) == snapshot(clean)
    assert build(options()).up_to_date
