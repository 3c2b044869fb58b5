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

from sitekit import REPO, Site, build_example, snapshot, write
from showcase import search_code, search_writer
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
        assert data["url"] not in found, f"{data['url']} is in the index twice"
        found[data["url"]] = data
    return found


def index_words(site_dir: Path) -> bytes:
    """The word index and filter index, decompressed and joined: every indexed word appears in it as text."""
    parts = [_decompress(p) for folder in ("index", "filter") for p in sorted((site_dir / "pagefind" / folder).glob("*"))]
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
    assert story["filters"]["kind"] == ["Story"]
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
    kinds = {url: page["filters"]["kind"] for url, page in fragments(out).items()}
    assert kinds["/artworks/bowl/"] == ["Artwork"] and kinds["/projects/clay/"] == ["Project"]
    assert kinds["/final-report/"] == ["Report"] and kinds["/about/"] == ["Page"]


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
    pages = {url: {**page, "filters": {k: v for k, v in page["filters"].items() if k != "image"}}
             for url, page in fragments(private_site.out).items()}  # the thumbnail: see the example tests
    assert pages["/stories/first-light/"]["filters"] == {"kind": ["Story"], "project": ["Clay together"],
                                                         "practice": ["Craft"],
                                                         "note": ["Mentions a stay in hospital."]}  # shown first
    assert pages["/stories/second-story/"]["filters"] == {"kind": ["Story"], "practice": ["Music"]}
    assert pages["/projects/clay/"]["filters"] == {"kind": ["Project"], "project": ["Clay together"],
                                                   "practice": ["Craft"]}
    assert pages["/artworks/bowl/"]["filters"] == {"kind": ["Artwork"], "project": ["Clay together"]}
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


def test_filters_are_written_in_a_stable_order_and_named_as_pagefind_names_them(tmp_path: Path):
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
        assert path.stem == "en_" + search_writer.full_hash(data)[:7]  # named as Pagefind names its files


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

    monkeypatch.setattr(search_code.importlib, "import_module", no_module)
    monkeypatch.setattr(search_code.shutil, "which", lambda name: None)
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
    for field in ("search-query", "search-kind", "search-project", "search-practice"):
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


# --- search that reads well (issue 14) -----------------------------------------------------------
#
# On the example site: what a result shows is the page's indexed text (Pagefind's excerpt is a window of
# it; the search page widens that to whole sentences), so the text itself must read as sentences.

# A label run into its value, as label tables, key figures and permalinks used to give:
# "Dimensions34 × 22 cm. ProjectClay transformations. CreditIllustrative", "funding£3m+ sub-projects13".
RUN_TOGETHER = re.compile(r"\b(Medium|Dimensions|Year|Project|Credit|Licence|Lead|Partners|practice)[A-Z0-9£(]"
                          r"|[a-z][£$€]\d|[a-z]{3,}\d+\b(?!\w)")
CHROME = ("Link to the section", "#Link", "Download the", "View the full-size image", "Skip to main content",
          "Content note", "Continue to the story", "Read the transcript", "min read.#")
QUERIES = ("clay", "ginga", "music", "recovery", "dimensions", "licence", "funding", "midwife", "choir",
           "introduction")
CONTENT_PATHS = re.compile(r"^/(stories|artworks|projects|media)/[^/]+/$|^/(final-report|impact-statement|people|"
                           r"about|accessibility|get-support)/$|^/exhibitions/[^/]+/(\d+/)?$")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (content/), built once for this module."""
    return build_example(tmp_path_factory.mktemp("example"))


def windows(text: str, word: str, width: int = 20) -> list[str]:
    """Every stretch of `width` words either side of a word starting with `word`: what an excerpt can show."""
    words = text.split()
    return [" ".join(words[max(0, i - width): i + width + 1]) for i, w in enumerate(words)
            if w.lower().strip(".,;:'‘’“”()").startswith(word)]


def test_example_excerpts_have_no_run_together_labels_for_ten_queries(example: Path):
    pages = fragments(example)
    seen = 0
    for query in QUERIES:
        for url, page in pages.items():
            for excerpt in windows(page["content"], query):
                seen += 1
                assert not RUN_TOGETHER.search(excerpt), (query, url, RUN_TOGETHER.search(excerpt).group(), excerpt)
                for chrome in CHROME:
                    assert chrome not in excerpt, (query, url, chrome, excerpt)
    assert seen > 100  # the queries do find text


def test_example_index_leaves_out_labels_key_figures_permalinks_and_captions(example: Path):
    pages = fragments(example)
    artwork = pages["/artworks/vessel-in-ochre/"]["content"]
    assert artwork.startswith("Vessel in ochre light. D.F., 2015. Stoneware with a teal glaze. About this work.")
    for label in ("Medium", "Dimensions", "34 × 22", "Credit", "Illustrative example", "Licence", "CC BY-NC"):
        assert label not in artwork, label
    impact = pages["/impact-statement/"]["content"]
    assert "£3m+" not in impact and "sub-projects across" not in impact  # the key-figure tiles
    assert "An idea that travelled. The most lasting" in impact  # a heading is a sentence, its permalink gone
    story = pages["/stories/learning-the-ginga/"]["content"]
    assert story.startswith("Learning the ginga. Jo joined")  # no project eyebrow before the title
    assert "Roda, Jo Marchetti-Obi, 2016" not in story  # figure captions: the artwork has its own page
    project = pages["/projects/clay-transformations/"]["content"]
    assert not project.startswith("Project") and not re.search(r"Creative practice\W*Clay", project)


def test_example_index_holds_content_pages_only(example: Path):
    urls = set(fragments(example))
    assert urls and all(CONTENT_PATHS.match(url) for url in urls), sorted(u for u in urls if not CONTENT_PATHS.match(u))
    for url in ("/stories/learning-the-ginga/", "/artworks/roda-in-ink/", "/projects/community-and-capoeira/",
                "/final-report/", "/about/", "/people/", "/media/clay-studio-film/", "/media/joining-the-altos/",
                "/exhibitions/voices-of-the-choir/", "/exhibitions/voices-of-the-choir/2/"):
        assert url in urls, url
    html = {page_url(rel) for rel in (p.relative_to(example).as_posix() for p in example.rglob("*.html"))}
    listings = {u for u in html if re.match(r"^/(stories|practices|tags|artworks|projects|reports|exhibitions)/(page/\d+/)?$"
                                            r"|^/(practices|tags)/[^/]+/(page/\d+/)?$|^/$|^/(publications|timeline)/$", u)}
    assert len(listings) > 10 and not listings & urls


def test_example_results_carry_their_kind_and_a_small_lead_picture(example: Path):
    kinds = {"Story", "Artwork", "Project", "Report", "Page", "People", "Film", "Recording", "Exhibition"}
    for url, page in fragments(example).items():
        kind = page["filters"]["kind"]
        assert len(kind) == 1 and kind[0] in kinds, url
        # the picture is a filter value: metadata is searched, and "images" or "webp" must not find every page
        assert page["meta"].get("image") == "", f"{url}: Pagefind picked an image of its own: {page['meta']}"
        assert set(page["meta"]) == {"image", "title"}, page["meta"]
        image = page["filters"].get("image", [""])[0]
        if kind[0] in ("Story", "Artwork", "Project"):
            assert image, url
        if image:
            # relative to the page: resolved against the result's own address (so it works under a sub-path)
            assert not image.startswith(("/", "http")), image
            target = (example / url.lstrip("/") / image).resolve()
            assert target.is_file() and target.parent == (example / "images").resolve(), (url, image)
            assert re.search(r"-480w-[0-9a-f]+\.(webp|jpe?g|png)$", image), image  # the smallest derivative
    story = fragments(example)["/stories/learning-the-ginga/"]
    assert "roda-in-ink-480w" in story["filters"]["image"][0] and "image_alt" not in story["meta"]
    searched = b"".join(_decompress(p) for p in (example / "pagefind" / "index").glob("*"))
    assert b"480w" not in searched and b"roda-in-ink" not in searched  # an address's words are not searched


def test_content_pages_are_chosen_by_their_mark(tmp_path: Path):
    write(tmp_path / "index.html", "<html><body><main>Home</main></body></html>")
    write(tmp_path / "a/index.html", "<html><body><main data-pagefind-body>A</main></body></html>")
    write(tmp_path / "b/c/index.html", "<html><body><article DATA-PAGEFIND-BODY>C</article></body></html>")
    write(tmp_path / "notes.txt", "data-pagefind-body")
    build_search_index(tmp_path, "en")
    assert set(fragments(tmp_path)) == {"/a/", "/b/c/"}
    plain = tmp_path / "plain"
    write(plain / "index.html", "<html><body>Home</body></html>")
    write(plain / "x/index.html", "<html><body>X <nav>Menu</nav></body></html>")
    build_search_index(plain, "en")
    found = fragments(plain)
    assert set(found) == {"/", "/x/"}  # no mark anywhere: every page, whole, as Pagefind would
    assert found["/x/"]["content"] == "X"


def test_pages_of_any_name_are_indexed(tmp_path: Path):
    for name in ("a{b}/index.html", "c,d.html", "plain/index.html", "with space/index.html"):
        write(tmp_path / name, f'<html lang="en"><body><main data-pagefind-body><h1>{name}</h1>'
                               f'<p>Findable words.</p></main></body></html>')
    write(tmp_path / "listing/index.html", '<html lang="en"><body><main><h1>Listing</h1></main></body></html>')
    build_search_index(tmp_path, "en")
    assert set(fragments(tmp_path)) == {"/a{b}/", "/c,d.html", "/plain/", "/with space/"}
