"""Artworks in a built site: responsive, upright, private, cached."""

from __future__ import annotations

import re

from PIL import Image

from sitekit import Site, snapshot


def gps_photo(path, size=(1200, 800)):
    """A sideways camera photo with a location in it, as phones make them."""
    img = Image.new("RGB", size, (200, 120, 60))
    img.paste((20, 40, 200), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show upright
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 57.0, 1.0), 3: "W", 4: (1.0, 9.0, 2.0)})
    img.save(path, exif=exif.tobytes(), comment=b"secret note")


def test_derivatives_are_upright_and_carry_no_metadata(site: Site, capsys):
    gps_photo(site.content / "artworks/bowl.jpg")
    assert site.build("--base-url", "https://example.org/") == 0
    images = sorted((site.out / "images").iterdir())
    names = [p.name for p in images]
    assert any(n.endswith(".webp") for n in names) and any(n.endswith(".jpg") for n in names)
    for path in images:
        data = path.read_bytes()
        assert b"GPS" not in data and b"PhoneMaker" not in data and b"secret note" not in data, path.name
        with Image.open(path) as img:
            assert not img.getexif(), path.name
            assert img.width < img.height, path.name  # the sideways photo now stands upright
    html = site.page("artworks/bowl")
    stage = html.split('class="artwork-page__stage"')[1]
    assert '<source type="image/webp" srcset="../../images/bowl-480w-' in stage
    img = re.search(r"<img [^>]+>", stage).group(0)
    assert 'width="800" height="1200"' in img and 'fetchpriority="high"' in img and "loading" not in img
    assert "background-color: #" in img
    assert re.search(r'<a href="../../images/bowl-full-[0-9a-f]{10}\.jpg">View the full-size image \(800 × 1200 pixels\)', html)
    og = re.search(r'<meta property="og:image" content="https://example.org/images/(bowl-og-[0-9a-f]{10}\.jpg)">', html)
    assert og and Image.open(site.out / "images" / og.group(1)).width == 800  # never upscaled past the source
    cards = site.page("artworks")
    assert 'loading="lazy"' in cards and 'aria-label="Artworks"' in cards


def test_second_build_processes_no_images(site: Site, capsys):
    assert site.build() == 0
    assert "images: 1 processed, 0 cached" in capsys.readouterr().err
    assert site.build() == 0
    assert "is up to date" in capsys.readouterr().err  # nothing changed: not even looked at
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    assert site.build() == 0
    assert "images: 0 processed, 1 cached" in capsys.readouterr().err


def test_broken_image_leaves_site_and_cache_unharmed(site: Site, capsys):
    assert site.build() == 0
    cache = site.root / ".showcase-cache" / "images"
    before_site, before_cache = snapshot(site.out), snapshot(cache)
    data = (site.content / "artworks/bowl.jpg").read_bytes()
    (site.content / "artworks/bowl.jpg").write_bytes(data[: len(data) // 2])  # truncated upload
    assert site.build() == 1
    assert "content/artworks/bowl.jpg: error: this image cannot be used" in capsys.readouterr().err
    assert snapshot(site.out) == before_site
    assert snapshot(cache) == before_cache


def test_decompression_bomb_is_refused(site: Site, capsys):
    Image.new("1", (12000, 9000)).save(site.content / "artworks/bowl.png")  # 108 MP, a few KB on disk
    (site.content / "artworks/bowl.jpg").unlink()
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "content/artworks/bowl.png: error: this image cannot be used" in err and "Traceback" not in err
