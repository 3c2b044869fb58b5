"""Noticing changes: which folders are watched, which changes count, and waiting out a burst of them.

Watchdog reports every event of the watched folders (with the polling observer where the system's own
notifications cannot be had); a `Watcher` keeps the changes an editor makes and drops the build's own output,
hidden files and editors' swap and backup files. `Changes` gathers them until they stop for a moment, so that
one save (or a `git switch` of a hundred files) starts one build.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEventHandler

from ..theme import default_theme_dir


def watched_folders(content: Path) -> list[Path]:
    """The content folder, the site's own themes beside it, and the default theme: each once."""
    content = content.resolve()
    candidates = [content, content.parent / "themes", default_theme_dir().resolve()]
    chosen: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and not any(folder == c or folder.is_relative_to(c) for c in chosen):
            chosen = [c for c in chosen if not c.is_relative_to(folder)] + [folder]
    return chosen


class Changes:
    """Changed files, gathered until no change has come for a while. `wake` is set by every change and by
    anyone else who wants the waiting side to look up (a first build, closing)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._last = float("-inf")
        self.wake = threading.Event()

    def add(self, path: str) -> None:
        with self._lock:
            self._paths.add(path)
            self._last = time.monotonic()
            self.wake.set()

    def pending(self) -> set[str]:
        """The changes gathered so far, left for the next build to take."""
        with self._lock:
            return set(self._paths)

    def settle(self, quiet: float, closing: threading.Event) -> list[str] | None:
        """Wait until `quiet` seconds have passed since the last change, then take the changes, sorted;
        None if `closing` was set meanwhile."""
        while True:
            with self._lock:
                left = self._last + quiet - time.monotonic()
                if left <= 0:
                    self.wake.clear()
                    paths, self._paths = sorted(self._paths), set()
                    return paths
            if closing.wait(left):
                return None


class Watcher:
    """Watches folders and calls `on_change(path)` for every file an editor changed in them."""

    def __init__(self, folders: Iterable[Path], ignored: Iterable[Path], on_change: Callable[[str], None],
                 on_error: Callable[[Exception], None] | None = None):
        self.folders = [str(f) for f in folders]
        self.ignored = sorted({str(p) for p in ignored} | {str(p.resolve()) for p in ignored})
        self.on_change = on_change
        self.on_error = on_error  # a bug while noting a change: said, and the watching goes on
        self._observer = None
        self._lost = False  # an event was lost to a bug while noting it

    def counts(self, path: str) -> bool:
        """Whether a change to `path` is one to build for."""
        path = os.path.abspath(path)
        if any(path == i or path.startswith(i + os.sep) for i in self.ignored):
            return False
        return not self._is_noise(path)

    def _is_noise(self, path: str) -> bool:
        """Hidden files and folders, editors' swap, backup and probe files: the build skips them too."""
        for folder in self.folders:
            if path.startswith(folder + os.sep):
                parts = path[len(folder) + 1:].split(os.sep)
                break
        else:
            parts = [os.path.basename(path)]
        return any(p.startswith(".") or p.endswith("~") for p in parts) or parts[-1] == "4913"

    def changed(self, path: str) -> None:
        if self.counts(path):
            self.on_change(os.path.abspath(path))

    def start(self) -> OSError | None:
        """Start watching; the reason if the folders cannot be watched (the preview then only serves)."""
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        handler = _EventHandler(self)
        problem: OSError | None = None
        for factory in (Observer, PollingObserver):
            observer = factory()
            try:
                for folder in self.folders:
                    observer.schedule(handler, folder, recursive=True)
                observer.start()
                self._observer = observer
                return None
            except OSError as exc:
                try:
                    observer.stop()
                except Exception:
                    pass
                problem = exc
        return problem

    def intact(self) -> bool:
        """Whether it has reported every change since it started: it is running (its threads alive) and no event
        was lost to a bug. (The kernel can still drop events when its queue overflows, which watchdog does not
        pass on: the preview checks the watcher's word after each build, see warm.py.)"""
        observer = self._observer
        if observer is None or self._lost or not observer.is_alive():
            return False
        return all(emitter.is_alive() for emitter in observer.emitters)

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()

    def join(self, timeout: float) -> None:
        if self._observer is not None:
            self._observer.join(timeout=timeout)


class _EventHandler(FileSystemEventHandler):
    """Watchdog calls `dispatch` for every event; only real changes to files count."""

    _IGNORED_TYPES = ("opened", "closed_no_write", "attrib")  # reads by the build itself, links made to files

    def __init__(self, watcher: Watcher):
        super().__init__()
        self.watcher = watcher

    def dispatch(self, event) -> None:
        try:
            self._dispatch(event)
        except Exception as exc:
            self.watcher._lost = True
            if self.watcher.on_error is None:
                raise
            self.watcher.on_error(exc)

    def _dispatch(self, event) -> None:
        if event.event_type in self._IGNORED_TYPES:
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's listing changed: the file's own event says what happened
        paths = [event.src_path] + ([event.dest_path] if getattr(event, "dest_path", "") else [])
        for raw in paths:
            self.watcher.changed(os.fsdecode(raw))
