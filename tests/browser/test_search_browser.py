"""The search page in real Chromium: it finds stories, says how many, filters, works by keyboard alone,
passes axe-core (WCAG 2.2 AA) with results on screen, says what to do without JavaScript, and works
when the site is built with --base-url https://example.org/cpmr/ and served from /cpmr/.

Uses the session fixtures of tests/browser/conftest.py (the example site, its server, Chromium): like
the rest of this suite it is skipped loudly without Chromium and fails under CI=true.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_checks import axe_violations, format_violations, load, serve

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
BASE = "https://example.org/cpmr/"
STATUS = "#search-status"
RESULTS = "#search-results > li"
GINGA = "Learning the ginga"  # a story of the example content, the only page about the ginga


def expect():  # noqa: ANN201 - playwright's expect, imported only once Chromium is known to be there
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def open_search(page, url: str):  # noqa: ANN001, ANN201
    loaded = load(page, url)
    assert loaded.status == 200 and not loaded.failed_requests, loaded
    expect()(page.locator("#search-form")).to_be_visible()  # the script loaded the index and showed the form
    expect()(page.locator("#search-unavailable")).to_be_hidden()
    return page


def search_for(page, words: str) -> str:  # noqa: ANN001
    """Type a query as a person would, wait for the announcement, and return it."""
    field = page.locator("#search-query")
    field.fill("")
    field.press_sequentially(words, delay=20)
    field.press("Enter")
    quoted = re.escape(f"'{words}'")
    expect()(page.locator(STATUS)).to_have_text(re.compile(rf"^(\d+ results?|No results) for {quoted}"))
    return page.locator(STATUS).inner_text()


def count_in(announcement: str) -> int:
    match = re.match(r"^(\d+) results?", announcement)
    return int(match.group(1)) if match else 0


def result_titles(page) -> list[str]:  # noqa: ANN001
    return [t.strip() for t in page.locator(f"{RESULTS} h2").all_inner_texts()]


# --- on the example site, served from the root -------------------------------------------------

def test_a_query_finds_a_known_story_and_the_count_is_announced(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    status = page.locator(STATUS)
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    said = search_for(page, "ginga")
    found = count_in(said)
    assert found >= 1, said
    assert said.startswith(f"{found} result{'s' if found != 1 else ''} for 'ginga'"), said
    assert page.locator(RESULTS).count() == min(found, 10)
    assert GINGA in result_titles(page)
    link = page.locator(f"{RESULTS} h2 a", has_text=GINGA)
    assert urlsplit(link.get_attribute("href")).path == "/stories/learning-the-ginga/"
    item = page.locator(RESULTS).filter(has=page.locator("h2 a", has_text=GINGA))
    assert item.count() == 1
    assert item.locator("mark").count() >= 1  # the matched word, highlighted
    assert "ginga" in item.locator("mark").first.inner_text().lower()
    assert "Story" in item.locator(".search-result__meta").inner_text()
    assert "q=ginga" in page.url  # the address can be shared or bookmarked


def test_nothing_found_is_announced(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    assert search_for(page, "xylophonics") == "No results for 'xylophonics'"
    assert page.locator(RESULTS).count() == 0


def test_a_filter_narrows_the_results(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    everywhere = count_in(search_for(page, "clay"))
    assert everywhere > 1
    page.locator("#search-project").select_option(label="Clay transformations")
    status = page.locator(STATUS)
    expect()(status).to_contain_text("project: Clay transformations")
    narrowed = count_in(status.inner_text())
    assert 0 < narrowed < everywhere, (narrowed, everywhere)
    for meta in page.locator(f"{RESULTS} .search-result__meta").all_inner_texts():
        assert "Clay transformations" in meta
    # a practice as well: the two filters together
    page.locator("#search-practice").select_option(label="Writing")
    expect()(status).to_contain_text("creative practice: Writing")
    assert count_in(status.inner_text()) <= narrowed
    # a filter alone, with no words, lists everything in it
    page.locator("#search-practice").select_option(value="")
    page.locator("#search-query").fill("")
    page.locator("#search-query").press("Enter")
    expect()(status).to_have_text(re.compile(r"^\d+ results? in project: Clay transformations"))
    assert count_in(status.inner_text()) >= narrowed


def test_the_filters_offer_the_projects_and_practices_of_the_site(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    projects = page.locator("#search-project option").all_inner_texts()
    practices = page.locator("#search-practice option").all_inner_texts()
    assert projects[0] == "All projects" and "Community and capoeira" in projects
    assert practices[0] == "All creative practices" and "Dance" in practices
    assert projects[1:] == sorted(projects[1:], key=str.lower)


def test_search_works_by_keyboard_alone(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    for _ in range(40):  # Tab from the top of the page to the search field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-query":
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type("ginga", delay=20)
    page.keyboard.press("Enter")
    expect()(page.locator(STATUS)).to_contain_text("for 'ginga'")
    order = []
    for _ in range(5):  # the button, the three filters, then the first result
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
    assert order[:4] == ["BUTTON", "search-kind", "search-project", "search-practice"], order
    assert order[4] == "A", order
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "search-project"
    page.keyboard.type("Community", delay=20)  # choose a project by typing its name, as on any <select>
    expect()(page.locator(STATUS)).to_contain_text("for 'ginga' (project: Community and capoeira)")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#search-results') !== null")
    assert focused, "Tab after the filters did not reach the results"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlsplit(page.url).path in ("/stories/learning-the-ginga/", "/stories/clapping-on-the-edge-of-the-circle/",
                                       "/projects/community-and-capoeira/", "/artworks/ginga-in-blue/"), page.url


def test_a_story_with_a_content_note_shows_the_note_first_and_its_words_only_when_asked(browser_page,
                                                                                       site_url: str) -> None:
    """The words found may be what the note warns of ("thoughts of harming myself"): the result says the note,
    and the passage stays folded away until the reader opens it, by keyboard as by mouse."""
    page = open_search(browser_page(), site_url + "/search/")
    search_for(page, "harming")
    item = page.locator(RESULTS).filter(has=page.locator("h2 a", has_text="Walking the shoreline"))
    expect()(item).to_have_count(1)
    note = item.locator(".search-result__note")
    assert note.inner_text() == "Content note: Mentions a stay in hospital and thoughts of self-harm."
    found = item.locator("details.search-result__found")
    assert found.get_attribute("open") is None
    expect()(item.locator(".search-result__excerpt")).to_be_hidden()
    item.locator("h2 a").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    expect()(item.locator(".search-result__excerpt")).to_be_visible()
    assert "harming" in item.locator(".search-result__excerpt mark").first.inner_text().lower()
    other = page.locator(RESULTS).filter(has_not=page.locator(".search-result__note"))
    assert search_for(page, "ginga") and other.first.locator("details").count() == 0  # no note: shown as before
    violations = axe_violations(page)
    assert not violations, format_violations({"/search/": violations}, "light")


def test_more_results_by_keyboard_move_focus_to_the_first_new_one(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    found = count_in(search_for(page, "the"))
    assert found > 10, "the example site should have more than 10 pages with 'the'"
    expect()(page.locator(STATUS)).to_contain_text("Showing the first 10")
    more = page.locator("#search-more")
    expect()(more).to_be_visible()
    more.focus()
    page.keyboard.press("Enter")
    expect()(page.locator(STATUS)).to_have_text(f"Showing {min(found, 20)} of {found} results.")
    assert page.locator(RESULTS).count() == min(found, 20)
    assert page.evaluate("document.activeElement === document.querySelectorAll('#search-results > li a')[10]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_results_shown(scheme: str, browser_page, site_url: str) -> None:
    page = open_search(browser_page(scheme), site_url + "/search/")
    search_for(page, "the")
    page.locator("#search-project").select_option(index=1)
    expect()(page.locator(STATUS)).to_contain_text("project: ")
    violations = axe_violations(page)
    assert not violations, format_violations({"/search/ (with results)": violations}, scheme)


def test_narrow_screen_with_results_does_not_scroll_sideways(browser_page, site_url: str) -> None:
    page = open_search(browser_page("light", width=320, height=640, axe=False), site_url + "/search/")
    search_for(page, "clay")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_shared_address_repeats_the_search(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/?q=ginga&project=Community%20and%20capoeira")
    expect()(page.locator(STATUS)).to_contain_text("for 'ginga' (project: Community and capoeira)")
    assert page.locator("#search-query").input_value() == "ginga"
    assert GINGA in result_titles(page)


def test_without_javascript_the_page_says_so_and_links_to_browsing(chromium, site_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/search/")
        note = page.locator("#search-unavailable")
        expect()(note).to_be_visible()
        assert "needs JavaScript" in note.inner_text()
        expect()(page.locator("#search-form")).to_be_hidden()
        browse = page.locator(".search-browse a")
        hrefs = browse.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        for target in ("../stories/", "../projects/", "../practices/", "../tags/"):
            assert target in hrefs, hrefs
        for link in browse.all():
            expect()(link).to_be_visible()
    finally:
        context.close()


# --- built for https://example.org/cpmr/ and served from /cpmr/ ----------------------------------

@pytest.fixture(scope="module")
def cpmr_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    host = tmp_path_factory.mktemp("cpmr-host")
    proc = subprocess.run([sys.executable, "build.py", "--content", "content", "--out", str(host / "cpmr"),
                           "--base-url", BASE], cwd=REPO, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"building the example site for /cpmr/ failed:\n{proc.stdout}\n{proc.stderr}", pytrace=False)
    with serve(host) as origin:
        yield origin


def test_search_works_under_a_sub_path(browser_page, cpmr_url: str) -> None:
    page = browser_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(page, cpmr_url + "/cpmr/search/")
    said = search_for(page, "ginga")
    assert count_in(said) >= 1
    link = page.locator(f"{RESULTS} h2 a", has_text=GINGA)
    assert urlsplit(link.get_attribute("href")).path == "/cpmr/stories/learning-the-ginga/"
    page.locator("#search-project").select_option(label="Community and capoeira")
    expect()(page.locator(STATUS)).to_contain_text("project: Community and capoeira")
    with page.expect_navigation():
        link.click()
    assert page.url == cpmr_url + "/cpmr/stories/learning-the-ginga/"
    assert page.locator("h1").inner_text() == GINGA
    ours = [urlsplit(u) for u in requested if u.startswith(cpmr_url)]
    assert any(u.path.startswith("/cpmr/pagefind/") for u in ours), "the index was never loaded"
    outside = sorted({u.path for u in ours if not u.path.startswith("/cpmr/")})
    assert not outside, f"requests outside /cpmr/: {outside}"
    others = sorted({u for u in requested if not u.startswith(cpmr_url)})
    assert not others, f"requests to other hosts: {others}"


# --- results that read well: sentences, content pages only, pictures, kinds (issue 14) --------------

# A label run into its value ("Dimensions34 × 22 cm", "ProjectClay transformations", "funding£3m+"), or a
# permalink's hidden text, as the results showed before the index left label tables and key figures out.
RUN_TOGETHER = re.compile(r"\b(Medium|Dimensions|Year|Project|Credit|Licence|Lead|Partners|practice)[A-Z0-9£(]"
                          r"|[a-z][£$€]\d|[a-z]{3,}\d+\b|Link to the section|#Link")
TEN_QUERIES = ("clay", "ginga", "music", "recovery", "choir", "midwife", "funding", "watercolour", "introduction",
               "hospital")
CONTENT_PAGE = re.compile(r"^/(cpmr/)?((stories|artworks|projects|media)/[^/]+/|final-report/|impact-statement/|"
                          r"exhibitions/[^/]+/(\d+/)?|people/|about/|accessibility/|get-support/)$")


def results_shown(page) -> list[dict]:  # noqa: ANN001
    return page.evaluate("""() => [...document.querySelectorAll('#search-results > li')].map(li => ({
        title: li.querySelector('h2').innerText.trim(),
        href: li.querySelector('h2 a').getAttribute('href'),
        meta: li.querySelector('.search-result__meta')?.innerText ?? '',
        excerpt: (li.querySelector('.search-result__excerpt')?.textContent ?? '').replace(/\\s+/g, ' ').trim(),
        image: li.querySelector('img') && {alt: li.querySelector('img').getAttribute('alt'),
                                            src: li.querySelector('img').src}}))""")


def test_excerpts_for_ten_queries_read_as_sentences_from_content_pages(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    checked = 0
    for query in TEN_QUERIES:
        said = search_for(page, query)
        assert count_in(said) >= 1, said
        for result in results_shown(page):
            where = f"{query!r}: {result['title']}"
            assert CONTENT_PAGE.match(urlsplit(result["href"]).path), f"{where}: a listing is a result ({result['href']})"
            if re.search(r"/exhibitions/[^/]+/\d+/$", result["href"]):  # a stop, named with its exhibition
                assert re.search(r", stop \d+: ", result["title"]), f"{where}: a stop named like the work itself"
            excerpt = result["excerpt"]
            assert excerpt, f"{where}: no excerpt"
            found = RUN_TOGETHER.search(excerpt)
            assert not found, f"{where}: run-together words {found.group()!r} in {excerpt!r}"
            assert re.match(r"^(… |[A-Z0-9‘“'\"(£—])", excerpt), f"{where}: starts mid-sentence: {excerpt!r}"
            assert re.search(r"([.!?…:][’”'\")]?|…)$", excerpt), f"{where}: stops mid-sentence: {excerpt!r}"
            checked += 1
    assert checked >= 30


def test_a_result_with_a_lead_artwork_shows_it_small_and_decorative(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    search_for(page, "ginga")
    by_title = {r["title"]: r for r in results_shown(page)}
    story = by_title[GINGA]
    assert story["image"] and story["image"]["alt"] == "", story  # the title says what it is
    assert urlsplit(story["image"]["src"]).path.startswith("/images/roda-in-ink-480w-"), story
    image = page.locator(RESULTS).filter(has=page.locator("h2 a", has_text=GINGA)).locator("img")
    image.scroll_into_view_if_needed()
    expect()(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0, "the thumbnail did not load"
    box = image.bounding_box()
    assert box and box["width"] <= 100 and box["height"] <= 100, box
    search_for(page, "acknowledgements")  # the final report: no lead artwork, so no picture
    for result in results_shown(page):
        if result["meta"].startswith("Report"):
            assert result["image"] is None, result


def test_the_kind_filter_works_by_keyboard_and_the_count_says_the_kinds(browser_page, site_url: str) -> None:
    page = open_search(browser_page(), site_url + "/search/")
    kinds = page.locator("#search-kind option").all_inner_texts()
    assert kinds[0] == "Everything" and {"Stories", "Artworks", "Projects", "Reports", "Films"} <= set(kinds), kinds
    assert page.locator("label[for='search-kind']").inner_text() == "Show"
    said = search_for(page, "clay")
    assert re.search(r"for 'clay': \d+ stor(y|ies), \d+ artworks?", said), said  # grouped in the announcement
    everything = count_in(said)
    page.locator("#search-query").focus()
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-kind"
    page.keyboard.type("Art", delay=30)  # a <select> chooses by typing, as everywhere
    status = page.locator(STATUS)
    expect()(status).to_contain_text("for 'clay' (only artworks)")
    artworks = count_in(status.inner_text())
    assert 0 < artworks < everything
    metas = [r["meta"] for r in results_shown(page)]
    assert metas and all(m.startswith("Artwork") for m in metas), metas
    assert "kind=Artwork" in page.url
    page.keyboard.press("Home")  # back to everything, still by keyboard
    page.keyboard.press("Enter")
    expect()(status).to_have_text(re.compile(rf"^{everything} results for 'clay': "))


# --- the index showcase writes, against the one Pagefind's binary makes of the same pages ---------------

@pytest.fixture(scope="module")
def pagefind_url(example_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site with its index made by the Pagefind binary instead (tests/pagefind_binary.py)."""
    from pagefind_binary import content_pages, pagefind_bundle

    host = tmp_path_factory.mktemp("pagefind-host") / "site"
    shutil.copytree(example_site, host)
    ours = host / "pagefind"
    theirs = host.parent / "theirs"
    pagefind_bundle(host, content_pages(host), "en-gb", theirs)
    for folder in ("index", "fragment", "filter"):
        shutil.rmtree(ours / folder)
    for path in ours.glob("*.pf_meta"):
        path.unlink()
    for path in theirs.iterdir():  # the index files; the search code is the same either way
        if path.is_dir():
            shutil.move(str(path), str(ours / path.name))
        elif path.suffix == ".pf_meta" or path.name == "pagefind-entry.json":
            shutil.copyfile(path, ours / path.name)
    with serve(host) as origin:
        yield origin


def test_the_index_showcase_writes_finds_what_pagefinds_own_finds(browser_page, site_url: str,
                                                                  pagefind_url: str) -> None:
    ours, theirs = open_search(browser_page(), site_url + "/search/"), open_search(browser_page(), pagefind_url + "/search/")
    for query in ("ginga", "clay", "music", "recovery", "the", "marchetti", "mental health", "co-production",
                  "clay's", "xylophonics"):
        got, expected = search_for(ours, query), search_for(theirs, query)
        assert got == expected, (query, got, expected)  # the same count, the same kinds
        for side in (ours, theirs):  # every result, in order, with its excerpt
            while side.locator("#search-more").is_visible():
                before = side.locator(RESULTS).count()
                side.locator("#search-more").click()
                expect()(side.locator(RESULTS)).not_to_have_count(before)
        # the same results with the same excerpts; results that score the same may come in another order,
        # as Pagefind numbers pages in the order its walk of the folder meets them, showcase in sorted order
        assert _wherever(results_shown(ours)) == _wherever(results_shown(theirs)), query
    for name in ("kind", "project", "practice"):
        assert (ours.locator(f"#search-{name} option").all_inner_texts()
                == theirs.locator(f"#search-{name} option").all_inner_texts()), name


def _wherever(results: list[dict]) -> list[dict]:
    """Results as shown, by address, their links and pictures by path (the two sites have two origins)."""
    return sorted(({**r, "href": urlsplit(r["href"]).path,
                    "image": r["image"] and {**r["image"], "src": urlsplit(r["image"]["src"]).path}} for r in results),
                  key=lambda r: r["href"])
