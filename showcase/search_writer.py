"""A Pagefind 1.5.2 index written in Python, from the pages search_reader.py has read.

`write_bundle(bundle_of(...), out)` writes what `pagefind --force-language LANGUAGE` writes for those pages,
in their order, and what search.py keeps of it: `pagefind.LANG_HASH.pf_meta`, `index/*.pf_index`,
`fragment/*.pf_fragment`, `filter/*.pf_filter` and `pagefind-entry.json`, each file named by the hash of
the same bytes as Pagefind's (search_bundle.py makes them), with the filters sorted by name and value
(Pagefind writes them in hash-map order, which changes from run to run). The search code in the browser
(pagefind.js and its WebAssembly), which never changes for a version of Pagefind, comes from
search_code.copy_search_code, from one run of the Pagefind binary on a page of its own.

Everything follows pagefind/src/index/mod.rs (building the word index, its chunks, the metadata, the filters)
and pagefind/src/output/mod.rs (gzip with a "pagefind_dcd" signature, the entry file). The compressed bytes
are Python's zlib's, not Rust's flate2's: the same content, slightly different bytes.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path

from .search_bundle import Bundle, full_hash
from .search_code import PAGEFIND_VERSION
from .workers import in_a_copy
from .writer import write_file

__all__ = ["Bundle", "compress", "entry_json", "full_hash", "write_bundle"]

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
# zlib levels (Pagefind uses 9): fragments compress as well at 9 as at 6 and fast; index chunks, full of
# small numbers, compress five times slower at 6 and twenty times slower at 9 than at 4, for 5 and 7% less.
FRAGMENT_COMPRESSION = 9
INDEX_COMPRESSION = 4
INCLUDE_CHARACTERS = ["_", "\u203f", "\u2040", "\u2054", "\ufe33", "\ufe34", "\ufe4d", "\ufe4e", "\ufe4f", "\uff3f"]
WASM_LANGUAGES = frozenset(("ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "el", "hi", "hu", "id", "ga",
                            "it", "lt", "nb", "ne", "nn", "no", "pt", "ro", "ru", "sr", "es", "sv", "ta", "tr", "eo",
                            "et", "pl", "yi"))


def write_bundle(bundle: Bundle, out: Path, keep: Callable[[str], bool] | None = None,
                 written: list[str] | None = None, fragments: FragmentWriter | None = None) -> list[str]:
    """Write the files of `bundle` (search_bundle.bundle_of) into `out`, the site's `pagefind/` folder. Returns
    every file of the index, as sorted '/'-separated paths relative to `out`. The search code is not written
    (see copy_search_code).

    `keep`, for writing into the folder of an earlier index: a file for whose name keep(name) is true, and
    which is already in `out` with the same content, is left as it is (neither compressed nor written again).
    Every name but pagefind-entry.json is the hash of the file's content; the content is checked by the
    CRC-32 and length at the end of the gzip file, so that two contents whose hashes start alike are never
    taken for one another. pagefind-entry.json is written when its content differs (or without `keep`).
    A file whose content is not at hand (the fragment of a page not read again) must be one that keep(name)
    says is in `out` as the last build left it, under the name the same content gave it then. Files of the
    earlier index that are not in the returned list are left in `out` for the caller to remove.

    `written`, when given, gets the names of the files written (the others were kept), sorted likewise.
    `fragments`: the fragment files, being written already (see FragmentWriter); without it they are written
    here."""
    out = Path(out)
    if fragments is None:
        fragments = FragmentWriter(out, {rel: bundle.files.get(rel) for rel in bundle.hashes
                                         if rel.startswith("fragment/")}, keep, start=False)
    for folder in {rel.rpartition("/")[0] for rel in bundle.hashes}:
        (out / folder).mkdir(parents=True, exist_ok=True)
    names = []
    made = []
    for rel in bundle.hashes:
        names.append(rel)
        if rel.startswith("fragment/"):
            continue
        data = bundle.files.get(rel)
        if data is None:
            if keep is None or not keep(rel):
                raise ValueError(f"{rel} is neither at hand nor kept")
            continue
        if keep is not None and keep(rel) and _trailer_of(out / rel) == _trailer(data):
            continue
        _write_file(out / rel, compress(data, INDEX_COMPRESSION))
        made.append(rel)
    entry = entry_json({bundle.language: bundle})
    names.append(ENTRY)
    if keep is None or not _same_bytes(out / ENTRY, entry):
        _write_file(out / ENTRY, entry)
        made.append(ENTRY)
    made += fragments.done()
    if written is not None:
        written.extend(sorted(made))
    return sorted(names)


class FragmentWriter:
    """The fragment files of an index (one for each page, compressed already), written by a forked copy of this
    process while this one makes the word table and the other files: writing ten thousand small files keeps the
    file system busy for seconds, and the table is work for the processor. `files`: each fragment file's path
    in the bundle and its content, or None where it is not at hand (a page not read again: keep(path) must say
    the file is in `out` as the last build left it). A file kept, and in `out` with the same content, is not
    written again (see write_bundle). Few files, or not `start`, are written here and now."""

    FORK_FROM = 400  # fewer files are written sooner than a process is made

    def __init__(self, out: Path, files: dict[str, bytes | None], keep: Callable[[str], bool] | None,
                 start: bool = True):
        self.out = Path(out)
        self.made = [rel for rel, data in files.items() if _to_write(self.out, rel, data, keep)]
        self._data = files
        self.pid = 0
        if start and len(self.made) >= self.FORK_FROM:
            self.pid = in_a_copy(self._write)
        if not self.pid:  # (no copy made: written here)
            self._write()

    def done(self) -> list[str]:
        """The files written, once all are. Where the copy could not write them, they are written here, so that
        what stands in the way is said as it would be without the copy."""
        if self.wait() != 0:
            self._write()
        return self.made

    def wait(self) -> int:
        """Once this returns, nothing more is written (the copy's exit status, 0 where there is none)."""
        pid, self.pid = self.pid, 0
        if not pid:
            return 0
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])

    def _write(self) -> int:
        if self.made:
            (self.out / "fragment").mkdir(parents=True, exist_ok=True)
        for rel in self.made:
            _write_file(self.out / rel, self._data[rel])
        return 0  # (the copy's exit status)


def _to_write(out: Path, rel: str, data: bytes | None, keep: Callable[[str], bool] | None) -> bool:
    """Whether a fragment file is written: not when it is kept and in `out` with the same content."""
    if data is None:
        if keep is None or not keep(rel):
            raise ValueError(f"{rel} is neither at hand nor kept")
        return False
    return keep is None or not keep(rel) or _trailer_of(out / rel) != data[-8:]


def _trailer_of(path: Path) -> bytes | None:
    """The end of a gzip file of ours (or Pagefind's): the CRC-32 and length of its content, which tell whether
    it holds given content without reading it further."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.fstat(descriptor).st_size
        return os.pread(descriptor, 8, size - 8) if size >= 18 else None
    finally:
        os.close(descriptor)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _write_file(path: Path, data: bytes) -> None:
    """A new file at `path`, never written through an earlier one: in the spare folder a file of the last build
    is a hard link to the live site's (writer.write_file)."""
    write_file(path.parent, path.name, data)


_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, any system
_SIGNATURE_CRC = zlib.crc32(SIGNATURE)


def compress(data: bytes, level: int = INDEX_COMPRESSION) -> bytes:
    """output/mod.rs: gzip of the signature and the content (a gzip header without a time or name)."""
    body = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = body.compress(SIGNATURE) + body.compress(data) + body.flush()
    return _GZIP_HEADER + deflated + _trailer(data)


def _trailer(data: bytes) -> bytes:
    """The end of the gzip file of the signature and `data`: their CRC-32 and length."""
    crc = zlib.crc32(data, _SIGNATURE_CRC)
    size = (len(SIGNATURE) + len(data)) & 0xFFFFFFFF
    return crc.to_bytes(4, "little") + size.to_bytes(4, "little")


def entry_json(bundles: dict[str, Bundle]) -> bytes:
    """output/entry.rs PagefindEntryMeta as serde_json writes it (the languages sorted, as the reference
    writes them)."""
    languages = {}
    for language, bundle in sorted(bundles.items()):
        wasm = language if language != "unknown" and language.split("-")[0] in WASM_LANGUAGES else None
        languages[language] = {"hash": bundle.meta_name, "wasm": wasm, "page_count": bundle.page_count}
    return json.dumps({"version": PAGEFIND_VERSION, "languages": languages, "include_characters": INCLUDE_CHARACTERS},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
