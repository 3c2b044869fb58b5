"""Text as Pagefind treats it: Rust's whitespace, fossick/mod.rs normalize_content (HTML entities decoded as
the html-escape crate decodes them, whitespace made single spaces), names in ASCII lower case, the markers
parser.rs puts in a page's text for weights and anchors (which mod.rs parse_digest reads back), and the
attribute strings of data-pagefind-filter, -meta and -sort ("a, b[attr], c:literal")."""

from __future__ import annotations

import html.entities
import re

# fossick/parser.rs: markers in the text
WEIGHT_MARK = "___PAGEFIND_WEIGHT___"
AUTO_WEIGHT_MARK = "___PAGEFIND_AUTO_WEIGHT___"
END_WEIGHT_MARK = "___END_PAGEFIND_WEIGHT___"
ANCHOR_MARK = "___PAGEFIND_ANCHOR___"

# Rust's whitespace (Unicode White_Space); Python's str.split() and re's \s also take U+001C..U+001F.
WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
WS_CHARS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
WS_RUN = re.compile(f"[{WS}]+")
# Whitespace other than spaces and newlines, for Rust or for Python (in a long text, searched one by one:
# faster than a regex)
_ODD_ASCII_SPACES = ("\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_ODD_SPACES = (*_ODD_ASCII_SPACES, *"\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000", *map(chr, range(0x2000, 0x200B)))
_NOT_RUST_SPACES = ("\x1c", "\x1d", "\x1e", "\x1f")
_ODD_SPACE = re.compile(f"[{''.join(_ODD_SPACES)}]")  # the same, for short texts
_NEWLINES = re.compile(r"(?:\n|\r\n)+")
_EXTRA_SPACES = re.compile(f"[{WS}]{{2,}}")
_ENTITY = re.compile(r"&(?:#[xX]([^;]+);|#([^xX;][^;]*);|([^#;][^;]*);)")
_ENTITIES = {name[:-1]: text for name, text in html.entities.html5.items() if name.endswith(";")}
_HEX = re.compile(r"\A\+?[0-9a-fA-F]+\Z")
_DECIMAL = re.compile(r"\A\+?[0-9]+\Z")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ATTRIBUTE_MATCH = re.compile(f"\\A[{WS}]*([^:\\[\\]]+)\\[(.+)\\][{WS}]*\\Z")


def normalize_content(text: str) -> str:
    """fossick/mod.rs normalize_content: HTML entities decoded, then whitespace at the ends removed, runs
    of newlines made one space, and runs of two or more whitespace characters made one space."""
    return normalize_space(decode_entities(text))


def normalize_space(text: str) -> str:
    """normalize_content after decoding entities."""
    if plainly_spaced(text):
        return " ".join(text.split())
    text = text.strip(WS_CHARS)
    text = _NEWLINES.sub(" ", text)
    return _EXTRA_SPACES.sub(" ", text)


def decode_entities(text: str) -> str:
    """The html-escape crate's decode_html_entities: only entities ending in ';' (named ones of the HTML
    standard, decimal and hexadecimal); anything else is left as it is."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _entity(match: re.Match) -> str:
    hexadecimal, decimal, name = match.groups()
    if name is not None:
        return _ENTITIES.get(name, match.group())
    digits, base, pattern = (hexadecimal, 16, _HEX) if hexadecimal is not None else (decimal, 10, _DECIMAL)
    if not pattern.match(digits):
        return match.group()
    number = int(digits, base)
    if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return match.group()
    return chr(number)


def split_whitespace(text: str) -> list[str]:
    """Rust's str::split_whitespace."""
    if any(map(text.__contains__, _NOT_RUST_SPACES)):
        return [w for w in WS_RUN.split(text) if w]
    return text.split()


def plainly_spaced(text: str) -> bool:
    """Whether the only whitespace in the text is spaces and newlines."""
    if len(text) < 400:
        return _ODD_SPACE.search(text) is None
    return not any(map(text.__contains__, _ODD_ASCII_SPACES if text.isascii() else _ODD_SPACES))


def trim(text: str) -> str:
    """Rust's str::trim."""
    return text.strip(WS_CHARS)


def ascii_lower(text: str) -> str:
    """Rust's str::to_ascii_lowercase, as lol_html and Pagefind compare tag and attribute names (and the
    value of data-pagefind-ignore): the Kelvin sign (U+212A) stays itself, where str.lower() makes it "k"."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def parse_attr_string(text: str, attrs: dict[str, str]) -> list[str]:
    """parser.rs parse_attr_string: "a, b[attr], c:literal" as ["a", "b:<attr's value>", "c:literal"]."""
    head, colon, literal = text.partition(":")
    if colon:
        items = parse_attr_string(head, attrs)
        if items:
            items[-1] += ":" + literal
        return items
    items = []
    for chunk in head.split(","):
        chunk = trim(chunk)
        match = _ATTRIBUTE_MATCH.match(chunk)
        items.append(f"{match[1]}:{attrs.get(ascii_lower(match[2]), '')}" if match else chunk)
    return items


def attribute_pair(spec: str, value: str) -> tuple[str, str] | None:
    """parser.rs get_attribute_pair: "name:value", or the element's text for a bare name."""
    name, colon, literal = spec.partition(":")
    if colon:
        return name, normalize_content(literal)
    if not value:
        return None
    return spec, normalize_content(value)
