"""Deep zoom ("Look closer"): an artwork's static IIIF Image API 3.0 level-0 tile pyramid, made by the image
pipeline beside the other derivatives, and the artwork page's button and dialog for it.

The tiles are checked against the Image API 3.0 itself: every tile a level-0 client may ask for, worked out
from info.json by the spec's own algorithm (section 5.6, written out again in this file), is a file of the
site with the pixel size its address says, and shows its region of the image."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from sitekit import REPO, Site, make_image, snapshot, write

from showcase import tiles

BASE = "https://example.org/cpmr/"
ZOOM_FOLDER = re.compile(r"^([a-z0-9-]+)-zoom-[0-9a-f]{10}$")


def add_artwork(site: Site, slug: str, size: tuple[int, int], extra: str = "", image: Image.Image | None = None):
    path = site.content / f"artworks/{slug}.jpg"
    if image is None:
        make_image(path, size=size)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, quality=95)
    write(site.content / f"artworks/{slug}.yaml", f"title: {slug.title()}\nalt: A picture.\n{extra}")


def zoom_folders(folder: Path) -> dict[str, Path]:
    """The tile folders under a folder (the site's images/ or the image cache), by artwork slug."""
    if not folder.is_dir():
        return {}
    return {m.group(1): p for p in folder.iterdir() if p.is_dir() and (m := ZOOM_FOLDER.match(p.name))}


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def spec_tiles(info: dict) -> dict[str, tuple[int, int, int, int, int, int]]:
    """Every tile request a client may make of this level-0 service, by the algorithm of Image API 3.0 section
    5.6 (in canonical form): its path -> (region x, y, w, h, size w, h)."""
    width, height = info["width"], info["height"]
    found = {}
    for tileset in info["tiles"]:
        tw, th = tileset["width"], tileset.get("height", tileset["width"])
        for s in tileset["scaleFactors"]:
            for n in range(math.ceil(width / (tw * s))):
                for m in range(math.ceil(height / (th * s))):
                    xr, yr = n * tw * s, m * th * s
                    wr, hr = min(tw * s, width - xr), min(th * s, height - yr)
                    ws = tw if xr + tw * s <= width else (width - xr + s - 1) // s
                    hs = th if yr + th * s <= height else (height - yr + s - 1) // s
                    region = "full" if (xr, yr, wr, hr) == (0, 0, width, height) else f"{xr},{yr},{wr},{hr}"
                    size = "max" if (ws, hs) == (width, height) else f"{ws},{hs}"
                    found[f"{region}/{size}/0/default.jpg"] = (xr, yr, wr, hr, ws, hs)
    return found


def quadrants(size: tuple[int, int]) -> Image.Image:
    """Four colours, one a quarter: where a tile comes from shows in its colour."""
    img = Image.new("RGB", size, (200, 40, 40))
    w, h = size
    img.paste((40, 160, 60), (w // 2, 0, w, h // 2))
    img.paste((40, 60, 200), (0, h // 2, w // 2, h))
    img.paste((230, 210, 40), (w // 2, h // 2, w, h))
    return img


def expected_colour(full: tuple[int, int], x: float, y: float) -> tuple[int, int, int]:
    """The colour quadrants() gave the point (x, y) of an image of size `full`."""
    w, h = full
    return quadrants((2, 2)).getpixel((int(x >= w // 2), int(y >= h // 2)))


def close(a, b, tolerance: int = 40) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


# --- which artworks get tiles ------------------------------------------------------------------------


def test_a_large_image_gets_tiles_and_a_small_one_none(site: Site, both_process_modes):
    add_artwork(site, "river", (2400, 1004))  # wider than the largest width (1600)
    assert site.build() == 0
    found = zoom_folders(site.out / "images")
    assert set(found) == {"river"}  # not the 640 px bowl
    river, bowl = site.page("artworks/river"), site.page("artworks/bowl")
    assert re.search(r'<button type="button" class="zoom__open" id="zoom-open" aria-haspopup="dialog" hidden', river)
    assert "zoom.js" in river and "zoom.css" in river and 'aria-labelledby="zoom-title"' in river
    assert "Look closer" not in bowl and "zoom.js" not in bowl and "zoom.css" not in bowl
    # no JavaScript needed to see the details: the full-size image is linked either way
    assert re.search(r'<a href="../../images/river-full-[0-9a-f]{10}\.jpg">View the full-size image', river)
    # the viewer's script is a file of the site, loaded only by the page's own script when asked
    assert (site.out / "assets/openseadragon/openseadragon.min.js").is_file()
    assert (site.out / "assets/openseadragon/LICENSE.txt").is_file()
    assert river.count("openseadragon.min.js") == 1 and 'data-viewer="../../assets/openseadragon/openseadragon.min.js"' in river


@pytest.mark.parametrize("size,zoom,tiled", [
    ((1000, 800), "zoom: true\n", True),  # asked for, though no wider than the largest width
    ((2400, 1004), "zoom: false\n", False),  # turned off
    ((1600, 1200), "", False),  # as wide as the largest width: the page shows every pixel already
    ((1601, 1200), "", True),
])
def test_the_zoom_field(site: Site, size, zoom, tiled):
    add_artwork(site, "river", size, zoom)
    assert site.build() == 0
    assert ("river" in zoom_folders(site.out / "images")) is tiled
    assert ("Look closer" in site.page("artworks/river")) is tiled


def test_turning_zoom_off_and_on_again_between_builds(site: Site):
    add_artwork(site, "river", (2400, 1004))
    assert site.build() == 0
    tiled = zoom_folders(site.out / "images")["river"].name
    sidecar = site.content / "artworks/river.yaml"
    sidecar.write_text(sidecar.read_text() + "zoom: false\n")
    assert site.build() == 0  # the page is rendered again, and the tiles leave the site
    assert "Look closer" not in site.page("artworks/river") and zoom_folders(site.out / "images") == {}
    sidecar.write_text(sidecar.read_text().replace("zoom: false\n", ""))
    assert site.build() == 0
    assert "Look closer" in site.page("artworks/river")
    assert zoom_folders(site.out / "images")["river"].name == tiled  # the same tiles, from the same source


def test_a_transparent_image_is_tiled_on_white(site: Site):
    """JPEG tiles have no transparency: a PNG's transparent parts are white in them, and its full-size `max` image,
    which the PNG full-size derivative cannot stand in for, is a JPEG made with the tiles."""
    img = Image.new("RGBA", (1800, 900), (0, 0, 0, 0))
    img.paste((20, 90, 160, 255), (0, 0, 900, 900))
    path = site.content / "artworks/cut-out.png"
    img.save(path)
    write(site.content / "artworks/cut-out.yaml", "title: Cut out\nalt: A blue square.\n")
    assert site.build() == 0
    folder = zoom_folders(site.out / "images")["cut-out"]
    with Image.open(folder / "full/max/0/default.jpg") as whole:
        assert whole.format == "JPEG" and whole.size == (1800, 900)
        assert close(whole.convert("RGB").getpixel((1500, 450)), (255, 255, 255), 8)
        assert close(whole.convert("RGB").getpixel((300, 450)), (20, 90, 160))
    with Image.open(folder / "1536,512,264,388/264,388/0/default.jpg") as tile:
        assert close(tile.convert("RGB").getpixel((100, 100)), (255, 255, 255), 8)


def test_zoom_on_an_image_too_small_to_tile_is_a_warning_at_its_line(site: Site, capsys):
    add_artwork(site, "stamp", (500, 400), "year: 2016\nzoom: true\n")
    for command in (site.build, site.check):
        assert command() == 0
        err = capsys.readouterr().err
        (line,) = [line for line in err.splitlines() if "stamp.yaml" in line]
        assert re.match(r"^\S*content/artworks/stamp\.yaml:4:1: warning: zoom: the image is 500 × 400 pixels, "
                        r"no larger than one tile \(512 × 512\)", line), line
        assert "Traceback" not in err
    assert "stamp" not in zoom_folders(site.out / "images")
    assert "Look closer" not in site.page("artworks/stamp")
    assert site.build("--strict") == 1  # a warning, so --strict refuses it


# --- the pyramid against the Image API -------------------------------------------------------------------


@pytest.fixture(scope="module")
def zoomed(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A site published under a sub-path with a tall, odd-sized artwork in four colours."""
    site = Site(tmp_path_factory.mktemp("zoom"))
    add_artwork(site, "tall", (1301, 2777), "zoom: true\n", image=quadrants((1301, 2777)))
    assert site.build("--base-url", BASE) == 0
    return site


def test_info_json_is_a_level0_image_service_under_the_sub_path(zoomed: Site):
    (folder,) = zoom_folders(zoomed.out / "images").values()
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    assert info["@context"] == "http://iiif.io/api/image/3/context.json"
    assert info["id"] == f"{BASE}images/{folder.name}"  # absolute, as IIIF requires, under /cpmr/
    assert (info["type"], info["protocol"], info["profile"]) == ("ImageService3", "http://iiif.io/api/image", "level0")
    assert (info["width"], info["height"]) == (1301, 2777)
    assert info["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2, 4]}]
    for size in info["sizes"]:  # each whole image a viewer may take as a thumbnail is there, at that size
        with Image.open(folder / f"full/{size['width']},{size['height']}/0/default.jpg") as img:
            assert img.size == (size["width"], size["height"])
    with Image.open(folder / "full/max/0/default.jpg") as img:  # "max", which every level-0 service offers
        assert img.size == (1301, 2777)


def test_every_tile_the_image_api_allows_is_there_and_shows_its_region(zoomed: Site):
    (folder,) = zoom_folders(zoomed.out / "images").values()
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    wanted = spec_tiles(info)
    sizes = {f"full/{s['width']},{s['height']}/0/default.jpg" for s in info["sizes"]}
    assert files_under(folder) == set(wanted) | sizes | {"info.json", "full/max/0/default.jpg"}  # nothing else
    for path, (xr, yr, wr, hr, ws, hs) in wanted.items():
        with Image.open(folder / path) as tile:
            assert tile.format == "JPEG" and tile.size == (ws, hs), path
            assert not tile.info.get("exif") and not tile.info.get("icc_profile"), path
            rgb = tile.convert("RGB")
            for fx, fy in ((0.1, 0.1), (0.9, 0.9), (0.5, 0.5)):  # sample points away from the colour borders
                x, y = xr + fx * wr, yr + fy * hr
                if abs(x - 1301 // 2) < 40 or abs(y - 2777 // 2) < 40:
                    continue
                got = rgb.getpixel((min(ws - 1, int(fx * ws)), min(hs - 1, int(fy * hs))))
                assert close(got, expected_colour((1301, 2777), x, y)), (path, fx, fy, got)


def test_the_page_gives_the_viewer_the_same_service(zoomed: Site):
    """The page hands its viewer the service with an id relative to the page (made absolute by zoom.js from the
    page's own address), so the tiles work at any address and from disk, base_url or not."""
    (folder,) = zoom_folders(zoomed.out / "images").values()
    html = zoomed.page("artworks/tall")
    (data,) = re.findall(r"data-tiles='([^']+)'", html)
    given = json.loads(data)
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    assert given["id"] == f"../../images/{folder.name}"
    assert given == {**{k: v for k, v in info.items() if k != "sizes"}, "id": given["id"]}


def test_without_base_url_the_tiles_are_there_but_no_info_json(site: Site):
    add_artwork(site, "river", (2400, 1004))
    assert site.build() == 0
    (folder,) = zoom_folders(site.out / "images").values()
    assert not (folder / "info.json").exists()  # its id would have to be an absolute address
    assert (folder / "0,0,512,512/512,512/0/default.jpg").is_file()


# --- the cache ---------------------------------------------------------------------------------------------


def test_a_second_build_makes_no_tiles(site: Site, capsys):
    add_artwork(site, "river", (2400, 1004))
    assert site.build() == 0
    cache = zoom_folders(site.root / ".showcase-cache/images")
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache["river"].rglob("*")}
    capsys.readouterr()
    # into another folder from the same content and cache: every file is written, no pixel is touched
    other = site.root / "_elsewhere"
    from showcase.cli import main

    assert main(["build", "--content", str(site.content), "--out", str(other)]) == 0
    assert "images: 0 processed, 2 cached" in capsys.readouterr().err
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache["river"].rglob("*")} == before
    assert snapshot(other / "images") == snapshot(site.out / "images")


def test_tiles_are_the_same_bytes_every_time(tmp_path: Path):
    """Two builds from nothing (separate caches, in worker processes) make byte-identical tiles."""
    made = []
    for name in ("one", "two"):
        site = Site(tmp_path / name)
        add_artwork(site, "river", (2400, 1004), image=quadrants((2400, 1004)))
        add_artwork(site, "tall", (1301, 2777), "zoom: true\n", image=quadrants((1301, 2777)))
        assert site.build("--base-url", BASE) == 0
        made.append(snapshot(site.out / "images"))
    assert made[0] == made[1] and sum("-zoom-" in name for name in made[0]) > 40


def test_tiles_of_a_removed_artwork_are_pruned(site: Site):
    add_artwork(site, "river", (2400, 1004))
    assert site.build("--base-url", BASE) == 0
    cache = site.root / ".showcase-cache/images"
    assert "river" in zoom_folders(cache) and "river" in zoom_folders(site.out / "images")
    (site.content / "artworks/river.jpg").unlink()
    (site.content / "artworks/river.yaml").unlink()
    assert site.build("--base-url", BASE) == 0
    assert zoom_folders(cache) == {} and zoom_folders(site.out / "images") == {}
    assert not any("-zoom-" in name for name in snapshot(site.out))


def test_a_changed_image_gets_new_tiles_and_the_old_ones_go(site: Site):
    add_artwork(site, "river", (2400, 1004))
    assert site.build() == 0
    old = zoom_folders(site.out / "images")["river"].name
    add_artwork(site, "river", (2400, 1004), image=quadrants((2400, 1004)))
    assert site.build() == 0
    new = zoom_folders(site.out / "images")["river"].name
    assert new != old and not (site.out / "images" / old).exists()
    assert old not in os.listdir(site.root / ".showcase-cache/images")


def test_a_failure_while_tiling_leaves_no_tiles_behind(site: Site, monkeypatch, capsys):
    add_artwork(site, "river", (2400, 1004))

    def fail_half_way(self, master):
        self._save("0,0,512,512/512,512/0/default.jpg", master.crop((0, 0, 512, 512)))
        raise OSError("No space left on device")

    monkeypatch.setattr(tiles.Pyramid, "make", fail_half_way)
    assert site.build() == 1
    err = capsys.readouterr().err
    assert re.search(r"content/artworks/river\.jpg: error: this image cannot be used: .*No space left", err), err
    cache = site.root / ".showcase-cache/images"
    assert zoom_folders(cache) == {}
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".tmp-")]
    assert not any("river-" in name for name in os.listdir(cache))  # nor its other derivatives


# --- the example and the viewer's files ----------------------------------------------------------------------


def test_the_example_content_has_zoomable_artworks():
    widths = []
    for sidecar in sorted((REPO / "content/artworks").glob("*.yaml")):
        image = next(p for p in sidecar.parent.glob(sidecar.stem + ".*") if p.suffix != ".yaml")
        with Image.open(image) as img:
            widths.append(img.width)
    assert sum(w > 1600 for w in widths) >= 1
    assert "zoom: true" in (REPO / "content/artworks/woven-together.yaml").read_text(encoding="utf-8")


def test_the_vendored_viewer_is_the_pinned_version():
    """OpenSeadragon is kept in the theme as npm published it, at the version scripts/vendor_openseadragon.py pins."""
    script = (REPO / "scripts/vendor_openseadragon.py").read_text(encoding="utf-8")
    (version,) = re.findall(r'^VERSION = "([0-9.]+)"', script, re.M)
    folder = REPO / "themes/default/assets/openseadragon"
    assert (folder / "openseadragon.min.js").read_text(encoding="utf-8").startswith(f"//! openseadragon {version}\n")
    assert "Redistribution and use in source and binary forms" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
