"""How long a recording runs, read from the media file itself rather than from what its sidecar says.

MP4, M4A, MP3 and Ogg (Vorbis, Opus) are read with TinyTag (PyPI `tinytag`, MIT licence, no dependencies),
which reads only the headers it needs: the `mvhd`/`mdhd` boxes of MP4, the Xing/VBRI header or the frames
of MP3, the last page's granule position of Ogg. WebM, which TinyTag does not read, is read here: its
EBML header, then the Segment's Info (Duration x TimecodeScale), or, in a file recorded live without a
Duration, the timecode of its last block. Nothing is decoded and nothing outside the file is run.
"""

from __future__ import annotations

import math
import os
import re
import struct
from pathlib import Path
from typing import BinaryIO

# Seconds by which an editor's `duration` may differ from the file before it is a warning: players round
# the running time down or to the nearest second, so "0:24" is right for 23.6 s and for 24.4 s.
TOLERANCE = 1.0


class MediaFileError(Exception):
    """The file's running time cannot be read; str() says why, in plain words."""


def not_its_kind(path: Path) -> bool:
    """True when the file's first bytes are certainly not those of a file of its kind (a text or an image saved under
    a recording's name): WebM starts with an EBML header, MP4 and M4A with a box (ftyp, moov, ...), Ogg with OggS,
    MP3 with an ID3 tag or a frame's sync bits. False when it may be one (or cannot be read: reading says why)."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
    except OSError:
        return False
    suffix = Path(path).suffix.lower()
    if suffix == ".webm":
        return head[:4] != b"\x1a\x45\xdf\xa3"
    if suffix in (".mp4", ".m4a"):
        return head[4:8] not in (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot")
    if suffix == ".ogg":
        return head[:4] != b"OggS"
    if suffix == ".mp3":
        return not (head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0))
    return False


def duration_seconds(path: Path) -> float:
    """The running time of a video or audio file in seconds (MediaFileError if it cannot be read)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".webm":
            with open(path, "rb") as file:
                seconds = _webm_duration(file, os.fstat(file.fileno()).st_size)
        else:
            seconds = _tinytag_duration(path)
    except MediaFileError:
        raise
    except OSError as exc:
        raise MediaFileError(f"it cannot be read ({exc.strerror or exc})") from exc
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        raise MediaFileError("it does not say how long it runs (is it a whole recording?)")
    return seconds


def _whole(seconds: float) -> int:
    """Whole seconds as players count them: cut, not rounded (a 24.9 s film shows 0:24), and at least 1."""
    return max(1, int(seconds))


def clock(seconds: float) -> str:
    """A running time as players show it: 0:24, 4:05, 1:02:07."""
    hours, rest = divmod(_whole(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    """The same for structured data (schema.org duration): PT24S, PT4M5S, PT1H2M7S."""
    hours, rest = divmod(_whole(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")


def parse_clock(text: str) -> float | None:
    """An editor's running time in seconds: "0:24", "4:05", "1:02:07", "24" or ISO "PT4M5S"; None if unreadable."""
    text = str(text).strip()
    if text.upper().startswith("PT"):
        match = re.fullmatch(r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", text.upper())
        if not match or not any(match.groups()):
            return None
        h, m, s = (float(g or 0) for g in match.groups())
        return h * 3600 + m * 60 + s
    parts = text.split(":")
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if any(n < 0 for n in numbers) or any(n >= 60 for n in numbers[1:]):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


# --- MP4, MP3, Ogg: TinyTag -----------------------------------------------------------------------


def _tinytag_duration(path: Path) -> float | None:
    try:
        from tinytag import TinyTag, TinyTagException
    except ImportError as exc:  # a dependency of showcase; only a broken install lacks it
        raise MediaFileError("its running time cannot be read: the tinytag package is not installed "
                             "(pip install tinytag)") from exc
    try:
        return TinyTag.get(str(path), tags=False, duration=True).duration
    except TinyTagException as exc:
        raise MediaFileError(f"it is not a {path.suffix.lstrip('.').upper()} file that can be read ({exc})") from exc
    except (ValueError, struct.error, IndexError, KeyError, ZeroDivisionError, EOFError) as exc:
        raise MediaFileError(f"it is damaged or not a {path.suffix.lstrip('.').upper()} file") from exc


# --- WebM (Matroska): a small EBML reader ---------------------------------------------------------

_EBML = 0x1A45DFA3
_DOC_TYPE = 0x4282
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_CLUSTER = 0x1F43B675
_CLUSTER_TIMECODE = 0xE7
_SIMPLE_BLOCK = 0xA3
_BLOCK_GROUP = 0xA0
_BLOCK = 0xA1
_BLOCK_DURATION = 0x9B
# Elements that may follow a cluster of unknown size at the Segment's level: where such a cluster ends.
_TOP_LEVEL = {_CLUSTER, 0x114D9B74, _INFO, 0x1654AE6B, 0x1C53BB6B, 0x1941A469, 0x1043A770, 0x1254C367}
_UNKNOWN = -1
_MAX_ELEMENTS = 2_000_000  # a damaged file must not keep the reader going for ever


def _webm_duration(file: BinaryIO, size: int) -> float:
    reader = _Ebml(file, size)
    element, length, start = reader.element(0)
    if element != _EBML:
        raise MediaFileError("it is not a WebM file (no EBML header)")
    doc_type = None
    for child, child_length, child_start in reader.children(start, length):
        if child == _DOC_TYPE:
            doc_type = reader.read(child_start, child_length).rstrip(b"\0").decode("ascii", "replace")
    if doc_type not in (None, "webm", "matroska"):
        raise MediaFileError(f"it is a {doc_type} file, not WebM")
    position = start + length
    while position < size:
        element, length, start = reader.element(position)
        if element == _SEGMENT:
            return _segment_duration(reader, start, length)
        if length == _UNKNOWN:
            break
        position = start + length
    raise MediaFileError("it is not a WebM file that can be read (no Segment)")


def _segment_duration(reader: "_Ebml", start: int, length: int) -> float:
    scale, duration = 1_000_000, None  # nanoseconds per timecode unit; Matroska's default
    last_end = None  # timecode units: the end of the last block seen
    for element, child_length, child_start in reader.children(start, length, top_level=True):
        if element == _INFO:
            for info, info_length, info_start in reader.children(child_start, child_length):
                if info == _TIMECODE_SCALE:
                    scale = reader.uint(info_start, info_length) or scale
                elif info == _DURATION:
                    duration = reader.float(info_start, info_length)
            if duration:
                return duration * scale / 1e9
        elif element == _CLUSTER:
            end = _cluster_end(reader, child_start, child_length)
            if end is not None:
                last_end = end if last_end is None else max(last_end, end)
    if last_end is None:
        raise MediaFileError("it does not say how long it runs (no Duration and no frames)")
    return last_end * scale / 1e9


def _cluster_end(reader: "_Ebml", start: int, length: int) -> int | None:
    """The end of the cluster's last block in timecode units (a block without a duration counts as its start)."""
    timecode, end = 0, None
    for element, child_length, child_start in reader.children(start, length, in_cluster=True):
        if element == _CLUSTER_TIMECODE:
            timecode = reader.uint(child_start, child_length)
        elif element == _SIMPLE_BLOCK:
            at = timecode + reader.block_timecode(child_start, child_length)
            end = at if end is None else max(end, at)
        elif element == _BLOCK_GROUP:
            at, lasts = None, 0
            for part, part_length, part_start in reader.children(child_start, child_length):
                if part == _BLOCK:
                    at = timecode + reader.block_timecode(part_start, part_length)
                elif part == _BLOCK_DURATION:
                    lasts = reader.uint(part_start, part_length)
            if at is not None:
                end = at + lasts if end is None else max(end, at + lasts)
    return end


class _Ebml:
    """Reads EBML elements (ID, size, where the data starts) from a file by seeking, never reading a payload
    it does not need."""

    def __init__(self, file: BinaryIO, size: int) -> None:
        self.file, self.size, self.count = file, size, 0

    def read(self, position: int, length: int) -> bytes:
        self.file.seek(position)
        data = self.file.read(length)
        if len(data) != length:
            raise MediaFileError("it stops part-way (the file is cut short)")
        return data

    def _vint(self, position: int, keep_marker: bool) -> tuple[int, int]:
        first = self.read(position, 1)[0]
        if first == 0:
            raise MediaFileError("it is damaged (a length that cannot be read)")
        width = 8 - first.bit_length() + 1
        data = self.read(position, width)
        value = int.from_bytes(data, "big")
        if not keep_marker:
            value &= (1 << (7 * width)) - 1
            if value == (1 << (7 * width)) - 1:
                value = _UNKNOWN  # all ones: "unknown size", the element runs on to its parent's end
        return value, width

    def element(self, position: int) -> tuple[int, int, int]:
        self.count += 1
        if self.count > _MAX_ELEMENTS:
            raise MediaFileError("it is damaged or too unusual to read (too many elements)")
        element, id_width = self._vint(position, keep_marker=True)
        length, size_width = self._vint(position + id_width, keep_marker=False)
        start = position + id_width + size_width
        if length != _UNKNOWN and start + length > self.size:
            length = self.size - start  # cut short: read what is there
        return element, length, start

    def children(self, start: int, length: int, top_level: bool = False, in_cluster: bool = False):
        end = self.size if length == _UNKNOWN else start + length
        position = start
        while position < end:
            element, child_length, child_start = self.element(position)
            if length == _UNKNOWN and in_cluster and element in _TOP_LEVEL:
                return  # the next cluster (or cues...) begins: a cluster of unknown size ends here
            yield element, child_length, child_start
            if child_length == _UNKNOWN:
                if element == _CLUSTER and top_level:
                    position = self._skip_unknown_cluster(child_start)
                    continue
                return
            position = child_start + child_length

    def _skip_unknown_cluster(self, start: int) -> int:
        position = start
        while position < self.size:
            element, length, child_start = self.element(position)
            if element in _TOP_LEVEL or length == _UNKNOWN:
                return position
            position = child_start + length
        return self.size

    def uint(self, start: int, length: int) -> int:
        return int.from_bytes(self.read(start, length), "big") if 0 < length <= 8 else 0

    def float(self, start: int, length: int) -> float | None:
        if length == 4:
            return struct.unpack(">f", self.read(start, 4))[0]
        if length == 8:
            return struct.unpack(">d", self.read(start, 8))[0]
        return None

    def block_timecode(self, start: int, length: int) -> int:
        """A (Simple)Block's timecode, relative to its cluster: a signed 16-bit number after the track number."""
        _, width = self._vint(start, keep_marker=False)
        if width + 2 > length:
            raise MediaFileError("it is damaged (a frame too short to read)")
        return struct.unpack(">h", self.read(start + width, 2))[0]
