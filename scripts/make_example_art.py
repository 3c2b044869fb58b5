#!/usr/bin/env python3
"""Generate the example artworks in content/artworks/ for the CPMR showcase.

The example site needs images that read as artworks (paintings, glazed pots, weaving, collage,
film stills, ink) without shipping anyone's real work, so they are drawn here from fixed seeds
with Pillow and the standard library only. Running it twice gives the same files.

Usage: python scripts/make_example_art.py [--out content/artworks] [--only slug ...]
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
from pathlib import Path
from typing import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

RGB = tuple[int, int, int]

# Each JPEG must stay under this, so the whole example gallery stays small in the repository.
MAX_BYTES = 390_000


# --------------------------------------------------------------------------------------------
# Colour and texture helpers


def hexc(value: str) -> RGB:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def jitter(c: RGB, rng: random.Random, amount: int) -> RGB:
    return tuple(max(0, min(255, v + rng.randint(-amount, amount))) for v in c)  # type: ignore[return-value]


def smooth(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def gradient(size: tuple[int, int], stops: Sequence[tuple[float, RGB]], horizontal: bool = False) -> Image.Image:
    """A linear gradient through colour stops at positions 0..1 (top to bottom by default)."""
    w, h = size
    n = w if horizontal else h
    row = []
    for i in range(n):
        p = i / max(1, n - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if p0 <= p <= p1:
                row.append(mix(c0, c1, smooth((p - p0) / max(1e-6, p1 - p0))))
                break
        else:
            row.append(stops[-1][1] if p > stops[-1][0] else stops[0][1])
    strip = Image.new("RGB", (n, 1))
    strip.putdata(row)
    if horizontal:
        return strip.resize((w, h), Image.NEAREST)
    return strip.transpose(Image.ROTATE_270).transpose(Image.FLIP_LEFT_RIGHT).resize((w, h), Image.NEAREST)


def value_noise(size: tuple[int, int], cell: int, rng: random.Random, octaves: int = 3,
                stretch: tuple[float, float] = (1.0, 1.0)) -> Image.Image:
    """Smooth random texture (L mode, roughly 0..255) made from upscaled random grids."""
    w, h = size
    acc: Image.Image | None = None
    weight = 1.0
    for octave in range(octaves):
        cx = max(2, int(cell * stretch[0] / (2 ** octave)))
        cy = max(2, int(cell * stretch[1] / (2 ** octave)))
        gw, gh = w // cx + 3, h // cy + 3
        small = Image.frombytes("L", (gw, gh), rng.randbytes(gw * gh))
        layer = small.resize((gw * cx, gh * cy), Image.BICUBIC).crop((cx, cy, cx + w, cy + h))
        if acc is None:
            acc = layer
        else:
            weight *= 0.55
            acc = Image.blend(acc, layer, weight / (1 + weight))
    assert acc is not None
    return ImageOps.autocontrast(acc, cutoff=1)


def grain(size: tuple[int, int], rng: random.Random, blur: float = 0.7) -> Image.Image:
    w, h = size
    img = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    return img.filter(ImageFilter.GaussianBlur(blur)) if blur else img


def overlay_texture(img: Image.Image, tex: Image.Image, strength: float) -> Image.Image:
    """Overlay an L texture (centred on mid grey) onto an RGB image with the given strength."""
    k = strength
    flat = tex.point(lambda v: max(0, min(255, round(128 + (v - 128) * k))))
    return ImageChops.overlay(img, Image.merge("RGB", (flat, flat, flat)))


def add_grain(img: Image.Image, rng: random.Random, strength: float = 0.18, blur: float = 0.8) -> Image.Image:
    g = grain(img.size, rng, blur)
    g = ImageOps.autocontrast(g, cutoff=0.5)
    return overlay_texture(img, g, strength)


def vignette(img: Image.Image, strength: float = 0.35, colour: RGB = (20, 12, 8)) -> Image.Image:
    mask = Image.radial_gradient("L").resize(img.size, Image.BICUBIC)
    mask = mask.point(lambda v: round(255 * strength * smooth((v - 90) / 165)))
    return Image.composite(Image.new("RGB", img.size, colour), img, mask)


def canvas_weave(img: Image.Image, rng: random.Random, strength: float = 0.10) -> Image.Image:
    """Fine linen-like texture, so painted surfaces do not look digitally flat."""
    w, h = img.size
    horiz = value_noise((w, h), 3, rng, octaves=1, stretch=(40, 1))
    vert = value_noise((w, h), 3, rng, octaves=1, stretch=(1, 40))
    tex = Image.blend(horiz, vert, 0.5)
    return overlay_texture(img, ImageOps.autocontrast(tex), strength)


def paint(img: Image.Image, colour: RGB | Image.Image, mask: Image.Image, alpha: float = 1.0) -> Image.Image:
    layer = colour if isinstance(colour, Image.Image) else Image.new("RGB", img.size, colour)
    if alpha < 1.0:
        mask = mask.point(lambda v: round(v * alpha))
    return Image.composite(layer, img, mask)


def multiply_paint(img: Image.Image, colour: RGB, mask: Image.Image, alpha: float = 1.0) -> Image.Image:
    """Paint like a transparent glaze: overlaps darken, as watercolour does."""
    layer = ImageChops.multiply(img, Image.new("RGB", img.size, colour))
    return paint(img, layer, mask, alpha)


def soft_blob(size: tuple[int, int], centre: tuple[float, float], radius: tuple[float, float],
              rng: random.Random, ragged: float = 0.5, blur: float = 30) -> Image.Image:
    """A soft irregular mask, like a wash of colour on paper."""
    mask = Image.new("L", size, 0)
    d = ImageDraw.Draw(mask)
    cx, cy = centre
    rx, ry = radius
    pts = []
    n = 48
    phase = [rng.uniform(0, 6.28) for _ in range(3)]
    for i in range(n):
        a = 2 * math.pi * i / n
        r = 1 + ragged * 0.18 * (math.sin(3 * a + phase[0]) + math.sin(5 * a + phase[1]) * 0.6
                                  + math.sin(9 * a + phase[2]) * 0.3) + rng.uniform(-0.04, 0.04) * ragged
        pts.append((cx + math.cos(a) * rx * r, cy + math.sin(a) * ry * r))
    d.polygon(pts, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(blur))


def catmull(points: Sequence[tuple[float, float]], steps: int = 16) -> list[tuple[float, float]]:
    """A smooth curve through the given points."""
    pts = [points[0], *points, points[-1]]
    out = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * ((2 * p1[k]) + (-p0[k] + p2[k]) * t + (2 * p0[k] - 5 * p1[k] + 4 * p2[k] - p3[k]) * t2
                       + (-p0[k] + 3 * p1[k] - 3 * p2[k] + p3[k]) * t3)
                for k in range(2)))
    out.append(points[-1])
    return out  # type: ignore[return-value]


def ridge(width: int, base: float, amp: float, rng: random.Random, knots: int = 14) -> list[float]:
    """A 1-D smooth random line (hills, glaze edges, torn paper)."""
    vals = [rng.uniform(-1, 1) for _ in range(knots + 3)]
    out = []
    for x in range(width + 1):
        f = x / width * knots
        i = int(f)
        t = smooth(f - i)
        out.append(base + amp * (vals[i] * (1 - t) + vals[i + 1] * t))
    return out


# --------------------------------------------------------------------------------------------
# Brushes


def brush_stroke(mask: Image.Image, path: Sequence[tuple[float, float]], width: float, rng: random.Random,
                 bristles: int = 28, dryness: float = 0.35, pressure: Callable[[float], float] | None = None) -> None:
    """Draw a dry-brush stroke into an L mask: many bristles, some running out of ink early."""
    d = ImageDraw.Draw(mask)
    pressure = pressure or (lambda t: 0.35 + 0.65 * math.sin(math.pi * min(1.0, t * 1.15)) ** 0.6)
    n = len(path)
    normals = []
    for i in range(n):
        a = path[max(0, i - 1)]
        b = path[min(n - 1, i + 1)]
        dx, dy = b[0] - a[0], b[1] - a[1]
        ln = math.hypot(dx, dy) or 1.0
        normals.append((-dy / ln, dx / ln))
    for _ in range(bristles):
        offset = rng.uniform(-0.5, 0.5)
        ink = rng.randint(150, 255)
        stop = 1.0 - (rng.random() ** 2) * dryness * 1.6 if abs(offset) > 0.18 else 1.0 - rng.random() * dryness * 0.3
        bw = max(1, round(width / bristles * rng.uniform(1.2, 2.6)))
        prev = None
        for i, (x, y) in enumerate(path):
            t = i / (n - 1)
            if t > stop:
                break
            p = pressure(t)
            nx, ny = normals[i]
            px, py = x + nx * offset * width * p, y + ny * offset * width * p
            if prev is not None and rng.random() > dryness * 0.12 * (t + 0.2):
                d.line([prev, (px, py)], fill=ink, width=bw)
            prev = (px, py)


def dab_path(img: Image.Image, path: Sequence[tuple[float, float]], palette: Sequence[RGB], rng: random.Random,
             size: tuple[float, float], spacing: float = 0.45, colour_jitter: int = 14) -> None:
    """Short loaded brush marks laid along a path, following its direction (opaque, like gouache)."""
    d = ImageDraw.Draw(img)
    dist = 0.0
    n = len(path)
    for i in range(1, n):
        x, y = path[i]
        px, py = path[i - 1]
        dist += math.hypot(x - px, y - py)
        r = rng.uniform(*size)
        if dist < r * spacing:
            continue
        dist = 0.0
        ax, ay = path[max(0, i - 3)]
        bx, by = path[min(n - 1, i + 3)]
        angle = math.atan2(by - ay, bx - ax) + rng.gauss(0, 0.25)
        length = r * rng.uniform(1.4, 2.6)
        ox, oy = rng.gauss(0, r * 0.5), rng.gauss(0, r * 0.5)
        cx, cy = x + ox, y + oy
        dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
        c = jitter(rng.choice(palette), rng, colour_jitter)
        width = max(2, round(r * rng.uniform(0.8, 1.2)))
        d.line([(cx - dx, cy - dy), (cx + dx, cy + dy)], fill=c, width=width, joint="curve")
        # rounded ends, and a lighter ridge of paint along the mark
        for ex, ey in ((cx - dx, cy - dy), (cx + dx, cy + dy)):
            d.ellipse([ex - width / 2, ey - width / 2, ex + width / 2, ey + width / 2], fill=c)
        d.line([(cx - dx * 0.7, cy - dy * 0.7 - width * 0.2), (cx + dx * 0.6, cy + dy * 0.6 - width * 0.2)],
               fill=mix(c, (255, 250, 240), 0.22), width=max(1, width // 5))


def paper_ground(size: tuple[int, int], base: RGB, rng: random.Random, blotch: float = 0.12,
                 fibres: int = 0) -> Image.Image:
    img = Image.new("RGB", size, base)
    img = overlay_texture(img, value_noise(size, max(size) // 6, rng, octaves=4), blotch)
    if fibres:
        fib = Image.new("L", size, 0)
        d = ImageDraw.Draw(fib)
        w, h = size
        for _ in range(fibres):
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            pts = [(x, y)]
            a = rng.uniform(0, 6.28)
            for _ in range(rng.randint(3, 8)):
                a += rng.uniform(-0.5, 0.5)
                x += math.cos(a) * rng.uniform(6, 18)
                y += math.sin(a) * rng.uniform(6, 18)
                pts.append((x, y))
            d.line(pts, fill=rng.randint(60, 140), width=1)
        img = paint(img, mix(base, (120, 100, 80), 0.35), fib.filter(ImageFilter.GaussianBlur(0.6)), 0.5)
    return img


# --------------------------------------------------------------------------------------------
# The artworks


def colour_fields(size, rng, ground: RGB, fields: Sequence[tuple[tuple[float, float, float, float], RGB]]):
    """Stacked soft-edged fields of colour on a stained ground (after-the-rehearsal)."""
    w, h = size
    img = Image.new("RGB", size, ground)
    img = overlay_texture(img, value_noise(size, w // 5, rng, octaves=4), 0.35)
    for (x0, y0, x1, y1), colour in fields:
        mask = Image.new("L", size, 0)
        ImageDraw.Draw(mask).rectangle([x0 * w, y0 * h, x1 * w, y1 * h], fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(w / 70))
        edge = value_noise(size, w // 40, rng, octaves=3)
        mask = ImageChops.add(mask, edge.point(lambda v: round((v - 128) * 0.55)), 1.0, 0)
        mask = ImageChops.subtract(mask, edge.point(lambda v: round((128 - v) * 0.55) if v < 128 else 0))
        mask = mask.point(lambda v: round(255 * smooth((v - 70) / 140))).filter(ImageFilter.GaussianBlur(4))
        layer = overlay_texture(Image.new("RGB", size, colour), value_noise(size, w // 8, rng, octaves=4), 0.45)
        streaks = value_noise(size, 6, rng, octaves=2, stretch=(60, 1))
        layer = overlay_texture(layer, streaks.filter(ImageFilter.GaussianBlur(1.5)), 0.1)
        img = paint(img, layer, mask, 0.94)
    img = canvas_weave(img, rng, 0.07)
    img = add_grain(img, rng, 0.06, 1.0)
    return vignette(img, 0.28)


def overlapping_circles(size, rng):
    """Translucent overlapping discs joined by fine lines: 'common-ground'."""
    w, h = size
    img = gradient(size, [(0, hexc("f3e2c7")), (0.6, hexc("ecd0a8")), (1, hexc("d9ae84"))])
    img = overlay_texture(img, value_noise(size, w // 4, rng, octaves=5), 0.3)
    colours = [hexc(c) for c in ("c8553d", "2a6f77", "e0a336", "7a4e8a", "588b5a", "d97b66", "3e5c8a")]
    centres = []
    for i, c in enumerate(colours):
        cx = w * (0.14 + 0.72 * i / (len(colours) - 1)) + rng.uniform(-60, 60)
        cy = h * (0.5 + 0.22 * math.sin(i * 1.7 + 0.4)) + rng.uniform(-40, 40)
        r = h * rng.uniform(0.2, 0.31)
        centres.append((cx, cy, r))
        mask = soft_blob(size, (cx, cy), (r, r * rng.uniform(0.9, 1.05)), rng, ragged=0.35, blur=6)
        tex = value_noise(size, w // 30, rng, octaves=3)
        mask = ImageChops.multiply(mask, tex.point(lambda v: 150 + v * 105 // 255))
        img = multiply_paint(img, mix(c, (255, 255, 255), 0.25), mask, 0.85)
        # pigment gathers at the edge of a drying wash
        ring = mask.filter(ImageFilter.FIND_EDGES).filter(ImageFilter.GaussianBlur(2))
        img = multiply_paint(img, mix(c, (0, 0, 0), 0.25), ImageOps.autocontrast(ring), 0.35)
    lines = Image.new("L", size, 0)
    d = ImageDraw.Draw(lines)
    for (x0, y0, _), (x1, y1, _) in zip(centres, centres[1:] + centres[:1]):
        mx, my = (x0 + x1) / 2 + rng.uniform(-120, 120), (y0 + y1) / 2 + rng.uniform(-160, 160)
        d.line(catmull([(x0, y0), (mx, my), (x1, y1)], 30), fill=220, width=3)
    img = paint(img, hexc("2b1d16"), lines.filter(ImageFilter.GaussianBlur(0.8)), 0.7)
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.22)


def pot_profile(points: Sequence[tuple[float, float]], steps: int = 200) -> list[tuple[float, float]]:
    """Interpolate (height, radius) control points of a thrown vessel, foot (0) to lip (1)."""
    curve = catmull([(r, hgt) for hgt, r in points], steps // len(points) + 2)
    return [(hgt, r) for r, hgt in curve]


def draw_vessel(img, rng, box, profile, clay: RGB, glaze_top: RGB, glaze_low: RGB, glaze_line: float,
                light_from_left: bool = True, rim: float = 0.0, interior: RGB | None = None):
    """A glazed vessel: unglazed clay foot, glaze with drips, cylindrical shading, highlight."""
    size = img.size
    x0, y0, x1, y1 = box
    cx = (x0 + x1) / 2
    half = (x1 - x0) / 2
    height = y1 - y0
    pts = pot_profile(profile)
    left = [(cx - r * half, y1 - hh * height) for hh, r in pts]
    right = [(cx + r * half, y1 - hh * height) for hh, r in reversed(pts)]
    body = Image.new("L", size, 0)
    bd = ImageDraw.Draw(body)
    bd.polygon(left + right, fill=255)
    foot_r = pts[0][1] * half
    bd.ellipse([cx - foot_r, y1 - foot_r * rim - 1, cx + foot_r, y1 + foot_r * rim], fill=255)
    lip_r = pts[-1][1] * half
    if rim:
        bd.ellipse([cx - lip_r, y0 - lip_r * rim, cx + lip_r, y0 + lip_r * rim], fill=255)
    body = body.filter(ImageFilter.GaussianBlur(1.2))

    # unglazed clay body
    layer = gradient(size, [(0, mix(clay, (255, 255, 255), 0.1)), (1, mix(clay, (0, 0, 0), 0.2))])
    layer = overlay_texture(layer, grain(size, rng, 1.2), 0.25)
    # glaze: everything above a wavering line, with drips running down
    glaze = Image.new("L", size, 0)
    gd = ImageDraw.Draw(glaze)
    line_y = y1 - glaze_line * height
    edge = ridge(int(x1 - x0) + 2, line_y, height * 0.025, rng, knots=9)
    poly = [(x0 + i, v) for i, v in enumerate(edge)] + [(x1, y0 - height), (x0, y0 - height)]
    gd.polygon(poly, fill=255)
    for _ in range(rng.randint(5, 9)):
        dx = rng.uniform(x0 + half * 0.15, x1 - half * 0.15)
        ln = rng.uniform(0.03, 0.09) * height
        dw = rng.uniform(8, 20)
        base = edge[int(dx - x0)]
        gd.rounded_rectangle([dx - dw / 2, base - 10, dx + dw / 2, base + ln], radius=dw / 2, fill=255)
        gd.ellipse([dx - dw * 0.75, base + ln - dw * 1.1, dx + dw * 0.75, base + ln + dw * 0.4], fill=255)
    glaze = glaze.filter(ImageFilter.GaussianBlur(2.5))
    glaze_layer = gradient(size, [(0, glaze_top), (max(0.01, (y0 + height * 0.35) / size[1]), glaze_top),
                                  (min(0.99, line_y / size[1]), glaze_low), (1, glaze_low)])
    glaze_layer = overlay_texture(glaze_layer, value_noise(size, 90, rng, octaves=3).filter(ImageFilter.GaussianBlur(6)), 0.3)
    runs = value_noise(size, 8, rng, octaves=2, stretch=(1, 14)).filter(ImageFilter.GaussianBlur(2))
    glaze_layer = overlay_texture(glaze_layer, runs, 0.18)
    # pooling: glaze runs thin over the shoulder and gathers darker towards the line
    speck = Image.new("L", size, 0)
    sd = ImageDraw.Draw(speck)
    for _ in range(900):
        sx, sy = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.choice((1, 1, 1.5, 2, 3))
        sd.ellipse([sx - r, sy - r, sx + r, sy + r], fill=rng.randint(120, 255))
    glaze_layer = paint(glaze_layer, mix(glaze_low, (20, 10, 5), 0.6), speck, 0.6)
    layer = paint(layer, glaze_layer, glaze)

    # cylindrical shading across the width of the pot
    shade_row = []
    span = int(x1 - x0)
    for i in range(span):
        u = (i / max(1, span - 1)) * 2 - 1
        u = u if light_from_left else -u
        lam = math.sqrt(max(0.0, 1 - u * u))
        v = 0.35 + 0.65 * lam * (0.8 + 0.2 * -u)
        shade_row.append(max(0, min(255, round(255 * v))))
    strip = Image.new("L", (span, 1))
    strip.putdata(shade_row)
    shade = Image.new("L", size, 90)
    shade.paste(strip.resize((span, size[1])), (int(x0), 0))
    layer = ImageChops.multiply(layer, Image.merge("RGB", (shade, shade, shade)))
    hl = Image.new("L", size, 0)
    hx = cx - half * (0.42 if light_from_left else -0.42)
    ImageDraw.Draw(hl).rounded_rectangle([hx - half * 0.05, y0 + height * 0.12, hx + half * 0.05, line_y - height * 0.08],
                                         radius=half * 0.05, fill=255)
    hl = ImageChops.multiply(hl.filter(ImageFilter.GaussianBlur(half * 0.07)), glaze)
    layer = paint(layer, (255, 248, 236), hl, 0.5)

    if rim and interior is not None:
        inner = Image.new("L", size, 0)
        ir = lip_r * 0.93
        ImageDraw.Draw(inner).ellipse([cx - ir, y0 - ir * rim * 0.93, cx + ir, y0 + ir * rim * 0.93], fill=255)
        inner = inner.filter(ImageFilter.GaussianBlur(1.5))
        in_layer = gradient(size, [(0, mix(interior, (0, 0, 0), 0.45)), ((y0 + ir * rim) / size[1], interior),
                                   (1, interior)])
        in_layer = overlay_texture(in_layer, value_noise(size, 30, rng, octaves=3), 0.45)
        layer = paint(layer, in_layer, inner)
    return paint(img, layer, body)


def table_ground(size, rng, wall_top: RGB, wall_low: RGB, table: RGB, horizon: float):
    w, h = size
    img = gradient(size, [(0, wall_top), (horizon, wall_low), (horizon + 0.004, table),
                          (1, mix(table, (0, 0, 0), 0.25))])
    img = overlay_texture(img, value_noise(size, w // 4, rng, octaves=5), 0.28)
    glow = Image.radial_gradient("L").resize((int(w * 1.3), int(h * 1.1)))
    glow = ImageOps.invert(glow).point(lambda v: round(v * 0.5))
    mask = Image.new("L", size, 0)
    mask.paste(glow, (int(-w * 0.35), int(-h * 0.2)))
    return paint(img, (255, 236, 200), mask, 0.45)


def cast_shadow(img, rng, cx, y, rx, ry, strength=0.6):
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).ellipse([cx - rx * 0.8, y - ry, cx + rx * 1.35, y + ry * 0.9], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(ry * 0.9))
    return paint(img, (35, 20, 12), mask, strength)


def vessel_in_ochre(size, rng):
    w, h = size
    img = table_ground(size, rng, hexc("d9a066"), hexc("b8733f"), hexc("8a4f2c"), 0.74)
    foot_y = h * 0.84
    img = cast_shadow(img, rng, w * 0.52, foot_y, w * 0.26, h * 0.03)
    profile = [(0.0, 0.34), (0.06, 0.42), (0.28, 0.72), (0.45, 0.8), (0.6, 0.7), (0.74, 0.46),
               (0.84, 0.3), (0.92, 0.28), (1.0, 0.34)]
    img = draw_vessel(img, rng, (w * 0.2, h * 0.2, w * 0.8, foot_y), profile, hexc("c98a5e"),
                      hexc("3f6e6a"), hexc("1f2f2c"), 0.2, rim=0.1, interior=hexc("14201e"))
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.3)


def two_bowls(size, rng):
    w, h = size
    img = table_ground(size, rng, hexc("e7cfa9"), hexc("cfa777"), hexc("6d4a33"), 0.56)
    bowl = [(0.0, 0.36), (0.08, 0.46), (0.35, 0.74), (0.7, 0.92), (1.0, 1.0)]
    img = cast_shadow(img, rng, w * 0.33, h * 0.78, w * 0.24, h * 0.035, 0.55)
    img = draw_vessel(img, rng, (w * 0.07, h * 0.5, w * 0.57, h * 0.78), bowl, hexc("b57b50"),
                      hexc("2b1a14"), hexc("6b3a1c"), 0.22, rim=0.28, interior=hexc("7a4220"))
    img = cast_shadow(img, rng, w * 0.72, h * 0.86, w * 0.17, h * 0.03, 0.55)
    img = draw_vessel(img, rng, (w * 0.55, h * 0.66, w * 0.9, h * 0.86), bowl, hexc("d6b28c"),
                      hexc("e9e4d4"), hexc("b9c7bd"), 0.25, light_from_left=True, rim=0.28,
                      interior=hexc("c9d3c6"))
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.32)


def coil_study(size, rng):
    """A coil pot seen from above on a slate board: a spiral of rolled clay."""
    w, h = size
    img = paper_ground(size, hexc("3b3733"), rng, 0.5)
    cx, cy = w * 0.5, h * 0.52
    coil = max(18, int(h * 0.032))
    pts = []
    theta = 0.0
    while True:
        r = coil * 0.9 + coil * 1.02 * theta / (2 * math.pi)
        if r > h * 0.4:
            break
        wob = 1 + 0.015 * math.sin(theta * 3.1) + 0.01 * math.sin(theta * 7.3)
        pts.append((cx + math.cos(theta) * r * wob * 1.05, cy + math.sin(theta) * r * wob))
        theta += 0.02
    clay = hexc("b9815a")
    shadow = Image.new("L", size, 0)
    ImageDraw.Draw(shadow).line([(x + coil * 0.25, y + coil * 0.3) for x, y in pts], fill=255, width=coil, joint="curve")
    img = paint(img, (15, 10, 8), shadow.filter(ImageFilter.GaussianBlur(coil * 0.4)), 0.7)
    base = Image.new("L", size, 0)
    ImageDraw.Draw(base).line(pts, fill=255, width=coil, joint="curve")
    light = Image.new("L", size, 0)
    ImageDraw.Draw(light).line([(x - coil * 0.14, y - coil * 0.16) for x, y in pts], fill=255, width=max(3, coil // 3), joint="curve")
    dark = Image.new("L", size, 0)
    ImageDraw.Draw(dark).line([(x + coil * 0.2, y + coil * 0.22) for x, y in pts], fill=255, width=max(3, coil // 3), joint="curve")
    layer = overlay_texture(Image.new("RGB", size, clay), value_noise(size, 60, rng, octaves=4), 0.5)
    layer = overlay_texture(layer, grain(size, rng, 1.0), 0.3)
    layer = paint(layer, mix(clay, (60, 30, 15), 0.55), ImageChops.multiply(dark.filter(ImageFilter.GaussianBlur(coil * 0.2)), base), 0.8)
    layer = paint(layer, mix(clay, (255, 240, 220), 0.5), ImageChops.multiply(light.filter(ImageFilter.GaussianBlur(coil * 0.18)), base), 0.7)
    img = paint(img, layer, base.filter(ImageFilter.GaussianBlur(1)))
    # thumb marks where the coils were smoothed together
    marks = Image.new("L", size, 0)
    md = ImageDraw.Draw(marks)
    for i in range(0, len(pts), 37):
        x, y = pts[i]
        md.ellipse([x - coil * 0.35, y - coil * 0.2, x + coil * 0.35, y + coil * 0.2], fill=rng.randint(90, 160))
    img = paint(img, mix(clay, (70, 40, 20), 0.5), marks.filter(ImageFilter.GaussianBlur(coil * 0.18)), 0.5)
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.4)


def woven(size, rng):
    """Twill weaving with striped warp and weft; each thread crossing is shaded round."""
    w, h = size
    cell = 16
    warp_pal = [hexc(c) for c in ("7c2d26", "c2632f", "e2a548", "efd9b4", "2f5d62", "1f3a3d")]
    weft_pal = [hexc(c) for c in ("efd9b4", "b8432f", "6b7f3a", "e6b35a", "3c2a2a")]

    def stripes(n, palette):
        out = []
        while len(out) < n:
            c = rng.choice(palette)
            out += [c] * rng.choice((1, 2, 3, 4, 6, 8))
        return out[:n]

    cols, rows = w // cell + 1, h // cell + 1
    warp, weft = stripes(cols, warp_pal), stripes(rows, weft_pal)
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    for j in range(rows):
        for i in range(cols):
            x, y = i * cell, j * cell
            warp_up = (i + j) % 4 < 2 if (j // 24) % 2 == 0 else (i - j) % 4 < 2
            c = warp[i] if warp_up else weft[j]
            dark, light = mix(c, (0, 0, 0), 0.38), mix(c, (255, 250, 240), 0.22)
            d.rectangle([x, y, x + cell - 1, y + cell - 1], fill=dark)
            if warp_up:
                d.rectangle([x + 2, y, x + cell - 3, y + cell - 1], fill=c)
                d.rectangle([x + 5, y + 1, x + 8, y + cell - 2], fill=light)
            else:
                d.rectangle([x, y + 2, x + cell - 1, y + cell - 3], fill=c)
                d.rectangle([x + 1, y + 5, x + cell - 2, y + 8], fill=light)
    # the cloth is not perfectly flat: a gentle wave of light across it
    shade = value_noise(size, w // 3, rng, octaves=1).point(lambda v: 205 + v * 50 // 255)
    img = ImageChops.multiply(img, Image.merge("RGB", (shade, shade, shade)))
    return img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert("RGB")


def torn_polygon(points: Sequence[tuple[float, float]], rng: random.Random, rough: float) -> list[tuple[float, float]]:
    out = []
    for (x0, y0), (x1, y1) in zip(points, list(points[1:]) + [points[0]]):
        ln = math.hypot(x1 - x0, y1 - y0)
        n = max(2, int(ln / 9))
        nx, ny = -(y1 - y0) / (ln or 1), (x1 - x0) / (ln or 1)
        for k in range(n):
            t = k / n
            o = rng.uniform(-rough, rough)
            out.append((x0 + (x1 - x0) * t + nx * o, y0 + (y1 - y0) * t + ny * o))
    return out


def leaf(cx, cy, length, width, angle, n=24):
    pts = []
    for k in range(n * 2):
        t = k / n if k < n else 2 - k / n
        side = 1 if k < n else -1
        along = (t - 0.5) * length
        across = side * math.sin(math.pi * t) ** 0.8 * width / 2
        pts.append((cx + along * math.cos(angle) - across * math.sin(angle),
                    cy + along * math.sin(angle) + across * math.cos(angle)))
    return pts


def paper_collage(size, rng):
    """Torn coloured paper arranged as a garden: leaves, stems, a sun, flower heads."""
    w, h = size
    img = Image.new("RGB", size, hexc("c9a77c"))
    img = overlay_texture(img, value_noise(size, w // 6, rng, octaves=2), 0.12)
    shapes: list[tuple[list[tuple[float, float]], RGB]] = []
    sun = [(w * 0.78 + math.cos(a / 20 * 6.283) * h * 0.17, h * 0.27 + math.sin(a / 20 * 6.283) * h * 0.17) for a in range(20)]
    shapes.append((sun, hexc("e8a33d")))
    shapes.append(([(0, h * 0.72), (w, h * 0.66), (w, h), (0, h)], hexc("4f6b3a")))
    greens = [hexc(c) for c in ("6f8f45", "3f6b4f", "8aa356", "2e4d3a", "a5b865")]
    brights = [hexc(c) for c in ("c8412d", "e07a8a", "f1c84b", "7b4b8f", "f3ede0", "2f6fa3")]
    for _ in range(9):
        x = rng.uniform(w * 0.06, w * 0.94)
        top = rng.uniform(h * 0.25, h * 0.55)
        stem = [(x - 7, h), (x + 7, h), (x + 5 + rng.uniform(-40, 40), top), (x - 5 + rng.uniform(-40, 40), top)]
        shapes.append((stem, rng.choice(greens)))
        for _ in range(rng.randint(2, 4)):
            ly = rng.uniform(top + 60, h * 0.85)
            ang = rng.choice((-1, 1)) * rng.uniform(0.4, 1.1)
            shapes.append((leaf(x + math.copysign(80, math.cos(ang)), ly, rng.uniform(140, 230), rng.uniform(50, 80), ang),
                           rng.choice(greens)))
        petals = rng.choice((5, 6, 7, 8))
        colour = rng.choice(brights)
        rad = rng.uniform(55, 90)
        for k in range(petals):
            a = 2 * math.pi * k / petals + rng.uniform(-0.1, 0.1)
            shapes.append((leaf(x + math.cos(a) * rad * 0.6, top + math.sin(a) * rad * 0.6,
                                rad * 1.1, rad * 0.55, a), colour))
        centre = [(x + math.cos(a / 14 * 6.283) * rad * 0.3, top + math.sin(a / 14 * 6.283) * rad * 0.3) for a in range(14)]
        shapes.append((centre, rng.choice((hexc("3b2418"), hexc("f1c84b"), hexc("c8412d")))))
    for pts, colour in shapes:
        torn_white = torn_polygon(pts, rng, 5)
        torn = torn_polygon(pts, rng, 3)
        sh = Image.new("L", size, 0)
        ImageDraw.Draw(sh).polygon([(x + 6, y + 8) for x, y in torn_white], fill=255)
        img = paint(img, (40, 25, 15), sh.filter(ImageFilter.GaussianBlur(5)), 0.35)
        d = ImageDraw.Draw(img)
        d.polygon(torn_white, fill=hexc("f4efe4"))
        d.polygon(torn, fill=jitter(colour, rng, 8))
    return img.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).convert("RGB")


def newsprint_collage(size, rng):
    """Strips of newsprint (blocks for text, nothing legible) with coloured paper and an ink circle."""
    w, h = size
    img = paper_ground(size, hexc("5a3c2c"), rng, 0.35)
    pieces = []
    for k in range(11):
        pw, ph = int(rng.uniform(0.32, 0.6) * w), int(rng.uniform(0.11, 0.24) * h)
        paper = paper_ground((pw, ph), jitter(hexc("e4dfd2"), rng, 8), rng, 0.2)
        d = ImageDraw.Draw(paper)
        ink = (52, 48, 44)
        y = 18
        if rng.random() < 0.75:  # a headline: a row of heavy word blocks
            x = 20
            hh = rng.randint(26, 40)
            while x < pw - 80:
                ww = rng.randint(50, 150)
                d.rectangle([x, y, min(pw - 20, x + ww), y + hh], fill=ink)
                x += ww + rng.randint(12, 20)
            y += hh + 18
        while y < ph - 16:
            x = 20
            while x < pw - 30:
                ww = rng.randint(14, 70)
                d.rectangle([x, y, min(pw - 20, x + ww), y + 6], fill=mix(ink, (228, 223, 210), 0.35))
                x += ww + rng.randint(6, 10)
            y += 14
        mask = Image.new("L", (pw, ph), 0)
        ImageDraw.Draw(mask).polygon(torn_polygon([(0, 0), (pw, 0), (pw, ph), (0, ph)], rng, 6), fill=255)
        pieces.append((paper, mask))
    for k, (paper, mask) in enumerate(pieces):
        angle = rng.uniform(-9, 9)
        rp = paper.rotate(angle, expand=True, resample=Image.BICUBIC)
        rm = mask.rotate(angle, expand=True, resample=Image.BICUBIC)
        x = int(rng.uniform(-0.1, 0.75) * w)
        y = int((k / len(pieces)) * h * 0.95 - rp.size[1] * 0.3)
        sh = Image.new("L", size, 0)
        sh.paste(rm, (x + 8, y + 10))
        img = paint(img, (20, 12, 8), sh.filter(ImageFilter.GaussianBlur(8)), 0.45)
        img.paste(rp, (x, y), rm)
    # coloured paper cut-outs laid over the news
    d = ImageDraw.Draw(img)
    for colour, pts in (
        (hexc("e9b13f"), [(w * 0.62 + math.cos(a / 24 * 6.283) * h * 0.2, h * 0.42 + math.sin(a / 24 * 6.283) * h * 0.2) for a in range(24)]),
        (hexc("c8412d"), [(w * 0.08, h * 0.7), (w * 0.5, h * 0.62), (w * 0.51, h * 0.68), (w * 0.09, h * 0.77)]),
        (hexc("2f6fa3"), [(w * 0.2, h * 0.12), (w * 0.34, h * 0.1), (w * 0.37, h * 0.34), (w * 0.23, h * 0.37)]),
    ):
        torn = torn_polygon(pts, rng, 4)
        sh = Image.new("L", size, 0)
        ImageDraw.Draw(sh).polygon([(x + 6, y + 7) for x, y in torn], fill=255)
        img = paint(img, (20, 12, 8), sh.filter(ImageFilter.GaussianBlur(6)), 0.4)
        d = ImageDraw.Draw(img)
        d.polygon(torn, fill=colour)
    ring = Image.new("L", size, 0)
    cx, cy, r = w * 0.3, h * 0.55, h * 0.2
    path = [(cx + math.cos(a) * r * 1.15, cy + math.sin(a) * r) for a in [i * 0.02 - 1.3 for i in range(300)]]
    brush_stroke(ring, path, 26, rng, bristles=18, dryness=0.5)
    img = paint(img, hexc("1d1a33"), ring.filter(ImageFilter.GaussianBlur(0.7)), 0.85)
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.3)


def score(size, rng):
    """A graphic score: wavering staves, clusters of coloured notes, watercolour washes."""
    w, h = size
    img = paper_ground(size, hexc("f1e6cf"), rng, 0.2, fibres=500)
    washes = [hexc(c) for c in ("e3a64a", "d6735f", "5f9ea0", "9b7bb0", "e8c35a")]
    for _ in range(7):
        blob = soft_blob(size, (rng.uniform(0, w), rng.uniform(0, h)), (rng.uniform(150, 420), rng.uniform(100, 260)),
                         rng, ragged=1.0, blur=25)
        img = multiply_paint(img, mix(rng.choice(washes), (255, 255, 255), 0.35), blob, 0.55)
    ink = hexc("2b2119")
    staves = Image.new("L", size, 0)
    sd = ImageDraw.Draw(staves)
    systems = 5
    gap = h * 0.018
    centres = []
    for s in range(systems):
        base = h * (0.14 + 0.74 * s / (systems - 1))
        amp = rng.uniform(8, 40)
        phase = rng.uniform(0, 6.28)
        freq = rng.uniform(1.2, 2.6)
        centres.append((base, amp, phase, freq))
        for line in range(5):
            pts = [(x, base + (line - 2) * gap + amp * math.sin(freq * x / w * 6.283 + phase)) for x in range(int(w * 0.05), int(w * 0.95), 12)]
            sd.line(pts, fill=200, width=3)
    img = paint(img, ink, staves.filter(ImageFilter.GaussianBlur(0.6)), 0.8)
    notes = Image.new("L", size, 0)
    nd = ImageDraw.Draw(notes)
    d = ImageDraw.Draw(img)
    colours = [hexc(c) for c in ("b8432f", "2f6f8f", "d99a2b", "5a3e7a")]
    for base, amp, phase, freq in centres:
        x = w * 0.08
        while x < w * 0.92:
            y_mid = base + amp * math.sin(freq * x / w * 6.283 + phase)
            group = rng.randint(1, 4)
            heads = []
            for g in range(group):
                xx = x + g * gap * 2.6
                yy = y_mid + rng.randint(-5, 5) * gap / 2
                heads.append((xx, yy))
                r = gap * 0.62
                if rng.random() < 0.25:
                    c = rng.choice(colours)
                    rr = r * rng.uniform(1.3, 2.6)
                    d.ellipse([xx - rr, yy - rr, xx + rr, yy + rr], fill=c)
                elif rng.random() < 0.3:
                    nd.ellipse([xx - r * 1.2, yy - r, xx + r * 1.2, yy + r], outline=255, width=3)
                else:
                    nd.ellipse([xx - r * 1.2, yy - r, xx + r * 1.2, yy + r], fill=255)
                nd.line([(xx + r * 1.1, yy), (xx + r * 1.1, yy - gap * 3.4)], fill=255, width=3)
            if group > 1:
                (ax, ay), (bx, by) = heads[0], heads[-1]
                nd.polygon([(ax + gap * 0.7, ay - gap * 3.4), (bx + gap * 0.7, by - gap * 3.4),
                            (bx + gap * 0.7, by - gap * 2.8), (ax + gap * 0.7, ay - gap * 2.8)], fill=255)
            if rng.random() < 0.2:  # a slur over the phrase
                nd.arc([x - gap, y_mid - gap * 6, x + group * gap * 2.6 + gap * 2, y_mid - gap * 2], 200, 340, fill=255, width=3)
            x += group * gap * 2.6 + rng.uniform(gap * 2, gap * 7)
    img = paint(img, ink, notes.filter(ImageFilter.GaussianBlur(0.7)), 0.92)
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.25, (60, 40, 20))


def landscape_still(size, rng, sky: Sequence[tuple[float, RGB]], layers: Sequence[RGB], sun: tuple[float, float],
                    sun_colour: RGB, water: float | None = None, letterbox: bool = True, roughness: float = 1.0):
    """A wide film still: sky, low sun, hills fading into haze, optional water reflecting the sky."""
    w, h = size
    img = gradient(size, sky)
    glow = ImageOps.invert(Image.radial_gradient("L")).resize((int(w * 0.9), int(h * 1.2)))
    gm = Image.new("L", size, 0)
    gm.paste(glow.point(lambda v: round(255 * (v / 255) ** 2.2)), (int(sun[0] * w - w * 0.45), int(sun[1] * h - h * 0.6)))
    img = paint(img, sun_colour, gm, 0.75)
    clouds = value_noise(size, w // 6, rng, octaves=4, stretch=(4, 0.6))
    clouds = clouds.point(lambda v: round(255 * smooth((v - 130) / 90)))
    fade = gradient(size, [(0, (255, 255, 255)), (0.5, (90, 90, 90)), (0.6, (0, 0, 0)), (1, (0, 0, 0))]).convert("L")
    img = paint(img, mix(sun_colour, (255, 255, 255), 0.4), ImageChops.multiply(clouds, fade), 0.45)
    horizon = water if water is not None else 1.0
    for k, colour in enumerate(layers):
        depth = k / max(1, len(layers) - 1)
        base = h * (0.45 + 0.3 * depth) * (horizon if water is not None else 1.0) + (0 if water is None else h * 0.08 * depth)
        line = ridge(w, base, h * (0.05 + 0.05 * depth) * roughness, rng, knots=5 + k * 2)
        line = [a + b for a, b in zip(line, ridge(w, 0, h * 0.02 * roughness, rng, knots=18 + k * 4))]
        fine = ridge(w, 0, h * 0.004 * roughness, rng, knots=90)
        mask = Image.new("L", size, 0)
        bottom = h * horizon if water is not None else h
        ImageDraw.Draw(mask).polygon([(x, line[x] + fine[x]) for x in range(0, w, 3)] + [(w, bottom), (0, bottom)], fill=255)
        layer = overlay_texture(Image.new("RGB", size, colour), value_noise(size, max(40, w // 12), rng, octaves=3), 0.12)
        img = paint(img, layer, mask.filter(ImageFilter.GaussianBlur(1.2)))
        # haze gathered in the valley in front of each range
        haze = gradient(size, [(0, (0, 0, 0)), (min(0.99, (base + h * 0.02) / h), (0, 0, 0)),
                               (min(1.0, (base + h * 0.12) / h), (120, 120, 120)), (1, (0, 0, 0))]).convert("L")
        img = paint(img, mix(sky[-1][1], (255, 255, 255), 0.2), ImageChops.multiply(haze, mask), 0.5 * (1 - depth))
    if water is not None:
        top = int(h * horizon)
        reflect = img.crop((0, top - (h - top), w, top)).transpose(Image.FLIP_TOP_BOTTOM)
        reflect = reflect.filter(ImageFilter.GaussianBlur(3))
        ripples = value_noise((w, h - top), 4, rng, octaves=2, stretch=(30, 1))
        reflect = overlay_texture(reflect, ripples.filter(ImageFilter.GaussianBlur(1)), 0.16)
        reflect = Image.blend(reflect, Image.new("RGB", reflect.size, mix(sky[-1][1], (20, 30, 40), 0.6)), 0.25)
        img.paste(reflect, (0, top))
        shore = Image.new("L", size, 0)
        ImageDraw.Draw(shore).rectangle([0, top - 2, w, top + 3], fill=200)
        img = paint(img, mix(sun_colour, (255, 255, 255), 0.5), shore.filter(ImageFilter.GaussianBlur(2)), 0.5)
    # a warm/cool film grade, grain and a soft vignette
    img = ImageChops.multiply(img, gradient(size, [(0, (255, 246, 236)), (1, (232, 240, 248))], horizontal=True))
    img = add_grain(img, rng, 0.12, 1.0)
    img = vignette(img, 0.45, (10, 10, 16))
    if letterbox:
        d = ImageDraw.Draw(img)
        bar = int(h * 0.06)
        d.rectangle([0, 0, w, bar], fill=(8, 8, 10))
        d.rectangle([0, h - bar, w, h], fill=(8, 8, 10))
    return img


def contact_strip(size, rng):
    """Three strips of film frames on a dark light-box: a storyboard for a short digital story."""
    w, h = size
    img = paper_ground(size, hexc("1e1c1b"), rng, 0.4)
    strips = 3
    frames = 5
    sh = h / strips
    palettes = [
        ([(0, hexc("f6c89f")), (0.6, hexc("e59a7f")), (1, hexc("7f6a8f"))], [hexc("5a4a6a"), hexc("3a2f48"), hexc("1c1626")]),
        ([(0, hexc("9fc4d6")), (1, hexc("e8e2c9"))], [hexc("7f9a86"), hexc("4e6b57"), hexc("2a3b30")]),
        ([(0, hexc("4b5b7a")), (0.7, hexc("d98b5f")), (1, hexc("f2c27a"))], [hexc("3c3a4a"), hexc("262433"), hexc("121018")]),
    ]
    for s in range(strips):
        y0 = int(s * sh + sh * 0.12)
        y1 = int((s + 1) * sh - sh * 0.12)
        x_off = int(rng.uniform(-0.03, 0.03) * w)
        d = ImageDraw.Draw(img)
        d.rectangle([0, y0, w, y1], fill=(26, 20, 16))
        for k in range(0, w, 34):
            d.rounded_rectangle([k + 8 + x_off % 34, y0 + 8, k + 24 + x_off % 34, y0 + 22], radius=3, fill=(210, 200, 180))
            d.rounded_rectangle([k + 8 + x_off % 34, y1 - 22, k + 24 + x_off % 34, y1 - 8], radius=3, fill=(210, 200, 180))
        fw = (w - 40) / frames
        fh = (y1 - y0) - 70
        for f in range(frames):
            sky, layers = palettes[(s + f) % len(palettes)]
            tile = landscape_still((int(fw - 24), int(fh)), rng, sky, layers,
                                   (rng.uniform(0.2, 0.8), rng.uniform(0.3, 0.6)), hexc("ffd9a0"),
                                   water=0.72 if (s + f) % 2 else None, letterbox=False)
            img.paste(tile, (int(20 + f * fw + 12), y0 + 35))
    img = add_grain(img, rng, 0.07, 1.0)
    return vignette(img, 0.35)


def enso(size, rng):
    """Ink on rice paper: a wide open circle of dry-brush ink (the roda) and moving figures' arcs."""
    w, h = size
    img = paper_ground(size, hexc("efe6d3"), rng, 0.14, fibres=1400)
    ink = Image.new("L", size, 0)
    cx, cy, r = w * 0.47, h * 0.5, h * 0.34
    start = rng.uniform(-2.2, -1.8)
    path = [(cx + math.cos(start + t) * r * (1 + 0.03 * math.sin(t * 2)), cy + math.sin(start + t) * r)
            for t in [i * 0.01 for i in range(int(5.7 / 0.01))]]
    brush_stroke(ink, path, h * 0.09, rng, bristles=46, dryness=0.55)
    img = paint(img, hexc("1b1714"), ink.filter(ImageFilter.GaussianBlur(0.9)), 0.93)
    wash = Image.new("L", size, 0)
    for _ in range(5):
        a0 = rng.uniform(0, 6.28)
        rr = r * rng.uniform(0.35, 0.8)
        pts = [(cx + math.cos(a0 + t) * rr * 1.3 + rng.uniform(-2, 2), cy + math.sin(a0 + t) * rr * 0.7)
               for t in [i * 0.015 for i in range(int(rng.uniform(1.2, 2.6) / 0.015))]]
        brush_stroke(wash, pts, h * rng.uniform(0.02, 0.05), rng, bristles=20, dryness=0.4)
    img = paint(img, hexc("4a4038"), wash.filter(ImageFilter.GaussianBlur(2.5)), 0.55)
    seal = Image.new("L", size, 0)
    sd = ImageDraw.Draw(seal)
    sx, sy, ss = w * 0.86, h * 0.76, h * 0.07
    sd.rectangle([sx, sy, sx + ss, sy + ss], fill=255)
    for _ in range(6):
        x0 = rng.uniform(sx + ss * 0.15, sx + ss * 0.7)
        y0 = rng.uniform(sy + ss * 0.15, sy + ss * 0.7)
        sd.rectangle([x0, y0, x0 + ss * rng.uniform(0.08, 0.3), y0 + ss * 0.08], fill=0)
    seal = ImageChops.multiply(seal, value_noise(size, 8, rng, octaves=2).point(lambda v: 255 if v > 60 else 90))
    img = paint(img, hexc("b3342a"), seal.filter(ImageFilter.GaussianBlur(0.6)), 0.85)
    return add_grain(img, rng, 0.06, 1.0)


def seedheads(size, rng):
    """A monoprint: thin stems and seed heads in one ink, uneven pressure, a pale ochre moon."""
    w, h = size
    img = paper_ground(size, hexc("f2ead9"), rng, 0.12, fibres=600)
    moon = soft_blob(size, (w * 0.7, h * 0.26), (h * 0.13, h * 0.13), rng, ragged=0.2, blur=3)
    img = multiply_paint(img, hexc("e9c27a"), moon, 0.7)
    ink = Image.new("L", size, 0)
    d = ImageDraw.Draw(ink)
    for _ in range(16):
        x = rng.uniform(w * 0.05, w * 0.95)
        top = (x + rng.uniform(-w * 0.15, w * 0.15), rng.uniform(h * 0.12, h * 0.55))
        mid = ((x + top[0]) / 2 + rng.uniform(-60, 60), (h + top[1]) / 2)
        stem = catmull([(x, h * 1.02), mid, top], 40)
        for i, (a, b) in enumerate(zip(stem, stem[1:])):
            d.line([a, b], fill=230, width=max(1, round(4 - 3 * i / len(stem))))
        hx, hy = top
        kind = rng.random()
        if kind < 0.55:  # a clock of seeds
            rr = rng.uniform(40, 90)
            for k in range(rng.randint(30, 60)):
                a = rng.uniform(0, 6.283)
                l = rr * rng.uniform(0.6, 1.0)
                ex, ey = hx + math.cos(a) * l, hy + math.sin(a) * l
                d.line([(hx, hy), (ex, ey)], fill=rng.randint(120, 220), width=1)
                d.ellipse([ex - 3, ey - 3, ex + 3, ey + 3], fill=200)
            d.ellipse([hx - 7, hy - 7, hx + 7, hy + 7], fill=255)
        else:  # a grass head of seeds along the stem
            for k in range(rng.randint(8, 16)):
                i = len(stem) - 1 - k * 2
                if i <= 0:
                    break
                sx, sy = stem[i]
                for side in (-1, 1):
                    d.ellipse([sx + side * 10 - 6, sy - 10, sx + side * 10 + 6, sy + 4], fill=220)
    # uneven transfer of ink from the plate
    press = value_noise(size, 90, rng, octaves=4).point(lambda v: 120 + v * 135 // 255)
    ink = ImageChops.multiply(ink.filter(ImageFilter.GaussianBlur(0.8)), press)
    img = paint(img, hexc("27304a"), ink, 0.95)
    plate = Image.new("L", size, 0)
    ImageDraw.Draw(plate).rectangle([w * 0.03, h * 0.04, w * 0.97, h * 0.96], outline=255, width=4)
    img = paint(img, hexc("27304a"), plate.filter(ImageFilter.GaussianBlur(2)), 0.18)
    return add_grain(img, rng, 0.06, 1.0)


def painterly_curves(size, rng, ground: Sequence[tuple[float, RGB]], curves):
    """Gouache-like dabs laid along sweeping curves."""
    w, h = size
    img = gradient(size, ground)
    img = overlay_texture(img, value_noise(size, w // 4, rng, octaves=5), 0.3)
    for points, palette, dab in curves:
        pts = catmull([(x * w, y * h) for x, y in points], 60)
        # a thin underpainting, wider than the marks laid over it
        under = Image.new("L", size, 0)
        ImageDraw.Draw(under).line(pts, fill=255, width=int(dab * 5), joint="curve")
        img = paint(img, palette[0], under.filter(ImageFilter.GaussianBlur(dab * 1.5)), 0.4)
        for rep in range(4):
            layer = img.copy()
            dab_path(layer, [(x + rng.gauss(0, dab * 0.5), y + rng.gauss(0, dab * 0.5)) for x, y in pts], palette, rng,
                     (dab * 0.6, dab * 1.4), spacing=0.3)
            img = Image.blend(img, layer.filter(ImageFilter.GaussianBlur(1.5 if rep < 3 else 0.6)), 0.8 if rep < 3 else 0.9)
    img = canvas_weave(img, rng, 0.1)
    img = add_grain(img, rng, 0.06, 1.0)
    return vignette(img, 0.3)


def holding_on(size, rng):
    rose = [hexc(c) for c in ("c9736b", "d98e7a", "b85c5a", "e6ad92")]
    blue = [hexc(c) for c in ("2e4a6b", "3c5f80", "27405c", "52708f")]
    gold = [hexc(c) for c in ("e2b04f", "d99a3e", "efc66f")]
    cream = [hexc(c) for c in ("f3e6cf", "ead8b8")]
    curves = [
        ([(0.22, 0.9), (0.18, 0.62), (0.3, 0.38), (0.52, 0.3), (0.7, 0.42), (0.72, 0.66), (0.56, 0.86)], blue, 34),
        ([(0.3, 0.8), (0.28, 0.58), (0.4, 0.45), (0.56, 0.48), (0.6, 0.62), (0.5, 0.76), (0.38, 0.78)], rose, 30),
        ([(0.42, 0.62), (0.45, 0.56), (0.5, 0.58), (0.49, 0.65), (0.44, 0.66)], gold, 26),
        ([(0.1, 0.15), (0.4, 0.1), (0.75, 0.16), (0.9, 0.3)], cream, 22),
        ([(0.85, 0.95), (0.9, 0.7), (0.82, 0.45)], gold, 18),
    ]
    return painterly_curves(size, rng, [(0, hexc("6b3f3a")), (0.5, hexc("8c5446")), (1, hexc("3b2430"))], curves)


def ginga(size, rng):
    orange = [hexc(c) for c in ("e07b39", "f0a04b", "c95f2c")]
    blues = [hexc(c) for c in ("9cc3d8", "5f93b5", "d9e7ee", "3a6d94")]
    white = [hexc(c) for c in ("f4eee2", "e9dfca")]
    curves = [
        ([(0.05, 0.7), (0.25, 0.45), (0.45, 0.62), (0.62, 0.38), (0.85, 0.5), (0.96, 0.3)], blues, 30),
        ([(0.1, 0.3), (0.3, 0.2), (0.5, 0.35), (0.55, 0.6), (0.4, 0.8), (0.2, 0.75)], orange, 26),
        ([(0.55, 0.9), (0.7, 0.7), (0.9, 0.78), (0.95, 0.95)], white, 22),
        ([(0.7, 0.1), (0.8, 0.25), (0.72, 0.42), (0.6, 0.3)], orange, 20),
    ]
    return painterly_curves(size, rng, [(0, hexc("172433")), (1, hexc("243a4f"))], curves)


# --------------------------------------------------------------------------------------------
# The catalogue: slug, format, size, seed, painter


def first_light(size, rng):
    return landscape_still(
        size, rng,
        [(0, hexc("8e9bbf")), (0.35, hexc("e7b8b0")), (0.55, hexc("f7dcc0")), (1, hexc("f9ead8"))],
        [hexc("a79bb3"), hexc("7b6f8f"), hexc("4f4766"), hexc("2b2638")],
        (0.62, 0.5), hexc("ffe2b8"), roughness=0.45)


def estuary(size, rng):
    return landscape_still(
        size, rng,
        [(0, hexc("2f3f63")), (0.4, hexc("a0607a")), (0.62, hexc("e99a62")), (1, hexc("f6c681"))],
        [hexc("5d4a63"), hexc("3b3047"), hexc("1e1927")],
        (0.35, 0.55), hexc("ffc07a"), water=0.66, roughness=1.1)


def after_rehearsal(size, rng):
    return colour_fields(size, rng, hexc("7a2a22"), [
        ((0.08, 0.08, 0.92, 0.42), hexc("e08a3c")),
        ((0.1, 0.5, 0.9, 0.62), hexc("b43a2c")),
        ((0.08, 0.68, 0.92, 0.92), hexc("3f1f33")),
    ])


def quiet_blue(size, rng):
    return colour_fields(size, rng, hexc("1f3346"), [
        ((0.1, 0.07, 0.9, 0.55), hexc("5f8fa8")),
        ((0.12, 0.62, 0.88, 0.93), hexc("d9c7a3")),
    ])


CATALOGUE: list[tuple[str, str, tuple[int, int], int, Callable]] = [
    ("score-for-many-hands", "jpg", (2000, 1334), 101, score),
    ("after-the-rehearsal", "jpg", (2000, 1500), 102, after_rehearsal),
    ("first-light", "jpg", (2400, 1004), 103, first_light),
    ("holding-on", "jpg", (1400, 2000), 104, holding_on),
    ("estuary-at-dusk", "jpg", (2400, 1004), 105, estuary),
    ("storyboard-three-minutes", "jpg", (2000, 1400), 106, contact_strip),
    ("vessel-in-ochre", "jpg", (1500, 2000), 107, vessel_in_ochre),
    ("two-bowls", "jpg", (1800, 1800), 108, two_bowls),
    ("coil-and-pinch", "jpg", (2000, 1400), 109, coil_study),
    ("roda-in-ink", "jpg", (2100, 1400), 110, enso),
    ("ginga-in-blue", "jpg", (1800, 1800), 111, ginga),
    ("woven-together", "png", (1600, 1600), 112, woven),
    ("paper-garden", "png", (2000, 1400), 113, paper_collage),
    ("headlines-torn", "jpg", (2000, 1400), 114, newsprint_collage),
    ("common-ground", "jpg", (2400, 1350), 115, overlapping_circles),
    ("seedheads-monoprint", "jpg", (2000, 1500), 116, seedheads),
    ("quiet-blue", "jpg", (1600, 2000), 117, quiet_blue),
]


def save(img: Image.Image, path: Path, fmt: str) -> int:
    if fmt == "png":
        img.save(path, "PNG", optimize=True)
        return path.stat().st_size
    quality = 85
    while True:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True, progressive=True, subsampling="4:2:0")
        if buf.tell() <= MAX_BYTES or quality <= 60:
            break
        quality -= 4
    path.write_bytes(buf.getvalue())
    return buf.tell()


def main(argv: Sequence[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=root / "content" / "artworks")
    parser.add_argument("--only", nargs="*", help="slugs to (re)make; default all")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for slug, fmt, size, seed, painter in CATALOGUE:
        if args.only and slug not in args.only:
            continue
        rng = random.Random(seed)
        img = painter(size, rng).convert("RGB")
        n = save(img, args.out / f"{slug}.{fmt}", fmt)
        total += n
        print(f"{slug}.{fmt:4} {size[0]}x{size[1]} {n / 1024:7.1f} KiB")
    print(f"total {total / 1024 / 1024:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
