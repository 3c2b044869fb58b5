"""The words Pagefind indexes for each whitespace-separated token of a page (fossick/splitting.rs
get_indexable_words): letters and digits in lower case, without diacritics, stemmed in the page's
language with Snowball (PyStemmer's algorithms are Pagefind's rust-stemmers'); the parts of a compound
("three-antelopes", "ThreeAntelopes"); and the emoji in it."""

from __future__ import annotations

import unicodedata

import Stemmer

from .search_unicode import EXTRA_ALNUM, WORD_SYMBOLS, graphemes, is_emoji

# fossick/mod.rs get_stemmer: the languages Pagefind stems, and the Snowball algorithm of each
STEMMERS = {"ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
            "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
            "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
            "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nn": "norwegian",
            "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
            "pl": "polish", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish"}

# The ASCII characters Pagefind keeps in a word (letters, digits, '_'), and ASCII punctuation
_ASCII_DROP = {c: None for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
_PUNCTUATION_TO_SPACE = {c: " " for c in range(128) if chr(c) in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}

Entry = tuple[str, "str | None", bool]  # (word as indexed, as written when it had diacritics, compound part)


class Vocabulary:
    """The words Pagefind indexes for a token (splitting.rs get_indexable_words) in one language,
    remembered per token: `simple` maps a token that gives exactly one plain word to it, `entries` every
    other token to all it gives."""

    LIMIT = 500_000

    def __init__(self, language: str) -> None:
        algorithm = STEMMERS.get(language.split("-")[0])
        self.stem = Stemmer.Stemmer(algorithm).stemWord if algorithm else None
        self.simple: dict[str, str] = {}
        self.entries: dict[str, tuple[Entry, ...]] = {}

    def lookup(self, token: str) -> tuple[Entry, ...]:
        """All the words of a token (and remember it)."""
        found = self.entries.get(token)
        if found is None:
            simple = self.simple.get(token)
            if simple is not None:
                return ((simple, None, False),)
            if len(self.entries) + len(self.simple) > self.LIMIT:
                self.simple.clear()
                self.entries.clear()
            found = indexable_words(token, self.stem)
            if len(found) == 1 and found[0][1] is None and not found[0][2]:
                self.simple[token] = found[0][0]
            else:
                self.entries[token] = found
        return found


_VOCABULARIES: dict[str, Vocabulary] = {}


def vocabulary_for(language: str) -> Vocabulary:
    vocabulary = _VOCABULARIES.get(language)
    if vocabulary is None:
        vocabulary = _VOCABULARIES[language] = Vocabulary(language)
    return vocabulary


def indexable_words(raw: str, stem=None) -> tuple[Entry, ...]:
    """splitting.rs get_indexable_words: the word itself (letters and digits only, lower case, without
    diacritics, stemmed); for a word with punctuation or inner capitals, also its parts of two or more
    bytes ("three-antelopes" is also "three" and "antelop"); and the emoji in it."""
    normalized = _normalized(raw)
    results: list[Entry] = []
    if normalized:
        plain = _without_diacritics(normalized)
        word = plain if plain is not None else normalized
        results.append((stem(word) if stem else word, normalized if plain is not None else None, False))
    if not _possibly_compound(raw):
        return tuple(results)
    parts, emoji = _discrete_words(raw)
    if normalized and (" " in parts or not normalized.startswith(parts)):
        for part in parts.split(" "):
            if len(part.encode("utf-8")) > 1:
                plain = _without_diacritics(part)
                word = plain if plain is not None else part
                results.append((stem(word) if stem else word, part if plain is not None else None, True))
    results.extend((e, None, False) for e in emoji)
    return tuple(results)


def _normalized(raw: str) -> str:
    """The letters, digits and word symbols of a word, in lower case (a character at a time)."""
    if raw.isascii():
        return raw.lower().translate(_ASCII_DROP)
    return "".join((c.lower() if c.isupper() else c) for c in raw
                   if c.isalnum() or c in EXTRA_ALNUM or c in WORD_SYMBOLS)


def _is_alnum(char: str) -> bool:
    return char.isalnum() or char in EXTRA_ALNUM


def _possibly_compound(raw: str) -> bool:
    if raw.isascii():
        return not raw.isalnum() or raw[1:] != raw[1:].lower()
    return not all(map(_is_alnum, raw)) or any(c.isupper() for c in raw[1:])


def _without_diacritics(word: str) -> str | None:
    """splitting.rs normalize_diacritics: the word decomposed without its combining marks, if that differs."""
    if word.isascii():
        return None
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c)[0] != "M")
    return plain if plain != word else None


def _discrete_words(raw: str) -> tuple[str, list[str]]:
    """splitting.rs get_discrete_words: the word with ASCII punctuation made spaces, split where the
    convert_case crate splits words (spaces, lower to upper case, letters to digits, the end of an
    acronym), in lower case, joined by spaces; and the emoji in it."""
    spaced = raw.translate(_PUNCTUATION_TO_SPACE)
    words = " ".join(w.lower() for w in _case_words(spaced))
    parts = " ".join(w for w in words.split(" ") if w)
    emoji = [g for g in graphemes(raw) if is_emoji(g)] if not raw.isascii() else []
    return parts, emoji


def _grapheme_upper(g: str) -> bool:
    return g.upper() != g.lower() and g == g.upper()


def _grapheme_lower(g: str) -> bool:
    return g.upper() != g.lower() and g == g.lower()


def _grapheme_digit(g: str) -> bool:
    return g.isascii() and g.isdigit()


def _case_words(text: str) -> list[str]:
    """convert_case's boundary::split with its default boundaries, over the graphemes of `text`."""
    if not text:
        return []
    clusters = graphemes(text)
    offsets = [0]
    for g in clusters:
        offsets.append(offsets[-1] + len(g))
    kinds = [(_grapheme_upper(g), _grapheme_lower(g), _grapheme_digit(g)) for g in clusters]
    count = len(clusters)
    words = []
    last = 0
    for i in range(count):
        g = clusters[i]
        if g in ("_", "-", " "):
            words.append(text[last:offsets[i]])
            last = offsets[i + 1]
            continue
        if i + 1 >= count:
            continue
        upper, lower, digit = kinds[i]
        next_upper, next_lower, next_digit = kinds[i + 1]
        if ((lower and (next_upper or next_digit)) or (upper and next_digit) or (digit and (next_lower or next_upper))
                or (upper and next_upper and i + 2 < count and kinds[i + 2][1])):
            words.append(text[last:offsets[i + 1]])
            last = offsets[i + 1]
    words.append(text[last:])
    return words
