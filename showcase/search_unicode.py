"""The Unicode tables Pagefind's word splitting relies on, in Python: what Rust's char::is_alphanumeric()
takes besides Python's str.isalnum(), the word symbols, the characters that may end a sentence (parser.rs
SENTENCE_CHARS), grapheme clusters (the unicode-segmentation crate, as convert_case uses it) and what the
`emojis` crate counts as an emoji."""

from __future__ import annotations

import unicodedata

# pagefind/src/utils.rs: characters that count as part of a word (Unicode "Punctuation, Connector")
WORD_SYMBOLS = ("_", "\u203f", "\u2040", "\u2054", "\ufe33", "\ufe34", "\ufe4d", "\ufe4e", "\ufe4f", "\uff3f")

# Characters Rust's char::is_alphanumeric() takes that Python's str.isalnum() does not (Other_Alphabetic
# marks and symbols), as code point ranges in hexadecimal.
_EXTRA_ALNUM_RANGES = (
    "345 363-36f 5b0-5bd 5bf 5c1-5c2 5c4-5c5 5c7 610-61a 64b-657 659-65f 670 6d6-6dc 6e1-6e4 6e7-6e8 6ed "
    "711 730-73f 7a6-7b0 816-817 81b-823 825-827 829-82c 8d4-8df 8e3-8e9 8f0-903 93a-93b 93e-94c 94e-94f "
    "955-957 962-963 981-983 9be-9c4 9c7-9c8 9cb-9cc 9d7 9e2-9e3 a01-a03 a3e-a42 a47-a48 a4b-a4c a51 "
    "a70-a71 a75 a81-a83 abe-ac5 ac7-ac9 acb-acc ae2-ae3 afa-afc b01-b03 b3e-b44 b47-b48 b4b-b4c b56-b57 "
    "b62-b63 b82 bbe-bc2 bc6-bc8 bca-bcc bd7 c00-c04 c3e-c44 c46-c48 c4a-c4c c55-c56 c62-c63 c81-c83 "
    "cbe-cc4 cc6-cc8 cca-ccc cd5-cd6 ce2-ce3 d00-d03 d3e-d44 d46-d48 d4a-d4c d57 d62-d63 d81-d83 dcf-dd4 "
    "dd6 dd8-ddf df2-df3 e31 e34-e3a e4d eb1 eb4-eb9 ebb-ebc ecd f71-f83 f8d-f97 f99-fbc 102b-1036 1038 "
    "103b-103e 1056-1059 105e-1060 1062-1064 1067-106d 1071-1074 1082-108d 108f 109a-109d 1712-1713 "
    "1732-1733 1752-1753 1772-1773 17b6-17c8 1885-1886 18a9 1920-192b 1930-1938 1a17-1a1b 1a55-1a5e "
    "1a61-1a74 1abf-1ac0 1acc-1ace 1b00-1b04 1b35-1b43 1b80-1b82 1ba1-1ba9 1bac-1bad 1be7-1bf1 1c24-1c36 "
    "1dd3-1df4 24b6-24e9 2de0-2dff a674-a67b a69e-a69f a802 a80b a823-a827 a880-a881 a8b4-a8c3 a8c5 a8ff "
    "a926-a92a a947-a952 a980-a983 a9b4-a9bf a9e5 aa29-aa36 aa43 aa4c-aa4d aa7b-aa7d aab0 aab2-aab4 "
    "aab7-aab8 aabe aaeb-aaef aaf5 abe3-abea fb1e 10376-1037a 10a01-10a03 10a05-10a06 10a0c-10a0f "
    "10d24-10d27 10eab-10eac 11000-11002 11038-11045 11073-11074 11080-11082 110b0-110b8 110c2 "
    "11100-11102 11127-11132 11145-11146 11180-11182 111b3-111bf 111ce-111cf 1122c-11234 11237 1123e "
    "112df-112e8 11300-11303 1133e-11344 11347-11348 1134b-1134c 11357 11362-11363 11435-11441 "
    "11443-11445 114b0-114c1 115af-115b5 115b8-115be 115dc-115dd 11630-1163e 11640 116ab-116b5 "
    "1171d-1172a 1182c-11838 11930-11935 11937-11938 1193b-1193c 11940 11942 119d1-119d7 119da-119df "
    "119e4 11a01-11a0a 11a35-11a39 11a3b-11a3e 11a51-11a5b 11a8a-11a97 11c2f-11c36 11c38-11c3e "
    "11c92-11ca7 11ca9-11cb6 11d31-11d36 11d3a 11d3c-11d3d 11d3f-11d41 11d43 11d47 11d8a-11d8e "
    "11d90-11d91 11d93-11d96 11ef3-11ef6 16f4f 16f51-16f87 16f8f-16f92 16ff0-16ff1 1bc9e 1e000-1e006 "
    "1e008-1e018 1e01b-1e021 1e023-1e024 1e026-1e02a 1e947 1f130-1f149 1f150-1f169 1f170-1f189")

# The single characters that are an emoji to Pagefind (the `emojis` crate's table, unqualified forms too).
_EMOJI_RANGES = (
    "a9 ae 203c 2049 2122 2139 2194-2199 21a9-21aa 231a-231b 2328 23cf 23e9-23f3 23f8-23fa 24c2 25aa-25ab 25b6 25c0 "
    "25fb-25fe 2600-2604 260e 2611 2614-2615 2618 261d 2620 2622-2623 2626 262a 262e-262f 2638-263a 2640 "
    "2642 2648-2653 265f-2660 2663 2665-2666 2668 267b 267e-267f 2692-2697 2699 269b-269c 26a0-26a1 26a7 "
    "26aa-26ab 26b0-26b1 26bd-26be 26c4-26c5 26c8 26ce-26cf 26d1 26d3-26d4 26e9-26ea 26f0-26f5 26f7-26fa "
    "26fd 2702 2705 2708-270d 270f 2712 2714 2716 271d 2721 2728 2733-2734 2744 2747 274c 274e 2753-2755 "
    "2757 2763-2764 2795-2797 27a1 27b0 27bf 2934-2935 2b05-2b07 2b1b-2b1c 2b50 2b55 3030 303d 3297 3299 "
    "1f004 1f0cf 1f170-1f171 1f17e-1f17f 1f18e 1f191-1f19a 1f201-1f202 1f21a 1f22f 1f232-1f23a 1f250-1f251 1f300-1f321 "
    "1f324-1f393 1f396-1f397 1f399-1f39b 1f39e-1f3f0 1f3f3-1f3f5 1f3f7-1f3fa 1f400-1f4fd 1f4ff-1f53d "
    "1f549-1f54e 1f550-1f567 1f56f-1f570 1f573-1f57a 1f587 1f58a-1f58d 1f590 1f595-1f596 1f5a4-1f5a5 "
    "1f5a8 1f5b1-1f5b2 1f5bc 1f5c2-1f5c4 1f5d1-1f5d3 1f5dc-1f5de 1f5e1 1f5e3 1f5e8 1f5ef 1f5f3 "
    "1f5fa-1f64f 1f680-1f6c5 1f6cb-1f6d2 1f6d5-1f6d7 1f6dd-1f6e5 1f6e9 1f6eb-1f6ec 1f6f0 1f6f3-1f6fc "
    "1f7e0-1f7eb 1f7f0 1f90c-1f93a 1f93c-1f945 1f947-1f9af 1f9b4-1f9ff 1fa70-1fa74 1fa78-1fa7c "
    "1fa80-1fa86 1fa90-1faac 1fab0-1faba 1fac0-1fac5 1fad0-1fad9 1fae0-1fae7 1faf0-1faf6")


def _code_points(ranges: str) -> frozenset[str]:
    """The characters of a list of hexadecimal code points and ranges ("a9 2194-2199")."""
    found: set[str] = set()
    for item in ranges.split():
        first, _, last = item.partition("-")
        found.update(map(chr, range(int(first, 16), int(last or first, 16) + 1)))
    return frozenset(found)


EXTRA_ALNUM = _code_points(_EXTRA_ALNUM_RANGES)
_EMOJI = _code_points(_EMOJI_RANGES)
_EMOJI_MODIFIERS = frozenset(map(chr, range(0x1F3FB, 0x1F400)))
_REGIONAL = frozenset(map(chr, range(0x1F1E6, 0x1F200)))
_TAGS = frozenset(map(chr, range(0xE0020, 0xE0080)))
_ZWJ = "\u200d"


def is_sentence_end(char: str) -> bool:
    """parser.rs SENTENCE_CHARS, [\\w'")$*] in the regex crate: \\w is Alphabetic, marks, decimal digits,
    connector punctuation and the joiners."""
    if char < "\x80":
        return char.isalnum() or char in "_'\")$*"
    if char in EXTRA_ALNUM or char in "\u200c\u200d":
        return True
    return unicodedata.category(char) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Nd", "Mn", "Mc", "Me", "Pc")


SENTENCE_ASCII = frozenset(c for c in map(chr, range(128)) if is_sentence_end(c))


def _extends(cluster: str, char: str) -> bool:
    """Whether `char` continues the grapheme cluster `cluster` (Unicode's extended grapheme clusters,
    without the rare Hangul and prepend rules)."""
    if char == _ZWJ or char == "\u200c" or char in _EMOJI_MODIFIERS or char in _TAGS:
        return True
    if unicodedata.category(char)[0] == "M":
        return True
    last = cluster[-1]
    if last == _ZWJ and len(cluster) > 1:
        return char in _EMOJI or unicodedata.category(char) == "So"
    if char in _REGIONAL and last in _REGIONAL:
        return sum(c in _REGIONAL for c in cluster) % 2 == 1
    return last == "\r" and char == "\n"


def graphemes(text: str) -> list[str]:
    """The grapheme clusters of a text."""
    if text.isascii():
        return list(text)
    clusters: list[str] = []
    for char in text:
        if clusters and _extends(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def is_emoji(grapheme: str) -> bool:
    """Whether the `emojis` crate knows a grapheme: an emoji (with its variation selector, skin tone,
    keycap or tags), a flag, or a sequence of emoji joined by U+200D."""
    if len(grapheme) == 1:
        return grapheme in _EMOJI
    if all(c in _REGIONAL for c in grapheme):
        return len(grapheme) == 2
    for part in grapheme.split(_ZWJ):
        if not part:
            return False
        base, rest = part[0], part[1:]
        keycap = "\u20e3" in rest and base in "0123456789#*"
        if not (base in _EMOJI or keycap) or not all(
                c == "\ufe0f" or c == "\u20e3" or c in _EMOJI_MODIFIERS or c in _TAGS for c in rest):
            return False
    return True
