"""Benchmark the artwork image pipeline against a bare two-process Pillow loop, and its deep-zoom tiles.

Usage: python bench/images_bench.py [--count 200] [--corpus FOLDER]
Goals (from the issues): cold within 1.1x of the bare loop; warm under 1 s with nothing processed and no tiles made.
The corpus's 2400 px artworks are wider than the largest width, so each gets a tile pyramid unless zoom is off.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from images_corpus import build  # noqa: E402

from showcase.images import ImagePipeline, ImageSettings  # noqa: E402
from showcase.imaging import RESAMPLE  # noqa: E402

WIDTHS = (480, 960, 1600)
QUALITY = 80


def bare_one(job: tuple[Path, Path]) -> None:
    """What any script would do: decode, turn upright, resize from the source, save twice."""
    source, out = job
    img = ImageOps.exif_transpose(Image.open(source))
    for width in WIDTHS:
        height = round(img.height * width / img.width)
        small = img.resize((width, height), RESAMPLE)
        small.save(out / f"{source.stem}-{width}.webp", quality=QUALITY)
        small.save(out / f"{source.stem}-{width}.jpg", quality=QUALITY)


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers: unlike wall time, it hardly moves
    when something else on the machine competes for the cores."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def bare(paths: list[Path], out: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), cpu_seconds()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(bare_one, [(p, out) for p in paths]))
    return time.perf_counter() - start, cpu_seconds() - cpu


def pipeline(paths: list[Path], cache: Path, zoom: bool | None = None) -> tuple[float, float, int, int, int]:
    """Plan and run every artwork (zoom as a sidecar's `zoom:` says; None: tiles for the wide ones)."""
    start, cpu = time.perf_counter(), cpu_seconds()
    images = ImagePipeline(ImageSettings(widths=WIDTHS, quality=QUALITY), cache)
    for path in paths:
        images.plan(path, path.stem, zoom)
    stats, errors = images.run()
    elapsed = time.perf_counter() - start
    assert not errors, errors
    return elapsed, cpu_seconds() - cpu, stats.processed, stats.cached, stats.tiled


def folder_size(folder: Path, pattern: str) -> tuple[int, int]:
    files = [p for p in folder.glob(pattern) if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "showcase-bench-corpus")
    args = parser.parse_args()

    paths = build(args.corpus, args.count)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / "bare").mkdir()
        bare_time, bare_cpu = bare(paths, work / "bare")
        # the derivatives alone (zoom off), as the bare loop makes them; then the tiles added to that cache
        cold = pipeline(paths, work / "cache", zoom=False)
        tiles_only = pipeline(paths, work / "cache")
        # everything from nothing, tiles included, then again
        full = pipeline(paths, work / "cache-zoom")
        warm = pipeline(paths, work / "cache-zoom")
        tile_files, tile_bytes = folder_size(work / "cache-zoom", "*-zoom-*/**/*")

    print(f"{len(paths)} artworks of 2400x1800, widths {WIDTHS}, webp + jpeg, quality {QUALITY}; "
          f"tiles of 512 px, JPEG quality {QUALITY}")
    print(f"{'run':<44}{'wall s':>9}{'cpu s':>9}{'processed':>11}{'tiled':>7}")
    for label, (wall, cpu, processed, _, tiled) in (
        ("bare Pillow loop, 2 processes", (bare_time, bare_cpu, len(paths), 0, 0)),
        ("pipeline cold, no tiles (zoom: false)", cold),
        ("tiles added to that warm cache", tiles_only),
        ("pipeline cold with tiles (plan + run)", full),
        ("pipeline warm with tiles (plan + run)", warm),
    ):
        print(f"{label:<44}{wall:>9.2f}{cpu:>9.2f}{processed:>11}{tiled:>7}")
    print(f"cold / bare = {cold[0] / bare_time:.3f} wall, {cold[1] / bare_cpu:.3f} cpu (goal <= 1.1); "
          f"tiles {tiles_only[0]:.2f} s wall, {tiles_only[1]:.2f} s cpu; {tile_files} tile files, "
          f"{tile_bytes / 1e6:.1f} MB; warm {warm[0]:.2f} s (goal < 1), cached {warm[3]}")
    if warm[2] or warm[4]:
        sys.exit("warm run processed images or made tiles: the cache did not hold")


if __name__ == "__main__":
    main()
