"""The word index of a Pagefind 1.5.2 index before it is cut into chunks: for every word, its entry on each page
that has it, page after page (index/mod.rs: the pages' word maps merged in page order, each page number
written as the difference from the previous one). search_bundle.py cuts it into the index files.

The table is kept between builds (in search.py's record), so that a page edited changes only its own entries:
`put_page` takes a page's entries out and puts its new ones in, where the merge would have put them, and
`renumbered` follows pages that came or went. Either gives the bytes a merge of all the pages afresh gives.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from .search_cbor import cbor_array, cbor_ints, cbor_text, cbor_uint
from .search_reader import PageRecord

__all__ = ["Postings", "WordTable", "page_words"]

_HEADS = [b"\x83" + cbor_uint(n) for n in range(4096)]


def _head(difference: int) -> bytes:
    """The start of an entry: an array of three (page difference, locations, meta locations)."""
    return _HEADS[difference] if difference < 4096 else b"\x83" + cbor_uint(difference)


class Postings:
    """One word's (or one of its written forms') entries, one for each page that has it, in page order.

    `data` holds the entries in CBOR one after another, each [page difference, locations, meta locations];
    `pages` the page of each entry, `lengths` its length in bytes, `sizes` for a word what the entry weighs when
    the index is cut in chunks (its locations, plus one), and for a written form its place among the forms the
    page gives the word (which orders the forms as the merge meets them)."""

    __slots__ = ("data", "pages", "lengths", "sizes")

    def __init__(self) -> None:
        self.data = bytearray()
        self.pages = array("I")
        self.lengths = array("I")
        self.sizes = array("I")

    def __getstate__(self):
        return self.data, self.pages, self.lengths, self.sizes

    def __setstate__(self, state) -> None:
        self.data, self.pages, self.lengths, self.sizes = state

    def __len__(self) -> int:
        return len(self.pages)

    def append(self, page: int, body: bytes, size: int = 0) -> None:
        """An entry for a page after every page it has."""
        head = _head(page - (self.pages[-1] if self.pages else 0))
        self.data += head
        self.data += body
        self.pages.append(page)
        self.lengths.append(len(head) + len(body))
        self.sizes.append(size)

    def put(self, page: int, body: bytes | None, size: int = 0) -> None:
        """The page's entry made `body` (None: the page has none), where a merge in page order puts it."""
        pages, lengths = self.pages, self.lengths
        i = bisect_left(pages, page)
        has = i < len(pages) and pages[i] == page
        if body is None and not has:
            return
        before = pages[i - 1] if i else 0
        start = sum(lengths[:i])
        end = start + lengths[i] if has else start  # data[start:end] is the page's entry
        after = i + 1 if has else i  # the next page's entry: its page is written as a difference
        was, now = (page if has else before), (page if body is not None else before)
        if after < len(pages) and was != now:
            old_head, new_head = _head(pages[after] - was), _head(pages[after] - now)
            self.data[end:end + len(old_head)] = new_head
            lengths[after] += len(new_head) - len(old_head)
        if body is None:
            self.data[start:end] = b""
            del pages[i], lengths[i], self.sizes[i]
            return
        entry = _head(page - before) + body
        self.data[start:end] = entry
        if has:
            lengths[i], self.sizes[i] = len(entry), size
        else:
            pages.insert(i, page)
            lengths.insert(i, len(entry))
            self.sizes.insert(i, size)

    def entries(self) -> Iterator[tuple[int, bytes, int]]:
        """(page, body, size) of each entry."""
        data = self.data
        start = 0
        before = 0
        for page, length, size in zip(self.pages, self.lengths, self.sizes):
            skip = len(_head(page - before))
            yield page, bytes(data[start + skip:start + length]), size
            start += length
            before = page


def page_words(record: PageRecord, fields: dict[str, int]) -> tuple[dict[str, tuple[bytes, int]],
                                                                      dict[str, dict[str, bytes]]]:
    """What a page adds to the table: for each of its words, the body of its entry (locations, meta locations)
    and its size; for each word it has in written forms (with diacritics), the body of each form's entry, in
    the order the merge meets them. `fields` numbers the meta fields of the whole site."""
    meta_locs, meta_variants = _meta_locations(record, fields)
    packed = record.words
    locs = packed.locs
    words: dict[str, tuple[bytes, int]] = {}
    start = 0
    if packed.words:
        for word, end, size in zip(packed.words.split("\n"), packed.ends, packed.sizes):
            words[word] = (locs[start:end], size)
            start = end
    for word, meta in meta_locs.items():
        body, size = words[word]
        words[word] = (body[:-1] + cbor_ints(meta), size + len(meta))
    return words, _forms(record, meta_variants)


def _forms(record: PageRecord, meta_variants: dict) -> dict[str, dict[str, bytes]]:
    """For each word the page has in written forms, the body of each form's entry, in the order the merge
    meets them: those of its text, then those only in its meta (a form in both has both)."""
    if not record.variants and not meta_variants:
        return {}
    forms_of: dict[str, dict[str, list]] = {}
    for variant in record.variants:
        forms_of.setdefault(variant.word, {})[variant.form] = [cbor_ints(variant.locs), b"\x80"]
    for (word, form), meta in meta_variants.items():
        forms = forms_of.setdefault(word, {})
        if form in forms:
            forms[form][1] = cbor_ints(meta)
        else:
            forms[form] = [b"\x80", cbor_ints(meta)]
    return {word: {form: locs + meta for form, (locs, meta) in forms.items()} for word, forms in forms_of.items()}


class WordTable:
    """Every word of the indexed pages with its entries (`words`), and the entries of its written forms with
    diacritics (`variants`: word -> form -> entries). `fields` numbers the meta fields over the whole site (a
    page's meta locations name them by number), fixed when the table is made."""

    __slots__ = ("words", "variants", "fields")

    def __init__(self, fields: Iterable[str]) -> None:
        self.words: dict[str, Postings] = {}
        self.variants: dict[str, dict[str, Postings]] = {}
        self.fields = {name: i for i, name in enumerate(sorted(set(fields)))}

    def __getstate__(self):
        return self.words, self.variants, self.fields

    def __setstate__(self, state) -> None:
        self.words, self.variants, self.fields = state

    @classmethod
    def of(cls, records: list[PageRecord]) -> WordTable:
        """The table of these pages, numbered in this order."""
        table = cls(name for record in records for name in record.meta)
        for page, record in enumerate(records):
            table.add_page(page, record)
        return table

    def add_page(self, page: int, record: PageRecord) -> None:
        """A page after every page of the table (Postings.append, written out: it runs for every word of every
        page of a cold build)."""
        meta_locs, meta_variants = _meta_locations(record, self.fields)
        table = self.words
        get = table.get
        packed = record.words
        locs = packed.locs
        start = 0
        if packed.words:
            for word, end, size in zip(packed.words.split("\n"), packed.ends, packed.sizes):
                found = get(word)
                if found is None:
                    found = table[word] = Postings()
                pages = found.pages
                difference = page - pages[-1] if pages else page
                head = _HEADS[difference] if difference < 4096 else _head(difference)
                data = found.data
                data += head
                data += locs[start:end]
                pages.append(page)
                found.lengths.append(len(head) + end - start)
                found.sizes.append(size)
                start = end
        for word, meta in meta_locs.items():  # their entries end with empty meta locations: put right
            found = table[word]
            encoded = cbor_ints(meta)
            found.data[-1:] = encoded
            found.lengths[-1] += len(encoded) - 1
            found.sizes[-1] += len(meta)
        if record.variants or meta_variants:
            for word, forms in _forms(record, meta_variants).items():
                if word not in table:
                    table[word] = Postings()
                known = self.variants.setdefault(word, {})
                for rank, (form, body) in enumerate(forms.items()):
                    entries = known.get(form)
                    if entries is None:
                        entries = known[form] = Postings()
                    entries.append(page, body, rank)

    def put_page(self, page: int, old_words: str, old_forms: Iterable[str], record: PageRecord | None) -> None:
        """Page `page`'s entries made those of `record` (None: it has none). `old_words` are the words it has
        entries for, one a line, and `old_forms` its written forms, as "word\\nform" (search_bundle.PageSummary
        of the record it had)."""
        words, variants = page_words(record, self.fields) if record is not None else ({}, {})
        had = set(old_words.split("\n")) if old_words else set()
        had_forms = {tuple(key.split("\n")) for key in old_forms}
        for word in had | words.keys():
            entry = words.get(word)
            found = self.words.get(word)
            if found is None:
                found = self.words[word] = Postings()
            found.put(page, *entry) if entry else found.put(page, None)
        forms_now = {(word, form): (rank, body) for word, forms in variants.items()
                     for rank, (form, body) in enumerate(forms.items())}
        for word, form in had_forms | forms_now.keys():
            if word not in self.words:
                self.words[word] = Postings()
            known = self.variants.setdefault(word, {})
            entries = known.get(form)
            if entries is None:
                entries = known[form] = Postings()
            now = forms_now.get((word, form))
            entries.put(page, now[1], now[0]) if now else entries.put(page, None)
            if not entries:
                del known[form]
            if not known:
                del self.variants[word]
        for word in had | words.keys() | {word for word, _ in had_forms | forms_now.keys()}:
            if word in self.words and not self.words[word] and word not in self.variants:
                del self.words[word]

    def renumbered(self, numbers: dict[int, int]) -> WordTable:
        """The table with page n numbered numbers[n], and the pages not in `numbers` left out (the numbering
        must keep the pages' order)."""
        table = WordTable(())
        table.fields = self.fields
        for word, found in self.words.items():
            table.words[word] = _renumbered(found, numbers)
        for word, forms in self.variants.items():
            kept = {form: _renumbered(entries, numbers) for form, entries in forms.items()}
            kept = {form: entries for form, entries in kept.items() if entries}
            if kept:
                table.variants[word] = kept
        table.words = {word: found for word, found in table.words.items() if found or word in table.variants}
        return table

    def sizes(self) -> dict[str, int]:
        """What each word weighs when the index is cut in chunks."""
        return {word: sum(found.sizes) for word, found in self.words.items()}

    def encode(self, word: str) -> bytes:
        """index_words.rs PackedWord [word, pages, additional_variants] in CBOR; the forms in the order the
        merge meets them (by their first page, then their place on it)."""
        found = self.words[word]
        forms = sorted(self.variants.get(word, {}).items(), key=lambda item: (item[1].pages[0], item[1].sizes[0]))
        return b"".join((b"\x83", cbor_text(word), cbor_array(len(found)), found.data, cbor_array(len(forms)),
                         *(b"\x82" + cbor_text(form) + cbor_array(len(entries)) + bytes(entries.data)
                           for form, entries in forms)))


def _renumbered(found: Postings, numbers: dict[int, int]) -> Postings:
    made = Postings()
    for page, body, size in found.entries():
        new = numbers.get(page)
        if new is not None:
            made.append(new, body, size)
    return made


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
