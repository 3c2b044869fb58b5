"""CBOR as Pagefind's index files hold it (serde_cbor): unsigned and negative integers, text, arrays.

Locations are encoded from a table of codes: a code below LIMIT is that number; ARRAY + n the head of an
array of n items; MARK + w the weight mark -(w + 1); NOTHING no bytes (the mark of a weight of 25, which
needs none: locations start at that weight)."""

from __future__ import annotations

LIMIT = 16384
ARRAY = LIMIT
MARK = 2 * LIMIT
NOTHING = MARK + 256


def _uint(major: int, value: int) -> bytes:
    if value < 24:
        return bytes((major | value,))
    if value < 0x100:
        return bytes((major | 24, value))
    if value < 0x10000:
        return bytes((major | 25,)) + value.to_bytes(2, "big")
    if value < 0x100000000:
        return bytes((major | 26,)) + value.to_bytes(4, "big")
    return bytes((major | 27,)) + value.to_bytes(8, "big")


ENCODED = ([_uint(0, n) for n in range(LIMIT)] + [_uint(0x80, n) for n in range(LIMIT)]
            + [_uint(0x20, w) for w in range(256)] + [b""])


def cbor_uint(value: int) -> bytes:
    """An unsigned integer in CBOR."""
    return ENCODED[value] if value < LIMIT else _uint(0, value)


def cbor_array(length: int) -> bytes:
    """The head of a CBOR array of `length` items."""
    return ENCODED[ARRAY + length] if length < LIMIT else _uint(0x80, length)


def cbor_int(value: int) -> bytes:
    """An integer in CBOR."""
    return cbor_uint(value) if value >= 0 else _uint(0x20, -1 - value)


def cbor_ints(values) -> bytes:
    """A CBOR array of integers."""
    values = list(values)
    return cbor_array(len(values)) + b"".join(map(cbor_int, values))


def cbor_text(text: str) -> bytes:
    """A CBOR text string."""
    data = text.encode("utf-8")
    return _text_head(len(data)) + data


def _text_head(length: int) -> bytes:
    if length < 24:
        return bytes((0x60 | length,))
    return bytes((0x78, length)) if length < 0x100 else b"\x79" + length.to_bytes(2, "big") if length < 0x10000 \
        else b"\x7a" + length.to_bytes(4, "big")


def cbor_strings(values) -> bytes:
    """A CBOR array of text strings."""
    values = list(values)
    return cbor_array(len(values)) + b"".join(map(cbor_text, values))
