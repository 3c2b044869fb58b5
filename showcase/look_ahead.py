"""The site looked over by a helper process while the preview plans a change (stories added, removed or their details
edited: warm.py). Before a build writes the spare folder, every file and folder of the site is looked at
(spare.look_over: about 0.2 s at 10,000 stories), which needs nothing the planning does. So, in the quiet moment
after each of the preview's builds, a helper is started with the record of the site the build left; the next build
tells it to look, plans meanwhile on the other core, and then takes what it found. The helper is a process of its
own, not a fork of the preview's: a forked copy shares the preview's memory, and every page the preview then writes
while planning is copied first (that cost half of what the look saved). Below LOOK_AHEAD_FROM files the build
looks itself; so it does when the helper is not there, describes another record, or fails."""

from __future__ import annotations

import contextlib
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

from .siterecord import SiteRecord
from .spare import Look, look_over

LOOK_AHEAD_FROM = 2000  # files in the site (at 2,000, looking takes about 0.03 s)
_START = "import sys; sys.path[0] = sys.argv[1]; from showcase.look_ahead import serve; serve()"


class Helper:
    """A helper process holding `record`, the record of the site in `live`, that looks the site over when told to."""

    def __init__(self, live: Path, record: SiteRecord):
        self.live, self.record = live, record
        # the preview's own package, not one the working folder (first on the path of `python -c`) may hold
        package = str(Path(__file__).resolve().parent.parent)
        self.process = subprocess.Popen([sys.executable, "-c", _START, package], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        what = SiteRecord(files=record.files, folders=record.folders, foreign=record.foreign)
        data = pickle.dumps((str(live), what), protocol=pickle.HIGHEST_PROTOCOL)
        # sent while the helper starts, so that the preview need not wait for it
        self._sending = threading.Thread(target=self._send, args=(data,), name="showcase-look-ahead", daemon=True)
        self._sending.start()

    def _send(self, data: bytes) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (OSError, ValueError):  # it ended, or was stopped (the build looks itself)
            pass

    def serves(self, live: Path, record: SiteRecord) -> bool:
        return self.record is record and self.live == live and self.process.poll() is None

    def look(self) -> None:
        """Start looking (the build goes on meanwhile)."""
        self._sending.join()
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(b"look")
            self.process.stdin.close()
        except (OSError, ValueError):  # it ended (its answer says so)
            pass

    def result(self) -> Look | None:
        """What it found (it is waited for); None when it could not say."""
        assert self.process.stdout is not None
        try:
            data = self.process.stdout.read()
        except OSError:
            data = b""
        self.process.wait()  # (it ends once it has answered)
        self.stop()
        if self.process.returncode != 0 or not data:
            return None
        try:
            return _look(pickle.loads(data), self.record)
        except Exception:  # an answer it could not have given: the build looks itself
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._sending.join()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def serve() -> None:
    """The helper: the site's folder and record from the preview, then, when told to, the look's differences back.
    (Ctrl-C is the preview's to handle: it stops its helper, and the helper ends when the preview's end closes its
    input.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    live, record = pickle.load(sys.stdin.buffer)
    if sys.stdin.buffer.read(4) != b"look":  # the preview ended, or had no need of it
        return
    sys.stdout.buffer.write(pickle.dumps(_differences(look_over(Path(live), record), record),
                                         protocol=pickle.HIGHEST_PROTOCOL))


def _differences(look: Look, previous: SiteRecord) -> tuple:
    """What the look found that the record does not say (usually next to nothing: sending the whole look, 12,600
    files and as many folders at 10,000 stories, takes longer than working it out again from the record)."""
    gone = [rel for rel in previous.files if rel not in look.trusted and rel not in look.edited]
    folders = {folder: look.live_folders.get(folder) for folder, known in previous.folders.items()
               if look.live_folders.get(folder) != known}
    return gone, look.edited, look.foreign, folders, look.odd, look.others


def _look(differences: tuple, previous: SiteRecord) -> Look:
    """The look made again from the record and its `differences`, as look_over made it."""
    gone, edited, foreign, folders, odd, others = differences
    left_out = edited.keys() | set(gone)
    trusted = {rel: known for rel, known in previous.files.items() if rel not in left_out}
    live_folders = {folder: now for folder, known in previous.folders.items()
                    if (now := folders.get(folder, known)) is not None}
    return Look(trusted, edited, foreign, live_folders, odd, others)
