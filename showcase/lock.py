"""One build at a time writes a site.

`lock_output` holds an advisory lock (flock) on `._site.lock` beside the site, with the owner's process id in
it, for as long as a build runs; `lock_cache` one on `.lock` in the build cache, which builds into other folders
may share. The system drops the lock when a process ends, however it ends, so a lock
is never stale; the process id only names the owner in the message a second build gives.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError


class OutputBusy(UsageError):
    """Another build is writing the same site."""

    exit_status = 1


def lock_path(out: Path) -> Path:
    real = out.resolve()
    return real.parent / f".{real.name}.lock"


def lock_output(out: Path, wait: float = 0.0):
    """Hold the site's lock for the length of a build; wait up to `wait` seconds for another build to end,
    then stop with a message naming it. Re-entrant within one process (the preview holds it across builds)."""
    return _lock(lock_path(out), wait, f"is writing {out}; wait for it to finish, or build into another folder "
                                       "with --out", "choose another --out")


def lock_cache(cache: Path, wait: float = 0.0):
    """Hold the build cache's lock for the length of a build: builds into different folders share it (the one
    beside the content folder), and each removes the images it did not use from it."""
    return _lock(cache / ".lock", wait, f"is using the build cache {cache}; wait for it to finish",
                 "the build cache goes beside the content folder: put that somewhere you can write")


@contextmanager
def _lock(path: Path, wait: float, busy: str, advice: str) -> Iterator[None]:
    key = str(path)
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # a file where a folder should be, a folder nobody can write in
        raise UsageError(f"cannot write {path} ({exc.strerror or exc}); {advice}") from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                owner = _read_owner(fd)
                raise OutputBusy(f"another showcase build{f' (process {owner})' if owner else ''} {busy}")
            time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the file drops the lock


_HELD: dict[str, int] = {}


def _try_lock(fd: int) -> bool:
    import fcntl  # (here, not at the top: on Windows, which has none, importing showcase must still work far enough
    #              for the command line to say that it is not supported)

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _read_owner(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
