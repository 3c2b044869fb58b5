"""Pagefind's search code: the JavaScript and WebAssembly the search page runs, from the Pagefind binary.

The index itself is written by showcase (search_writer.py); the code that searches it in the browser is
Pagefind's own (`pagefind.js`, its worker and WebAssembly), which depends only on the binary and the
language. It is taken from one run of the binary on a page of its own and kept in the build cache, so the
binary runs once for each version and language, not at every build.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .writer import write_file

PAGEFIND_VERSION = "1.5.2"  # the version whose index search_writer.py writes, and whose search code reads it
TIMEOUT = 300  # seconds for the binary's run on one page

# Bundled by Pagefind but not used by our own search page (we use the JavaScript API, not the stock widgets):
# left out of the site. The index files of the run on one page are left out too: the site's are written apart.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-entry.json")
UNUSED_SUFFIXES = (".pf_meta",)


class SearchError(Exception):
    """The index could not be built; str() says why."""


def pagefind_executable() -> Path:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, else the one the `pagefind[bin]` package ships, else $PATH."""
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise SearchError(f"PAGEFIND_BINARY_PATH is {configured}, which is not a file")
        return path
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return Path(importlib.import_module(module).get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
    for name in ("pagefind_extended", "pagefind"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise SearchError("Pagefind is not installed; install it with `pip install 'pagefind[bin]'` "
                      "(or set PAGEFIND_BINARY_PATH to a pagefind binary)")


def copy_search_code(out: Path, language: str, cache: Path, keep: Callable[[str], bool] | None = None,
                     written: list[str] | None = None) -> list[str]:
    """Put Pagefind's search code (pagefind.js, its worker, the WebAssembly for `language` and the generic one)
    into `out`; returns the files' names. A file for which keep(name) is true and which is already there with
    the same bytes is left as it is; the names of the others are added to `written`."""
    source = search_code(language, cache)
    names = []
    for path in sorted(source.iterdir()):
        names.append(path.name)
        data = path.read_bytes()
        target = Path(out) / path.name
        if keep is not None and keep(path.name) and target.is_file() and target.read_bytes() == data:
            continue
        write_file(Path(out), path.name, data)  # a new file: never through a link to the live site's
        if written is not None:
            written.append(path.name)
    return names


def search_code(language: str, cache: Path) -> Path:
    """The folder in `cache` holding Pagefind's search code for `language` (made by its binary, once)."""
    binary = pagefind_executable()
    try:
        stat = binary.stat()
    except OSError as exc:
        raise SearchError(f"Pagefind could not be started ({binary}): {exc.strerror or exc}") from exc
    key = hashlib.sha1(f"{binary.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    cache = Path(cache).resolve()  # the binary runs in a folder of its own: no path relative to here
    folder = cache / f"pagefind-code-{key}-{language or 'unknown'}"
    if folder.is_dir():
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pagefind-code-", dir=cache) as work:
        out = Path(work) / "out"
        problem = _run_on_one_page(binary, Path(work), out, language)
        if problem:
            raise SearchError(problem)
        made_by = _version(out)
        if made_by != PAGEFIND_VERSION:
            raise SearchError(f"showcase writes the index of Pagefind {PAGEFIND_VERSION}, but the Pagefind installed "
                              f"({binary}) is {made_by or 'of an unknown version'}; install the one it needs with "
                              f"`pip install 'pagefind[bin]=={PAGEFIND_VERSION}'`")
        kept = Path(work) / "kept"
        kept.mkdir()
        for path in out.iterdir():
            if path.is_file() and path.name not in UNUSED and not path.name.endswith(UNUSED_SUFFIXES):
                os.replace(path, kept / path.name)
        try:
            os.replace(kept, folder)
        except OSError:  # made meanwhile by another build
            if not folder.is_dir():
                raise
    return folder


def _version(bundle: Path) -> str | None:
    """The version of Pagefind that wrote a bundle, as its entry file says."""
    try:
        return str(json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _run_on_one_page(binary: Path, work: Path, out: Path, language: str) -> str | None:
    """Run Pagefind on a page of its own; None when it wrote its bundle to `out`, else what went wrong."""
    site = work / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<!doctype html><html lang="{language or "en"}"><head><title>Search</title></head>'
        f'<body><main data-pagefind-body><p>Search</p></main></body></html>', encoding="utf-8")
    command = [str(binary), "--site", str(site), "--output-path", str(out), "--silent"]
    if language:
        command += ["--force-language", language]
    # Settings come from showcase only: these arguments, in a working directory of its own, not a
    # pagefind.yml of the user's nor PAGEFIND_* variables in the environment.
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    try:
        proc = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, errors="replace",
                              timeout=TIMEOUT)
    except FileNotFoundError as exc:
        return f"Pagefind could not be started ({binary}): {exc}"
    except PermissionError as exc:
        return f"Pagefind could not be started ({binary} is not executable): {exc}"
    except subprocess.TimeoutExpired:
        return f"Pagefind did not finish within {TIMEOUT} s"
    except OSError as exc:
        return f"Pagefind could not be started ({binary}): {exc}"
    if proc.returncode != 0:
        said = _tail(proc.stderr) or _tail(proc.stdout) or "(no output)"
        return f"Pagefind failed (exit status {proc.returncode}): {said}"
    if not (out / "pagefind.js").is_file():
        said = _tail(proc.stderr) or _tail(proc.stdout)
        return "Pagefind finished but wrote no index" + (f": {said}" if said else "")
    return None


def _tail(text: str, lines: int = 12) -> str:
    kept = [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:])
