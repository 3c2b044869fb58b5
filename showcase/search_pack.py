"""A page's words and their locations packed as Pagefind's index stores them (index/mod.rs
positions_to_packed_page), in CBOR, in little memory: what search_bundle.py joins page after page."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from itertools import accumulate

from .search_cbor import ARRAY, ENCODED, LIMIT, MARK, NOTHING, cbor_ints
from .search_digest import BODY_WEIGHT, MetaWord, packed_locations


@dataclass(frozen=True, slots=True)
class PackedWords:
    """The words of one page and their locations, packed for the index (index/mod.rs
    positions_to_packed_page), in little memory.

    `words` holds the words separated by newlines (a word never holds whitespace). For the i-th word,
    `locs[ends[i-1]:ends[i]]` is the end of its page entry in CBOR: the array of its locations on the page,
    then the empty array of its meta locations. The locations are its positions sorted by weight then
    position, each run of one weight started by -(weight + 1) and its first position, then the distance
    from the previous position (a run of weight 25 first has no mark). A word found only in the page's
    meta has no locations. `sizes[i]` is the number of locations plus one, what the page entry weighs
    when the index is cut in chunks."""
    words: str
    locs: bytes
    ends: array
    sizes: array


_BODY_MARK = MARK + BODY_WEIGHT
# The end of the page entry of a word found once, at a weight of 1 (24), by its position
_SINGLE = [ENCODED[ARRAY + 2] + ENCODED[_BODY_MARK] + ENCODED[n] + b"\x80" for n in range(LIMIT)]


def pack_words(groups: dict[int, dict[str, list[int]]], meta_words: tuple[MetaWord, ...],
               word_count: int) -> PackedWords:
    """The page's words (found without diacritics in its text or its meta) and their CBOR locations: the
    lists of `groups` (see Digest) of each word one after another in the order of their weights, under the
    head of the array."""
    if word_count + 2 >= LIMIT:
        return _pack_large(groups, meta_words)
    codes = _merged(groups)
    for item in meta_words:
        if item.form is None and item.word not in codes:
            codes[item.word] = [0]
    sizes = array("I", map(len, codes.values()))
    if 25 in groups:
        for index, found in enumerate(codes.values()):
            if len(found) > 1 and found[1] == NOTHING:
                sizes[index] -= 1
    single, encoded = _SINGLE, ENCODED
    tails = []
    for found, size in zip(codes.values(), sizes):
        if size == 3 and found[1] == _BODY_MARK:
            tails.append(single[found[2]])
        else:
            found[0] = ARRAY + size - 1
            found.append(ARRAY)
            tails.append(b"".join([encoded[code] for code in found]))
    locs = b"".join(tails)
    ends = array("I", accumulate(map(len, tails)))
    return PackedWords(words="\n".join(codes), locs=locs, ends=ends, sizes=sizes)


def _weight_order(weight: int) -> int:
    """index/mod.rs positions_to_packed_page sorts locations by weight, 25 (a weight of about 1) first."""
    return 0 if weight == 25 else weight


def _merged(groups: dict[int, dict[str, list[int]]]) -> dict[str, list[int]]:
    """For each word, its lists of `groups` joined in the order of their weights (the mark of a first
    weight of 25 made nothing: the locations start at that weight)."""
    if 25 in groups:
        for found in groups[25].values():
            found[1] = NOTHING
    main = max(groups, key=lambda weight: len(groups[weight]))
    codes = dict(groups[main])
    for weight in sorted(groups, key=_weight_order, reverse=True):
        if _weight_order(weight) >= _weight_order(main):
            continue
        for word, found in groups[weight].items():
            known = codes.get(word)
            codes[word] = found if known is None else found + known[1:]
    for weight in sorted(groups, key=_weight_order):
        if _weight_order(weight) <= _weight_order(main):
            continue
        for word, found in groups[weight].items():
            known = codes.get(word)
            codes[word] = found if known is None else known + found[1:]
    if 0 in groups and 25 in groups:
        for word in groups[0].keys() & groups[25].keys():
            codes[word] = [0, *(v if v >= 0 else MARK - 1 - v for v in packed_locations(_pairs(word, groups)))]
    return codes


def _pack_large(groups: dict[int, dict[str, list[int]]], meta_words: tuple[MetaWord, ...]) -> PackedWords:
    """pack_words for a page of more words than the table of codes covers."""
    locs: dict[str, list[int]] = {}
    for words in groups.values():
        for word in words:
            if word not in locs:
                locs[word] = packed_locations(_pairs(word, groups))
    for item in meta_words:
        if item.form is None and item.word not in locs:
            locs[item.word] = []
    encoded = [cbor_ints(found) + b"\x80" for found in locs.values()]
    return PackedWords(words="\n".join(locs), locs=b"".join(encoded), ends=array("I", accumulate(map(len, encoded))),
                       sizes=array("I", (len(found) + 1 for found in locs.values())))


def _pairs(word: str, groups: dict[int, dict[str, list[int]]]) -> list[tuple[int, int]]:
    """(position, weight) of a word from its lists of distances."""
    pairs = []
    for weight, words in groups.items():
        found = words.get(word)
        if found:
            position = found[2]
            pairs.append((position, weight))
            for distance in found[3:]:
                position += distance
                pairs.append((position, weight))
    return pairs
