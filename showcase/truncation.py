"""Finding JPEG and PNG files whose data stops before the last pixel their header promises. Pillow decodes
them without a word (libjpeg fills the rest of a scan with grey and only warns, which Pillow hides; zlib
ends a short PNG stream cleanly), so their structure is read here, without decoding any pixels: a JPEG's
scans (and a padded copy of it for the caller to decode and compare), a PNG's inflated data length."""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

_MARKER = re.compile(rb"\xff+([^\x00\xff])")  # fill bytes, then a marker code
_SCAN_END = re.compile(rb"\xff+[^\x00\xd0-\xd7\xff]")  # in coded data: not a stuffed 0xff, not a restart
_RESTART = re.compile(rb"\xff+[\xd0-\xd7]")
# Huffman-coded frames (SOFn -> progressive). Arithmetic coding, which browsers cannot show anyway, is left
# alone: its decoder reads ahead, so padding after a whole scan could change the last pixels.
_HUFFMAN_FRAMES = {0xC0: False, 0xC1: False, 0xC2: True}
_STANDALONE = (0x01, *range(0xD0, 0xD8))  # markers without a length
_EOI, _SOS, _DRI = 0xD9, 0xDA, 0xDD


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    sampling: dict[int, tuple[int, int]]  # component id -> (horizontal, vertical) factors
    progressive: bool

    def mcus(self, scan_components: list[int]) -> int:
        """Coded units in a scan of these components (ITU T.81 A.2); 0 if the header cannot tell."""
        if not self.sampling or not (self.width and self.height):
            return 0
        h_max = max(h for h, _ in self.sampling.values())
        v_max = max(v for _, v in self.sampling.values())
        if not (h_max and v_max):
            return 0
        if len(scan_components) == 1 and scan_components[0] in self.sampling:
            h, v = self.sampling[scan_components[0]]
            return (math.ceil(math.ceil(self.width * h / h_max) / 8)
                    * math.ceil(math.ceil(self.height * v / v_max) / 8))
        return math.ceil(self.width / (8 * h_max)) * math.ceil(self.height / (8 * v_max))


@dataclass(frozen=True)
class JpegLayout:
    data: bytes
    scan_ends: tuple[int, ...]  # where each scan's coded data stops (the next marker, fill bytes included)
    end: int  # where the end-of-image marker is
    incomplete: bool  # a scan lacks restart markers its size needs, or a progressive image lacks scans

    def padded(self, padding: bytes) -> bytes:
        """The same image with padding (no 0xff) after every scan. Where a scan is whole the decoder skips
        it and the pixels are identical; where it stops early the decoder reads it as image data."""
        parts, start = [], 0
        for end in self.scan_ends:
            parts += [self.data[start:end], padding]
            start = end
        parts += [self.data[start:self.end], b"\xff\xd9"]
        return b"".join(parts)


def jpeg_layout(data: bytes) -> JpegLayout | None:
    """The scans of the first image of a Huffman-coded JPEG stream; None if there is no end-of-image marker
    (a decoder then runs out of data and says so itself) or no frame header this module reads."""
    if data[:2] != b"\xff\xd8":
        return None
    frame: _Frame | None = None
    interval, ends, incomplete = 0, [], False
    precision: dict[int, list[int | None]] = {}  # progressive: last bit position sent, per coefficient
    pos = 2
    while (found := _MARKER.search(data, pos)) is not None:
        marker, pos = found.group(1)[0], found.end()
        if marker == _EOI:
            if frame is None:
                return None
            if frame.progressive:  # every coefficient of every component sent down to its last bit
                incomplete |= any(precision.get(c) != [0] * 64 for c in frame.sampling)
            return JpegLayout(data, tuple(ends), found.start(), incomplete)
        if marker in _STANDALONE:
            continue
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2 or pos + length > len(data):
            return None
        body, pos = data[pos + 2:pos + length], pos + length
        if marker in _HUFFMAN_FRAMES and frame is None:
            frame = _frame(body, _HUFFMAN_FRAMES[marker])
        elif marker == _DRI and len(body) >= 2:
            interval = int.from_bytes(body[:2], "big")
        elif marker == _SOS:
            end = _SCAN_END.search(data, pos)
            if end is None or frame is None or not body or len(body) < 2 * body[0] + 4:
                return None
            components = [body[1 + 2 * i] for i in range(body[0])]
            if interval and (mcus := frame.mcus(components)):
                incomplete |= len(_RESTART.findall(data, pos, end.start())) < math.ceil(mcus / interval) - 1
            start, stop, low_bit = body[-3], min(body[-2], 63), body[-1] & 0x0F
            for component in components:
                bits = precision.setdefault(component, [None] * 64)
                bits[start:stop + 1] = [low_bit] * len(range(start, stop + 1))
            ends.append(end.start())
            pos = end.start()
    return None


def _frame(body: bytes, progressive: bool) -> _Frame | None:
    if len(body) < 6 or len(body) < 6 + 3 * body[5]:
        return None
    sampling = {body[6 + 3 * i]: (body[7 + 3 * i] >> 4, body[7 + 3 * i] & 0x0F) for i in range(body[5])}
    return _Frame(int.from_bytes(body[3:5], "big"), int.from_bytes(body[1:3], "big"), sampling, progressive)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def png_rows_missing(data: bytes) -> bool:
    """True if the image data inflates to fewer bytes than the header's rows need (or cannot be inflated)."""
    if data[:8] != _PNG_SIGNATURE:
        return False
    header, chunks, pos = b"", [], 8
    while pos + 8 <= len(data):
        length, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        if kind == b"IHDR":
            header = data[pos + 8:pos + 8 + length]
        elif kind == b"IDAT":
            chunks.append(data[pos + 8:pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    if len(header) < 13 or header[9] not in _PNG_CHANNELS:
        return False  # Pillow has read this header, so it will not happen
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    bits = header[8] * _PNG_CHANNELS[header[9]]
    passes = _ADAM7 if header[12] == 1 else ((0, 0, 1, 1),)
    needed = 0
    for x, y, dx, dy in passes:
        columns, rows = math.ceil(max(0, width - x) / dx), math.ceil(max(0, height - y) / dy)
        if columns and rows:
            needed += rows * (1 + math.ceil(columns * bits / 8))  # each row starts with its filter byte
    inflater, pending, produced = zlib.decompressobj(), b"".join(chunks), 0
    try:
        while produced < needed:
            produced += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
            if not pending:
                produced += len(inflater.flush())
                break
    except zlib.error:
        return True
    return produced < needed
