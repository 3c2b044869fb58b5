"""Swap two folders at once: the new site in, the old one out (see writer.py)."""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux, renameat2(2)
_RENAME_SWAP = 2  # macOS, renamex_np(2)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
            done = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
            done = libc.renamex_np(os.fsencode(a), os.fsencode(b), _RENAME_SWAP)
        else:
            return False
    except (OSError, AttributeError):
        return False
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # a file system that cannot exchange: rename twice instead
    raise OSError(code, os.strerror(code), str(b))


def swap(spare: Path, live: Path) -> None:
    if _exchange(spare, live):
        return
    # Two renames: for an instant the site folder is missing; a build killed right then is put back by
    # `recover` the next time.
    before = live.parent / f".{live.name}.before"
    os.rename(live, before)
    os.rename(spare, live)
    os.rename(before, spare)


def recover(live: Path) -> None:
    before = live.parent / f".{live.name}.before"
    if before.is_dir():
        if not live.exists():
            os.rename(before, live)
        else:
            shutil.rmtree(before, ignore_errors=True)
