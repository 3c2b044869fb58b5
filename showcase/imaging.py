"""The pixel work on artwork images: open a source and check it (format, size, data that stops early) and
measure it (inspect, while planning), then make its derivatives (and its deep-zoom tiles, tiles.py) from the
pixels alone, upright, sRGB, resized and encoded afresh, so that neither the original's bytes nor any of its
metadata reach the site (process, in worker processes)."""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from PIL import Image, ImageCms, ImageFile, JpegImagePlugin, UnidentifiedImageError
from PIL import __version__ as PILLOW_VERSION

from . import truncation
from .imagecache import write_atomic
from .tiles import Pyramid, TileJob

# Part of every derivative's name and cache record, so that caches from older versions are never served: bump
# the number whenever the pixels or bytes a given spec produces change. Pillow's codecs make the bytes too.
VERSION = f"2 Pillow {PILLOW_VERSION}"

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
LOSSY = ("webp", "jpeg", "avif")

_CUT_SHORT = "the file is cut short or damaged ({}): export or save it again"
# Put after each scan of a JPEG to see whether the decoder reads it as image data; no byte is 0xff, which
# would start a marker.
_PADDING = bytes(range(1, 255))


class ImageError(Exception):
    """A problem with one image an editor can act on; str() is the message without the path."""


@dataclass(frozen=True)
class SourceInfo:
    """What planning needs to know about a source; cached so that a warm build never decodes."""

    width: int  # upright
    height: int
    has_alpha: bool
    placeholder: str


@dataclass(frozen=True)
class Output:
    """One file a worker writes; kind is "responsive", "fallback" (an <img src> the settings'
    formats did not provide), "og" or "full"."""

    name: str
    kind: str
    format: str
    width: int
    height: int
    quality: int  # for lossy formats; a JPEG source's full size uses the source's own tables instead


@dataclass(frozen=True)
class Task:
    """All missing outputs of one source (and its missing tile pyramid), so that it is decoded once."""

    source: Path
    source_hash: str
    has_alpha: bool
    # Sizes to resize through, largest (the source's own) first; every output is one of them.
    ladder: tuple[tuple[int, int], ...]
    outputs: tuple[Output, ...]
    cache_dir: Path
    max_pixels: int
    tiles: TileJob | None = None


# -- reading and checking a source ---------------------------------------------------------

def read(source: Path) -> bytes:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ImageError(f"cannot read the file: {error.strerror or error}") from None
    if not data:
        raise ImageError("the file is empty")
    return data


@contextmanager
def _pillow_limits(max_pixels: int) -> Iterator[None]:
    """Pillow's decompression-bomb guard at our limit, its warning raised as an error, and truncated files
    refused whatever another module set. Pillow's other warnings (odd but readable files) are silenced:
    an editor could do nothing about them."""
    previous = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = max_pixels, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        # Pillow's own words quote twice the limit for the error it raises: say ours
        pixels = re.search(r"\((\d+) pixels\)", str(bomb))
        size = f"{int(pixels.group(1))} pixels is" if pixels else "it is"
        raise ImageError(f"the image is too large: {size} over the limit of {max_pixels} pixels") from None
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = previous


def check_pixels(width: int, height: int, max_pixels: int) -> None:
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
        raise ImageError(_CUT_SHORT.format(error)) from None
    return img


def _quarter(size: tuple[int, int]) -> tuple[int, int]:
    """For Image.draft: a JPEG decoded at a quarter of its size still has every byte read."""
    return max(1, size[0] // 4), max(1, size[1] // 4)


def _cut_short(data: bytes, decoded: Image.Image) -> bool:
    """Whether the data of a source that decoded stops before the last pixels of its header (Pillow fills
    the rest in and says nothing). `decoded` is the source decoded, a JPEG at _quarter() size."""
    if decoded.format == "PNG":
        return truncation.png_rows_missing(data)
    if decoded.format not in _JPEG_FORMATS:
        return False
    layout = truncation.jpeg_layout(data)
    if layout is None:  # no end marker: had data been missing, decoding would have failed
        return False
    if layout.incomplete:
        return True
    # A whole scan decodes the same with padding after it; one that stops early reads the padding as
    # image data. A quarter size is the smallest that shows the details of every scan.
    probe = _open(layout.padded(_PADDING))
    probe.draft(None, _quarter(probe.size))
    return _decode(probe).tobytes() != decoded.tobytes()


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


def inspect(data: bytes, max_pixels: int) -> SourceInfo:
    """Check a source and measure it; a JPEG is decoded at a quarter of its size, which costs little."""
    with _pillow_limits(max_pixels):
        img = _open(data)
        width, height = img.size
        if img.format in _JPEG_FORMATS:
            img.draft(None, _quarter(img.size))
        _decode(img)
        if _cut_short(data, img):
            raise ImageError(_CUT_SHORT.format("its data ends before its last pixels"))
        if _orientation(img) in (5, 6, 7, 8):
            width, height = height, width
        img = _to_srgb(img)
        has_alpha = img.mode == "RGBA" and img.getchannel("A").getextrema()[0] < 255
    return SourceInfo(width, height, has_alpha, _average_colour(img))


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

def process(task: Task) -> str | None:
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


def _make_outputs(task: Task) -> None:
    data = read(task.source)
    if hashlib.sha256(data).hexdigest() != task.source_hash:
        raise ImageError("the file changed during the build; build again")
    encoded: dict[str, bytes] = {}
    pyramid = Pyramid(task.tiles, task.cache_dir) if task.tiles is not None else None
    try:
        with _pillow_limits(task.max_pixels):
            source = _open(data)
            tables = _quantisation(source)
            sizes = {(o.width, o.height) for o in task.outputs}
            for size, img in _resized(source, task):
                if pyramid is not None and size == task.ladder[0]:  # the full-size master
                    pyramid.make(img)  # into a folder of its own, moved into place below
                for output in task.outputs:
                    if (output.width, output.height) == size:
                        encoded[output.name] = _encode(img, output, tables if output.kind == "full" else {})
                sizes.discard(size)
                if not sizes:
                    break  # only the tiles were missing: no need to resize further
        # Everything is made before anything is put in place, so a failure leaves nothing behind.
        for name, content in encoded.items():
            write_atomic(task.cache_dir / name, content)
        if pyramid is not None:
            pyramid.commit()
    finally:
        if pyramid is not None:
            pyramid.discard()  # nothing left once committed


def _quantisation(img: Image.Image) -> dict[str, Any]:
    """A JPEG's quantisation tables and chroma subsampling: its full-size image, encoded afresh with them,
    keeps the quality (and about the size) the source was saved with."""
    if img.format not in _JPEG_FORMATS or not getattr(img, "quantization", None):
        return {}
    return {"qtables": img.quantization, "subsampling": JpegImagePlugin.get_sampling(img)}


def _resized(img: Image.Image, task: Task) -> Iterator[tuple[tuple[int, int], Image.Image]]:
    """The decoded source, upright and sRGB, at each ladder size, largest first, each made from the one
    before: resizing an already smaller image is much cheaper than starting from the source each time."""
    _decode(img)  # before _orientation: a PNG may keep its EXIF after the pixel data
    img = _to_srgb(_upright(img, _orientation(img)))
    if img.mode == "RGBA" and not task.has_alpha:
        img = img.convert("RGB")
    # Savers copy comments, ICC profiles, EXIF and XMP from info; an empty info leaves only pixels.
    img.info = {}
    for size in task.ladder:
        if img.size != size:
            img = img.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)
        yield size, img


def _encode(img: Image.Image, output: Output, tables: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    pillow_format = OUTPUT_FORMATS[output.format][2]
    if output.format == "jpeg" and img.mode == "RGBA":  # only the og image: flatten onto white
        background = Image.new("RGB", img.size, "white")
        background.paste(img, mask=img.getchannel("A"))
        img = background
    if output.format == "jpeg" and tables:
        options = tables
    elif output.format in LOSSY:
        options = {"quality": output.quality}
    else:
        options = {}
    img.save(buffer, pillow_format, **options)
    return buffer.getvalue()
