"""No byte of an artwork's metadata reaches the site, whichever segment or chunk it hides in, and an image
whose data stops before its last pixels is refused, not published with a grey or black band."""

from __future__ import annotations

import gzip
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, features

from sitekit import Site, snapshot, write

MARKER = b"SMUGGLED-q7x2-CONTRABAND"  # a text that occurs nowhere else
TEXT = MARKER.decode()
# Every output format this Pillow can write.
FORMATS = ["avif", "webp", "jpeg"] if features.check("avif") else ["webp", "jpeg"]


# -- sources with the marker in every place a file format keeps metadata -------------------------------

def exif_block() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = TEXT
    exif[ExifTags.Base.Artist] = TEXT
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (52.0, 57.0, 1.5)}
    return exif.tobytes()


def xmp_packet() -> bytes:
    return (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="' + MARKER
            + b'"/></rdf:RDF></x:xmpmeta>')


def picture(mode: str = "RGB") -> Image.Image:
    img = Image.effect_noise((320, 240), 50).convert("RGB")
    img.paste((200, 60, 20), (0, 0, 160, 120))
    if mode == "RGBA":
        img.putalpha(Image.linear_gradient("L").resize(img.size))
    return img


def jpeg_segment(code: int, payload: bytes) -> bytes:
    return bytes((0xFF, code)) + struct.pack(">H", len(payload) + 2) + payload


def photoshop_iptc() -> bytes:
    """An APP13 Photoshop block with an IPTC caption (record 2, dataset 120), as agencies' tools write."""
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(MARKER)) + MARKER
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + b"\x00" * (len(iptc) % 2)
    return b"Photoshop 3.0\x00" + resource


def smuggling_jpeg(path: Path) -> None:
    """An upright plain sRGB JPEG (the kind a copy of the original stream was once made of) with the marker
    in APP0 to APP15, in a comment and after the end of the image."""
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    jfif_end = 4 + struct.unpack(">H", data[4:6])[0]
    segments = {
        0: b"JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00" + MARKER,  # a JFIF header with more after it
        1: b"Exif\x00\x00" + exif_block(),
        2: b"ICC_PROFILE\x00\x01\x01" + MARKER,
        13: photoshop_iptc(),
        14: b"Adobe" + MARKER,  # the colour-transform segment, carrying more than its 12 bytes
    }
    inserted = b"".join(jpeg_segment(0xE0 + n, segments.get(n, b"APP%d\x00" % n + MARKER)) for n in range(16))
    inserted += jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + xmp_packet())
    inserted += jpeg_segment(0xFE, MARKER)  # COM
    path.write_bytes(data[:jfif_end] + inserted + data[jfif_end:] + MARKER)  # and a trailer after EOI


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def smuggling_png(path: Path, mode: str) -> None:
    """A PNG with the marker in text chunks (plain, compressed, international), EXIF, a private chunk, and
    after IEND; a tIME chunk too."""
    buffer = io.BytesIO()
    picture(mode).save(buffer, "PNG")
    data = buffer.getvalue()
    chunks = (png_chunk(b"tEXt", b"Comment\x00" + MARKER)
              + png_chunk(b"zTXt", b"Author\x00\x00" + zlib.compress(MARKER))
              + png_chunk(b"iTXt", b"Description\x00\x00\x00en\x00\x00" + MARKER)
              + png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(xmp_packet()))
              + png_chunk(b"eXIf", exif_block())
              + png_chunk(b"tIME", struct.pack(">HBBBBB", 2015, 4, 1, 9, 30, 0))
              + png_chunk(b"smUg", MARKER))
    header_end = 8 + 25
    path.write_bytes(data[:header_end] + chunks + data[header_end:] + MARKER)


def smuggling_webp(path: Path) -> None:
    buffer = io.BytesIO()
    picture().save(buffer, "WEBP", quality=90, exif=exif_block(), xmp=xmp_packet())
    path.write_bytes(buffer.getvalue() + MARKER)


def smuggling_gif(path: Path) -> None:
    picture().convert("P").save(path, "GIF", comment=MARKER)


def smuggling_tiff(path: Path) -> None:
    picture().save(path, "TIFF", tiffinfo={270: TEXT, 315: TEXT})


SOURCES = {
    "jpeg-source.jpg": smuggling_jpeg,
    "png-source.png": lambda path: smuggling_png(path, "RGB"),
    "png-alpha-source.png": lambda path: smuggling_png(path, "RGBA"),
    "webp-source.webp": smuggling_webp,
    "gif-source.gif": smuggling_gif,
    "tiff-source.tiff": smuggling_tiff,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Site:
    """One site with every smuggling artwork, built once for the tests below."""
    site = Site(tmp_path_factory.mktemp("privacy"))
    with (site.content / "site.yaml").open("a") as config:
        config.write(f"images:\n  formats: [{', '.join(FORMATS)}]\n")
    for name, make in SOURCES.items():
        source = site.content / "artworks" / name
        make(source)
        assert MARKER in source.read_bytes()
        write(source.with_suffix(".yaml"), f"""
            title: {source.stem}
            alt: Noise with an orange corner.
            """)
    assert site.build("--base-url", "https://example.org/") == 0
    return site


def built_files(site: Site) -> dict[str, bytes]:
    """Every file of the site and of the image cache, gzip-compressed ones (the search index) inflated."""
    files = {}
    for folder in (site.out, site.root / ".showcase-cache" / "images"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                files[str(path)] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return files


def test_no_metadata_of_any_source_reaches_the_site_or_the_cache(built: Site):
    images = sorted((built.out / "images").iterdir())
    assert {p.name.split("-full-")[0] for p in images if "-full-" in p.name} >= {
        Path(name).stem for name in SOURCES}
    compressed = [zlib.compress(MARKER), zlib.compress(xmp_packet())]  # as the zTXt and iTXt chunks hold them
    for path, data in built_files(built).items():
        for secret in (MARKER, MARKER.decode().encode("utf-16-le"), *compressed):
            assert secret not in data, path
        assert b"Photoshop 3.0" not in data and b"http://ns.adobe.com/xap" not in data, path


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) up to the first scan, and nothing may follow the end of the image."""
    assert data[:2] == b"\xff\xd8"
    segments, pos = [], 2
    while data[pos + 1] != 0xDA:
        assert data[pos] == 0xFF
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segments.append((data[pos + 1], data[pos + 4:pos + 2 + length]))
        pos += 2 + length
    assert data.endswith(b"\xff\xd9") and data.count(b"\xff\xd9") == 1  # no trailer after the end
    return segments


def png_chunks(data: bytes) -> list[bytes]:
    kinds, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kinds.append(data[pos + 4:pos + 8])
        pos += 12 + length
    assert kinds[-1] == b"IEND" and pos == len(data)  # nothing after IEND
    return kinds


def webp_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and struct.unpack("<I", data[4:8])[0] + 8 == len(data)  # nothing after it
    kinds, pos = [], 12
    while pos < len(data):
        length = struct.unpack("<I", data[pos + 4:pos + 8])[0]
        kinds.append(data[pos:pos + 4])
        pos += 8 + length + length % 2
    return kinds


def test_published_images_hold_only_what_their_format_needs(built: Site):
    seen = set()
    for path in (built.out / "images").iterdir():
        data = path.read_bytes()
        seen.add(path.suffix)
        if path.suffix == ".jpg":
            segments = jpeg_segments(data)
            assert [m for m, _ in segments if 0xE0 <= m <= 0xEF or m == 0xFE] == [0xE0], path.name
            jfif = dict(segments)[0xE0]
            assert jfif[:5] == b"JFIF\x00" and len(jfif) == 14, path.name  # rebuilt: no thumbnail, no extra
        elif path.suffix == ".png":
            assert set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}, path.name
        elif path.suffix == ".webp":
            assert set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}, path.name
        else:
            assert path.suffix == ".avif"
            assert b"Exif" not in data and b"application/rdf+xml" not in data, path.name  # no EXIF or XMP item
    assert seen == {".jpg", ".png", ".webp"} | ({".avif"} if "avif" in FORMATS else set())


# -- data that stops before the last pixel --------------------------------------------------------------

def taller_jpeg_header(data: bytes) -> bytes:
    """The frame header claims twice the rows the coded data holds."""
    frame = re.search(rb"\xff[\xc0\xc2]", data).start()
    height = struct.unpack(">H", data[frame + 5:frame + 7])[0]
    return data[:frame + 5] + struct.pack(">H", height * 2) + data[frame + 7:]


def jpeg_cut_and_closed(data: bytes) -> bytes:
    """Cut in the middle of its coded data and given an end marker again, as repair tools do."""
    return data[: len(data) * 2 // 3] + b"\xff\xd9"


def taller_png_header(data: bytes) -> bytes:
    header = bytearray(data[8:33])
    header[12:16] = struct.pack(">I", 2 * struct.unpack(">I", header[12:16])[0])
    header[21:25] = struct.pack(">I", zlib.crc32(bytes(header[4:21])))
    return data[:8] + bytes(header) + data[33:]


@pytest.mark.parametrize(("name", "fmt", "options", "damage"), [
    ("bowl.jpg", "JPEG", {"quality": 90}, taller_jpeg_header),
    ("bowl.jpg", "JPEG", {"quality": 90, "progressive": True}, taller_jpeg_header),
    ("bowl.jpg", "JPEG", {"quality": 90, "restart_marker_rows": 1}, taller_jpeg_header),
    ("bowl.jpg", "JPEG", {"quality": 90}, jpeg_cut_and_closed),
    ("bowl.png", "PNG", {}, taller_png_header),
])
def test_image_cut_short_is_an_error_naming_the_file(site: Site, capsys, name, fmt, options, damage):
    assert site.build() == 0
    before = snapshot(site.out)
    (site.content / "artworks/bowl.jpg").unlink()
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text().replace("artworks/bowl.jpg", f"artworks/{name}"))
    buffer = io.BytesIO()
    picture().save(buffer, fmt, **options)
    (site.content / "artworks" / name).write_bytes(damage(buffer.getvalue()))
    capsys.readouterr()

    assert site.check() == 1
    assert site.build() == 1

    err = capsys.readouterr().err
    message = f"content/artworks/{name}: error: this image cannot be used: the file is cut short or damaged"
    assert err.count(message) == 2 and "export or save it again" in err, err
    assert "Traceback" not in err
    assert snapshot(site.out) == before
