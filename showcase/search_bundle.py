"""What the files of a Pagefind 1.5.2 index hold, before compression, for the pages search_reader.py has
read (pagefind/src/index/mod.rs build_indexes): a fragment per page, the word index in chunks, a file per
filter, and the metadata that lists them; each named by the hash of its content as Pagefind names it.
search_writer.py writes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from .search_cbor import cbor_array, cbor_ints, cbor_strings, cbor_text, cbor_uint
from .search_code import PAGEFIND_VERSION
from .search_reader import PageRecord
from .search_table import WordTable

INDEX_CHUNK_SIZE = 20_000  # options.rs default_index_chunk_size: locations (plus one a page) in an index chunk


def full_hash(data: bytes) -> str:
    """utils.rs full_hash: SHA-1, each byte in hexadecimal without its leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


class PageSummary(NamedTuple):
    """What the index files other than the word index need of a page, and what the page has in the word
    table (kept between builds, so that only the pages that changed are read again)."""
    fragment: str  # the full hash of its fragment
    word_count: int
    filters: dict[str, list[str]]
    sort: dict[str, str]
    meta: tuple[str, ...]  # the names of its meta fields
    whole: bool  # read whole: it has no data-pagefind-body element (see search_reader.read_page)
    words: str  # its words in the table, one a line
    forms: tuple[str, ...]  # its written forms in the table, as "word\nform"


def summary(record: PageRecord, fragment: str | None = None) -> PageSummary:
    """The page's summary; `fragment`: the full hash of its fragment, where it is known already."""
    forms = {f"{v.word}\n{v.form}" for v in record.variants}
    forms.update(f"{m.word}\n{m.form}" for m in record.meta_words if m.form is not None)
    return PageSummary(fragment or full_hash(record.fragment), record.word_count, record.filters, record.sort,
                       tuple(sorted(record.meta)), record.whole, record.words.words, tuple(sorted(forms)))


@dataclass(slots=True)
class Bundle:
    """The index files of one language (index/mod.rs PagefindIndexes): their content before compression, by
    path in the bundle (`files`; the fragments compressed already, and those of pages not read again are not at
    hand: those files are as the last build wrote them), the full hash of every file's content (`hashes`), the name of the metadata
    file (without "pagefind." and ".pf_meta"), the number of pages."""
    language: str
    files: dict[str, bytes] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    meta_name: str = ""
    page_count: int = 0


def bundle_of(pages: list[PageSummary], table: WordTable, language: str, fragments: dict[int, bytes]) -> Bundle:
    """The index files of these pages (in this order) whose words `table` holds; `fragments` are the fragment
    files at hand, by page number, already compressed (search_writer.compress: they are compressed where the
    pages are read, in the worker processes)."""
    bundle = Bundle(language=language, page_count=len(pages))
    names = fragment_names([page.fragment for page in pages], language)
    for number, (page, name) in enumerate(zip(pages, names)):
        rel = fragment_path(name)
        bundle.hashes[rel] = page.fragment
        if number in fragments:
            bundle.files[rel] = fragments[number]
    filters = _filters(pages, language, bundle)
    chunks = _word_chunks(table, language, bundle)
    meta_fields = sorted({name for page in pages for name in page.meta})
    meta = b"".join((
        b"\x86", cbor_text(PAGEFIND_VERSION),
        cbor_array(len(pages)), *(b"\x82" + cbor_text(name) + cbor_uint(page.word_count)
                                  for name, page in zip(names, pages)),
        cbor_array(len(chunks)), *(b"\x83" + cbor_text(a) + cbor_text(b) + cbor_text(h) for a, b, h in chunks),
        cbor_array(len(filters)), *(b"\x82" + cbor_text(name) + cbor_text(h) for name, h in filters),
        _sorts(pages), cbor_strings(meta_fields)))
    bundle.meta_name = _meta_name(meta, language)
    _add(bundle, f"pagefind.{bundle.meta_name}.pf_meta", meta)
    return bundle


def _add(bundle: Bundle, rel: str, data: bytes, digest: str | None = None) -> None:
    bundle.files[rel] = data
    bundle.hashes[rel] = digest or full_hash(data)


def _meta_name(meta: bytes, language: str) -> str:
    """The metadata file's name: the language and the first len(language) + 8 characters of its hash
    (index/mod.rs)."""
    length = len(language) + 8
    return f"{language}_{full_hash(meta)[:length]}"


def _short_name(language: str, digest: str, taken, step: int) -> str:
    """A file's name: the language and the first 7 characters of its hash, more while that name is taken
    (`step` more at a time: 1 for fragments and filters, 2 for index chunks, as index/mod.rs does)."""
    name = f"{language}_{digest}"
    length = len(language) + 8
    while name[:length] in taken and length < len(name):
        length = min(length + step, len(name))
    return name[:length]


def fragment_path(name: str) -> str:
    """A fragment file's path in the bundle, from its name (see fragment_names)."""
    return f"fragment/{name}.pf_fragment"


def fragment_names(digests: list[str], language: str) -> list[str]:
    """The fragment files' names, from the full hashes of the pages' fragments in page order (the first page
    keeps the shorter name when two share a start; pages with the same fragment share its file)."""
    names: dict[str, str] = {}
    listed = []
    for digest in digests:
        name = f"{language}_{digest}"[:len(language) + 8]
        while name in names and names[name] != digest:
            name = f"{language}_{digest}"[:len(name) + 1]
        names[name] = digest
        listed.append(name)
    return listed


def _filters(records: list[PageSummary], language: str, bundle: Bundle) -> list[tuple[str, str]]:
    """The filter files, each [filter, [[value, [page, ...]], ...]] with the values sorted, and the filters
    sorted by name (Pagefind writes both in hash-map order, which changes from run to run); returns (filter,
    file name) of each."""
    values: dict[str, dict[str, list[int]]] = {}
    for page, record in enumerate(records):
        for name, found in record.filters.items():
            by_value = values.setdefault(name, {})
            for value in found:
                by_value.setdefault(value, []).append(page)
    listed = []
    taken: set[str] = set()
    for name in sorted(values):
        data = b"\x82" + cbor_text(name) + cbor_array(len(values[name])) + b"".join(
            b"\x82" + cbor_text(value) + cbor_ints(pages) for value, pages in sorted(values[name].items()))
        digest = full_hash(data)
        short = _short_name(language, digest, taken, 1)
        taken.add(short)
        _add(bundle, f"filter/{short}.pf_filter", data, digest)
        listed.append((name, short))
    return listed


def _sorts(records: list[PageSummary]) -> bytes:
    """index/mod.rs: for each sort key, the pages that have it, sorted by its value (as numbers when every
    value is one). Pagefind lists the keys in hash-map order; here they are sorted."""
    keys = sorted({key for record in records for key in record.sort})
    encoded = [cbor_array(len(keys))]
    for key in keys:
        found = [(record.sort[key], page) for page, record in enumerate(records) if key in record.sort]
        numbers = [_sort_number(value) for value, _ in found]
        if all(n is not None for n in numbers):
            order = [page for _, page in sorted(zip(numbers, (p for _, p in found)), key=lambda item: item[0])]
        else:
            order = [page for _, page in sorted(found, key=lambda item: item[0])]
        encoded.append(b"\x82" + cbor_text(key) + cbor_ints(order))
    return b"".join(encoded)


def _sort_number(value: str) -> float | None:
    """A sort value as a number (index/mod.rs parses it as an i32 or f32 with lexical_core; Python's float()
    takes a few spellings more)."""
    try:
        return float(value)
    except ValueError:
        return None


def _word_chunks(table: WordTable, language: str, bundle: Bundle) -> list[tuple[str, str, str]]:
    """The word index, in chunks of about INDEX_CHUNK_SIZE locations (index/mod.rs chunk_index), each a
    file [[word, pages, variants], ...]; returns each chunk's (from, to, file name) as the metadata lists
    them (chunk_meta: the shortest prefixes that tell neighbouring chunks apart)."""
    chunks: list[list[str]] = []
    chunk: list[str] = []
    size = 0
    sizes = table.sizes()
    for word in sorted(sizes):
        size += sizes[word]
        chunk.append(word)
        if size >= INDEX_CHUNK_SIZE:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    taken: set[str] = set()
    listed = []
    for (first, last), chunk in zip(_chunk_ranges(chunks), chunks):
        data = b"\x81" + cbor_array(len(chunk)) + b"".join(map(table.encode, chunk))
        digest = full_hash(data)
        short = _short_name(language, digest, taken, 2)
        taken.add(short)
        _add(bundle, f"index/{short}.pf_index", data, digest)
        listed.append((first, last, short))
    return listed


def _chunk_ranges(chunks: list[list[str]]) -> list[tuple[str, str]]:
    """index/mod.rs chunk_meta and get_prefixes."""
    ranges = [[chunk[0], chunk[-1]] for chunk in chunks]
    for before, after in pairwise(ranges):
        a, b = before[1], after[0]
        common = 0
        for x, y in zip(b, a):
            if x != y:
                break
            common += 1
        if a[:common + 1] >= before[0]:
            before[1] = a[:common + 1]
        after[0] = b[:common + 1]
    return [(a, b) for a, b in ranges]
