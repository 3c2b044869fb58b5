"""What Pagefind 1.5.2 reads from one written page, in Python: the input of search_writer.py.

`read_page(html, url)` does for one page what Pagefind's "fossicking" does (pagefind/src/fossick/: parser.rs
reads the HTML, mod.rs turns the text into words with positions and weights, splitting.rs makes the words
it indexes): it returns a `PageRecord` holding the page's fragment (what `fragment/*.pf_fragment` holds, as
Pagefind serialises it), its filters and meta, and its words packed the way the index stores them, or None
for a page without a `data-pagefind-body` element (unless the whole page is asked for, as Pagefind indexes
it on a site without that element). It is a pure function of its arguments.

The work is done by:
    search_markup.py    HTML as lol_html tokenises it
    search_elements.py  what parser.rs does with each element (text, filters, meta, anchors, weights)
    search_html.py      the reader that drives them over a page, passing over what Pagefind throws away
    search_text.py      whitespace, entities and Pagefind's markers in the text
    search_unicode.py   the Unicode tables (alphanumerics, sentence ends, graphemes, emoji)
    search_words.py     splitting.rs: the words of a token, stemmed
    search_digest.py    mod.rs parse_digest: words with positions and weights, anchors, meta words
    search_pack.py      the words' locations packed as the index stores them
    search_cbor.py      CBOR
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson

from .search_digest import (
    Anchor,
    Digest,
    MetaWord,
    Variant,
    parse_digest,
    parse_meta_words,
)
from .search_elements import Parsed
from .search_html import read_html
from .search_pack import PackedWords, pack_words
from .search_words import vocabulary_for

__all__ = ["Anchor", "MetaWord", "PackedWords", "PageRecord", "Variant", "page_url", "read_page"]


@dataclass(frozen=True, slots=True)
class PageRecord:
    """What Pagefind keeps of one page (fossick/mod.rs FossickedData), in a small, picklable form.

    `fragment` is the page's fragment exactly as Pagefind serialises it (JSON of url, content, word_count,
    filters, meta and anchors). `language` is the language its words were stemmed in: the one asked for
    (Pagefind's --force-language), else the page's <html lang> in lower case, "unknown" without one. `whole`
    when it is the record of a whole page without a data-pagefind-body element (see read_page)."""
    url: str
    fragment: bytes
    word_count: int
    filters: dict[str, list[str]]
    meta: dict[str, str]
    sort: dict[str, str]
    language: str
    words: PackedWords
    variants: tuple[Variant, ...]
    meta_words: tuple[MetaWord, ...]
    whole: bool = False


_MARK = re.compile("data-pagefind-body", re.IGNORECASE)  # (attribute names are not case-sensitive in HTML)
_MARK_BYTES = re.compile(b"data-pagefind-body", re.IGNORECASE)


def page_url(path: str, keep_index_url: bool = False) -> str:
    """The address Pagefind gives a page from its '/'-separated path in the site (fossick/mod.rs
    build_url): "stories/x/index.html" is "/stories/x/"."""
    if not keep_index_url:
        if path.endswith("/index.html"):
            path = path[:-10]
        elif path == "index.html":
            path = ""
    return "/" + path


def read_page(html: bytes | str, url: str, language: str | None = None, whole: bool = False) -> PageRecord | None:
    """What Pagefind reads from a page: None when it has no word to index, or no `data-pagefind-body`
    element (Pagefind leaves such a page out when any page of the site has one) and not `whole`. `language`,
    when given, is the language its words are stemmed in (Pagefind's --force-language), else the page's own.

    With `whole`, a page without a data-pagefind-body element gives the record Pagefind makes of it on a
    site where no page has one: that of its whole <html> (less what Pagefind never indexes: <head>, <nav>,
    <footer>, <form>, <script>..., and what data-pagefind-ignore leaves out); its `whole` is True. So a site
    is read with whole=True once, and if any record has whole=False (a page has the element), the records
    with whole=True are left out, as Pagefind leaves those pages out. (A page with the element but no word
    to index gives None either way: the site would be taken for one without.)"""
    if not whole and not (_MARK_BYTES if isinstance(html, (bytes, bytearray)) else _MARK).search(html):
        return None  # no element can have the attribute (a listing): a glance is enough
    text = html.decode("utf-8", "replace") if isinstance(html, (bytes, bytearray)) else html
    parsed = read_html(text, whole)
    if not parsed.has_body and not whole:
        return None
    language = (language or parsed.language).lower()
    vocabulary = vocabulary_for(language)
    digest = parse_digest(parsed.digest, parsed.words, parsed.anchor_content, vocabulary)
    if digest is None:
        return None
    meta_words = parse_meta_words(parsed.meta, vocabulary)
    return PageRecord(url=url, fragment=_fragment(url, digest, parsed), word_count=digest.word_count,
                      filters=parsed.filters, meta=parsed.meta, sort=parsed.sort, language=language,
                      words=pack_words(digest.groups, meta_words, digest.word_count), variants=digest.variants,
                      meta_words=meta_words, whole=not parsed.has_body)


def _fragment(url: str, digest: Digest, parsed: Parsed) -> bytes:
    """fragments/mod.rs PageFragmentData as serde_json writes it (keys in this order, maps sorted, no spaces,
    text as it is but for the escapes JSON needs). Copied out of orjson's result, which keeps three times the
    memory it needs."""
    data = orjson.dumps({
        "url": url, "content": digest.content, "word_count": digest.word_count,
        "filters": parsed.filters, "meta": parsed.meta,
        "anchors": [{"element": a.element, "id": a.id, "text": a.text, "location": a.location}
                    for a in digest.anchors]})
    return bytes(memoryview(data))
