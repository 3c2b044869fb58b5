"""Story bodies kept on disk from parsing to rendering, so that the main process never holds them all.

Parsing happens in worker processes; each writes the HTML of the stories it parsed to a file of its own
and sends back only where to find it. The page of a story reads its body again when it is rendered. The
files live in the build cache (or a temporary folder for `check`) and are kept while the parse cache
points into them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import BinaryIO

Location = tuple[str, int, int]  # file, offset, length in bytes


class BodyStore:
    """Appends bodies to one file per process in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()  # one spelling for every build, however the cache folder was named
        self._open: dict[int, tuple[str, BinaryIO]] = {}  # process id -> its file

    def put(self, html: str) -> Location:
        pid = os.getpid()
        opened = self._open.get(pid)
        if opened is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = str(self.folder / f"{pid}-{time.time_ns()}.html")
            opened = self._open[pid] = (path, open(path, "ab"))
        path, handle = opened
        data = html.encode("utf-8")
        offset = handle.tell()
        handle.write(data)
        return path, offset, len(data)

    def flush(self) -> None:
        """Make what this process wrote readable by others (call at the end of each piece of work)."""
        opened = self._open.get(os.getpid())
        if opened is not None:
            opened[1].flush()

    def close(self) -> None:
        opened = self._open.pop(os.getpid(), None)
        if opened is not None:
            opened[1].close()

    def prune(self, kept: set[str]) -> None:
        """Remove the files no parse result points into any more."""
        self.close()
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if str(path) not in kept:
                    path.unlink(missing_ok=True)


_READERS: dict[str, int] = {}  # file -> descriptor, per process


def read_body(path: str, offset: int, length: int) -> str:
    fd = _READERS.get(path)
    if fd is None:
        fd = _READERS[path] = os.open(path, os.O_RDONLY)
    return os.pread(fd, length, offset).decode("utf-8")


def forget_readers() -> None:
    """Close the files read so far (at the end of a build: they may be pruned by the next)."""
    for fd in _READERS.values():
        os.close(fd)
    _READERS.clear()
