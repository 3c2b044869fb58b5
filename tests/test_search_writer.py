"""The search index written in Python (search_reader.py, search_writer.py) against Pagefind 1.5.2 itself: the
same pages indexed by the binary as showcase ran it (tests/pagefind_binary.py) and by read_page + write_index
must give the same files, by name, and the same content in each once decoded (the gzip bytes may differ)."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import cbor2
import orjson
import pytest
from pagefind_binary import content_pages, pagefind_page_order
from pagefind_binary import pagefind_bundle as run_pagefind
from sitekit import build_example

from showcase import search_bundle, search_code, search_words, search_writer
from showcase.search import html_files
from showcase.search_bundle import bundle_of, summary
from showcase.search_code import copy_search_code
from showcase.search_reader import page_url, read_page
from showcase.search_table import WordTable
from showcase.search_writer import compress, write_bundle

REPO = Path(__file__).resolve().parent.parent
LANGUAGE = "en-gb"
SIGNATURE = b"pagefind_dcd"
SEARCH_CODE = ("pagefind.js", "pagefind-worker.js", "wasm.en-gb.pagefind", "wasm.unknown.pagefind")


# ---- running both


def write_index(records: list, language: str, out: Path, keep=None, written: list[str] | None = None) -> list[str]:
    """The index of these pages (in this order; None: a page left out) written as search.index_site writes a
    fresh one."""
    records = [r for r in records if r is not None]
    bundle = bundle_of([summary(r) for r in records], WordTable.of(records), language.lower() or "unknown",
                       {n: compress(r.fragment, search_writer.FRAGMENT_COMPRESSION) for n, r in enumerate(records)})
    return write_bundle(bundle, out, keep, written)


def pagefind_bundle(site: Path, out: Path, pages: list[str] | None = None, language: str = LANGUAGE) -> Path:
    """The bundle Pagefind writes for the site's content pages (those with data-pagefind-body), or `pages`."""
    return run_pagefind(site, content_pages(site) if pages is None else pages, language, out)


def python_bundle(site: Path, out: Path, cache: Path, language: str = LANGUAGE, pages: list[str] | None = None,
                  whole: bool = False) -> Path:
    """The bundle of the same pages by read_page and write_index (in Pagefind's page order), with the search
    code from copy_search_code. With `whole`, pages are read whole, and those read whole are left out if any
    page was not (as Pagefind leaves out pages without data-pagefind-body when a page has it)."""
    pages = pagefind_page_order(site, content_pages(site) if pages is None else pages)
    records = [read_page((site / rel).read_bytes(), page_url(rel), language, whole=whole) for rel in pages]
    if any(record is not None and not record.whole for record in records):
        records = [record if record is not None and not record.whole else None for record in records]
    write_index(records, language, out)
    copy_search_code(out, language, cache)
    return out


def files(bundle: Path) -> set[str]:
    return {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}


def decoded(bundle: Path) -> dict[str, object]:
    """Every index file of a bundle decoded: gunzipped, without the signature, CBOR or JSON; the entry file."""
    found: dict[str, object] = {}
    for rel in files(bundle):
        path = bundle / rel
        if rel.endswith((".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")):
            data = gzip.decompress(path.read_bytes())
            assert data.startswith(SIGNATURE), rel
            data = data[len(SIGNATURE):]
            found[rel] = json.loads(data) if rel.endswith(".pf_fragment") else cbor2.loads(data)
        elif rel == "pagefind-entry.json":
            found[rel] = path.read_bytes()
    return found


def assert_same_bundle(theirs: Path, ours: Path) -> None:
    assert files(ours) == files(theirs)
    theirs_decoded, ours_decoded = decoded(theirs), decoded(ours)
    for rel in sorted(theirs_decoded):
        assert ours_decoded[rel] == theirs_decoded[rel], rel
    for name in SEARCH_CODE:
        if (theirs / name).exists():
            assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def pages_of(bundle: Path) -> dict[str, dict]:
    """What the index holds for each page, by address: its fragment, and its locations under each word (and
    each form with diacritics) and in each filter."""
    content = decoded(bundle)
    meta = next(value for rel, value in content.items() if rel.endswith(".pf_meta"))
    numbers = {}
    pages = {}
    for number, (name, word_count) in enumerate(meta[1]):
        fragment = content[f"fragment/{name}.pf_fragment"]
        numbers[number] = fragment["url"]
        pages[fragment["url"]] = {"fragment": fragment, "word_count": word_count, "words": {}, "filters": {}}
    for _, _, name in meta[2]:
        for word, entries, variants in content[f"index/{name}.pf_index"][0]:
            for key, found in [(word, entries)] + [((word, form), more) for form, more in variants]:
                number = 0
                for delta, locs, meta_locs in found:
                    number += delta
                    pages[numbers[number]]["words"][key] = (locs, meta_locs)
    for filter_name, name in meta[3]:
        for value, numbers_with in content[f"filter/{name}.pf_filter"][1]:
            for number in numbers_with:
                pages[numbers[number]]["filters"].setdefault(filter_name, []).append(value)
    return pages


# ---- whole sites


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (content/), built once for this module."""
    return build_example(tmp_path_factory.mktemp("example"))


def test_example_site_index_is_pagefinds(example: Path, tmp_path: Path):
    ours = python_bundle(example, tmp_path / "pagefind", tmp_path / "cache")
    assert_same_bundle(pagefind_bundle(example, tmp_path / "theirs"), ours)
    assert len(decoded(ours)) > 60


def test_generated_corpus_index_is_pagefinds(tmp_path: Path):
    from showcase.pipeline import BuildOptions, build

    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(tmp_path / "content"), "--stories", "250",
                    "--artworks", "6", "--seed", "11"], check=True, capture_output=True)
    result = build(BuildOptions(content=tmp_path / "content", out=tmp_path / "site", cache=tmp_path / "cache"))
    assert not result.failed, [d.format() for d in result.diagnostics.sorted()]
    ours = python_bundle(tmp_path / "site", tmp_path / "pagefind", tmp_path / "code")
    assert_same_bundle(pagefind_bundle(tmp_path / "site", tmp_path / "theirs"), ours)
    assert sum(rel.startswith("fragment/") for rel in files(ours)) > 250


# ---- tricky pages, each against the binary


def page_without_mark(body: str, head: str = "<title>T</title>") -> str:
    return f'<!doctype html><html lang="en"><head>{head}</head><body>{body}</body></html>'


def page(body: str, head: str = "<title>T</title>", attrs: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head>{head}</head><body><header><a href="/">Site</a></header>'
            f'<main data-pagefind-body{attrs}>{body}</main><footer>Footer</footer></body></html>')


TRICKY = {
    "hyphens": page("<h1>Three-antelopes</h1><p>ThreeAntelopes snake_case WKWebVIEWComponent x—y e-mail co-op "
                    "AH/K003364/1 0300 123 3393 2013–2017 19(3) pp. 141–147 a--b -dash- page.Find "
                    "cloud/cannon,page.find XMLRequest abc123 123ABC a8aA8A</p>"),
    "diacritics": page('<h1>Café crème</h1><span hidden data-pagefind-meta="summary">Déjà vu à São Paulo</span>'
                       "<p>café naïve Zoë Ångström résumé façade café-crème CAFÉ Straße ﬁnd e\u0301cole "
                       "İstanbul ΟΔΟΣ</p>"),
    "apostrophes": page("<p>it's it’s ’tis rock ’n’ roll l'alphabet o'clock don't can’t ‘quoted’ “double” "
                        "&quot;q&quot; students’ &#39;single&#39;</p>"),
    "numbers": page("<p>1,000 £5.50 10% 1st 2nd 100km/h 7.5% 2,500,000 -4 +5 1/2 ½ ² Ⅻ 0.001 1e10 0x1F</p>"),
    "headings": page('<h1 id="top">Main <em>title</em></h1><p>Intro.</p><h2 id="a b">Spaced id</h2><p>x</p>'
                     '<h2 id="">Empty id</h2><h3 id="c">Hello <span data-pagefind-ignore>hidden</span> <b>bold</b></h3>'
                     '<div id="d"><p>block</p> direct <em>inline</em></div><h4>No id</h4><h6>Six</h6>'
                     '<p id="p">Para <a href="#">link <b>deep</b></a> end</p>'),
    "ignore": page('<p>Kept <span data-pagefind-ignore>gone <b>gone2</b></span> kept2.</p>'
                   '<div data-pagefind-ignore><p>outer <span data-pagefind-ignore="all">deep</span> '
                   '<a data-pagefind-filter="tag">Tagged</a></p></div>'
                   '<div data-pagefind-ignore="all"><p>excluded <a data-pagefind-filter="tag">NoTag</a>'
                   '<form><img src="/in-form.png" alt="Form"></form></p></div>'
                   '<p data-pagefind-ignore="index" data-pagefind-filter="own">Own text</p>'
                   '<section data-pagefind-ignore><h2 id="ih">Ignored heading</h2><nav>Nav</nav></section><p>tail</p>'),
    "empty": page(""),
    "punctuation-only": page("<p>— … · • !!! ???</p>"),
    "non-ascii": page("<h1>Привет мир</h1><p>Ελληνικά κείμενα, 日本語のテキスト 中文文本 한국어 텍스트 עברית العربية हिन्दी ไทย</p>"),
    "emoji": page("<p>Great day 😊 ❤️ 👍🏽 👨‍👩‍👧 🇬🇧 1️⃣ ©️ ☺ ©2024 x😊y ™ Ⓜ.</p>"),
    "entities": page("<p>A &amp; B &lt;tag&gt; non&nbsp;breaking &#x27;x&#x27; &copy; &unknown; &amp;amp; &#128512; "
                     "a & b &c; &#x; &AMP; Tom &amp Jerry</p>"
                     '<span data-pagefind-filter="ent">R&amp;D &amp;amp; &lt;x&gt;</span>'),
    "whitespace": page("<p>tab\there non\u00a0break\u00a0\u00a0two crlf\r\nline cr\ralone ls\u2028sep fs\x1csep "
                       "ctrl\x01char zwsp\u200bjoin ideographic\u3000space</p><pre>  pre\n    formatted\n</pre>"),
    "weights": page('<p data-pagefind-weight="2">Heavy words</p><p data-pagefind-weight="0.5">Light</p>'
                    '<p data-pagefind-weight="0">Zero</p><p data-pagefind-weight="lots">Bad</p>'
                    '<p data-pagefind-weight="65.4">Clamp</p><p data-pagefind-weight="1.05">Twentyfive</p>'
                    '<div data-pagefind-weight="3"><h2>Inside heavy</h2><p>heavy para</p></div>'
                    "<p>heavy-word heavy</p>"),
    "filters-and-meta": page('<p data-pagefind-filter="tag">Alpha</p><p data-pagefind-filter="tag">Alpha</p>'
                             '<span data-pagefind-filter="time:10:30">x</span>'
                             '<img data-pagefind-filter="image[src], kind:Photo" src="/a b.jpg" alt="x">'
                             '<div data-pagefind-filter="wrapped"><h2>Inner <em>head</em></h2> text</div>'
                             '<span hidden data-pagefind-meta="title">Custom title café-crème</span>'
                             '<img data-pagefind-meta="image[src], image_alt[alt]" src="/i.jpg" alt="Alt text">'
                             '<div data-pagefind-default-meta="author:Anon"></div><p>Body</p>',
                             attrs=' data-pagefind-filter="kind:Story" data-pagefind-meta="image:"'),
    "automatic-title-and-image": page('<p>before</p><h1>Auto title</h1><img src="/first.png" alt="First">'
                                      '<img src="/second.png"><p>text</p>'),
    "title-from-head": page("<p>No heading here</p>", head="<title>Page &amp; title</title>"),
    "markup": page("<p>one<br>two<br/>three<wbr>four n<i>o</i>t</p><table><tr><th>Head</th><td>Cell</td></tr></table>"
                   "<ul><li>item<ul><li>nested</li></ul></li></ul><blockquote><p>quoted</p>— Name</blockquote>"
                   '<svg viewBox="0 0 2 2"><title>Svg title</title><circle r="1"/></svg>'
                   '<script>var x = "<p>not text</p>";</script><noscript><p>nojs</p></noscript>'
                   "<form><label>Label</label></form><p>Some <!-- comment <b>x</b> --> text</p>"),
    "implied-and-unclosed": page("<p>a<p>b<ul><li>one<li>two</ul><div>c<span>unclosed</div>d</p></p>"),
    "capitals": ('<!DOCTYPE HTML><!-- data-pagefind-body --><HTML LANG="EN"><HEAD><TITLE>Up</TITLE></HEAD><BODY>'
                 '<MAIN DATA-PAGEFIND-BODY>'
                 '<P>Upper Case</P><DIV DATA-PAGEFIND-IGNORE>hidden</DIV><H2 ID="X">Head</H2>'
                 '<Span Data-Pagefind-Filter="Tag">Mixed</Span></MAIN></BODY></HTML>'),
    "two-bodies": ('<!doctype html><html lang="en"><head><title>M</title></head><body><div><p>outside</p>'
                   '<article data-pagefind-body><p>First body</p></article><p>between</p>'
                   '<section data-pagefind-body><h2>Second</h2><p>body</p></section></div>tail text</body></html>'),
    "body-in-ignored": ('<!doctype html><html lang="en"><body><div data-pagefind-ignore><main data-pagefind-body>'
                        '<p>Inside</p></main></div></body></html>'),
    "after-html": ('<!doctype html><p>before html</p><html lang="en"><body><main data-pagefind-body><p>inside</p>'
                   "</main></body></html>tail text <p>after html</p>"),
    "tag-name-like-a-pattern": page("<P>a<x(y data-pagefind-ignore>b</x(y>c</P>"
                                    "<p>d<x+ data-pagefind-ignore>e</X+>f</p>"),
}

# Tag and attribute names in any case: lol_html compares them in ASCII lower case (Element::get_attribute and
# has_attribute lower the name asked for, Attribute::name() is lowered), and so does Pagefind the value of
# data-pagefind-ignore; non-ASCII letters are left as they are ("\u212a", the Kelvin sign, is not "k").
ANY_CASE = {
    "upper-body": page("<p>Upper body</p>", attrs=" DATA-PAGEFIND-BODY").replace("data-pagefind-body", ""),
    "mixed-body": page("<p>Mixed body</p>", attrs=" Data-Pagefind-Body").replace("data-pagefind-body", ""),
    "upper-attributes": page(
        '<p DATA-PAGEFIND-IGNORE>gone</p><div Data-PageFind-Ignore="ALL"><p>excluded</p></div>'
        '<p data-pagefind-ignore="INDEX">gone2</p><p data-pagefind-ignore="True">t</p><p data-pagefind-ignore="x">b</p>'
        '<span DATA-PAGEFIND-FILTER="Tag">Alpha</span><span DATA-PAGEFIND-META="Author">Ann</span>'
        '<span DATA-PAGEFIND-DEFAULT-META="image:/x.png">.</span><span DATA-PAGEFIND-SORT="Date:2020">.</span>'
        '<p DATA-PAGEFIND-WEIGHT="3">heavy</p><h2 ID="Sec">Section</h2>'
        '<img DATA-PAGEFIND-INDEX-ATTRS="TITLE,Alt" TITLE="Img title" ALT="Alt text" SRC="/i.png">'
        '<a DATA-PAGEFIND-FILTER="ref[DATA-X], lit[Href]" DATA-X="from attr" HREF="/h">link</a>',
        attrs=" DATA-PAGEFIND-BODY").replace("data-pagefind-body", ""),
    "twice-the-same-attribute": page('<span data-pagefind-filter="first" DATA-PAGEFIND-FILTER="second">dup</span>'
                                     '<p data-pagefind-ignore="all" data-pagefind-ignore>dup ignore</p><p>kept</p>'),
    "mixed-case-tags": page("<div><dIV data-pagefind-ignore>a</dIV>b</div><p>c</p><div>d</diV><p>e</p>"
                            "<section data-pagefind-ignore><sEction>f</sEction>g</section><p>h</p>"
                            "<p>i<sCript>var x = '</p>';</scRipt>j<bR>k</p>"),
    "capital-first-tags": page("<div><DIV data-pagefind-ignore>a</dIV>b</div><p>c</p><Div>d</diV><P>e</p>"
                               "<section data-pagefind-ignore><SECTION>f</Section>g</section><p>h</p>"),
    "upper-title-and-image": page('<H1>Upper heading</H1><IMG SRC="/up.png" ALT="Up"><P>text</P>',
                                  head="<TITLE>Upper title</TITLE>"),
    "excluded-upper-title": page('<div data-pagefind-ignore="all"><SVG><TITLE>Icon</TITLE></SVG></div><p>text</p>',
                                 head=""),
    "excluded-upper-image": page('<h1>Head</h1><div data-pagefind-ignore="all"><IMG SRC="/no.png"></div><p>t</p>',
                                 head=""),
    "excluded-mixed-title": page('<div data-pagefind-ignore="all"><svg><tItle>Icon</tItle></svg></div><p>t</p>',
                                 head=""),
    "excluded-mixed-image": page('<h1>Head</h1><div data-pagefind-ignore="all"><iMg src="/no.png"></div>'
                                 '<div data-pagefind-ignore><p>x</p><iMG src="/yes.png"></div><p>t</p>', head=""),
    "kelvin-sign": page('<span data-pagefind-filter="x[\u212aey]" key="v1">a</span>'
                        '<span data-pagefind-filter="y[key]" \u212aey="v2">b</span>'
                        "<p>c<lin\u212a>d</lin\u212a>e</p><p>f<script>var a;</\u017fcript>g</script>h</p>"),
}
SITE_PAGES = {**TRICKY, **ANY_CASE}

# Pages without data-pagefind-body, on a site where no page has it: Pagefind indexes each whole (its root
# selector is "html"), less what it never indexes and what is ignored.
WHOLE = {
    "plain": page_without_mark('<header><a href="/">Site</a> <span>Menu</span></header><nav>Nav links</nav>'
                               '<main><h1 id="t">Title here</h1><p>Body text <b>bold</b>.</p><img src="/a.png" alt="A">'
                               "</main><aside>Aside text</aside><footer>Footer</footer>"),
    "loose-text": page_without_mark("Loose text <p>para</p> more loose<br>after br",
                                    head="<title>Head &amp; title</title>"),
    "ignored": page_without_mark('<div data-pagefind-ignore><p>gone</p><span data-pagefind-filter="tag">Kept</span>'
                                 "</div>"
                                 '<div data-pagefind-ignore="all"><p>excluded</p></div><p>kept</p>'),
    "around-html": ('<!doctype html><p>before html</p><html lang="en"><body><p>inside</p></body></html>'
                    "<p>after html</p>"),
    "no-html-element": "<p>No html element at all</p>",
    "only-nav": page_without_mark("<nav><p>only nav</p></nav><footer>foot</footer>"),
    "body-ignored": '<!doctype html><html lang="en"><body data-pagefind-ignore><p>all ignored</p></body></html>',
    "never-indexed": page_without_mark('<svg><title>Icon</title></svg><script>var x="<p>no</p>";</script>'
                                       "<noscript>ns</noscript><form><label>L</label><input></form>"
                                       "<template><p>tpl</p></template><p>end</p>"),
    "unclosed": page_without_mark("<div><p>a<p>b<ul><li>one<li>two</ul><span>open"),
    "ids-everywhere": '<!doctype html><html lang="en" id="top"><body id="b"><div id="d">Anchored</div></body></html>',
    "two-html-elements": '<html lang="en"><body><p>first</p></body></html><html><body><p>second</p></body></html>',
    "title-only": '<!doctype html><html lang="en"><head><title>Only title</title></head></html>',
    "mark-in-a-comment": page_without_mark("<p>a <!-- data-pagefind-body --> b</p>"
                                           "<p>&lt;main data-pagefind-body&gt;</p>"),
}


def make_site(root: Path, pages: dict[str, str]) -> Path:
    site = root / "site"
    for name, html in pages.items():
        path = site / name / "index.html"
        path.parent.mkdir(parents=True)
        path.write_bytes(html.encode("utf-8"))
    return site


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path, Path]:
    """The tricky pages in one site, and two pages without content, indexed by Pagefind and by read_page +
    write_index (pages read whole, and those without data-pagefind-body then left out)."""
    root = tmp_path_factory.mktemp("tricky")
    site = make_site(root, SITE_PAGES)
    (site / "index.html").write_text("<!doctype html><html><body><p>A listing, not indexed</p></body></html>")
    (site / "excluded" / "index.html").parent.mkdir()
    (site / "excluded" / "index.html").write_text('<!doctype html><html lang="en"><body data-pagefind-ignore="all">'
                                                  "<main data-pagefind-body><p>Unpublished</p></main></body></html>")
    ours = python_bundle(site, root / "ours", root / "code", pages=html_files(site), whole=True)
    theirs = pagefind_bundle(site, root / "theirs", html_files(site))
    return pages_of(theirs), pages_of(ours), theirs, ours


def assert_same_page(theirs: dict, ours: dict, url: str, html: str, whole: bool = False) -> None:
    if url not in theirs:
        assert url not in ours
        assert read_page(html.encode(), url, LANGUAGE, whole=whole) is None
        return
    assert ours[url]["fragment"] == theirs[url]["fragment"]
    assert ours[url]["words"] == theirs[url]["words"]
    assert ours[url]["filters"] == theirs[url]["filters"]
    assert ours[url]["word_count"] == theirs[url]["word_count"]


@pytest.mark.parametrize("name", sorted(SITE_PAGES))
def test_tricky_page_is_indexed_as_pagefind_indexes_it(tricky, name: str):
    theirs, ours, _, _ = tricky
    assert_same_page(theirs, ours, f"/{name}/", SITE_PAGES[name])


def test_tricky_pages_give_pagefinds_files(tricky):
    _, _, theirs, ours = tricky
    assert_same_bundle(theirs, ours)


def test_pages_without_content_are_left_out_as_pagefind_leaves_them_out(tricky):
    theirs, ours, _, _ = tricky
    assert set(ours) == set(theirs)
    assert {"/empty/", "/punctuation-only/", "/excluded/", "/"}.isdisjoint(ours)
    assert {"/upper-body/", "/mixed-body/", "/upper-attributes/"} <= set(ours)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path, Path]:
    """A site where no page has data-pagefind-body: the pages of WHOLE, and the tricky pages with their mark
    taken out, indexed by Pagefind (all of them) and by read_page(whole=True) + write_index."""
    root = tmp_path_factory.mktemp("whole")
    unmarked = {name: re.sub("(?i)data-pagefind-body", "data-unmarked", html) for name, html in SITE_PAGES.items()}
    site = make_site(root, {**WHOLE, **{f"unmarked-{name}": html for name, html in unmarked.items()}})
    ours = python_bundle(site, root / "ours", root / "code", pages=html_files(site), whole=True)
    theirs = pagefind_bundle(site, root / "theirs", html_files(site))
    return pages_of(theirs), pages_of(ours), theirs, ours


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_whole_page_is_indexed_as_pagefind_indexes_it(whole, name: str):
    theirs, ours, _, _ = whole
    assert_same_page(theirs, ours, f"/{name}/", WHOLE[name], whole=True)


def test_whole_pages_give_pagefinds_files(whole):
    theirs, ours, theirs_bundle, ours_bundle = whole
    assert_same_bundle(theirs_bundle, ours_bundle)
    assert len(ours) > len(WHOLE) + len(TRICKY) - 5
    assert "Nav" not in ours["/plain/"]["fragment"]["content"]
    assert {"/no-html-element/", "/only-nav/", "/body-ignored/"}.isdisjoint(ours)


def test_sort_keys_are_sorted_by_name(tmp_path: Path):
    """Pagefind lists sort keys in hash-map order, which changes from run to run; here they are sorted."""
    pages = {f"p{n}": page(f'<p data-pagefind-sort="weight:{10 - n}">Sorted</p><span data-pagefind-sort="date">'
                           f"2020-01-0{n}</span>") for n in range(1, 4)}
    records = [read_page(html, f"/{name}/", LANGUAGE) for name, html in pages.items()]
    write_index(records, LANGUAGE, tmp_path)
    meta = next(value for rel, value in decoded(tmp_path).items() if rel.endswith(".pf_meta"))
    assert meta[4] == [["date", [0, 1, 2]], ["weight", [2, 1, 0]]]


def test_writing_into_an_earlier_index_writes_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """With keep, files already in the folder with the same content are neither compressed nor written again:
    after one page changes, its fragment, the index chunks holding its words, the metadata and the entry file
    are written; the result is the index written afresh (once the files no longer listed are removed)."""
    monkeypatch.setattr(search_bundle, "INDEX_CHUNK_SIZE", 60)  # many chunks
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar".split()
    pages = {f"p{n:02}": page(f"<h2>Story {n}</h2><p>{' '.join(words[n % 15:] + words[:n % 5])}</p>",
                              attrs=f' data-pagefind-filter="tag:T{n % 3}"') for n in range(30)}
    records = [read_page(html, f"/{name}/", LANGUAGE) for name, html in pages.items()]
    out = tmp_path / "out"
    first = write_index(records, LANGUAGE, out)
    past = 1_000_000_000 * 10**9
    for rel in first:
        os.utime(out / rel, ns=(past, past))
    changed = list(records)
    changed[7] = read_page(page("<h2>Story 7</h2><p>alpha zulu</p>", attrs=' data-pagefind-filter="tag:T1"'),
                           "/p07/", LANGUAGE)
    live = tmp_path / "live"  # the earlier files linked elsewhere (as to the live site's) are never written through
    live.mkdir()
    for rel in first:
        os.link(out / rel, live / rel.replace("/", "-"))
    linked = {path.name: path.read_bytes() for path in live.iterdir()}
    compressed = []
    monkeypatch.setattr(search_writer, "compress", lambda data, level: compressed.append(data) or compress(data, level))
    written: list[str] = []
    second = write_index(changed, LANGUAGE, out, keep=lambda name: True, written=written)
    # all but pagefind-entry.json and the fragments, which come compressed (where the pages are read)
    assert len(compressed) == len([rel for rel in written if not rel.startswith("fragment/")]) - 1
    fresh = write_index(changed, LANGUAGE, tmp_path / "fresh")
    assert second == fresh
    assert written == sorted((set(second) - set(first)) | {"pagefind-entry.json"})
    kinds = [rel.partition("/")[0] if "/" in rel else rel.rpartition(".")[2] for rel in written]
    assert kinds.count("fragment") == 1 and kinds.count("pf_meta") == 1 and "filter" not in kinds
    assert 0 < kinds.count("index") < sum(rel.startswith("index/") for rel in second)
    for rel in second:
        assert ((out / rel).stat().st_mtime_ns == past) == (rel not in written), rel
    for rel in set(first) - set(second):
        (out / rel).unlink()
    assert decoded(out) == decoded(tmp_path / "fresh")
    assert {path.name: path.read_bytes() for path in live.iterdir()} == linked

    again: list[str] = []
    assert write_index(changed, LANGUAGE, out, keep=lambda name: True, written=again) == second and again == []
    fragment = next(rel for rel in second if rel.startswith("fragment/"))
    (out / fragment).write_bytes(compress(b"something else"))  # a name taken by other content is written again
    assert write_index(changed, LANGUAGE, out, keep=lambda name: not name.startswith("index/"), written=again) == second
    assert again == sorted([fragment] + [rel for rel in second if rel.startswith("index/")])
    assert decoded(out) == decoded(tmp_path / "fresh")


# ---- the reader alone


def test_record_is_small_picklable_and_has_the_fragment_as_pagefind_writes_it():
    html = page('<h2 id="x">Heading</h2><p>Some words, some café.</p>', attrs=' data-pagefind-filter="kind:Story"')
    record = read_page(html.encode(), "/a/", LANGUAGE)
    assert pickle.loads(pickle.dumps(record)) == record
    assert record.fragment.startswith(
        b'{"url":"/a/","content":"Heading. Some words, some caf\xc3\xa9.","word_count":5,')
    assert orjson.loads(record.fragment)["anchors"] == [{"element": "h2", "id": "x", "text": "Heading", "location": 0}]
    assert record.filters == {"kind": ["Story"]}
    assert record.words.words.split("\n") == ["some", "word", "head", "t"]
    assert [(v.word, v.form) for v in record.variants] == [("cafe", "café")]
    assert len(pickle.dumps(record)) < 2 * len(record.fragment) + 1000


def test_addresses_are_pagefinds():
    assert page_url("stories/x/index.html") == "/stories/x/"
    assert page_url("index.html") == "/"
    assert page_url("about.html") == "/about.html"
    assert page_url("a/index.htm") == "/a/index.htm"


def test_read_page_needs_a_body_unless_the_whole_page_is_asked_for():
    assert read_page(b"<html><body><p>No mark</p></body></html>", "/x/") is None
    assert read_page(b"<p>No html element</p>", "/x/") is None
    assert read_page(b"<p>No html element</p>", "/x/", whole=True) is None
    record = read_page(b"<html><body><nav>Nav</nav><p>No mark</p></body></html>", "/x/", whole=True)
    assert record.whole and orjson.loads(record.fragment)["content"] == "No mark."
    marked = page("<p>Marked</p>")
    assert read_page(marked, "/x/", LANGUAGE, whole=True) == read_page(marked, "/x/", LANGUAGE)
    assert not read_page(marked, "/x/", LANGUAGE).whole


def test_words_are_stemmed_as_pagefind_stems_them():
    """PyStemmer's English is Pagefind's (Snowball 3.0); a few words where stemmers are known to differ."""
    words = ["generously", "communities", "skies", "dying", "news", "proceeding", "succeeded", "inning", "earring",
             "cosmos", "gently", "arsenal", "generate", "ugly", "singly", "andes", "lying", "howe", "atlantic"]
    stem = search_words.vocabulary_for(LANGUAGE).stem
    assert [stem(w) for w in words] == ["generous", "communiti", "sky", "die", "news", "proceed", "succeed", "inning",
                                        "earring", "cosmos", "gentl", "arsenal", "generat", "ugli", "singl", "andes",
                                        "lie", "howe", "atlant"]


def test_search_code_is_taken_once_from_the_binary(tmp_path: Path):
    first = copy_search_code(tmp_path / "a", LANGUAGE, tmp_path / "cache")
    second = copy_search_code(tmp_path / "b", LANGUAGE, tmp_path / "cache")
    assert first == second == sorted(SEARCH_CODE)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    assert not set(search_code.UNUSED) & set(first)
