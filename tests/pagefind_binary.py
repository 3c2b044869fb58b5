"""The Pagefind binary run on a site as showcase ran it before it wrote the index itself: the reference that
tests/test_search_writer.py holds search_writer.py to, file by file.

`pagefind_bundle(site, pages, language, out)` runs `pagefind --site SITE --output-path OUT --silent
--force-language LANGUAGE` with a pagefind.json giving the pages as its `glob`, leaves out the files the
search page does not use and makes the result stable (`canonicalise`): Pagefind (up to at least 1.5) writes
each filter's values, and the list of filters in the language's metadata file, in hash-map order, which
changes from run to run (https://github.com/Pagefind/pagefind/issues/638). So the filter files and the list
are put in sorted order, and the files named as Pagefind names them: language + "_" + the start of the SHA-1
of their contents (see `_pagefind_hash`). The search code in the browser reads both into maps, so the order
never mattered to it; search_writer.py writes them in this order to begin with.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from showcase.search_code import UNUSED, pagefind_executable

BODY = b"data-pagefind-body"
_HEADER = b"pagefind_dcd"


def content_pages(site: Path) -> list[str]:
    """The HTML files of `site` that mark their content (sorted '/'-separated paths): what showcase indexes."""
    found = []
    for path in sorted(site.rglob("*.html")):
        if BODY in path.read_bytes():
            found.append(path.relative_to(site).as_posix())
    return found


def pagefind_page_order(site_dir: Path, pages: list[str]) -> list[str]:
    """The given pages (paths in the site, '/'-separated) in the order Pagefind reads them, which is its page
    order: a walk of the site in the order the file system lists each folder, a folder's content where the
    folder is met (lib.rs walk_for_files; not sorted, so it depends on the file system)."""
    wanted = set(pages)
    found: list[str] = []

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    visit(entry.path, rel + "/")
                elif rel in wanted:
                    found.append(rel)

    visit(str(site_dir), "")
    return found


def pagefind_bundle(site: Path, pages: list[str], language: str, out: Path) -> Path:
    """Pagefind's own index of `pages` of `site` in `out`, stable, without the files showcase leaves out."""
    command = [str(pagefind_executable()), "--site", str(site), "--output-path", str(out), "--silent"]
    if language:
        command += ["--force-language", language.lower()]
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="pagefind-reference-") as cwd:
        glob = "{" + ",".join(pages) + "}" if len(pages) > 1 else pages[0] if pages else "**/*.html"
        Path(cwd, "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
        subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=True, timeout=600)
    for name in UNUSED:
        if name != "pagefind-entry.json":
            (out / name).unlink(missing_ok=True)
    shutil.rmtree(out / "playground", ignore_errors=True)
    canonicalise(out)
    return out


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
        meta_hash = f"{prefix}_{_pagefind_hash(meta)[:len(prefix) + 8]}"  # as Pagefind names it (index/mod.rs)
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
