"""Vendor OpenSeadragon, the deep-zoom viewer of the artwork pages, into the default theme's assets.

Usage: python scripts/vendor_openseadragon.py

It is kept in the theme, not loaded from a CDN, so the site works offline and asks nothing of another host.
The files are copied as npm published them (openseadragon.min.js and its BSD-3-Clause LICENSE.txt), from the
package `npm pack` fetches at the pinned VERSION, after checking it against the pinned INTEGRITY. To upgrade,
change both (`npm view openseadragon@X.Y.Z dist.integrity`), run this and the browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "6.1.1"
INTEGRITY = "sha512-g4iKe2q8B642SaBT3+x4ZF3/8b1TxPPydyjmtrOLgDrlYWMKd9ZXM+1Cb/xa9DVySkvs/7l6HR1nHKfD5F3Tsw=="
FILES = {"package/build/openseadragon/openseadragon.min.js": "openseadragon.min.js",
         "package/LICENSE.txt": "LICENSE.txt"}
TARGET = Path(__file__).resolve().parents[1] / "themes/default/assets/openseadragon"


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["npm", "pack", f"openseadragon@{VERSION}", "--silent"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = Path(work) / f"openseadragon-{VERSION}.tgz"
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != INTEGRITY:
            sys.exit(f"openseadragon-{VERSION}.tgz is not the pinned package: {digest} != {INTEGRITY}")
        TARGET.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as archive:
            for member, name in FILES.items():
                (TARGET / name).write_bytes(archive.extractfile(member).read())
    print(f"OpenSeadragon {VERSION} copied into {TARGET}")


if __name__ == "__main__":
    main()
