"""A page's text made words with positions and weights (fossick/mod.rs parse_digest), and the words of its
meta (parse_meta_words): Pagefind's markers in the text start and end weights (a weight of 1 is 24) and
place anchors; each word is looked up in the language's Vocabulary (search_words.py)."""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass

from .search_cbor import MARK
from .search_text import (
    ANCHOR_MARK,
    AUTO_WEIGHT_MARK,
    END_WEIGHT_MARK,
    WEIGHT_MARK,
    WS,
    WS_CHARS,
    normalize_content,
    split_whitespace,
)
from .search_words import Vocabulary

BODY_WEIGHT = 24  # fossick/mod.rs: weights are multiples of 24 (a weight of 1), at most 240
_FLOAT = re.compile(r"\A[+-]?(?:inf|infinity|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z", re.IGNORECASE)
_MARKER = re.compile(f"(___(?:PAGEFIND_ANCHOR|PAGEFIND_WEIGHT|PAGEFIND_AUTO_WEIGHT|END_PAGEFIND_WEIGHT)___[^{WS}]*)")
_ZWSP = "\u200b"


@dataclass(frozen=True, slots=True)
class Anchor:
    """An element with an id in the indexed content (fragments/mod.rs PageAnchorData)."""
    element: str
    id: str
    text: str
    location: int


@dataclass(frozen=True, slots=True)
class Variant:
    """Locations of a word on a page as written with diacritics (`form`), which the index keeps apart from
    the word without them (index/mod.rs `additional_variants`); `locs` as in PackedWords, as numbers."""
    word: str
    form: str
    locs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MetaWord:
    """A word of a meta value (fossick/mod.rs parse_meta_words): its field, by name, and its position in the
    value; `form` is the word as written when it had diacritics."""
    word: str
    form: str | None
    field: str
    position: int


@dataclass(slots=True)
class Digest:
    """fossick/mod.rs parse_digest: the content (the words joined by spaces), the number of words, the
    anchors, and where the words are. `groups[weight][word]` is a list of the positions of a word at a
    weight, written [last position, mark, first position, then each distance from the previous one] (the
    mark a code of ENCODED for -(weight + 1)); `variants` those of words written with diacritics."""
    content: str
    word_count: int
    anchors: list[Anchor]
    groups: dict[int, dict[str, list[int]]]
    variants: tuple[Variant, ...]


def parse_digest(digest: str, words: list[str] | None, anchor_content: dict[str, str],
                 vocabulary: Vocabulary) -> Digest | None:
    """The words of the page's text with their positions and weights, its content and its anchors; None
    when it has no word to index. `words`, when given, is `digest` split at its spaces."""
    stack = [BODY_WEIGHT]
    position = 0
    contents: list[str] = []
    anchors: list[Anchor] = []
    groups: dict[int, dict[str, list[int]]] = {}
    variants: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for tokens, marker in _segments(digest, words):
        if tokens:
            _index_tokens(tokens, position, stack[-1] if stack else 1, groups, variants, vocabulary)
            contents.append(" ".join(tokens))
            position += len(tokens)
        if marker:
            _marker(marker, position, stack, anchors, anchor_content)
    if not variants and not any(groups.values()):
        return None
    return Digest(content=" ".join(contents), word_count=max(position, 1), anchors=anchors,
                   groups=groups, variants=_variants(variants))


def _segments(digest: str, words: list[str] | None) -> list[tuple[list[str], str]]:
    """The words of the digest between Pagefind's markers, each run with the marker after it ("" for the
    last). A marker is a word that starts with one (mod.rs parse_digest); zero-width spaces are taken out
    of words, and words left empty dropped."""
    if words is None or _ZWSP in digest:
        parts = _split_markers(digest)
        found = []
        for index in range(0, len(parts), 2):
            tokens = split_whitespace(parts[index])
            if _ZWSP in parts[index]:
                tokens = [t for t in (t.replace(_ZWSP, "") for t in tokens) if t]
            found.append((tokens, parts[index + 1] if index + 1 < len(parts) else ""))
        return found
    if "___" not in digest:
        return [(words, "")]
    found = []
    last = index = offset = 0
    for match in _MARKER.finditer(digest):
        start = match.start()
        if start and digest[start - 1] != " ":
            continue
        index += digest.count(" ", offset, start)
        offset = start
        found.append((words[last:index], words[index]))
        last = index + 1
    found.append((words[last:], ""))
    return found


def _split_markers(digest: str) -> list[str]:
    """The text between Pagefind's markers, and the markers: [text, marker, text, ..., text]. A marker is
    a word that starts with one (mod.rs parse_digest)."""
    if "___" not in digest:
        return [digest]
    parts = _MARKER.split(digest)
    index = 1
    while index < len(parts):
        before = parts[index - 1]
        if before and before[-1] not in WS_CHARS:
            parts[index - 1: index + 2] = [before + parts[index] + parts[index + 1]]
        else:
            index += 2
    return parts


def _index_tokens(tokens: list[str], start: int, weight: int, groups: dict[int, dict[str, list[int]]],
                  variants: dict, vocabulary: Vocabulary) -> None:
    """Note the words of tokens that are at positions `start`, `start` + 1, ... and weigh `weight`: a
    compound word's parts weigh a share of it (mod.rs parse_digest)."""
    plain = groups.get(weight)
    if plain is None:
        plain = groups[weight] = {}
    mark = MARK + weight
    plain_get = plain.get
    for position, word in enumerate(map(vocabulary.simple.get, tokens), start):
        if word is not None:
            found = plain_get(word)
            if found is None:
                plain[word] = [position, mark, position]
            else:
                found.append(position - found[0])
                found[0] = position
            continue
        token = tokens[position - start]
        entries = vocabulary.lookup(token)
        if not entries:
            continue
        compound = sum(1 for entry in entries if entry[2])
        partial = max(weight // min(compound, 255), 1) if compound and weight > 0 else 0
        for word, form, is_part in entries:
            at_weight = partial if is_part else weight
            if form is not None:
                variants.setdefault((word, form), []).append((position, at_weight))
                continue
            same = groups.get(at_weight)
            if same is None:
                same = groups[at_weight] = {}
            found = same.get(word)
            if found is None:
                same[word] = [position, MARK + at_weight, position]
            else:
                found.append(position - found[0])
                found[0] = position


def _marker(token: str, position: int, stack: list[int], anchors: list[Anchor],
            anchor_content: dict[str, str]) -> None:
    """A marker Pagefind's reader put in the text: an anchor, or the start or end of a weight."""
    if token.startswith(ANCHOR_MARK):
        element, colon, anchor_id = token.replace(ANCHOR_MARK, "").partition(":")
        if colon:
            text = normalize_content(normalize_content(anchor_content.get(anchor_id, "")))
            _, colon, element_id = anchor_id.partition(":")
            if colon:
                anchors.append(Anchor(element, element_id, text, position))
    elif token.startswith(WEIGHT_MARK):
        weight = _parse_weight(token.replace(WEIGHT_MARK, ""))
        weight = 1.0 if weight is None else weight
        if weight <= 0.0:
            stack.append(0)
        else:
            stack.append(max(_as_u8(_f32(min(max(weight, 0.0), 10.0) * 24.0)), 1))
    elif token.startswith(AUTO_WEIGHT_MARK):
        if len(stack) == 1:
            weight = _parse_weight(token.replace(AUTO_WEIGHT_MARK, ""))
            weight = 1.0 if weight is None else weight
            stack.append(_as_u8(_f32(min(max(weight, 0.0), 10.0) * 24.0)))
        else:
            stack.append(stack[-1] if stack else 0)
    elif token.startswith(END_WEIGHT_MARK) and stack:
        stack.pop()


def _variants(found: dict[tuple[str, str], list[tuple[int, int]]]) -> tuple[Variant, ...]:
    """The locations of words written with diacritics, by word, then form (a BTreeMap in index/mod.rs)."""
    return tuple(Variant(word, form, tuple(packed_locations(pairs)))
                 for (word, form), pairs in sorted(found.items()))


def packed_locations(pairs: list[tuple[int, int]]) -> list[int]:
    """index/mod.rs positions_to_packed_page: (position, weight) pairs sorted by weight (25 first) then
    position; -(weight + 1) and the position where the weight changes (it starts at 25), else the distance
    from the previous position."""
    pairs = sorted(pairs, key=lambda p: (0 if p[1] == 25 else p[1], p[0]))
    current, last, locs = 25, 0, []
    for position, weight in pairs:
        if weight != current:
            locs += (-weight - 1, position)
            current = weight
        else:
            locs.append(position - last)
        last = position
    return locs


def parse_meta_words(meta: dict[str, str], vocabulary: Vocabulary) -> tuple[MetaWord, ...]:
    """fossick/mod.rs parse_meta_words: the words of each meta value, with their position in it."""
    found = []
    for field, value in meta.items():
        for position, token in enumerate(split_whitespace(value)):
            found.extend(MetaWord(word, form, field, position) for word, form, _ in vocabulary.lookup(token))
    return tuple(found)


def _f32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def _parse_weight(text: str) -> float | None:
    """Rust's str::parse::<f32>, None where it fails."""
    if not _FLOAT.match(text):
        return None
    try:
        return _f32(float(text))
    except OverflowError:
        return float("-inf") if text.startswith("-") else float("inf")


def _as_u8(value: float) -> int:
    """Rust's `as u8` of a float: truncated, NaN is 0, saturating."""
    if math.isnan(value):
        return 0
    return max(0, min(255, int(value)))
