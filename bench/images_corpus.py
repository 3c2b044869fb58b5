"""A seeded corpus of photo-like artwork JPEGs for the image benchmark.

Usage: python bench/images_corpus.py FOLDER [--count 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 2400, 1800


def artwork(rng: random.Random) -> Image.Image:
    """Soft shapes over a gradient with fine grain: compresses about as well as a photo."""
    top, bottom = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
    gradient = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    img = Image.composite(Image.new("RGB", (WIDTH, HEIGHT), bottom),
                          Image.new("RGB", (WIDTH, HEIGHT), top), gradient)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(12, 30)):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randint(60, 900), rng.randint(60, 700)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - w // 2, y - h // 2, x + w // 2, y + h // 2), fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(1.0, 6.0)))
    # Grain from Python's seeded generator (Image.effect_noise is not seedable).
    grain = Image.frombytes("L", (WIDTH, HEIGHT), rng.randbytes(WIDTH * HEIGHT))
    grain = grain.filter(ImageFilter.GaussianBlur(0.7)).convert("RGB")
    return Image.blend(img, grain, 0.12)


def exif_for(index: int, rng: random.Random) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bench Camera"
    if index % 5 == 1:
        exif[ExifTags.Base.Orientation] = 6
    elif index % 5 == 2:
        exif[ExifTags.Base.Orientation] = 8
    if index % 3 == 0:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (52.0, 57.0, round(rng.uniform(0, 60), 2)),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (1.0, 11.0, round(rng.uniform(0, 60), 2)),
        }
    return exif


def build(folder: Path, count: int = 200, seed: int = 1) -> list[Path]:
    """Write count artworks into folder (skipping those already there); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"artwork-{index:03d}.jpg"
        if not path.exists():
            rng = random.Random(f"{seed}-{index}")
            artwork(rng).save(path, "JPEG", quality=90, exif=exif_for(index, rng))
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = build(args.folder, args.count, args.seed)
    print(f"{len(paths)} artworks in {args.folder}")


if __name__ == "__main__":
    main()
