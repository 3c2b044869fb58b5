"""The preview of one content folder: build, serve, and build again on every change.

One background thread does every build, one at a time; a burst of changes is waited out first, and changes made
during a build start exactly one more build after it. Open pages learn of each build through the event stream
and reload. A build that fails never touches the site folder (the build stages its output), so the last good site
stays on show, with the problems on every page.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import secrets
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console

from ..errors import Diagnostic, UsageError
from ..lock import lock_cache, lock_output
from ..pipeline import BuildOptions, BuildResult, build
from ..report import (
    debugging,
    environment_problem,
    internal_error,
    report,
    traceback_text,
)
from ..terminal import Terminal
from ..warm import WarmState
from .editing import LocalEditor
from .events import Broadcaster
from .hosts import WILDCARDS, HostCheck
from .http import PreviewServer, server_for
from .inject import error_overlay, inject, reload_script, shown_path
from .watch import Changes, Watcher, watched_folders

SEARCH_CATCH_UP = 1.0  # seconds without a change before a search index left behind is made again
MAX_REFUSALS_SAID = 5  # host names the terminal says were refused; a rebinding page may try many


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
    """Build, serve and rebuild until Ctrl-C or `stop` is set; returns the exit status."""
    return Preview(options, host, port, open_browser=open_browser).run(ready=ready, stop=stop)


class Preview:
    """The live preview of one content folder. `run` blocks until Ctrl-C or `stop`; `port` is the real port."""

    debounce = 0.25  # seconds of quiet after the last change before building
    heartbeat = 15.0  # seconds between comments on an idle event stream, so proxies and browsers keep it

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, *,
                 open_browser: bool = False, console: Console | None = None,
                 builder: Callable[[BuildOptions], BuildResult] | None = None):
        self.options = dataclasses.replace(options, write=True, wait=60)  # a `build` of the same site may be running
        self.host, self.port = host, port
        self.hosts = HostCheck(host)
        self.open_browser = open_browser
        self.console = console or Terminal(stderr=True, highlight=False)
        self.root = Path(os.path.abspath(self.options.out))
        self.events = Broadcaster()
        self.builds = 0  # completed builds, good or bad
        self.warm = WarmState()  # the last good build in memory: a story's body saved renders its page alone
        self._build_fn = builder or functools.partial(build, warm=self.warm)
        self._lock = threading.Lock()
        self._say_lock = threading.Lock()
        # builds are numbered on from a number of this process's own: a page a preview stopped earlier made (then
        # the content changed, and the preview started again) reloads when it reconnects
        self._build_id = secrets.randbelow(2**40) * 1000
        self.published_path = "/"  # base_url's folder, e.g. /cpmr/: the preview serves the site there too
        self._problems: list[Diagnostic] = []
        self._failed = False
        self._ever_built = False
        self._overlay = ""
        self._changes = Changes()
        self._closing = threading.Event()
        self._first_done = threading.Event()
        self._fatal: UsageError | None = None
        self._building = False
        self._search_behind = False  # the last build kept an older search index (see _build_once)
        self._refused: set[str | None] = set()
        self._server: PreviewServer | None = None
        self._serving: threading.Thread | None = None
        self._builder: threading.Thread | None = None
        self._watcher: Watcher | None = None
        # the editor at /admin/, on the content folder (editing.py); its checks work beside the build cache
        self.editor = LocalEditor(self.options.content, self.options.cache_dir, strict=self.options.strict,
                                  base_url=self.options.base_url, notify=self.changed, say=self.say)

    # -- state, as pages and tests see it

    @property
    def url(self) -> str:
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"

    def state(self) -> dict:
        with self._lock:
            return {"build": self._build_id, "ok": not self._failed, "problems": list(self._problems)}

    def decorate(self, page: bytes) -> bytes:
        """An HTML page as the preview serves it: with the reload script, and the problems if the build failed."""
        with self._lock:
            build_id, overlay = self._build_id, self._overlay
        return inject(page, reload_script(build_id), overlay)

    def say(self, text: str, style: str | None = None) -> None:
        """One message in the terminal, from any thread."""
        with self._say_lock:
            self.console.print(text, markup=False, soft_wrap=True, style=style)

    def refused(self, host: str | None) -> None:
        """Say (once for each name, and for a few names only) that a request for another host was refused."""
        with self._lock:
            if host in self._refused or len(self._refused) >= MAX_REFUSALS_SAID:
                return
            self._refused.add(host)
        named = f"for {host}" if host else "with a missing or malformed Host header"
        self.say(f"{time.strftime('%H:%M:%S')} Refused a request {named}: the preview answers only "
                 f"{self.hosts.examples} (another name of this computer can be given with --host).", style="yellow")

    # -- running

    def run(self, ready: threading.Event | None = None, stop: threading.Event | None = None) -> int:
        stop = stop or threading.Event()
        restore = self._on_sigterm(stop)
        status: int | None = None
        interrupted = False
        try:
            try:
                status = self._start(stop)
                if status is None:
                    self._announce(ready)
                    while not stop.wait(0.2):
                        pass
            except KeyboardInterrupt:
                interrupted = True
                self.console.print("", markup=False)  # past the ^C the terminal shows
            finally:
                self._close()
                restore()
        except KeyboardInterrupt:  # a second Ctrl-C while closing: stop at once
            return 130
        if status is not None and not interrupted:
            return status
        self.console.print("Preview stopped.", markup=False)
        if self._search_behind:  # stopped before the pause that brings it up to date
            self.console.print(f"The search index in {self.options.out} is behind its pages: build again "
                               "(python build.py build) before you publish the folder.", markup=False, style="yellow")
        return 0

    def _announce(self, ready: threading.Event | None) -> None:
        self.console.print(f"Previewing {self.options.content} at {self.url}  (press Ctrl-C to stop)",
                           markup=False, soft_wrap=True, style="bold")
        self.console.print(f"Edit the content in the browser at {self.url}admin/ (each save is checked first)",
                           markup=False, soft_wrap=True)
        if self.host in WILDCARDS:
            self.console.print("Anyone on your network can open this preview.", markup=False, style="yellow")
        if ready is not None:
            ready.set()
        if self.open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()

    def _start(self, stop: threading.Event) -> int | None:
        content = self.options.content
        if not content.is_dir():
            self.console.print(f"showcase: the content folder {content} does not exist", markup=False)
            return 2
        try:
            self._server = server_for(self.host, self.port)
        except OSError as exc:
            hint = "; is another preview running? Choose another with --port" if _in_use(exc) else ""
            self.console.print(f"showcase: cannot listen on {self.host}:{self.port}: {exc.strerror or exc}{hint}",
                               markup=False)
            return 2
        self._server.preview = self
        self.port = self._server.server_address[1]
        cache = Path(os.path.abspath(self.options.cache_dir))
        ignored = [self.root, self.root.parent / f".{self.root.name}.staging",
                   self.root.parent / f".{self.root.name}.lock", cache]
        self._watcher = Watcher(watched_folders(content), ignored, self._changes.add, on_error=self.bug)
        problem = self._watcher.start()
        if problem is not None:
            self.console.print(f"showcase: changes cannot be watched ({problem}); restart the preview to see them",
                               markup=False, style="yellow")
        self._builder = threading.Thread(target=self._build_loop, name="showcase-build", daemon=True)
        self._changes.wake.set()  # the first build, at once
        self._builder.start()
        while not self._first_done.wait(0.2):
            if stop.is_set():
                return 0
        if self._fatal is not None:
            self.console.print(f"showcase: {self._fatal}", markup=False)
            return 2
        self._serving = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                         name="showcase-http", daemon=True)
        self._serving.start()
        return None

    def _close(self) -> None:
        self._closing.set()
        self._changes.wake.set()
        self.events.close()
        if self._watcher is not None:
            self._watcher.stop()
        if self._server is not None:
            if self._serving is not None:
                self._server.shutdown()
            self._server.server_close()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
        if self._builder is not None and self._builder.is_alive():
            if self._building:
                self.console.print("Finishing the current build first (press Ctrl-C again to stop at once)…",
                                   markup=False)
            while self._builder.is_alive():
                self._builder.join(0.2)
        self.warm.close()

    @staticmethod
    def _on_sigterm(stop: threading.Event) -> Callable[[], None]:
        """Let `kill` end the preview as cleanly as Ctrl-C (only the main thread can handle signals)."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
            return lambda: None
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)

    # -- watching

    def changed(self, path: str) -> None:
        """Note a changed file; the build starts once the changes have stopped for `debounce` seconds."""
        if self._watcher is not None:
            self._watcher.changed(path)

    # -- building

    def _build_loop(self) -> None:
        if hasattr(signal, "pthread_sigmask"):
            # Ctrl-C is for the main thread; worker processes this thread forks inherit the mask, so they
            # do not die (with tracebacks) half-way through a build either.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        while True:
            woke = self._changes.wake.wait(SEARCH_CATCH_UP if self._search_behind else None)
            if self._closing.is_set():
                return
            if not woke:  # a quiet moment, and the search index is behind the pages: bring it up to date
                self._building = True
                try:
                    self._build_guarded([], catch_up=True)
                finally:
                    self._building = False
                continue
            # let a burst of changes (an editor saving, git switching branch) settle
            changed = self._changes.settle(self.debounce, self._closing)
            if changed is None:
                return
            self._building = True
            try:
                self._build_guarded(changed)
            finally:
                self._building = False
                self._first_done.set()
            self._make_cards()

    def _build_guarded(self, changed: list[str], catch_up: bool = False) -> None:
        """A build, and nothing that goes wrong around it stops the builds to come."""
        try:
            self._build_once(changed, catch_up)
        except Exception as exc:  # a bug in reporting, not in the build (which _build_once catches)
            self.bug(exc)

    def bug(self, exc: BaseException) -> None:
        """A bug in showcase, said in one line (and with its traceback under SHOWCASE_DEBUG=1)."""
        self.say(internal_error(exc), style="red")
        if debugging():
            self.say(traceback_text(exc))

    def _build_once(self, changed: list[str], catch_up: bool = False) -> None:
        """Build and report. `catch_up`: the build made in a quiet moment to bring the search index up to
        date (the others keep the last index, so that a save shows at once); open pages are not reloaded
        for it unless it found changed pages after all."""
        first = not self._first_done.is_set()
        if changed:
            shown = [p for p in changed if os.path.exists(p)] or changed  # not editors' short-lived temporary files
            names = ", ".join(shown_path(p, self._base()) for p in shown[:3])
            more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
            self.say(f"{time.strftime('%H:%M:%S')} Changed: {names}{more}; rebuilding…")
        result: BuildResult | None = None
        said = False  # the problem is in the terminal already
        self._search_behind = False  # until this build says otherwise (a build that fails is not retried)
        # what the watcher reported, which the build from memory may take instead of looking at every file
        self.warm.watching(changed if self._watcher is not None and self._watcher.intact() else None)
        try:
            # today is asked afresh, so a story whose publish_date comes round appears without a restart
            result = self._build_fn(dataclasses.replace(self.options, today=datetime.date.today(),
                                                        search_later=self.options.search and not catch_up))
            self._search_behind = result.search_behind
            if result.site is not None:  # where the site will be published: its 404 page links from there
                self.published_path = urlsplit(result.site.config.base_url or "/").path or "/"
            if catch_up and not result.failed and not result.rendered:
                self.say(f"{time.strftime('%H:%M:%S')} Search index brought up to date ({result.seconds:.2f} s).")
                self._settle()
                return
            failed = result.failed
            problems = [d for d in result.diagnostics.sorted()
                        if d.severity == "error" or (self.options.strict and failed)]
        except UsageError as exc:
            if first:
                self._fatal = exc
                return
            failed, problems = True, [Diagnostic(str(self.options.content), None, None, "error", str(exc))]
        except Exception as exc:  # the computer (a full disk) or a bug; either way keep serving the last good site
            if self._closing.is_set():
                return
            environment = environment_problem(exc, self.options.out) if isinstance(exc, OSError) else None
            message = environment or internal_error(exc)
            if environment is None:
                self.bug(exc)
            else:
                self.say(environment, style="red")
            said = True
            failed, problems = True, [Diagnostic(str(self.options.content), None, None, "error",
                                                 message.removeprefix("showcase: "))]
        if self._closing.is_set() and not first:
            return
        if result is not None:
            with self._say_lock:
                report(result, self.options, self.console)
        elif failed and not said:
            for problem in problems:
                self.say(problem.format(), style="red")
        if failed:
            self.say("The preview keeps showing the last site that was built; fix the problem and save again.",
                     style="red")
        with self._lock:
            self.builds += 1
            self._build_id += 1
            self._failed = failed
            self._problems = problems if failed else []
            self._ever_built = self._ever_built or not failed or (self.root / "index.html").is_file()
            self._overlay = error_overlay(problems, not self._ever_built, self._base()) if failed else ""
            build_id = self._build_id
        self.events.send("error" if failed else "reload", {"build": build_id, "ok": not failed})
        self._settle()

    def _settle(self) -> None:
        """After a build is shown: the build cache on disk, and the watcher's word checked (warm.py)."""
        try:
            with lock_output(self.options.out, self.options.wait), lock_cache(self.options.cache_dir,
                                                                              self.options.wait):  # nor the cache
                self.warm.settle(self._changes.pending)
        except (OSError, UsageError) as exc:  # the next build starts from the files: nothing is lost
            self.warm.forget()
            message = environment_problem(exc, self.options.out) if isinstance(exc, OSError) else None
            self.say(message or str(exc), style="red")
        if self.warm.missed:  # a change the watcher did not report: build again, looking at every file
            self.say(f"{time.strftime('%H:%M:%S')} Found changes the file watcher had not reported; rebuilding…",
                     style="yellow")
            self._changes.wake.set()

    def _make_cards(self) -> None:
        """Once the page is shown and being served: the story cards a build of the whole site did not keep, until a
        change comes or the preview closes (warm.py)."""
        try:
            self.warm.make_cards(lambda: bool(self._changes.pending()) or self._closing.is_set())
        except Exception as exc:  # a bug: the next change renders the cards it needs
            self.bug(exc)

    def _base(self) -> Path:
        return self.options.content.resolve().parent


def _in_use(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))
