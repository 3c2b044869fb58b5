"""Limits that keep reading a hostile or broken PDF within bounded memory and time.

A PDF is mostly compressed instructions. A small file can expand enormously (a 1.5 MB Flate stream of
spaces inflates to gigabytes; filters can be chained; one drawing can be repeated a million times) and
pdfminer, asked for a stream, inflates all of it at once. While a `Limits` is active (`with
limits.active():`), pdfminer's decoding goes through bounded versions here:

- every stream is inflated piece by piece (`zlib.decompressobj` with `max_length`, LZW and run-length
  decoded chunk by chunk) and stops as soon as the budget is spent, and corrupt Flate data is salvaged in
  linear time (pdfminer's fallback decodes it byte by byte, with quadratic copying);
- the budget is charged with every decoded stream, again with every content stream or form each time it
  is run (so repetition counts too), and with every token parsed (so time is bounded as well as memory);
- the PostScript parser refuses arrays, dictionaries and nesting deeper or longer than any page needs;
- and, as the last word whatever the trick (a million tiny objects, forms or pages), the memory the process
  takes is looked at with every charge and every page, and reading stops when it has grown by more than
  `MEMORY`.

The budget is proportional to the file's size (`RATIO` × size) with a floor for small files and a hard cap
(`CAP`). Real reports spend 4 to 12 times their size (decoded streams 2 to 6 times, tokens as much again);
at the cap, parsing takes about a minute on a slow machine. Running out raises `TooLarge`, whose
message the importer turns into one line for the editor. Outside `active()`, pdfminer behaves as shipped.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import zlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

MB = 1024 * 1024
FLOOR = 32 * MB  # what any PDF may expand to
RATIO = 50  # ... or this many times its size
CAP = 200 * MB  # ... but never more
CHUNK = 1 * MB  # decompressed per step
RUN_COST = 1024  # charged for each content stream or form run, besides its length (a form run costs objects)
TOKEN_COST = 16  # charged for each token parsed (a number, a name, an operator...)
TOKENS_PER_CHARGE = 4096
MEMORY = 1024 * MB  # growth of the process while one PDF is read
CHARS_PER_PAGE = 100_000  # a dense A3 page of 6 pt type has about 25,000
TEXT_CHARS = 20_000_000  # about 10,000 pages of text
STACK = 200_000  # items in one array or dictionary (a flat page tree has one a page), or operands
NESTING = 1_000  # arrays and dictionaries inside each other
SAVED_STATES = 1_000  # graphics states saved with `q` and not yet restored


class TooLarge(Exception):
    """The PDF needs more than the limits allow; str() says what, in plain words."""


@dataclass
class Limits:
    budget: int  # bytes of decoded streams and of content run, and TOKEN_COST a token parsed, in all
    spent: int = 0
    refused: str = ""  # why reading stopped, if it did
    memory: int = MEMORY
    start: int = 0  # the process's memory when reading started
    tokens: int = 0

    @classmethod
    def for_size(cls, size: int) -> Limits:
        return cls(min(CAP, max(FLOOR, RATIO * size)))

    @property
    def remaining(self) -> int:
        return self.budget - self.spent

    def charge(self, size: int) -> None:
        self.spent += size
        if self.spent > self.budget:
            self.refuse(f"this PDF expands to more than {self.budget // MB} MB of text and drawing "
                        "instructions; showcase stops here to keep your computer responsive")
        self.look_at_memory()

    def look_at_memory(self) -> None:
        if memory_in_use() - self.start > self.memory:
            self.refuse(f"reading this PDF takes more than {self.memory // MB} MB of memory; "
                        "showcase stops here to keep your computer responsive")

    def refuse(self, message: str) -> None:
        """Stop reading. The first reason is kept, in case pdfminer catches the exception and goes on."""
        self.refused = self.refused or message
        raise TooLarge(self.refused)

    @contextlib.contextmanager
    def active(self) -> Iterator[Limits]:
        _install()
        self.start = memory_in_use()
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)


_ACTIVE: ContextVar[Limits | None] = ContextVar("showcase_pdf_limits", default=None)


def current() -> Limits | None:
    return _ACTIVE.get()


def memory_in_use() -> int:
    """The process's resident memory in bytes (Linux: now; elsewhere: its peak so far; 0 if unknown)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# --- bounded decoders -------------------------------------------------------------------------------


def inflate(data: bytes, limit: int, lenient: bool = False) -> bytes:
    """zlib data decompressed, at most `limit` bytes of it (else TooLarge). Not lenient: raises zlib.error
    on damaged data, as zlib.decompress does; lenient: returns what came out before the damage."""
    decompressor = zlib.decompressobj()
    pieces: list[bytes] = []
    total, pending = 0, data
    try:
        while True:
            piece = decompressor.decompress(pending, CHUNK)
            pending = decompressor.unconsumed_tail
            total += len(piece)
            if total > limit:
                _too_large(limit)
            pieces.append(piece)
            if not piece:  # (with max_length, no output means every byte given was used)
                break
    except zlib.error:
        if not lenient:
            raise
    if not lenient and not decompressor.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return b"".join(pieces)


def _too_large(limit: int) -> None:
    limits = current()
    if limits is not None:
        limits.charge(max(limits.remaining, 0) + 1)  # says so in the budget's own words
    raise TooLarge(f"this PDF expands to more than {limit // MB} MB")


def lzw_decode(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    pieces: list[bytes] = []
    total = 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        total += len(piece)
        if total > limit:
            _too_large(limit)
        pieces.append(piece)
    return b"".join(pieces)


def run_length_decode(data: bytes, limit: int) -> bytes:
    """RunLengthDecode (PDF reference 3.3.4), in linear time and at most `limit` bytes."""
    out = bytearray()
    position, end = 0, len(data)
    while position < end:
        length = data[position]
        if length == 128:
            break
        if length < 128:
            out += data[position + 1: position + 2 + length]
            position += 2 + length
        else:
            if position + 1 >= end:
                break
            out += data[position + 1: position + 2] * (257 - length)
            position += 2
        if len(out) > limit:
            _too_large(limit)
    return bytes(out)


# --- pdfminer, bounded while limits are active ------------------------------------------------------

_INSTALLED = False


def _install() -> None:
    """Route pdfminer's decoding and parsing through the limits (once; inactive outside `active()`)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from pdfminer import pdftypes, psparser

    decode, zlib_module = pdftypes.PDFStream.decode, pdftypes.zlib
    corrupted, lzw, run_length = pdftypes.decompress_corrupted, pdftypes.lzwdecode, pdftypes.rldecode
    ccitt, ascii85 = pdftypes.ccittfaxdecode, pdftypes.ascii85decode
    push, start_type = psparser.PSStackParser.push, psparser.PSStackParser.start_type

    class BoundedZlib:
        """What pdftypes uses of the zlib module, bounded while limits are active."""

        error = zlib.error

        def __getattr__(self, name: str):
            return getattr(zlib_module, name)

        @staticmethod
        def decompress(data: bytes, *args) -> bytes:
            limits = current()
            return zlib_module.decompress(data, *args) if limits is None else inflate(data, limits.remaining)

    def bounded_decode(stream) -> None:
        limits = current()
        decode(stream)
        if limits is not None:
            limits.charge(len(stream.data or b""))

    def decompress_corrupted(data: bytes) -> bytes:
        limits = current()
        return corrupted(data) if limits is None else inflate(data, limits.remaining, lenient=True)

    def lzwdecode(data: bytes) -> bytes:
        limits = current()
        return lzw(data) if limits is None else lzw_decode(data, limits.remaining)

    def rldecode(data: bytes) -> bytes:
        limits = current()
        return run_length(data) if limits is None else run_length_decode(data, limits.remaining)

    def ascii85decode(data: bytes) -> bytes:
        limits = current()
        if limits is not None and len(data) + 4 * data.count(b"z") > limits.remaining:  # z: four zero bytes
            _too_large(limits.remaining)
        return ascii85(data)

    def ccittfaxdecode(data: bytes, params) -> bytes:
        # fax-coded pictures: text extraction never needs their pixels, and their size is unbounded
        return ccitt(data, params) if current() is None else b""

    def bounded_push(self, *objs) -> None:
        limits = current()
        if limits is not None:
            if len(self.curstack) + len(objs) > STACK:
                limits.refuse(f"this PDF has an array, a dictionary or a run of operands with more than "
                              f"{STACK:,} items; showcase stops here to keep your computer responsive")
            limits.tokens += 1
            if limits.tokens % TOKENS_PER_CHARGE == 0:
                limits.charge(TOKENS_PER_CHARGE * TOKEN_COST)
        push(self, *objs)

    def bounded_start_type(self, pos: int, type: str) -> None:
        if len(self.context) >= NESTING and (limits := current()) is not None:
            limits.refuse(f"this PDF nests arrays or dictionaries more than {NESTING:,} deep; "
                          "showcase stops here to keep your computer responsive")
        start_type(self, pos, type)

    pdftypes.PDFStream.decode = bounded_decode
    pdftypes.zlib = BoundedZlib()
    pdftypes.decompress_corrupted = decompress_corrupted
    pdftypes.lzwdecode = lzwdecode
    pdftypes.rldecode = rldecode
    pdftypes.ccittfaxdecode = ccittfaxdecode
    pdftypes.ascii85decode = ascii85decode
    psparser.PSStackParser.push = bounded_push
    psparser.PSStackParser.start_type = bounded_start_type
    _INSTALLED = True
