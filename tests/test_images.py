"""The artwork image pipeline: derivatives, orientation, metadata, colour, bad inputs, the cache."""

from __future__ import annotations

import io
import struct
import tempfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import PIL
from PIL import ExifTags, Image, ImageCms, features

from showcase import imaging
from showcase.images import (
    ArtworkImage,
    ImageError,
    ImagePipeline,
    ImageSettings,
)

SMALL = ImageSettings(widths=(32, 64, 128))


# -- helpers -------------------------------------------------------------------------------

def save(img: Image.Image, path: Path, fmt: str | None = None, **options) -> Path:
    img.save(path, fmt, **options)
    return path


def build(source: Path, cache: Path, settings: ImageSettings = SMALL, slug: str = "art",
          workers: int | None = None) -> tuple[ArtworkImage, ImagePipeline]:
    """Plan and run one artwork, failing the test on any reported error."""
    pipeline = ImagePipeline(settings, cache)
    artwork = pipeline.plan(source, slug)
    _, errors = pipeline.run(workers=workers)
    assert errors == []
    return artwork, pipeline


def every_derivative(artwork: ArtworkImage):
    return {d.name: d for d in (*artwork.sources, artwork.fallback, artwork.full, artwork.og)}.values()


def opened(pipeline: ImagePipeline, name: str) -> Image.Image:
    img = Image.open(pipeline.used()[name])
    img.load()
    return img


def cache_files(cache: Path) -> list[str]:
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*") if p.is_file())


def assert_no_metadata(pipeline: ImagePipeline, artwork: ArtworkImage) -> None:
    for derivative in every_derivative(artwork):
        img = opened(pipeline, derivative.name)
        raw = pipeline.used()[derivative.name].read_bytes()
        leaked = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop"}
        assert not leaked & set(img.info), (derivative.name, img.info.keys())
        assert len(img.getexif()) == 0, derivative.name
        for marker in (b"Exif", b"GPS", b"xmpmeta", b"Photoshop 3.0", b"secret", b"ICC_PROFILE"):
            assert marker not in raw, (derivative.name, marker)


def close(actual, expected, tolerance: int = 6) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def png_bytes(width: int, height: int, bit_depth: int, colour_type: int, rows: bytes) -> bytes:
    """A PNG written by hand, for what Pillow will not write (16-bit RGB, lying headers)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def matrix_profile(description: str, red, green, blue, gamma: float) -> bytes:
    """A minimal ICC v2 RGB matrix/TRC display profile (Pillow can only create sRGB)."""
    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    text = description.encode() + b"\0"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(8) + bytes(3) + bytes(67)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256))
    d50 = (0.9642, 1.0, 0.8249)
    tags = [(b"desc", desc), (b"cprt", b"text" + bytes(4) + b"none\0"), (b"wtpt", xyz(*d50)),
            (b"rXYZ", xyz(*red)), (b"gXYZ", xyz(*green)), (b"bXYZ", xyz(*blue)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = struct.pack(">I", len(tags)), b""
    for signature, data in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + bytes(4) + struct.pack(">I", 0x02100000)
              + b"mntrRGB XYZ " + bytes(12) + b"acsp" + bytes(28) + s15(d50[0]) + s15(d50[1])
              + s15(d50[2]) + bytes(48))
    assert len(header) == 128
    return header + table + body


ADOBE_RGB = matrix_profile("Adobe RGB (1998) compatible", (0.60974, 0.31111, 0.01947),
                           (0.20528, 0.62567, 0.06087), (0.14919, 0.06322, 0.74457), 2.2)

# Pillow's exif_transpose turns orientation n upright with this operation; storing the upright
# picture with the inverse operation applied is what a camera held that way writes.
INVERSE_OF_UPRIGHTING = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def red_corner_picture(width: int = 120, height: int = 80) -> Image.Image:
    img = Image.new("RGB", (width, height), "white")
    img.paste((255, 0, 0), (0, 0, width // 3, height // 3))
    return img


# -- sizes and formats ---------------------------------------------------------------------

def test_widths_are_never_upscaled(tmp_path):
    source = save(Image.new("RGB", (700, 350), "teal"), tmp_path / "a.jpg")
    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings())

    assert (artwork.width, artwork.height) == (700, 350)
    assert [(d.format, d.width) for d in artwork.sources] == [
        ("webp", 480), ("webp", 700), ("jpeg", 480), ("jpeg", 700)]
    assert artwork.fallback.width == 700 and artwork.fallback.format == "jpeg"
    assert (artwork.og.width, artwork.og.format) == (700, "jpeg")
    assert (artwork.full.width, artwork.full.height) == (700, 350)
    for derivative in every_derivative(artwork):
        assert opened(pipeline, derivative.name).size == (derivative.width, derivative.height)
        assert derivative.name.startswith("art-")


def test_large_source_gets_every_width_and_a_1200px_og_image(tmp_path):
    source = save(Image.new("RGB", (2000, 1000), "olive"), tmp_path / "a.png")
    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings())

    assert [d.width for d in artwork.sources] == [480, 960, 1600] * 2
    assert [d.mime for d in artwork.sources] == ["image/webp"] * 3 + ["image/jpeg"] * 3
    assert (artwork.og.width, artwork.og.height) == (1200, 600)
    assert opened(pipeline, artwork.og.name).format == "JPEG"
    full = opened(pipeline, artwork.full.name)
    assert (full.format, full.size) == ("JPEG", (2000, 1000))
    assert artwork.sources[0].name.startswith("art-480w-") and artwork.sources[0].name.endswith(".webp")


def test_tiny_image(tmp_path):
    source = save(Image.new("RGB", (16, 16), (250, 200, 10)), tmp_path / "tiny.png")
    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings())

    assert [d.width for d in artwork.sources] == [16, 16]
    assert artwork.og.width == artwork.full.width == 16
    assert artwork.placeholder == "#fac80a"
    assert close(opened(pipeline, artwork.fallback.name).getpixel((8, 8)), (250, 200, 10))


def test_settings_without_jpeg_still_give_a_jpeg_fallback(tmp_path):
    source = save(Image.new("RGB", (200, 100), "navy"), tmp_path / "a.jpg")
    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings(widths=(64, 128), formats=("webp",)))

    assert [d.format for d in artwork.sources] == ["webp", "webp"]
    assert (artwork.fallback.format, artwork.fallback.width) == ("jpeg", 128)
    assert pipeline.used()[artwork.fallback.name].exists()


def test_plan_decodes_a_jpeg_at_a_quarter_of_its_size_and_run_at_full_size(tmp_path, monkeypatch):
    from PIL import JpegImagePlugin

    img = Image.new("RGB", (4800, 600), (0, 0, 255))
    img.paste((255, 255, 0), (0, 0, 2400, 600))
    source = save(img, tmp_path / "wide.jpg", quality=90)
    scales = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def recording_draft(self, mode, size):
        result = draft(self, mode, size)
        scales.append(self.decoderconfig[0])
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", recording_draft)
    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings(widths=(300, 600)), workers=1)

    assert scales == [4, 4]  # plan: the source and its padded copy (is its data whole?); run: every pixel
    assert opened(pipeline, artwork.full.name).size == (4800, 600)
    for derivative in every_derivative(artwork):
        out = opened(pipeline, derivative.name).convert("RGB")
        assert out.size == (derivative.width, derivative.height)
        assert close(out.getpixel((2, derivative.height // 2)), (255, 255, 0), 10)
        assert close(out.getpixel((derivative.width - 3, derivative.height // 2)), (0, 0, 255), 10)


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_avif_output(tmp_path):
    source = save(Image.new("RGB", (200, 100), "navy"), tmp_path / "a.jpg")
    avif_settings = ImageSettings(widths=(64,), formats=("avif", "jpeg"))
    artwork, pipeline = build(source, tmp_path / "cache", avif_settings)

    assert [d.mime for d in artwork.sources] == ["image/avif", "image/jpeg"]
    assert opened(pipeline, artwork.sources[0].name).format == "AVIF"


def test_settings_are_checked():
    with pytest.raises(ValueError, match="gif"):
        ImageSettings(formats=("gif",))
    with pytest.raises(ValueError, match="widths"):
        ImageSettings(widths=(0, 480))
    with pytest.raises(ValueError, match="quality"):
        ImageSettings(quality=101)
    if not features.check("avif"):
        with pytest.raises(ValueError, match="AVIF"):
            ImageSettings(formats=("avif",))


# -- orientation and metadata --------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_gives_upright_pixels_and_no_tag(tmp_path, orientation):
    upright = red_corner_picture()
    inverse = INVERSE_OF_UPRIGHTING[orientation]
    stored = upright.transpose(inverse) if inverse is not None else upright
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    source = save(stored, tmp_path / "turned.jpg", quality=95, exif=exif)

    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings(widths=(60,)))

    assert (artwork.width, artwork.height) == (120, 80)
    for derivative in every_derivative(artwork):
        img = opened(pipeline, derivative.name).convert("RGB")
        assert img.size == (derivative.width, derivative.height)
        assert img.width > img.height, derivative.name
        w, h = img.size
        assert close(img.getpixel((w // 12, h // 12)), (255, 0, 0), 40), derivative.name
        assert close(img.getpixel((w - 2, h - 2)), (255, 255, 255), 40), derivative.name
        assert close(img.getpixel((w - 2, 1)), (255, 255, 255), 40), derivative.name
        assert close(img.getpixel((1, h - 2)), (255, 255, 255), 40), derivative.name
    assert_no_metadata(pipeline, artwork)


def with_app13(jpeg: bytes) -> bytes:
    """Insert an IPTC block (Photoshop APP13) after SOI, as photo agencies' tools do."""
    payload = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0esecret caption"
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


@pytest.mark.parametrize("orientation", [1, 6])  # 1: the full image is the stripped original
def test_all_metadata_is_stripped(tmp_path, orientation):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "secret camera"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (52.0, 57.0, 1.5),
        ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (1.0, 9.0, 10.0),
    }
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    red_corner_picture(300, 200).save(buffer, "JPEG", exif=exif, comment=b"secret comment",
                                      xmp=b"<x:xmpmeta>secret place</x:xmpmeta>", icc_profile=srgb)
    # Bytes after the end of the image (MPO previews, phone trailers) hold metadata too.
    data = with_app13(buffer.getvalue()) + b"GPS secret trailer Exif"
    source = tmp_path / "gps.jpg"
    source.write_bytes(data)
    assert Image.open(source).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    artwork, pipeline = build(source, tmp_path / "cache", ImageSettings(widths=(100,)))

    assert_no_metadata(pipeline, artwork)
    full = opened(pipeline, artwork.full.name)
    assert full.size == ((300, 200) if orientation == 1 else (200, 300))


@pytest.mark.parametrize("options", [{}, {"progressive": True}, {"restart_marker_blocks": 4}])
def test_jpeg_full_size_is_encoded_afresh_at_the_quality_of_the_source(tmp_path, options):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "secret camera"
    source = tmp_path / "photo.jpg"
    Image.effect_noise((300, 200), 40).convert("RGB").save(
        source, quality=85, exif=exif, comment=b"secret", **options)

    artwork, pipeline = build(source, tmp_path / "cache")

    full_path = pipeline.used()[artwork.full.name]
    with Image.open(full_path) as full, Image.open(source) as original:
        assert full.quantization == original.quantization  # the source's own quality, not ours
        assert not full.info.get("progressive") and not full.info.get("progression")  # not its stream
        difference = [abs(a - b) for a, b in zip(full.tobytes(), original.tobytes(), strict=True)]
    assert sum(difference) / len(difference) < 2
    assert 0.8 < full_path.stat().st_size / source.stat().st_size < 1.2
    assert_no_metadata(pipeline, artwork)


def test_png_text_chunks_and_exif_are_stripped(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret text")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "secret camera"
    source = save(Image.new("RGBA", (90, 60), (0, 128, 255, 200)), tmp_path / "a.png",
                  pnginfo=info, exif=exif)

    artwork, pipeline = build(source, tmp_path / "cache")

    assert_no_metadata(pipeline, artwork)
    for derivative in every_derivative(artwork):
        assert "Comment" not in opened(pipeline, derivative.name).info


# -- colour and modes ----------------------------------------------------------------------

def test_cmyk_jpeg_becomes_rgb(tmp_path):
    img = Image.new("CMYK", (120, 80), (0, 255, 255, 0))  # red
    img.paste((255, 0, 255, 0), (60, 0, 120, 80))  # green
    source = save(img, tmp_path / "print.jpg", quality=95)

    artwork, pipeline = build(source, tmp_path / "cache")

    assert artwork.has_alpha is False and artwork.full.format == "jpeg"
    for derivative in every_derivative(artwork):
        out = opened(pipeline, derivative.name).convert("RGB") if derivative.format == "webp" \
            else opened(pipeline, derivative.name)
        assert out.mode == "RGB", derivative.name
        w, h = out.size
        assert close(out.getpixel((w // 6, h // 2)), (255, 0, 0), 30), derivative.name
        assert close(out.getpixel((w - w // 6, h // 2)), (0, 255, 0), 30), derivative.name


def test_embedded_adobe_rgb_profile_is_converted_to_srgb(tmp_path):
    colour = (60, 160, 60)
    img = Image.new("RGB", (100, 100), colour)
    source = save(img, tmp_path / "adobe.jpg", quality=98, icc_profile=ADOBE_RGB)
    expected = ImageCms.profileToProfile(
        img, ImageCms.ImageCmsProfile(io.BytesIO(ADOBE_RGB)), ImageCms.createProfile("sRGB")
    ).getpixel((0, 0))
    assert not close(expected, colour, 10)  # the profile really changes this colour

    artwork, pipeline = build(source, tmp_path / "cache")

    for derivative in every_derivative(artwork):
        out = opened(pipeline, derivative.name)
        assert "icc_profile" not in out.info
        assert close(out.convert("RGB").getpixel((50, 50) if out.width > 50 else (5, 5)), expected), \
            derivative.name
    assert close(tuple(int(artwork.placeholder[i:i + 2], 16) for i in (1, 3, 5)), expected)


def test_embedded_srgb_profile_keeps_colours(tmp_path):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = save(Image.new("RGB", (100, 100), (60, 160, 60)), tmp_path / "s.png", icc_profile=srgb)

    artwork, pipeline = build(source, tmp_path / "cache")

    assert artwork.placeholder == "#3ca03c"
    out = opened(pipeline, artwork.full.name)
    assert close(out.getpixel((50, 50)), (60, 160, 60), 3)
    assert "icc_profile" not in out.info


def test_sixteen_bit_grey_png(tmp_path):
    source = save(Image.new("I;16", (100, 60), 40000), tmp_path / "deep.png")
    assert Image.open(source).mode in ("I;16", "I")

    artwork, pipeline = build(source, tmp_path / "cache")

    grey = round(40000 / 257)
    assert artwork.placeholder == "#{0:02x}{0:02x}{0:02x}".format(grey)
    for derivative in every_derivative(artwork):
        value = opened(pipeline, derivative.name).convert("L").getpixel((5, 5))
        assert abs(value - grey) <= 3, derivative.name


def test_sixteen_bit_rgb_png(tmp_path):
    row = b"\x00" + struct.pack(">HHH", 65535, 32896, 0) * 40  # filter byte, then 40 pixels
    source = tmp_path / "deep-rgb.png"
    source.write_bytes(png_bytes(40, 20, 16, 2, row * 20))

    artwork, pipeline = build(source, tmp_path / "cache")

    assert artwork.placeholder == "#ff8000"
    assert close(opened(pipeline, artwork.full.name).getpixel((20, 10)), (255, 128, 0))


def test_grayscale_jpeg(tmp_path):
    source = save(Image.new("L", (100, 60), 90), tmp_path / "grey.jpg")
    artwork, pipeline = build(source, tmp_path / "cache")

    assert artwork.placeholder == "#5a5a5a"
    for derivative in every_derivative(artwork):
        assert close(opened(pipeline, derivative.name).convert("RGB").getpixel((5, 5)), (90, 90, 90), 3)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_alpha_sources_keep_alpha_and_get_no_jpeg(tmp_path, fmt):
    img = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    img.paste((255, 0, 0, 255), (100, 0, 200, 100))
    options = {"lossless": True} if fmt == "WEBP" else {}
    source = save(img, tmp_path / f"cutout.{fmt.lower()}", fmt, **options)

    artwork, pipeline = build(source, tmp_path / "cache")

    assert artwork.has_alpha is True
    assert {d.format for d in artwork.sources} == {"webp", "png"}
    assert artwork.fallback.format == artwork.full.format == "png"
    for derivative in [*artwork.sources, artwork.full]:
        out = opened(pipeline, derivative.name).convert("RGBA")
        w, h = out.size
        assert out.getpixel((1, h // 2))[3] == 0, derivative.name
        assert close(out.getpixel((w - 2, h // 2)), (255, 0, 0, 255), 8), derivative.name
    og = opened(pipeline, artwork.og.name)  # Open Graph wants a JPEG: transparency on white
    assert og.format == "JPEG" and close(og.getpixel((2, 50)), (255, 255, 255))
    assert artwork.placeholder == "#ff0000"  # the transparent half does not darken it


def test_opaque_rgba_png_is_treated_as_opaque(tmp_path):
    source = save(Image.new("RGBA", (80, 40), (10, 20, 30, 255)), tmp_path / "a.png")
    artwork, _ = build(source, tmp_path / "cache")
    assert artwork.has_alpha is False and artwork.fallback.format == "jpeg"


def test_palette_png_and_transparent_gif(tmp_path):
    palette = Image.new("RGB", (80, 40), (0, 90, 200)).convert("P", palette=Image.Palette.ADAPTIVE)
    artwork, pipeline = build(save(palette, tmp_path / "p.png"), tmp_path / "cache")
    assert artwork.has_alpha is False
    assert close(opened(pipeline, artwork.full.name).getpixel((5, 5)), (0, 90, 200))

    gif = Image.new("P", (80, 40), 1)
    gif.putpalette([0, 0, 0, 255, 255, 0] + [0] * 762)
    gif.paste(0, (0, 0, 40, 40))
    artwork, pipeline = build(save(gif, tmp_path / "t.gif", transparency=0), tmp_path / "cache2")
    assert artwork.has_alpha is True
    assert opened(pipeline, artwork.full.name).convert("RGBA").getpixel((5, 5))[3] == 0


def test_animated_gif_uses_first_frame(tmp_path):
    frames = [Image.new("RGB", (80, 40), colour).convert("P") for colour in ("red", "blue", "lime")]
    source = tmp_path / "moving.gif"
    frames[0].save(source, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(source).n_frames == 3

    artwork, pipeline = build(source, tmp_path / "cache")

    for derivative in every_derivative(artwork):
        assert close(opened(pipeline, derivative.name).convert("RGB").getpixel((5, 5)), (255, 0, 0), 20)


def test_placeholder_is_the_average_colour(tmp_path):
    img = Image.new("RGB", (100, 100), (200, 0, 0))
    img.paste((0, 0, 200), (50, 0, 100, 100))
    artwork, _ = build(save(img, tmp_path / "half.png"), tmp_path / "cache")
    assert artwork.placeholder == "#640064"


def test_tiff_source(tmp_path):
    source = save(Image.new("RGB", (90, 60), (30, 60, 90)), tmp_path / "scan.tif")
    artwork, pipeline = build(source, tmp_path / "cache")
    assert close(opened(pipeline, artwork.full.name).getpixel((5, 5)), (30, 60, 90), 3)


# -- bad inputs ----------------------------------------------------------------------------

def plan_error(tmp_path: Path, source: Path, settings: ImageSettings = SMALL) -> str:
    cache = tmp_path / "cache"
    pipeline = ImagePipeline(settings, cache)
    with pytest.raises(ImageError) as caught:
        pipeline.plan(source, "bad")
    stats, errors = pipeline.run()
    assert (stats.processed, errors) == (0, [])
    assert cache_files(cache) == []
    message = str(caught.value)
    assert str(source) not in message  # the generator adds the path
    return message


def noisy_jpeg(path: Path, size=(400, 300)) -> bytes:
    Image.effect_noise(size, 60).convert("RGB").save(path, quality=90)
    return path.read_bytes()


def test_zero_byte_file(tmp_path):
    source = tmp_path / "empty.jpg"
    source.write_bytes(b"")
    assert "empty" in plan_error(tmp_path, source)


def test_missing_file(tmp_path):
    assert "cannot read" in plan_error(tmp_path, tmp_path / "nowhere.jpg")


def test_text_file_named_jpg(tmp_path):
    source = tmp_path / "notes.jpg"
    source.write_text("these are not pixels\n" * 20)
    assert "not an image" in plan_error(tmp_path, source)


@pytest.mark.parametrize("fmt", ["BMP", "ICO"])
def test_unsupported_formats(tmp_path, fmt):
    source = save(Image.new("RGB", (32, 32), "red"), tmp_path / f"a.{fmt.lower()}", fmt)
    assert f"unsupported image format {fmt}" in plan_error(tmp_path, source)


def test_truncated_jpeg_is_caught_by_plan(tmp_path):
    data = noisy_jpeg(tmp_path / "whole.jpg")
    source = tmp_path / "cut.jpg"
    source.write_bytes(data[: len(data) // 2])
    assert "cut short" in plan_error(tmp_path, source)


def test_truncated_png_is_caught_by_plan(tmp_path):
    Image.effect_noise((300, 200), 60).save(tmp_path / "whole.png")
    data = (tmp_path / "whole.png").read_bytes()
    source = tmp_path / "cut.png"
    source.write_bytes(data[: len(data) // 2])
    assert "cut short" in plan_error(tmp_path, source)


def test_header_claiming_a_huge_image(tmp_path):
    source = tmp_path / "bomb.png"
    source.write_bytes(png_bytes(100_000, 100_000, 8, 0, b"\x00" * 10))
    said = plan_error(tmp_path, source, ImageSettings())
    assert "too large: 10000000000 pixels is over the limit of" in said
    assert f"the limit of {ImageSettings().max_pixels} pixels" in said  # ours, not Pillow's (twice as many)


@pytest.mark.parametrize("max_pixels", [5_000, 9_000])  # past Pillow's error and warning levels
def test_over_the_configured_pixel_limit(tmp_path, max_pixels):
    source = save(Image.new("RGB", (100, 100), "red"), tmp_path / "a.png")
    assert "too large" in plan_error(tmp_path, source, ImageSettings(max_pixels=max_pixels))
    assert Image.MAX_IMAGE_PIXELS != max_pixels  # Pillow's global limit is put back


def test_lowered_limit_applies_to_cached_images(tmp_path):
    source = save(Image.new("RGB", (100, 100), "red"), tmp_path / "a.png")
    build(source, tmp_path / "cache")
    with pytest.raises(ImageError, match="too large"):
        ImagePipeline(ImageSettings(max_pixels=5_000), tmp_path / "cache").plan(source, "art")


def test_damage_found_only_by_run_is_reported_and_leaves_nothing(tmp_path, monkeypatch):
    data = noisy_jpeg(tmp_path / "whole.jpg")
    good = save(Image.new("RGB", (90, 60), "green"), tmp_path / "good.png")
    source = tmp_path / "cut.jpg"
    source.write_bytes(data[: len(data) // 2])
    # Stand in for damage a cheap plan cannot see: plan measures without decoding.
    monkeypatch.setattr(imaging, "inspect", lambda data, limit: imaging.SourceInfo(400, 300, False, "#808080"))
    cache = tmp_path / "cache"
    pipeline = ImagePipeline(SMALL, cache)
    pipeline.plan(source, "cut")
    monkeypatch.undo()
    good_artwork = pipeline.plan(good, "good")

    stats, errors = pipeline.run(workers=2)

    assert stats.processed == 1
    assert [(path, "cut short" in message) for path, message in errors] == [(source, True)]
    assert all(name.startswith(("good-", "meta/")) for name in cache_files(cache))
    assert len([n for n in cache_files(cache) if n.startswith("meta/")]) == 1
    assert pipeline.used()[good_artwork.full.name].exists()


def test_file_changed_after_plan(tmp_path):
    source = save(Image.new("RGB", (90, 60), "green"), tmp_path / "a.png")
    pipeline = ImagePipeline(SMALL, tmp_path / "cache")
    pipeline.plan(source, "art")
    save(Image.new("RGB", (90, 60), "blue"), source)

    stats, errors = pipeline.run()

    assert stats.processed == 0
    assert errors == [(source, "the file changed during the build; build again")]
    assert cache_files(tmp_path / "cache") == []


# -- the cache -----------------------------------------------------------------------------

def sources(tmp_path: Path, count: int = 3) -> list[Path]:
    colours = ["red", "green", "blue", "orange", "purple"]
    return [save(Image.new("RGB", (150, 100), colours[i]), tmp_path / f"art{i}.jpg") for i in range(count)]


def test_second_build_processes_nothing_and_does_not_decode(tmp_path, monkeypatch):
    paths = sources(tmp_path)
    cache = tmp_path / "cache"
    first = ImagePipeline(SMALL, cache)
    planned = [first.plan(path, path.stem) for path in paths]
    stats, errors = first.run(progress=True)
    assert (stats.processed, stats.cached, errors) == (3, 0, [])
    before = {name: path.stat().st_mtime_ns for name, path in first.used().items()}

    def no_decoding(*args, **kwargs):
        raise AssertionError("a warm plan opened an image")

    monkeypatch.setattr(Image, "open", no_decoding)
    second = ImagePipeline(SMALL, cache)
    assert [second.plan(path, path.stem) for path in paths] == planned
    stats, errors = second.run()

    assert (stats.processed, stats.cached, errors) == (0, 3, [])
    assert {name: path.stat().st_mtime_ns for name, path in second.used().items()} == before


def test_metadata_lost_from_the_cache_is_rebuilt_without_reprocessing(tmp_path):
    (path,) = sources(tmp_path, 1)
    cache = tmp_path / "cache"
    artwork, _ = build(path, cache)
    for meta in (cache / "meta").iterdir():
        meta.unlink()

    again = ImagePipeline(SMALL, cache)
    assert again.plan(path, "art") == artwork
    assert again.run()[0].cached == 1
    assert len(list((cache / "meta").iterdir())) == 1


def test_planning_twice_in_one_build_counts_once(tmp_path):
    (path,) = sources(tmp_path, 1)
    pipeline = ImagePipeline(SMALL, tmp_path / "cache")
    assert pipeline.plan(path, "art") == pipeline.plan(path, "art")
    assert pipeline.run()[0].processed == 1


def test_names_change_with_quality_and_widths_but_not_otherwise(tmp_path):
    (path,) = sources(tmp_path, 1)
    cache = tmp_path / "cache"

    def names(settings):
        return set(ImagePipeline(settings, cache).plan(path, "art").sources)

    base = names(SMALL)
    assert names(SMALL) == base
    assert names(ImageSettings(widths=SMALL.widths, quality=70)).isdisjoint(base)
    changed = names(ImageSettings(widths=(32, 64, 96)))
    assert {d.name for d in changed if d.width == 96}.isdisjoint(d.name for d in base)
    # Changed widths change the names of every size resized through them.
    assert {d.name for d in changed if d.width == 64}.isdisjoint(d.name for d in base)
    assert names(ImageSettings(widths=SMALL.widths, max_pixels=10**7)) == base


def test_names_and_records_change_with_the_imaging_code_and_pillow(tmp_path, monkeypatch):
    (path,) = sources(tmp_path, 1)
    artwork, _ = build(path, tmp_path / "cache")
    assert PIL.__version__ in imaging.VERSION
    monkeypatch.setattr(imaging, "VERSION", imaging.VERSION + " next")
    inspected = []
    inspect = imaging.inspect
    monkeypatch.setattr(imaging, "inspect", lambda *args: inspected.append(1) or inspect(*args))
    again = ImagePipeline(SMALL, tmp_path / "cache")
    assert {d.name for d in every_derivative(again.plan(path, "art"))}.isdisjoint(
        d.name for d in every_derivative(artwork))
    assert inspected == [1]  # the older record was not used either


def test_content_not_path_names_the_derivatives(tmp_path):
    (path,) = sources(tmp_path, 1)
    copy = tmp_path / "elsewhere.jpg"
    copy.write_bytes(path.read_bytes())
    pipeline = ImagePipeline(SMALL, tmp_path / "cache")
    assert pipeline.plan(path, "art") == pipeline.plan(copy, "art")
    save(Image.new("RGB", (150, 100), "black"), copy)
    assert pipeline.plan(path, "art").full != pipeline.plan(copy, "art").full


def test_prune_removes_what_this_build_did_not_use(tmp_path):
    paths = sources(tmp_path)
    cache = tmp_path / "cache"
    first = ImagePipeline(SMALL, cache)
    for path in paths:
        first.plan(path, path.stem)
    first.run()
    (cache / "notes.txt").write_text("not ours")
    (cache / ".tmp-abandoned").write_bytes(b"half")

    second = ImagePipeline(SMALL, cache)
    kept = second.plan(paths[0], paths[0].stem)
    second.run()
    removed = second.prune()

    per_source = len(list(every_derivative(kept)))
    assert removed == 2 * per_source + 2 + 1  # two sources' files and metadata, one temp file
    assert sorted(cache_files(cache)) == sorted(
        ["notes.txt"] + [f"meta/{p.name}" for p in (cache / "meta").iterdir()] + list(second.used()))
    assert all(path.exists() for path in second.used().values())
    assert second.prune() == 0


def test_a_read_only_pipeline_plans_from_the_cache_and_writes_nothing(tmp_path, monkeypatch):
    paths = sources(tmp_path, 2)
    cache = tmp_path / "cache"
    never_made = ImagePipeline(SMALL, cache, read_only=True)
    planned = [never_made.plan(path, path.stem) for path in paths]
    assert not cache.exists()
    with pytest.raises(RuntimeError):
        never_made.run()
    with pytest.raises(RuntimeError):
        never_made.prune()

    build(paths[0], cache, slug=paths[0].stem)
    for record in (cache / "meta").iterdir():
        record.unlink()  # derivatives without their record, which a writing plan would remember again
    build(paths[1], cache, slug=paths[1].stem)
    def state() -> dict[Path, tuple[bytes, int]]:
        return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in cache.rglob("*") if path.is_file()}

    before = state()

    opened_images = []
    real_open = Image.open
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: opened_images.append(1) or real_open(*args, **kwargs))
    read_only = ImagePipeline(SMALL, cache, read_only=True)
    assert [read_only.plan(path, path.stem) for path in paths] == planned
    assert len(opened_images) == 2  # the first source, whose record is gone: decoded and its padded copy
    assert state() == before


def test_slug_must_be_a_plain_file_name(tmp_path):
    (path,) = sources(tmp_path, 1)
    with pytest.raises(ValueError):
        ImagePipeline(SMALL, tmp_path / "cache").plan(path, "../escape")


def test_used(tmp_path):
    (path,) = sources(tmp_path, 1)
    artwork, pipeline = build(path, tmp_path / "cache")
    assert pipeline.used() == {d.name: tmp_path / "cache" / d.name for d in every_derivative(artwork)}


def test_outputs_are_deterministic(tmp_path):
    paths = [*sources(tmp_path, 2)]
    noisy_jpeg(tmp_path / "noise.jpg", (500, 300))
    paths.append(tmp_path / "noise.jpg")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    paths.append(save(red_corner_picture(), tmp_path / "turned.jpg", exif=exif))
    paths.append(save(Image.new("RGBA", (90, 60), (0, 255, 0, 100)), tmp_path / "alpha.png"))

    def cold_build(cache: Path, workers: int) -> dict[str, bytes]:
        pipeline = ImagePipeline(SMALL, cache)
        for path in paths:
            pipeline.plan(path, path.stem)
        stats, errors = pipeline.run(workers=workers)
        assert (stats.processed, errors) == (len(paths), [])
        return {name: file.read_bytes() for name, file in pipeline.used().items()}

    first = cold_build(tmp_path / "one", workers=2)
    assert first == cold_build(tmp_path / "two", workers=1)
    assert len(first) == 4 * 8 + 8  # 4 opaque sources x (6 responsive + og + full); alpha: 8


def test_no_temporary_files_are_left(tmp_path):
    paths = sources(tmp_path)
    pipeline = ImagePipeline(SMALL, tmp_path / "cache")
    for path in paths:
        pipeline.plan(path, path.stem)
    pipeline.run()
    assert not [name for name in cache_files(tmp_path / "cache") if ".tmp-" in name]


# -- damaged files never crash -------------------------------------------------------------


_SAMPLES = {}


def sample(fmt: str) -> bytes:
    """A small valid file of each source format, made once."""
    if fmt not in _SAMPLES:
        buffer = io.BytesIO()
        img = Image.effect_noise((48, 32), 50).convert("RGB")
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6
        img.save(buffer, fmt, **({"exif": exif} if fmt in ("JPEG", "WEBP", "PNG") else {}))
        _SAMPLES[fmt] = buffer.getvalue()
    return _SAMPLES[fmt]


@settings(max_examples=150, deadline=None)
@given(fmt=st.sampled_from(["JPEG", "PNG", "WEBP", "GIF", "TIFF"]),
       cut=st.floats(0.0, 1.0),
       flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=4))
def test_damaged_files_give_an_image_error_or_an_image(fmt, cut, flips):
    data = bytearray(sample(fmt))
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    data = bytes(data[: max(1, int(len(data) * cut))]) if cut < 1 else bytes(data)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "damaged.img"
        source.write_bytes(data)
        pipeline = ImagePipeline(ImageSettings(widths=(16,)), Path(folder) / "cache")
        try:
            pipeline.plan(source, "damaged")
        except ImageError:
            return
        stats, errors = pipeline.run(workers=1)
        assert stats.processed + len(errors) == 1
        for path in pipeline.used().values():
            assert path.exists() == (stats.processed == 1)
