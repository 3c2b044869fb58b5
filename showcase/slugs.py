"""Slugs: the part of an address made from a title, a heading or a file name, in any script, no longer than
MAX_SLUG, and the one rule that numbers a second item with the same slug."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from anyascii import anyascii

MAX_SLUG = 100  # characters in the last part of an address; file systems allow 255 bytes in a name


def shorter_slug(slug: str, limit: int = MAX_SLUG) -> str:
    """The slug cut to `limit` characters, at a hyphen where there is one."""
    cut = slug[:limit]
    if len(slug) > limit and slug[limit] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")


_SHORT_NAME = re.compile(r":[a-z0-9_+-]+:")  # how anyascii spells an emoji: ":tada:"
_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{1,2}")  # regional indicator letters: two make a flag
_APOSTROPHES = frozenset("'`")  # it’s becomes "its"; the Arabic ain and hamza vanish inside words the same way


def _spelt(char: str, emoji: bool) -> str:
    """One character in ASCII letters, digits and separators (a space), for a slug."""
    if char.isascii():
        return char
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if any(c.isalnum() for c in plain):  # é, ŵ, ŷ, ½: their Latin letters and digits, as always
        return plain
    spelt = anyascii(char)
    if _SHORT_NAME.fullmatch(spelt) or _FLAG.match(char):
        return f" {spelt.strip(':')} " if emoji else " "
    if not spelt or set(spelt) <= _APOSTROPHES:  # combining accents, joiners, apostrophes: inside a word
        return ""
    if not any(c.isalnum() for c in spelt):  # dashes, quotation marks, ellipses: between words
        return " "
    if unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")):
        return f" {spelt} "  # Chinese and Japanese write no spaces: each character's reading is a word
    return spelt


def _hyphenate(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def slugify(text: str) -> str:
    """The part of an address made from a title, a heading or a file name: lower-case ASCII letters and
    digits with hyphens between words, readable whatever the script (`Τα πρώτα βήματα` is `ta-prota-vimata`,
    `初めての一歩` is `chu-meteno-yi-bu`, `Dŵr` is `dwr`). Emoji are left out of words, unless there is
    nothing else: `🎉🎨` is `tada-art`; other symbols alone are named (`?` is `question-mark`). Only a
    text with nothing visible in it gives "": the caller says what to use instead. No length limit here
    (see MAX_SLUG)."""
    slug = _hyphenate("".join(_spelt(char, False) for char in text))
    if not slug:  # a flag is two letter symbols: 🇬🇧 is "gb"
        text = _FLAG.sub(lambda flag: f" {anyascii(flag.group())} ", text)
        slug = _hyphenate("".join(_spelt(char, True) for char in text))
    if slug:
        return slug
    visible = [char for char in text if unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me")]
    names = [unicodedata.name(char, "") or f"u{ord(char):04x}" for char in visible]
    return _hyphenate(" ".join(name for index, name in enumerate(names) if index == 0 or name != names[index - 1]))


def unique_slug(slug: str, taken: Container[str], limit: int | None = None) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`... not in `taken`: the one rule for every second item with
    the same slug (headings of a page, files of a folder). With `limit`, the result has at most that
    many characters."""
    limit = limit or MAX_SLUG
    candidate, number = shorter_slug(slug, limit), 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = shorter_slug(slug, limit - len(suffix)) + suffix
    return candidate
