"""Full-text search that works on static hosting: a Pagefind index of the written pages.

Pagefind (https://pagefind.app, PyPI `pagefind[bin]`) reads the rendered HTML after the pages are
written and puts a static index in `pagefind/` beside them; the search page's own script
(assets/search.js) asks it through Pagefind's JavaScript API. No server and no network are involved.

Only what the templates mark with `data-pagefind-body` (the main content of stories, reports, pages,
projects and artworks) is indexed, less anything marked `data-pagefind-ignore` (content notes, support
boxes, tables of contents, listings). What is never written (drafts, withheld stories, the real names
of anonymous contributors) can never be found. The same pages always give byte-identical index files.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

OUTPUT = "pagefind"  # the folder inside the site
TIMEOUT = 3600  # seconds; a 10,000-story site takes well under a minute

# Bundled with the index but not used by our own search page (we use the JavaScript API, not the
# stock widgets): left out of the site. Anything else Pagefind writes is kept.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
UNUSED_FOLDERS = ("playground",)


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


def build_search_index(site_dir: Path, language: str) -> list[str]:
    """Index the pages in `site_dir`; returns the files written (posix paths relative to it)."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / OUTPUT
    if bundle.exists():
        raise SearchError(f"/{OUTPUT}/ is where the search index goes, but the site already has a file there "
                          f"(from static/{OUTPUT}?); rename it")
    binary = pagefind_executable()
    command = [str(binary), "--site", str(site_dir), "--output-subdir", OUTPUT, "--silent"]
    if language:
        # One index for the whole site, in its language (pages in another language are rare and short).
        command += ["--force-language", language.lower()]
    # Settings come from these arguments only: not from a pagefind.yml in the working directory
    # (the command runs in an empty one) nor from PAGEFIND_* variables in the environment.
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="showcase-pagefind-") as cwd:
        try:
            proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
                                  timeout=TIMEOUT)
        except FileNotFoundError as exc:
            raise SearchError(f"Pagefind could not be started ({binary}): {exc}") from exc
        except PermissionError as exc:
            raise SearchError(f"Pagefind could not be started ({binary} is not executable): {exc}") from exc
        except subprocess.TimeoutExpired as exc:
            raise SearchError(f"Pagefind did not finish within {TIMEOUT} s") from exc
        except OSError as exc:
            raise SearchError(f"Pagefind could not be started ({binary}): {exc}") from exc
    if proc.returncode != 0:
        said = _tail(proc.stderr) or _tail(proc.stdout) or "(no output)"
        raise SearchError(f"Pagefind failed (exit status {proc.returncode}): {said}")
    if not (bundle / "pagefind-entry.json").is_file() or not (bundle / "pagefind.js").is_file():
        said = _tail(proc.stderr) or _tail(proc.stdout)
        raise SearchError(f"Pagefind finished but wrote no index to /{OUTPUT}/" + (f": {said}" if said else ""))
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    canonicalise(bundle)
    for name in UNUSED_FOLDERS:
        shutil.rmtree(bundle / name, ignore_errors=True)
    return sorted(p.relative_to(site_dir).as_posix() for p in bundle.rglob("*") if p.is_file())


def _tail(text: str, lines: int = 12) -> str:
    kept = [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:])


# --- byte-identical output -----------------------------------------------------------------------
#
# Pagefind (up to at least 1.5) writes each filter's values, and the list of filters in the
# language's metadata file, in hash-map order, which changes from run to run
# (https://github.com/Pagefind/pagefind/issues/638; "TODO: Change filter indexes to BTree to give
# them a stable hash" in its source). Everything else it writes is already stable. So the filter
# files and the list are put in sorted order here, and the files named as Pagefind names them:
# language + "_" + the start of the SHA-1 of their contents (see `_pagefind_hash`). The search code in
# the browser reads both into maps, so the order never mattered to it. If a future Pagefind writes
# something this does not recognise, the files are left exactly as they are (search still works;
# tests/test_search.py then reports that two builds differ).

_HEADER = b"pagefind_dcd"


class _Unrecognised(Exception):
    pass


def canonicalise(bundle: Path) -> bool:
    """Sort the filter indexes of every language in a Pagefind bundle; False if left as they were."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        plans = [(language, _plan_language(bundle, info["hash"])) for language, info in sorted(languages.items())]
    except (_Unrecognised, OSError, ValueError, KeyError, TypeError, UnicodeDecodeError, EOFError, gzip.BadGzipFile):
        return False
    for language, (old_meta, meta, old_filters, filters) in plans:
        if not old_filters:
            continue  # no filters: nothing that varies
        for path in old_filters:
            path.unlink()
        for name, data in filters.items():
            _write_gz(bundle / "filter" / f"{name}.pf_filter", data)
        prefix = languages[language]["hash"].rpartition("_")[0]
        meta_hash = f"{prefix}_{_pagefind_hash(meta)[:13]}"
        old_meta.unlink()
        _write_gz(bundle / f"pagefind.{meta_hash}.pf_meta", meta)
        languages[language]["hash"] = meta_hash
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _plan_language(bundle: Path, meta_hash: str) -> tuple[Path, bytes, list[Path], dict[str, bytes]]:
    """The new metadata file and filter files of one language, without writing anything."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _decode_all(_read_gz(meta_path))
    if not isinstance(meta, list):
        raise _Unrecognised("metadata")
    # The filter list: [[name, hash], ...] whose hashes are exactly the filter files of this language.
    prefix = meta_hash.rpartition("_")[0]
    files = {p.stem: p for p in (bundle / "filter").glob(f"{prefix}_*.pf_filter")} if (bundle / "filter").is_dir() else {}
    at = [i for i, item in enumerate(meta) if isinstance(item, list) and item and len(item) == len(files)
          and all(isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in item)
          and {pair[1] for pair in item} == set(files)]
    if not files:
        return meta_path, _encode(meta), [], {}
    if len(at) != 1:
        raise _Unrecognised("filter list")
    filters: dict[str, bytes] = {}
    listed = []
    for name, old_hash in sorted(meta[at[0]]):
        index = _decode_all(_read_gz(files[old_hash]))
        # [filter name, [[value, [page, ...]], ...]]
        if not (isinstance(index, list) and len(index) == 2 and index[0] == name and isinstance(index[1], list)
                and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in index[1])):
            raise _Unrecognised("filter index")
        data = _encode([name, sorted(index[1], key=lambda v: v[0])])
        digest = _pagefind_hash(data)
        length = 7
        while f"{prefix}_{digest[:length]}" in filters and length < len(digest):
            length += 1
        new_hash = f"{prefix}_{digest[:length]}"
        filters[new_hash] = data
        listed.append([name, new_hash])
    meta[at[0]] = listed
    return meta_path, _encode(meta), list(files.values()), filters


def _pagefind_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1, each byte in hex without a leading zero."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _read_gz(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_HEADER):
        raise _Unrecognised(path.name)
    return data[len(_HEADER):]


def _write_gz(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(_HEADER + data, compresslevel=9, mtime=0))


def _decode_all(data: bytes):
    """CBOR as Pagefind writes it, checked to encode back to the very same bytes."""
    value, end = _decode(data, 0)
    if end != len(data) or _encode(value) != data:
        raise _Unrecognised("CBOR")
    return value


def _decode(data: bytes, i: int):
    """The CBOR Pagefind uses: integers, text and byte strings, arrays, true/false/null."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        arg = info
    elif info <= 27:
        size = 1 << (info - 24)
        arg, i = int.from_bytes(data[i : i + size], "big"), i + size
    else:
        raise _Unrecognised("indefinite length")
    if major == 0:
        return arg, i
    if major == 1:
        return -1 - arg, i
    if major in (2, 3):
        raw = data[i : i + arg]
        if len(raw) != arg:
            raise _Unrecognised("truncated")
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), i + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    raise _Unrecognised(f"CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise _Unrecognised("integer too large")


def _encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise _Unrecognised(type(value).__name__)
