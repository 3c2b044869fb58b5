"""Benchmark the artwork image pipeline against a bare two-process Pillow loop.

Usage: python bench/images_bench.py [--count 200] [--corpus FOLDER]
Goals (from the issue): cold within 1.1x of the bare loop; warm under 1 s with nothing processed.
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


def pipeline(paths: list[Path], cache: Path) -> tuple[float, float, int, int]:
    start, cpu = time.perf_counter(), cpu_seconds()
    images = ImagePipeline(ImageSettings(widths=WIDTHS, quality=QUALITY), cache)
    for path in paths:
        images.plan(path, path.stem)
    stats, errors = images.run()
    elapsed = time.perf_counter() - start
    assert not errors, errors
    return elapsed, cpu_seconds() - cpu, stats.processed, stats.cached


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
        cold_time, cold_cpu, cold_processed, _ = pipeline(paths, work / "cache")
        warm_time, warm_cpu, warm_processed, warm_cached = pipeline(paths, work / "cache")

    print(f"{len(paths)} artworks of 2400x1800, widths {WIDTHS}, webp + jpeg, quality {QUALITY}")
    print(f"{'run':<34}{'wall s':>9}{'cpu s':>9}{'processed':>11}")
    for label, wall, cpu, processed in (
        ("bare Pillow loop, 2 processes", bare_time, bare_cpu, len(paths)),
        ("pipeline cold (plan + run)", cold_time, cold_cpu, cold_processed),
        ("pipeline warm (plan + run)", warm_time, warm_cpu, warm_processed),
    ):
        print(f"{label:<34}{wall:>9.2f}{cpu:>9.2f}{processed:>11}")
    print(f"cold / bare = {cold_time / bare_time:.3f} wall, {cold_cpu / bare_cpu:.3f} cpu "
          f"(goal <= 1.1); warm {warm_time:.2f} s (goal < 1), cached {warm_cached}")
    if warm_processed:
        sys.exit("warm run processed images: the cache did not hold")


if __name__ == "__main__":
    main()
