"""Make the default theme's web font: Literata (SIL Open Font License 1.1), subset to the characters showcases use.

Usage: pip install 'fonttools[woff]' && python scripts/subset_fonts.py

Literata is a serif made for long reading on screens (https://github.com/googlefonts/literata). Its variable fonts
come from the PyPI package fontpkg-literata at the pinned VERSION, checked against the pinned SHA256 (the files of
google/fonts, ofl/literata). Each of its two fonts (roman and italic) is cut down to the Latin that showcases in
English, Welsh and the languages of Western Europe need (CHARACTERS), its weight axis kept from 400 to 700 and its
optical size fixed at text size, and written as WOFF2 into themes/default/assets/fonts/ beside its licence (OFL.txt).
The result is the same bytes each time for the same fontTools and brotli; the files are kept in the repository, so a
build never runs this. To add characters, extend CHARACTERS, run this, and run tests/test_fonts.py.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

PACKAGE = "fontpkg-literata"
VERSION = "3.103"
SHA256 = "0a6f8f6b3c26c7c988f93497b35b4581cb259feb189581ae6d0f2d3926f22d28"
FONTS = {"fontpkg_literata/files/Literata[opsz,wght].ttf": "literata-roman.woff2",
         "fontpkg_literata/files/Literata-Italic[opsz,wght].ttf": "literata-italic.woff2"}
LICENCE = "fontpkg_literata/LICENSE"
TARGET = Path(__file__).resolve().parents[1] / "themes/default/assets/fonts"

CHARACTERS = ",".join([
    "U+0020-007E",  # Basic Latin
    "U+00A0-00FF",  # Latin-1: accented letters, £, ×, ©, no-break space
    "U+0100-017F",  # Latin Extended-A: ŵ ŷ Ŵ Ŷ (Welsh), ł, ő, č, œ...
    "U+0218-021B",  # Ș ș Ț ț
    "U+02BB-02BC, U+02C6, U+02DA, U+02DC",  # modifier letters and spacing accents
    "U+1E80-1E85, U+1EF2-1EF3",  # Welsh ẁ ẃ ẅ ỳ and their capitals
    "U+2002-200B",  # spaces of set widths, zero-width space
    "U+2010-2015",  # hyphens and dashes – —
    "U+2018-201E",  # quotation marks ‘ ’ “ ” „
    "U+2020-2022, U+2026, U+2030, U+2032-2033, U+2039-203A, U+2044",  # † ‡ • … ‰ ′ ″ ‹ › ⁄
    "U+20AC, U+2116, U+2122",  # € № ™
    "U+2190-2193, U+2212",  # arrows, minus
])
AXES = {"wght": (400, 700), "opsz": 12}  # the weights the theme uses; text optical size, the font's default


def fetch(work: Path) -> Path:
    """The pinned wheel, downloaded by pip into `work` and checked."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                    f"{PACKAGE}=={VERSION}", "--dest", str(work)], check=True)
    wheel = next(work.glob("*.whl"))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SHA256:
        sys.exit(f"{wheel.name} is not the pinned package: sha256 {digest} != {SHA256}")
    return wheel


def web_font(source: bytes) -> bytes:
    """One variable font subset to CHARACTERS, its axes limited to AXES, as WOFF2 (no timestamps changed)."""
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = None
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.drop_tables += ["vhea", "vmtx"]  # vertical metrics: the theme sets no vertical text
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(CHARACTERS))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    font = instancer.instantiateVariableFont(TTFont(io.BytesIO(buffer.getvalue()), recalcTimestamp=False), AXES)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        wheel = fetch(Path(work))
        TARGET.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            for member, name in FONTS.items():
                data = web_font(archive.read(member))
                (TARGET / name).write_bytes(data)
                print(f"{name}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
            (TARGET / "OFL.txt").write_bytes(archive.read(LICENCE))
    print(f"Literata {VERSION} subset into {TARGET}")


if __name__ == "__main__":
    main()
