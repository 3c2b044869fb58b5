"""Artwork image derivatives: responsive sizes, an Open Graph image and a full-size copy of each
artwork, upright, metadata-free and sRGB, made in parallel into a content-addressed cache."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from PIL import Image, ImageCms, UnidentifiedImageError, features

from .progress import progress_bar

# Part of every derivative's name: bump it whenever the pixels or bytes a given spec produces change,
# so that caches from older versions are never served.
PIPELINE_VERSION = "1"

OG_WIDTH = 1200
RESAMPLE = Image.Resampling.LANCZOS
# Pillow's reduce() before LANCZOS once the factor passes 3: its docs call the result
# indistinguishable from plain resampling, and it makes huge sources cheap.
REDUCING_GAP = 3.0

# Pillow's names for the formats editors may use (content-format.md); a camera's MPO is a JPEG.
SOURCE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF")
_JPEG_FORMATS = ("JPEG", "MPO")
_SOURCE_FORMATS_TEXT = "JPEG, PNG, WebP, GIF or TIFF"

# output format -> (file extension, MIME type, Pillow format)
OUTPUT_FORMATS = {
    "webp": ("webp", "image/webp", "WEBP"),
    "jpeg": ("jpg", "image/jpeg", "JPEG"),
    "png": ("png", "image/png", "PNG"),
    "avif": ("avif", "image/avif", "AVIF"),
}
_LOSSY = ("webp", "jpeg", "avif")
# Only files that look like ours are ever pruned, so a mistyped cache folder loses nothing else.
_DERIVATIVE_NAME = re.compile(r"-[0-9a-f]{10}\.(?:webp|jpg|png|avif)$")
_TEMP_PREFIX = ".tmp-"


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("webp", "jpeg")
    quality: int = 80
    max_pixels: int = 60_000_000

    def __post_init__(self) -> None:
        # Config mistakes are reported when the settings are made, not half-way through a build.
        if not self.widths or any(not isinstance(w, int) or w < 1 for w in self.widths):
            raise ValueError(f"images.widths must be positive whole numbers, not {list(self.widths)}")
        if not self.formats:
            raise ValueError("images.formats must name at least one format")
        for name in self.formats:
            if name not in OUTPUT_FORMATS:
                raise ValueError(f"unknown image format {name!r}: use one of {', '.join(OUTPUT_FORMATS)}")
            if name == "avif" and not features.check("avif"):
                raise ValueError("images.formats has avif, but this Pillow was built without AVIF")
        if not 1 <= self.quality <= 100:
            raise ValueError(f"images.quality must be between 1 and 100, not {self.quality}")
        if self.max_pixels < 1:
            raise ValueError("images.max_pixels must be positive")


@dataclass(frozen=True)
class Derivative:
    name: str  # file name only, content-addressed, e.g. "blue-river-960w-3f2a9c1b2d.webp"
    format: str  # "webp" | "jpeg" | "png" | "avif"
    mime: str
    width: int
    height: int


@dataclass(frozen=True)
class ArtworkImage:
    width: int  # upright size of the source
    height: int
    placeholder: str  # "#rrggbb"
    has_alpha: bool
    sources: tuple[Derivative, ...]  # by format in settings order, ascending width
    fallback: Derivative  # the largest jpeg/png responsive derivative, for <img src>
    full: Derivative  # full-size, stripped
    og: Derivative  # 1200 px wide jpeg


class ImageError(Exception):
    """A problem with one image an editor can act on; str() is the message without the path."""


@dataclass
class ImageStats:
    processed: int  # source images decoded and processed in this run
    cached: int  # source images whose derivatives were all already in the cache


@dataclass(frozen=True)
class _SourceInfo:
    """What plan() needs to know about a source; stored as JSON so a warm build never decodes."""

    width: int  # upright
    height: int
    has_alpha: bool
    placeholder: str
    # A plain upright sRGB JPEG: its full-size derivative is the original stream minus metadata,
    # which is lossless and costs no encoding.
    copy_full: bool


@dataclass(frozen=True)
class _Output:
    """One file a worker writes; kind is "responsive", "fallback" (an <img src> the settings'
    formats did not provide), "og" or "full"."""

    name: str
    kind: str
    format: str
    width: int
    height: int
    quality: int


@dataclass(frozen=True)
class _Task:
    """All missing outputs of one source, so that it is decoded once."""

    source: Path
    source_hash: str
    has_alpha: bool
    copy_full: bool
    # Sizes to resize through, largest first; every output that needs pixels is one of them.
    ladder: tuple[tuple[int, int], ...]
    outputs: tuple[_Output, ...]
    cache_dir: Path
    max_pixels: int


class ImagePipeline:
    """Plans derivatives while pages render and makes the missing ones afterwards in run()."""

    def __init__(self, settings: ImageSettings, cache_dir: Path) -> None:
        self.settings = settings
        self.cache_dir = Path(cache_dir)
        self.meta_dir = self.cache_dir / "meta"
        self.meta_dir.mkdir(parents=True, exist_ok=True)
        self._existing: set[str] | None = None  # derivative names in the cache, listed once
        self._used: dict[str, Path] = {}
        self._used_meta: set[str] = set()
        self._queue: dict[tuple[str, str], tuple[_Task, _SourceInfo]] = {}
        self._cached: set[tuple[str, str]] = set()

    # -- planning --------------------------------------------------------------------------

    def plan(self, source: Path, slug: str) -> ArtworkImage:
        """Read the source (bytes for the hash, header for the size/orientation), queue the missing
        derivatives, return what the markup needs. Raises ImageError."""
        if not slug or "/" in slug or "\\" in slug or slug.startswith("."):
            raise ValueError(f"not a usable slug for a file name: {slug!r}")
        source = Path(source)
        data = _read(source)
        source_hash = hashlib.sha256(data).hexdigest()
        meta_path = self.meta_dir / f"{source_hash}.json"
        info = _load_meta(meta_path)
        fresh = info is None
        if info is None:
            info = _inspect(data, self.settings.max_pixels)
        else:
            # The limit may have been lowered since the metadata was stored.
            _check_pixels(info.width, info.height, self.settings.max_pixels)

        outputs, ladder = self._outputs(slug, source_hash, info)
        artwork = self._artwork(info, outputs)
        for output in outputs:
            self._used[output.name] = self.cache_dir / output.name
        self._used_meta.add(meta_path.name)

        key = (slug, source_hash)
        missing = tuple(o for o in outputs if o.name not in self._existing_names())
        if missing:
            task = _Task(source, source_hash, info.has_alpha, info.copy_full, ladder, missing,
                         self.cache_dir, self.settings.max_pixels)
            self._queue[key] = (task, info)
        else:
            self._cached.add(key)
            if fresh:  # derivatives survived but their metadata did not
                _write_atomic(meta_path, _dump_meta(info))
        return artwork

    def _outputs(self, slug: str, source_hash: str, info: _SourceInfo
                 ) -> tuple[list[_Output], tuple[tuple[int, int], ...]]:
        """Every file this source needs, and the sizes the worker resizes through to make them."""
        settings = self.settings
        universal = "png" if info.has_alpha else "jpeg"
        formats = list(dict.fromkeys(
            universal if f == "jpeg" else f for f in settings.formats))
        # Never upscale: widths at or over the source's collapse into the source's own width.
        widths = sorted({w for w in settings.widths if w < info.width})
        if any(w >= info.width for w in settings.widths):
            widths.append(info.width)
        # <img src> needs a format every browser shows, even if the settings left it out.
        fallback = [] if {"jpeg", "png"} & set(formats) else [(universal, widths[-1], "fallback")]

        wanted = [(fmt, w, "responsive") for fmt in formats for w in widths] + fallback
        wanted.append(("jpeg", min(OG_WIDTH, info.width), "og"))
        wanted.append((universal, info.width, "full"))

        sizes = {(w, self._height(info, w)) for _, w, kind in wanted
                 if not (kind == "full" and info.copy_full)}
        ladder = tuple(sorted(sizes, reverse=True))

        outputs: dict[str, _Output] = {}
        for fmt, width, kind in wanted:
            height = self._height(info, width)
            quality = settings.quality if fmt in _LOSSY else 0
            copied = kind == "full" and info.copy_full
            # The name covers everything the bytes depend on: the source, this output's spec, the
            # sizes it was resized through, and the pipeline's code.
            spec = [PIPELINE_VERSION, source_hash, kind, fmt, width, height, quality,
                    "copy" if copied else [s for s in ladder if s > (width, height)]]
            digest = hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:10]
            label = kind if kind in ("og", "full") else f"{width}w"
            name = f"{slug}-{label}-{digest}.{OUTPUT_FORMATS[fmt][0]}"
            outputs[name] = _Output(name, kind, fmt, width, height, quality)
        return list(outputs.values()), ladder

    @staticmethod
    def _height(info: _SourceInfo, width: int) -> int:
        return max(1, round(info.height * width / info.width))

    def _artwork(self, info: _SourceInfo, outputs: list[_Output]) -> ArtworkImage:
        def derivative(o: _Output) -> Derivative:
            return Derivative(o.name, o.format, OUTPUT_FORMATS[o.format][1], o.width, o.height)

        responsive = [o for o in outputs if o.kind == "responsive"]  # already in markup order
        universal = "png" if info.has_alpha else "jpeg"
        fallback = max((o for o in outputs if o.kind in ("responsive", "fallback")
                        and o.format in ("jpeg", "png")),
                       key=lambda o: (o.format == universal, o.width))
        (og,) = (o for o in outputs if o.kind == "og")
        (full,) = (o for o in outputs if o.kind == "full")
        return ArtworkImage(info.width, info.height, info.placeholder, info.has_alpha,
                            tuple(derivative(o) for o in responsive), derivative(fallback),
                            derivative(full), derivative(og))

    def _existing_names(self) -> set[str]:
        if self._existing is None:
            self._existing = {e.name for e in os.scandir(self.cache_dir) if e.is_file()}
        return self._existing

    # -- processing ------------------------------------------------------------------------

    def run(self, workers: int | None = None, progress: bool = False
            ) -> tuple[ImageStats, list[tuple[Path, str]]]:
        """Process the queue; returns stats and (source path, error message) for images that
        failed to decode. Nothing partial is left in the cache for a failed image."""
        # Biggest first, so that no large image starts last and keeps one core busy alone.
        queued = sorted(self._queue.values(), key=lambda item: -item[1].width * item[1].height)
        stats = ImageStats(processed=0, cached=len(self._cached))
        self._queue, self._cached = {}, set()
        errors: list[tuple[Path, str]] = []

        def finished(task: _Task, info: _SourceInfo, error: str | None) -> None:
            if error is not None:
                errors.append((task.source, error))
                return
            _write_atomic(self.meta_dir / f"{task.source_hash}.json", _dump_meta(info))
            self._existing_names().update(o.name for o in task.outputs)
            stats.processed += 1

        workers = workers or _cpu_count()
        if workers > 1 and len(queued) > 1:
            # Processes, not threads: resizing and encoding hold the GIL. Everything is submitted
            # before the progress bar starts its thread, as the workers are forked on submit.
            with ProcessPoolExecutor(max_workers=min(workers, len(queued))) as pool:
                futures = {pool.submit(_process, task): (task, info) for task, info in queued}
                with progress_bar(progress, "Images", len(queued)) as advance:
                    for future in as_completed(futures):
                        try:
                            error = future.result()
                        except BrokenProcessPool:
                            error = "the image worker stopped unexpectedly (out of memory?)"
                        finished(*futures[future], error)
                        advance()
        else:
            with progress_bar(progress, "Images", len(queued)) as advance:
                for task, info in queued:
                    finished(task, info, _process(task))
                    advance()
        errors.sort(key=lambda e: str(e[0]))
        return stats, errors

    # -- the cache -------------------------------------------------------------------------

    def file(self, name: str) -> Path:
        """Path in the cache of a derivative produced or found by this build."""
        try:
            return self._used[name]
        except KeyError:
            raise KeyError(f"{name} is not a derivative planned by this build") from None

    def used(self) -> dict[str, Path]:
        """Every derivative name this build planned -> cache path."""
        return dict(self._used)

    def prune(self) -> int:
        """Delete cache files (and metadata) not planned by this pipeline; returns how many.
        Only call it after a build that planned every artwork."""
        removed = 0
        for folder, keep, ours in (
            (self.cache_dir, self._used, lambda n: bool(_DERIVATIVE_NAME.search(n))),
            (self.meta_dir, self._used_meta, lambda n: n.endswith(".json")),
        ):
            for entry in os.scandir(folder):
                name = entry.name
                if entry.is_file() and name not in keep and (ours(name) or name.startswith(_TEMP_PREFIX)):
                    os.unlink(entry.path)
                    removed += 1
                    if self._existing is not None:
                        self._existing.discard(name)
        return removed


# -- reading and checking a source ---------------------------------------------------------

def _read(source: Path) -> bytes:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ImageError(f"cannot read the file: {error.strerror or error}") from None
    if not data:
        raise ImageError("the file is empty")
    return data


@contextmanager
def _pillow_limits(max_pixels: int) -> Iterator[None]:
    """Pillow's decompression-bomb guard at our limit, its warning raised as an error. Pillow's
    other warnings (odd but readable files) are silenced: an editor could do nothing about them."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise ImageError(f"the image is too large: {bomb}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width * height > max_pixels:
        raise ImageError(f"the image is too large: {width} × {height} = {width * height} pixels "
                         f"is over the limit of {max_pixels} pixels")


def _open(data: bytes) -> Image.Image:
    """Open from the header only: the format is checked here and, inside _pillow_limits, Pillow
    checks the pixel count before anything is decoded."""
    try:
        img = Image.open(io.BytesIO(data), formats=SOURCE_FORMATS)
    except UnidentifiedImageError:
        try:
            other = Image.open(io.BytesIO(data)).format
        except Exception:  # whatever Pillow raises, it cannot read it
            other = None
        if other:
            raise ImageError(f"unsupported image format {other}: use {_SOURCE_FORMATS_TEXT}") from None
        raise ImageError(f"not an image file ({_SOURCE_FORMATS_TEXT}) or its header is damaged") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise ImageError(f"the image header is damaged: {error}") from None
    return img


def _decode(img: Image.Image) -> Image.Image:
    try:
        img.load()
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise ImageError(f"the image data is truncated or damaged: {error}") from None
    return img


# How to turn each EXIF orientation upright: the table ImageOps.exif_transpose uses, applied from
# _orientation() so that plan() and the workers can never disagree about a broken EXIF block.
_UPRIGHTING = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # a broken EXIF block counts as none, as it does in browsers
        return 1


def _upright(img: Image.Image, orientation: int) -> Image.Image:
    method = _UPRIGHTING.get(orientation)
    return img.transpose(method) if method is not None else img


def _inspect(data: bytes, max_pixels: int) -> _SourceInfo:
    """Validate a source and measure it; a JPEG is decoded at 1/8 scale, which costs a few ms."""
    with _pillow_limits(max_pixels):
        img = _open(data)
        width, height = img.size
        is_jpeg = img.format in _JPEG_FORMATS
        plain_jpeg = (is_jpeg and img.mode in ("RGB", "L")
                      and _source_profile(img.info.get("icc_profile")) is None)
        if is_jpeg:
            # The DCT decode still reads every byte, so a truncated JPEG is caught here too.
            img.draft(None, (64, 64))
        _decode(img)
        orientation = _orientation(img)
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        copy_full = plain_jpeg and orientation == 1 and _jpeg_without_metadata(data) is not None
        img = _to_srgb(img)
        has_alpha = img.mode == "RGBA" and img.getchannel("A").getextrema()[0] < 255
    return _SourceInfo(width, height, has_alpha, _average_colour(img), copy_full)


def _average_colour(img: Image.Image) -> str:
    # BOX to one pixel is the exact mean; on RGBA Pillow weights it by alpha, so the
    # transparent parts do not grey the colour.
    pixel = img.resize((1, 1), Image.Resampling.BOX).convert("RGB").getpixel((0, 0))
    return "#{:02x}{:02x}{:02x}".format(*pixel)


# -- colour --------------------------------------------------------------------------------

_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N", "I")


@lru_cache(maxsize=1)
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@lru_cache(maxsize=32)
def _source_profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    """The embedded profile if it needs converting: None when absent, sRGB or unreadable."""
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        description = ImageCms.getProfileDescription(profile)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile is ignored, as browsers do
    return None if description.strip().lower().startswith("srgb") else profile


@lru_cache(maxsize=32)
def _to_srgb_transform(icc: bytes, mode: str) -> ImageCms.ImageCmsTransform | None:
    profile = _source_profile(icc)
    if profile is None:
        return None
    try:
        return ImageCms.buildTransform(profile, _srgb(), mode, "RGB",
                                       ImageCms.Intent.PERCEPTUAL)
    except ImageCms.PyCMSError:
        return None  # a profile that does not fit the pixels (e.g. RGB profile on CMYK)


def _to_srgb(img: Image.Image) -> Image.Image:
    """8-bit sRGB pixels in mode L, RGB or RGBA, whatever mode and profile the source had."""
    mode = img.mode
    icc = img.info.get("icc_profile")
    try:
        if mode in _SIXTEEN_BIT:  # 16-bit grey: scale, as convert("L") would clip at 255
            img = img.point(lambda v: v / 257 + 0.5).convert("L")
        elif mode == "1":
            img = img.convert("L")
        if img.mode in ("P", "PA") or "transparency" in img.info:
            has_transparency = img.mode == "PA" or "transparency" in img.info
            img = img.convert("RGBA" if has_transparency else "RGB")
        alpha = None
        if "A" in img.getbands() or img.mode in ("La", "RGBa"):
            img = img.convert("LA" if img.mode in ("LA", "La") else "RGBA")
            alpha = img.getchannel("A")
            img = img.convert("L" if img.mode == "LA" else "RGB")
        transform = _to_srgb_transform(icc, img.mode) if icc else None
        if transform is not None:
            img = ImageCms.applyTransform(img, transform)
        elif img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
    except (ValueError, OSError, ImageCms.PyCMSError) as error:
        raise ImageError(f"unsupported colour mode {mode}: {error}") from None
    if alpha is not None:
        img = img.convert("RGBA")
        img.putalpha(alpha)
    return img


# -- making derivatives (runs in worker processes) -----------------------------------------

def _process(task: _Task) -> str | None:
    """Make one source's missing outputs; the error message if it failed."""
    try:
        _make_outputs(task)
    except ImageError as error:
        return str(error)
    except MemoryError:
        return "not enough memory to process the image"
    except Exception as error:  # collect, don't crash: one odd file must not stop the build
        return f"could not process the image ({type(error).__name__}: {error})"
    return None


def _make_outputs(task: _Task) -> None:
    data = _read(task.source)
    if hashlib.sha256(data).hexdigest() != task.source_hash:
        raise ImageError("the file changed during the build; build again")
    encoded: dict[str, bytes] = {}
    for output in task.outputs:
        if output.kind == "full" and task.copy_full:
            stream = _jpeg_without_metadata(data)
            if stream is None:  # plan() checked these very bytes, so only if something is amiss
                raise ImageError("the JPEG data is damaged")
            encoded[output.name] = stream
    pending = [o for o in task.outputs if o.name not in encoded]
    if pending:
        with _pillow_limits(task.max_pixels):
            for size, current in _resized(_open(data), task):
                for output in pending:
                    if (output.width, output.height) == size:
                        encoded[output.name] = _encode(current, output)
    # Every output is encoded before any is written, so a failure leaves nothing behind.
    for name, content in encoded.items():
        _write_atomic(task.cache_dir / name, content)


def _resized(img: Image.Image, task: _Task) -> Iterator[tuple[tuple[int, int], Image.Image]]:
    """The decoded source at each ladder size, largest first, each made from the one before:
    resizing an already smaller image is much cheaper than starting from the source each time."""
    if img.format in _JPEG_FORMATS:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when even twice the largest size needs
        # less (as Image.thumbnail does); the ladder is part of every name, so this stays
        # deterministic. A JPEG's EXIF is in its header, readable before decoding.
        top_width, top_height = task.ladder[0]
        swap = _orientation(img) in (5, 6, 7, 8)
        request = (top_height, top_width) if swap else (top_width, top_height)
        img.draft(None, (request[0] * 2, request[1] * 2))
    _decode(img)  # before _orientation: a PNG may keep its EXIF after the pixel data
    img = _to_srgb(_upright(img, _orientation(img)))
    if img.mode == "RGBA" and not task.has_alpha:
        img = img.convert("RGB")
    # Savers copy comments, ICC profiles and EXIF from info; an empty info leaves only pixels.
    img.info = {}
    for size in task.ladder:
        if img.size != size:
            img = img.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)
        yield size, img


def _encode(img: Image.Image, output: _Output) -> bytes:
    buffer = io.BytesIO()
    pillow_format = OUTPUT_FORMATS[output.format][2]
    if output.format == "jpeg" and img.mode == "RGBA":  # only the og image: flatten onto white
        background = Image.new("RGB", img.size, "white")
        background.paste(img, mask=img.getchannel("A"))
        img = background
    options = {"quality": output.quality} if output.format in _LOSSY else {}
    img.save(buffer, pillow_format, **options)
    return buffer.getvalue()


# Segments a browser needs to draw a JPEG; everything else (APPn: JFIF, EXIF, XMP, ICC, IPTC,
# maker notes; COM) is metadata. APP14 "Adobe" stays because it says how the colours are coded.
_JPEG_SOF = (0xC0, 0xC1, 0xC2)  # baseline, extended and progressive Huffman: what browsers decode
_JPEG_TABLES = (0xC4, 0xDB, 0xDD)  # DHT, DQT, DRI
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # in scan data: not stuffing, not a restart


def _jpeg_without_metadata(data: bytes) -> bytes | None:
    """The JPEG stream with its metadata segments dropped and anything after EOI cut (MPO and
    phone trailers hide more metadata there), or None if it is not a JPEG a browser can show."""
    if data[:2] != b"\xff\xd8":
        return None
    parts = [b"\xff\xd8"]
    pos, seen_frame = 2, False
    while pos + 1 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return b"".join(parts + [b"\xff\xd9"]) if seen_frame else None
        if pos + 4 > len(data):
            return None
        end = pos + 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if end > len(data) or end < pos + 4:
            return None
        if marker in _JPEG_SOF:
            if data[pos + 4] != 8:  # 12-bit JPEGs do not show in browsers
                return None
            seen_frame = True
            parts.append(data[pos:end])
        elif marker in _JPEG_TABLES or (marker == 0xEE and data[pos + 4:pos + 9] == b"Adobe"):
            parts.append(data[pos:end])
        elif marker == 0xDA:  # start of scan: header plus entropy-coded data up to the next marker
            if not seen_frame:
                return None
            found = _JPEG_MARKER.search(data, end)
            if found is None:
                return None
            end = found.start()
            parts.append(data[pos:end])
        elif not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            return None  # arithmetic coding, lossless, hierarchical: re-encode instead
        pos = end
    return None  # no EOI: truncated


# -- small helpers -------------------------------------------------------------------------

def _write_atomic(path: Path, content: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    fd, temp = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _load_meta(path: Path) -> _SourceInfo | None:
    try:
        stored = json.loads(path.read_text("utf-8"))
        if stored.pop("pipeline") != PIPELINE_VERSION:
            return None
        return _SourceInfo(**stored)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or unreadable: measure the source again


def _dump_meta(info: _SourceInfo) -> bytes:
    return json.dumps({"pipeline": PIPELINE_VERSION, **info.__dict__}, sort_keys=True).encode()


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:
        return os.cpu_count() or 1
