"""What the files of a Pagefind 1.5.2 index hold, before compression, for the pages search_reader.py has
read (pagefind/src/index/mod.rs build_indexes): a fragment per page, the word index in chunks, a file per
filter, and the metadata that lists them; each named by the hash of its content as Pagefind names it.
search_writer.py writes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import pairwise

from .search_cbor import cbor_array, cbor_ints, cbor_strings, cbor_text, cbor_uint
from .search_code import PAGEFIND_VERSION
from .search_reader import PageRecord

INDEX_CHUNK_SIZE = 20_000  # options.rs default_index_chunk_size: locations (plus one a page) in an index chunk


def full_hash(data: bytes) -> str:
    """utils.rs full_hash: SHA-1, each byte in hexadecimal without its leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


@dataclass(slots=True)
class Bundle:
    """The index files of one language (index/mod.rs PagefindIndexes): their content before compression, by
    path in the bundle; the name of the metadata file (without "pagefind." and ".pf_meta"); the number of
    pages."""
    language: str
    files: dict[str, bytes] = field(default_factory=dict)
    meta_name: str = ""
    page_count: int = 0


def build_index(records: list[PageRecord], language: str) -> Bundle:
    """index/mod.rs build_indexes: the fragments, filters, word index chunks and metadata of one language."""
    bundle = Bundle(language=language, page_count=len(records))
    pages = _fragments(records, language, bundle.files)
    filters = _filters(records, language, bundle.files)
    chunks = _word_chunks(records, language, bundle.files)
    meta_fields = sorted({name for record in records for name in record.meta})
    meta = b"".join((
        b"\x86", cbor_text(PAGEFIND_VERSION),
        cbor_array(len(pages)), *(b"\x82" + cbor_text(name) + cbor_uint(count) for name, count in pages),
        cbor_array(len(chunks)), *(b"\x83" + cbor_text(a) + cbor_text(b) + cbor_text(h) for a, b, h in chunks),
        cbor_array(len(filters)), *(b"\x82" + cbor_text(name) + cbor_text(h) for name, h in filters),
        _sorts(records), cbor_strings(meta_fields)))
    bundle.meta_name = _meta_name(meta, language)
    bundle.files[f"pagefind.{bundle.meta_name}.pf_meta"] = meta
    return bundle


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


def _fragments(records: list[PageRecord], language: str, files: dict[str, bytes]) -> list[tuple[str, int]]:
    """The fragment files, named by the hash of their JSON (the first page keeps the shorter name when two
    share a start); returns (name, word count) of each page, in order."""
    names: dict[str, str] = {}
    pages = []
    for record in records:
        digest = full_hash(record.fragment)
        name = f"{language}_{digest}"[:len(language) + 8]
        while name in names and names[name] != digest:
            name = f"{language}_{digest}"[:len(name) + 1]
        names[name] = digest
        files[f"fragment/{name}.pf_fragment"] = record.fragment
        pages.append((name, record.word_count))
    return pages


def _filters(records: list[PageRecord], language: str, files: dict[str, bytes]) -> list[tuple[str, str]]:
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
        short = _short_name(language, full_hash(data), taken, 1)
        taken.add(short)
        files[f"filter/{short}.pf_filter"] = data
        listed.append((name, short))
    return listed


def _sorts(records: list[PageRecord]) -> bytes:
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


def _word_chunks(records: list[PageRecord], language: str, files: dict[str, bytes]) -> list[tuple[str, str, str]]:
    """The word index, in chunks of about INDEX_CHUNK_SIZE locations (index/mod.rs chunk_index), each a
    file [[word, pages, variants], ...]; returns each chunk's (from, to, file name) as the metadata lists
    them (chunk_meta: the shortest prefixes that tell neighbouring chunks apart)."""
    words = _Words(records)
    chunks: list[list[str]] = []
    chunk: list[str] = []
    size = 0
    sizes = words.sizes
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
        data = b"\x81" + cbor_array(len(chunk)) + b"".join(map(words.encode, chunk))
        short = _short_name(language, full_hash(data), taken, 2)
        taken.add(short)
        files[f"index/{short}.pf_index"] = data
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


class _Words:
    """Every word of every page with its page entries, in page order (index/mod.rs: the pages' word maps
    merged page after page, page numbers written as the difference from the previous one).

    `table` holds for each word [its page entries ([page difference, locations, meta locations] in CBOR)
    one after another, its last page, how many entries, their weight in a chunk (locations and meta
    locations, plus one an entry)]; `variants` those of its forms with diacritics, in the order met."""

    def __init__(self, records: list[PageRecord]) -> None:
        self.table: dict[str, list] = {}
        self.variants: dict[str, dict[str, list]] = {}
        self.heads = [b"\x83" + cbor_uint(n) for n in range(len(records) + 1)]
        self.fields = {name: i for i, name in enumerate(sorted({n for r in records for n in r.meta}))}
        for page, record in enumerate(records):
            self._add_page(page, record)

    def _add_page(self, page: int, record: PageRecord) -> None:
        """A page's words (their entries end with empty meta locations, put right for words of the meta)."""
        table = self.table
        get = table.get
        heads = self.heads
        packed = record.words
        locs = packed.locs
        start = 0
        if packed.words:
            for word, end, size in zip(packed.words.split("\n"), packed.ends, packed.sizes):
                found = get(word)
                if found is None:
                    found = table[word] = [bytearray(), 0, 0, 0]
                entries = found[0]
                entries += heads[page - found[1]]
                entries += locs[start:end]
                found[1] = page
                found[2] += 1
                found[3] += size
                start = end
        meta_locs, meta_variants = _meta_locations(record, self.fields)
        for word, meta in meta_locs.items():
            found = table[word]
            found[0][-1:] = cbor_ints(meta)
            found[3] += len(meta)
        if record.variants or meta_variants:
            self._add_variants(page, record, meta_variants)

    @property
    def sizes(self) -> dict[str, int]:
        return {word: found[3] for word, found in self.table.items()}

    def _add_variants(self, page: int, record: PageRecord, meta_variants: dict) -> None:
        """A page's locations of words written with diacritics: those of its text (by form), then those only
        in its meta; a form in both has both."""
        by_word: dict[str, dict[str, list]] = {}
        for variant in record.variants:
            by_word.setdefault(variant.word, {})[variant.form] = [cbor_ints(variant.locs), b"\x80"]
        for (word, form), meta in meta_variants.items():
            forms = by_word.setdefault(word, {})
            if form in forms:
                forms[form][1] = cbor_ints(meta)
            else:
                forms[form] = [b"\x80", cbor_ints(meta)]
        for word, forms in by_word.items():
            if word not in self.table:
                self.table[word] = [bytearray(), 0, 0, 0]
            known = self.variants.setdefault(word, {})
            for form, (locs, meta) in forms.items():
                entry = known.get(form)
                if entry is None:
                    entry = known[form] = [bytearray(), 0, 0]
                entry[0] += self.heads[page - entry[1]] + locs + meta
                entry[1] = page
                entry[2] += 1

    def encode(self, word: str) -> bytes:
        """index_words.rs PackedWord [word, pages, additional_variants] in CBOR."""
        entries, _, count, _ = self.table[word]
        variants = self.variants.get(word, {})
        return b"".join((b"\x83", cbor_text(word), cbor_array(count), entries, cbor_array(len(variants)),
                         *(b"\x82" + cbor_text(form) + cbor_array(n) + bytes(found)
                           for form, (found, _, n) in variants.items())))


def _meta_locations(record: PageRecord, fields: dict[str, int]) -> tuple[dict[str, list[int]], dict]:
    """index/mod.rs meta_positions_to_packed: for each word of the page's meta, its locations there: the
    field (-(field number + 1), numbered over the whole site) then positions as differences; words written
    with diacritics apart, by (word, form)."""
    plain: dict[str, list[tuple[int, int]]] = {}
    variants: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for item in record.meta_words:
        key = (fields[item.field], item.position)
        if item.form is None:
            plain.setdefault(item.word, []).append(key)
        else:
            variants.setdefault((item.word, item.form), []).append(key)
    return ({word: _packed_meta(found) for word, found in plain.items()},
            {key: _packed_meta(found) for key, found in sorted(variants.items())})


def _packed_meta(found: list[tuple[int, int]]) -> list[int]:
    locs: list[int] = []
    current = None
    last = 0
    for field_number, position in sorted(found):
        if field_number != current:
            locs.append(-field_number - 1)
            current, last = field_number, 0
        locs.append(position - last)
        last = position
    return locs
