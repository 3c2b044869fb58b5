"""Artwork images for the site: the derivatives each artwork needs (responsive sizes, an Open Graph image,
a full-size image and, for deep zoom, a tile pyramid, all made afresh from the pixels by imaging.py and
tiles.py), named and kept in the cache (imagecache.py), planned while pages render and made in parallel
afterwards."""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PIL import features

from . import imaging, tiles
from . import workers as processes
from .imagecache import ImageCache
from .imaging import LOSSY, OUTPUT_FORMATS, ImageError, Output, SourceInfo, Task
from .progress import progress_bar
from .tiles import TileJob, Zoom

__all__ = ["ArtworkImage", "Derivative", "ImageError", "ImagePipeline", "ImageSettings", "ImageStats", "Zoom"]

OG_WIDTH = 1200
# The full-size image of a source that has no quantisation tables of its own to keep (not a JPEG).
FULL_QUALITY = 90


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
    full: Derivative  # full size, encoded afresh like the others
    og: Derivative  # 1200 px wide jpeg
    zoom: Zoom | None = None  # the deep-zoom tiles, in images/<zoom.folder>/


@dataclass
class ImageStats:
    processed: int  # source images decoded and processed in this run
    cached: int  # source images whose derivatives were all already in the cache
    tiled: int = 0  # tile pyramids made in this run


class ImagePipeline:
    """Plans derivatives while pages render and makes the missing ones afterwards in run(). A read-only
    pipeline (for `check`) plans from the cache's records where there are some and writes nothing."""

    def __init__(self, settings: ImageSettings, cache_dir: Path, read_only: bool = False) -> None:
        self.settings = settings
        self.cache = ImageCache(cache_dir, imaging.VERSION, read_only)
        self._used: dict[str, Path] = {}
        self._sources: set[str] = set()  # hashes of the sources planned
        self._queue: dict[tuple[str, str], tuple[Task, SourceInfo]] = {}
        self._cached: set[tuple[str, str]] = set()

    # -- planning --------------------------------------------------------------------------

    def plan(self, source: Path, slug: str, zoom: bool | None = None) -> ArtworkImage:
        """Read the source (bytes for the hash; a cheap decode to check and measure it unless the cache
        has its record), queue the missing derivatives, return what the markup needs. Raises ImageError.
        Deep-zoom tiles are made for an image wider than the largest of the widths, or as `zoom` (the sidecar's
        field) says, except for an image that fits in one tile."""
        if not slug or "/" in slug or "\\" in slug or slug.startswith("."):
            raise ValueError(f"not a usable slug for a file name: {slug!r}")
        source = Path(source)
        data = imaging.read(source)
        source_hash = hashlib.sha256(data).hexdigest()
        info = _source_info(self.cache.record(source_hash))
        fresh = info is None
        if info is None:
            info = imaging.inspect(data, self.settings.max_pixels)
        else:
            # The limit may have been lowered since the record was made.
            imaging.check_pixels(info.width, info.height, self.settings.max_pixels)

        outputs, ladder = self._outputs(slug, source_hash, info)
        pyramid = self._zoom(slug, source_hash, info, zoom)
        artwork = self._artwork(info, outputs, pyramid)
        for output in outputs:
            self._used[output.name] = self.cache.path(output.name)
        if pyramid is not None:
            self._use_tiles(pyramid, artwork.full)
        self._sources.add(source_hash)

        key = (slug, source_hash)
        missing = tuple(o for o in outputs if not self.cache.has(o.name))
        tile_job = None
        if pyramid is not None and not self.cache.has(pyramid.folder):
            tile_job = TileJob(pyramid, self.settings.quality, with_max=artwork.full.format != "jpeg")
        if missing or tile_job:
            task = Task(source, source_hash, info.has_alpha, ladder, missing, self.cache.folder,
                        self.settings.max_pixels, tile_job)
            self._queue[key] = (task, info)
        else:
            self._cached.add(key)
            if fresh:  # derivatives survived but their record did not
                self.cache.remember(source_hash, asdict(info))
        return artwork

    def _outputs(self, slug: str, source_hash: str, info: SourceInfo
                 ) -> tuple[list[Output], tuple[tuple[int, int], ...]]:
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
        ladder = tuple(sorted({(w, self._height(info, w)) for _, w, _ in wanted}, reverse=True))

        outputs: dict[str, Output] = {}
        for fmt, width, kind in wanted:
            height = self._height(info, width)
            quality = 0 if fmt not in LOSSY else settings.quality
            if kind == "full" and quality:  # a JPEG source keeps its own quantisation instead
                quality = max(quality, FULL_QUALITY)
            # The name covers everything the bytes depend on: the source, this output's spec and the sizes
            # it was resized through; the cache adds the pipeline's version.
            spec = [source_hash, kind, fmt, width, height, quality, [s for s in ladder if s > (width, height)]]
            label = kind if kind in ("og", "full") else f"{width}w"
            name = self.cache.name(f"{slug}-{label}", OUTPUT_FORMATS[fmt][0], spec)
            outputs[name] = Output(name, kind, fmt, width, height, quality)
        return list(outputs.values()), ladder

    @staticmethod
    def _height(info: SourceInfo, width: int) -> int:
        return max(1, round(info.height * width / info.width))

    def _zoom(self, slug: str, source_hash: str, info: SourceInfo, zoom: bool | None) -> Zoom | None:
        if not (zoom if zoom is not None else info.width > max(self.settings.widths)):
            return None
        # As for every derivative, the name covers all the tiles' bytes depend on (and the cache its version).
        spec = [source_hash, "zoom", tiles.VERSION, tiles.TILE, self.settings.quality]
        return tiles.plan(self.cache.folder_name(slug, spec), info.width, info.height)

    def _use_tiles(self, pyramid: Zoom, full: Derivative) -> None:
        folder = self.cache.path(pyramid.folder)
        for rel in pyramid.files():
            self._used[f"{pyramid.folder}/{rel}"] = folder / rel
        # The whole image at full size: the full-size derivative itself when it is a JPEG, else one in the folder.
        self._used[f"{pyramid.folder}/{tiles.MAX}"] = \
            self.cache.path(full.name) if full.format == "jpeg" else folder / tiles.MAX

    def _artwork(self, info: SourceInfo, outputs: list[Output], zoom: Zoom | None) -> ArtworkImage:
        def derivative(o: Output) -> Derivative:
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
                            derivative(full), derivative(og), zoom)

    # -- processing ------------------------------------------------------------------------

    def run(self, workers: int | None = None, progress: bool = False
            ) -> tuple[ImageStats, list[tuple[Path, str]]]:
        """Process the queue; returns stats and (source path, error message) for images that
        failed to decode. Nothing partial is left in the cache for a failed image."""
        if self.cache.read_only:
            raise RuntimeError("a read-only image pipeline makes no derivatives")
        # Biggest first, so that no large image starts last and keeps one core busy alone.
        queued = sorted(self._queue.values(), key=lambda item: -item[1].width * item[1].height)
        stats = ImageStats(processed=0, cached=len(self._cached))
        self._queue, self._cached = {}, set()
        errors: list[tuple[Path, str]] = []

        def finished(task: Task, info: SourceInfo, error: str | None) -> None:
            if error is not None:
                errors.append((task.source, error))
                return
            self.cache.remember(task.source_hash, asdict(info))
            self.cache.added(o.name for o in task.outputs)
            if task.tiles is not None:
                self.cache.added([task.tiles.zoom.folder])
                stats.tiled += 1
            stats.processed += 1

        workers = workers or processes.cores()
        if workers > 1 and len(queued) > 1:
            # Processes, not threads: resizing and encoding hold the GIL. Everything is submitted
            # before the progress bar starts its thread, as the workers are forked on submit.
            with ProcessPoolExecutor(max_workers=min(workers, len(queued))) as pool:
                futures = {pool.submit(imaging.process, task): (task, info) for task, info in queued}
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
                    finished(task, info, imaging.process(task))
                    advance()
        errors.sort(key=lambda e: str(e[0]))
        return stats, errors

    def used(self) -> dict[str, Path]:
        """Every derivative name this build planned -> its path in the cache; a tile's name is its path in
        its pyramid's folder ("blue-river-zoom-3f2a9c1b2d/0,0,1024,1024/512,512/0/default.jpg")."""
        return dict(self._used)

    def prune(self) -> int:
        """Delete cache files (and records) not planned by this pipeline; returns how many.
        Only call it after a build that planned every artwork."""
        return self.cache.prune(self._used, self._sources)


def _source_info(record: dict[str, Any] | None) -> SourceInfo | None:
    try:
        return SourceInfo(**record) if record is not None else None
    except TypeError:  # a record of another shape: measure the source again
        return None


