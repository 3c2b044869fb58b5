"""Deep zoom ("Look closer"): an artwork's static IIIF Image API 3.0 level-0 tile pyramid. Which files a viewer
asks for is worked out from the image's size alone (planning); the files are made in the image workers from the
same upright, sRGB, metadata-free pixels as the other derivatives, into a folder that appears whole or not at all.

The layout follows the static tiler of the `iiif` package (the Image API reference implementation): square
512-pixel tiles at scale factors 1, 2, 4... up to the one where a tile covers the longer side, addressed as
{id}/{region}/{size}/0/default.jpg in the canonical `w,h` form of Image API 3.0, and a few smaller whole images
for thumbnails. The addresses are the ones OpenSeadragon's IIIF tile source requests for a level-0 service."""

from __future__ import annotations

import io
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

if TYPE_CHECKING:
    from .content import Artwork
    from .discover import ContentFiles
    from .errors import Diagnostics

TILE = 512
SMALLEST = 64  # the smaller whole images listed in `sizes` stop before their longer side gets below this
# Part of every pyramid's name (beside the image pipeline's version): bump it when the same source and settings
# would give other tiles.
VERSION = 1
CONTEXT = "http://iiif.io/api/image/3/context.json"
MAX = "full/max/0/default.jpg"  # the whole image at full size, which every level-0 service offers
_RESAMPLE = Image.Resampling.LANCZOS


@dataclass(frozen=True)
class Zoom:
    """An artwork's tile pyramid: what the artwork page, the IIIF manifest and the workers need to know."""

    folder: str  # its folder in the site's images/, named by a digest of what its bytes depend on
    width: int  # the upright image's size
    height: int
    tile: int
    scale_factors: tuple[int, ...]
    sizes: tuple[tuple[int, int], ...]  # the smaller whole images, largest first

    def service(self, id: str, sizes: bool = True) -> dict[str, Any]:
        """The info.json document with this id (the folder's absolute address). The artwork page gives the same
        to its viewer without `sizes`, which it does not need."""
        info: dict[str, Any] = {
            "@context": CONTEXT, "id": id, "type": "ImageService3", "protocol": "http://iiif.io/api/image",
            "profile": "level0", "width": self.width, "height": self.height,
        }
        if sizes and self.sizes:
            info["sizes"] = [{"width": w, "height": h} for w, h in reversed(self.sizes)]  # smallest first
        info["tiles"] = [{"width": self.tile, "height": self.tile, "scaleFactors": list(self.scale_factors)}]
        return info

    def tiles(self) -> list[tuple[str, tuple[int, int, int, int]]]:
        """(path in the folder, its box in the level image) of every tile, level by level from scale factor 1."""
        found = []
        for factor in self.scale_factors:
            found.extend(_level_tiles(self.width, self.height, self.tile, factor))
        return found

    def files(self) -> list[str]:
        """Every file the workers write into the folder (the full-size image, MAX, is one only when asked)."""
        return [path for path, _ in self.tiles()] + [_path("full", w, h) for w, h in self.sizes]


def plan(folder: str, width: int, height: int, tile: int = TILE) -> Zoom | None:
    """The pyramid of an image of this size, or None when the image fits in one tile (nothing to zoom into)."""
    if too_small(width, height, tile):
        return None
    factors = [1]
    while tile * factors[-1] * 2 <= max(width, height):
        factors.append(factors[-1] * 2)
    sizes = []
    for level in range(1, 32):
        w, h = int(width / 2**level + 0.5), int(height / 2**level + 0.5)
        if max(w, h) < SMALLEST or min(w, h) < 1:
            break
        if w < tile and h < tile:
            sizes.append((w, h))
    return Zoom(folder, width, height, tile, tuple(factors), tuple(sizes))


def too_small(width: int, height: int, tile: int = TILE) -> bool:
    return width <= tile and height <= tile


def _path(region: str, width: int, height: int) -> str:
    return f"{region}/{width},{height}/0/default.jpg"


def _level_tiles(width: int, height: int, tile: int, factor: int) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The tiles of one scale factor, as OpenSeadragon's IIIF tile source asks for them (its getTileUrl): the
    region in full-size pixels, its size in the level's pixels (the level is ceil(width / factor) wide)."""
    level_width, level_height = math.ceil(width / factor), math.ceil(height / factor)
    span = tile * factor  # what one tile covers of the full-size image
    found = []
    for y in range(math.ceil(height / span)):
        for x in range(math.ceil(width / span)):
            rx, ry = x * span, y * span
            rw, rh = min(span, width - rx), min(span, height - ry)
            sw, sh = min(tile, level_width - x * tile), min(tile, level_height - y * tile)
            region = "full" if (rw, rh) == (width, height) else f"{rx},{ry},{rw},{rh}"
            size = "max" if (sw, sh) == (width, height) else f"{sw},{sh}"
            found.append((f"{region}/{size}/0/default.jpg", (x * tile, y * tile, x * tile + sw, y * tile + sh)))
    return found


# -- making the files (in the image workers) -----------------------------------------------------------


@dataclass(frozen=True)
class TileJob:
    """One pyramid to make: the worker writes it into the cache as zoom.folder."""

    zoom: Zoom
    quality: int
    with_max: bool  # also write MAX (when the full-size derivative is not a JPEG that can stand in for it)


class Pyramid:
    """A pyramid being made in a temporary folder beside its final place; commit() moves it there whole."""

    def __init__(self, job: TileJob, cache_dir: Path) -> None:
        self.job = job
        self.final = cache_dir / job.zoom.folder
        self.temp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache_dir))

    def make(self, master: Image.Image) -> None:
        """Write every tile from the full-size master (mode L, RGB or RGBA; transparency goes onto white)."""
        zoom = self.job.zoom
        if master.size != (zoom.width, zoom.height):
            raise ValueError(f"the tiles are planned for {zoom.width} × {zoom.height}, not {master.size}")
        if master.mode == "RGBA":
            flat = Image.new("RGB", master.size, "white")
            flat.paste(master, mask=master.getchannel("A"))
            master = flat
        if self.job.with_max:
            self._save(MAX, master)
        level = master
        for factor in zoom.scale_factors:
            size = (math.ceil(zoom.width / factor), math.ceil(zoom.height / factor))
            if level.size != size:
                level = level.resize(size, _RESAMPLE)  # each level from the one before: a halving, cheap
            for path, box in _level_tiles(zoom.width, zoom.height, zoom.tile, factor):
                self._save(path, level.crop(box))
        for width, height in zoom.sizes:
            level = level.resize((width, height), _RESAMPLE)
            self._save(_path("full", width, height), level)

    def _save(self, path: str, img: Image.Image) -> None:
        target = self.temp / path
        target.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=self.job.quality)  # pixels only: the master carries no metadata
        target.write_bytes(buffer.getvalue())

    def commit(self) -> None:
        try:
            os.rename(self.temp, self.final)
        except OSError:
            if not self.final.is_dir():
                raise
            self.discard()  # another build made the same pyramid meanwhile: same name, same bytes

    def discard(self) -> None:
        shutil.rmtree(self.temp, ignore_errors=True)


# -- what the editor is told ---------------------------------------------------------------------------


def warn_if_unzoomable(artwork: Artwork, files: ContentFiles, diagnostics: Diagnostics) -> None:
    """`zoom: true` on an image too small to tile: a warning at the field's line (the page shows the image whole)."""
    image = artwork.image
    if not artwork.meta.zoom or image is None or image.zoom is not None:
        return
    line, col = artwork.front.locate(("zoom",)) if artwork.front else (None, None)
    diagnostics.warning(files.path(artwork.source), f"zoom: the image is {image.width} × {image.height} pixels, "
                        f"no larger than one tile ({TILE} × {TILE}), so there is nothing to zoom into and the page "
                        "offers no \"Look closer\"; use a larger image or remove zoom: true", line, col)
