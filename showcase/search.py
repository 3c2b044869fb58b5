"""Full-text search that works on static hosting: a Pagefind index of the written pages.

Pagefind (https://pagefind.app, PyPI `pagefind[bin]`) reads the rendered HTML after the pages are
written and puts a static index in `pagefind/` beside them; the search page's own script
(assets/search.js) asks it through Pagefind's JavaScript API. No server and no network are involved.

Only the pages whose templates mark their main content with `data-pagefind-body` (stories, artworks,
projects, reports, pages, people, films and recordings) are given to Pagefind at all (its `glob` setting):
listings, tag and practice pages are never read, a third of the pages of a large site. Inside a page,
anything marked `data-pagefind-ignore` is left out (label tables, key figures, permalinks, figure
captions, content notes, support boxes, tables of contents, listings); `nav`, `footer` and `form` are
left out by Pagefind itself. What is never written (drafts, withheld stories, the real names of anonymous
contributors) can never be found. The same pages always give byte-identical index files
(search_stable.py).

A large site is indexed in parts of at most PAGES_PER_PART pages, at most AT_ONCE Pagefind processes at a
time: Pagefind holds every page's words in memory until it writes its index (about 230 kB a story), so
one index of 10,000 stories took 2.5 GB, and the second half of its work runs on one core. Each part is a
Pagefind bundle of its own: the first is `pagefind/` itself, the others `pagefind/part-N/` without the
search code (they need none), listed in `pagefind/parts.json`. The search page merges them (Pagefind's
`mergeIndex`): one search, one ranking. So that a part never answers a word it lacks with a shorter word
it has (see WORDS_KIND), each part also indexes one page of every word of the site, which the search page
leaves out. A site of up to PAGES_PER_PART content pages (the example site has 61) is one bundle, as
before, with no such page. After the first build, search_update.py indexes again only the parts whose pages
changed.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from array import array
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .search_stable import canonicalise

OUTPUT = "pagefind"  # the folder inside the site
TIMEOUT = 3600  # seconds for each part; a part of 2,000 stories takes about 5 s
PAGES_PER_PART = 2000  # content pages in one Pagefind run (about 0.5 GB of its memory)
AT_ONCE = 2  # Pagefind processes running at the same time
PARTS = "parts.json"  # in pagefind/: {"parts": ["part-1/", ...]}, the bundles the search page merges
BODY = b"data-pagefind-body"
GLOB_LIMIT = 100_000  # characters in one part's glob: Pagefind 1.5 refuses one of much more than 150,000

# Bundled with the index but not used by our own search page (we use the JavaScript API, not the
# stock widgets): left out of the site. Anything else Pagefind writes is kept.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
UNUSED_FOLDERS = ("playground",)
# What a merged part is read from (pagefind.js loads it; the WebAssembly and the worker come from the first).
PART_FILES = ("pagefind-entry.json",)
PART_SUFFIXES = (".pf_meta",)
PART_FOLDERS = ("index", "fragment", "filter")


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


def build_search_index(site_dir: Path, language: str, pages: list[str] | None = None) -> list[str]:
    """Index the pages of `site_dir` (or the given HTML files of it), afresh; returns the files written (posix
    paths relative to it). search_update.py makes only the parts that changed."""
    return index_afresh(site_dir, language, pages)[0]


def index_afresh(site_dir: Path, language: str, pages: list[str] | None = None
                 ) -> tuple[list[str], list[list[str]], Words]:
    """build_search_index(), also returning the parts and the words of each page indexed."""
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / OUTPUT
    if bundle.exists():
        raise SearchError(f"/{OUTPUT}/ is where the search index goes, but the site already has a file there "
                          f"(from static/{OUTPUT}?); rename it")
    marked, words = scan(site_dir, pages)
    parts = split_into_parts(marked)
    try:
        index_parts(site_dir, parts, range(len(parts)), sorted(words.all), language)
        write_parts_list(site_dir, len(parts))
    except BaseException:
        shutil.rmtree(bundle, ignore_errors=True)
        raise
    files = sorted(p.relative_to(site_dir).as_posix() for p in bundle.rglob("*") if p.is_file())
    return files, parts, words


def index_parts(site_dir: Path, parts: list[list[str]], numbers, words: list[str], language: str) -> dict[int, list[str]]:
    """Index the parts numbered `numbers` (each its own Pagefind run, AT_ONCE at a time) and put each bundle in
    its place in the site, over whatever was there; returns the files each wrote (relative posix paths).
    `words` are the site's words, given to every part when there are several (see WORDS_KIND)."""
    binary = pagefind_executable()
    numbers = list(numbers)
    by_glob = all(_GLOB_SAFE.match(page) for part in parts for page in part)
    written: dict[int, list[str]] = {}
    with _scratch_folder(site_dir) as work:
        jobs = []
        for number in numbers:
            part = parts[number]
            root = site_dir if by_glob else work / f"in-{number}"
            if not by_glob:  # a name a glob cannot spell: the pages, hard-linked under a folder of their own
                _link_tree(site_dir, root, part)
            if len(parts) > 1:
                part = [*part, _words_page(root, number, words, language)]
            # Pagefind reads only these pages of the site (its `glob` setting)
            glob = ("{" + ",".join(part) + "}" if len(part) > 1 else part[0] if part else None) if by_glob else None
            jobs.append((root, work / f"out-{number}", glob))
        try:
            with ThreadPoolExecutor(max_workers=max(1, min(AT_ONCE, len(jobs)))) as pool:
                outcomes = list(pool.map(lambda job: _run_pagefind(binary, *job, language), jobs))
        finally:
            for number in numbers:  # the pages of words, if any
                (site_dir / OUTPUT / f"words-{number}.html").unlink(missing_ok=True)
        failed = next((problem for problem in outcomes if problem), None)
        if failed:
            raise SearchError(failed)
        for number, (_, out, _) in zip(numbers, jobs):
            _tidy(out, primary=number == 0)
            written[number] = _install(out, site_dir, _part_folder(number))
    return written


def write_parts_list(site_dir: Path, count: int) -> str:
    """pagefind/parts.json: the bundles besides the first that the search page merges. Returns its path."""
    rel = f"{OUTPUT}/{PARTS}"
    (site_dir / rel).write_text(json.dumps({"parts": [f"{_part_name(n)}/" for n in range(1, count)]}) + "\n",
                                encoding="utf-8")
    return rel


def _part_folder(number: int) -> str:
    return OUTPUT if number == 0 else f"{OUTPUT}/{_part_name(number)}"


def _install(out: Path, site_dir: Path, folder: str) -> list[str]:
    """Move a part's bundle from `out` to `folder` of the site, file by file (the first part's folder holds the
    others' folders too)."""
    moved = []
    for path in sorted(out.rglob("*")):
        if path.is_file():
            rel = f"{folder}/{path.relative_to(out).as_posix()}"
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            moved.append(rel)
    return moved


def content_pages(site_dir: Path) -> list[str]:
    """The HTML files (relative posix paths, sorted) that mark content for the index; every one if none does
    (then Pagefind indexes each page's whole <body>, as it would on its own)."""
    return scan(site_dir)[0]


_TAG = re.compile(rb"<[^>]*>")


def scan(site_dir: Path, pages: list[str] | None = None) -> tuple[list[str], Words]:
    """The pages to index (of `pages`, else of every HTML file in the site): those that mark their content,
    or every one if none does; and the words of each page that marks its content (what _words_page needs)."""
    every = sorted(pages, key=walk_order) if pages is not None else _html_files(site_dir)
    words = Words()
    for rel in every:
        found = page_tokens(site_dir, rel)
        if found is not None:
            words.add(rel, found)
    return [rel for rel in every if rel in words.pages] or every, words


class Words:
    """The words of many pages: each page's as numbers into one list of the site's words (a set of strings for
    each page took 500 MB at 10,000 stories). A token is made a word once, however many pages have it."""

    def __init__(self) -> None:
        self.all: list[str] = []  # every word, in the order first met
        self._number: dict[str, int] = {}
        self._token: dict[bytes, int] = {}  # a token as written -> its word's number (-1: punctuation alone)
        self.pages: dict[str, array] = {}

    def add(self, page: str, tokens: frozenset[bytes]) -> None:
        numbers = set()
        for token in tokens:
            number = self._token.get(token)
            if number is None:
                word = word_of(token)
                number = self._token[token] = self._number.setdefault(word, len(self.all)) if word else -1
                if number == len(self.all):
                    self.all.append(word)
            if number >= 0:
                numbers.add(number)
        self.pages[page] = array("I", sorted(numbers))

    def of(self, pages: list[str]) -> frozenset[str]:
        """Every word of these pages."""
        found: set[int] = set()
        for page in pages:
            found.update(self.pages[page])
        return frozenset(self.all[n] for n in found)


def page_tokens(site_dir: Path, rel: str) -> frozenset[bytes] | None:
    """Every word a page writes from the first mark of content on, as written (lower case); None for a page
    that marks no content."""
    try:
        with open(os.path.join(site_dir, rel), "rb") as file:
            data = file.read()
    except OSError as exc:
        raise SearchError(f"/{rel} could not be read: {exc.strerror or exc}") from exc
    at = data.find(BODY)
    if at < 0:
        return None
    return frozenset(_TAG.sub(b" ", data[at:]).lower().split())


def word_of(token: bytes) -> str:
    """A token as a word: text, without punctuation at its ends ("hall," is "hall" to Pagefind too, so that
    moving a comma is no new word)."""
    return token.decode("utf-8", "replace").strip(_PUNCTUATION)


def words_of(tokens: set[bytes] | frozenset[bytes]) -> frozenset[str]:
    return frozenset(word for word in map(word_of, tokens) if word)


_PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x7f) if not chr(c).isalnum()) + "“”‘’«»…–—•·"


def _html_files(site_dir: Path) -> list[str]:
    found = []
    for folder, subfolders, names in os.walk(site_dir):
        subfolders.sort()
        found += [os.path.relpath(os.path.join(folder, name), site_dir).replace(os.sep, "/")
                  for name in sorted(names) if name.endswith(".html")]
    return found


def walk_order(rel: str) -> tuple:
    """The order a walk of the site meets its files in: a folder's own files first, then its folders."""
    *folders, name = rel.split("/")
    return (*((1, folder) for folder in folders), (0, name))


# Pagefind answers a word that no page of an index has with pages of the longest word it has that begins
# that word: "Marchetti" finds "march", "ginga" finds the initial "G.". In one index that happens only for
# a word the site does not have; with the site in parts, a part without "Marchetti" would add every page
# of March to the results. So each part also indexes a page of every word of the site, of kind _words,
# which the search page leaves out of its results (its address is never a page of the site).
WORDS_KIND = "_words"


def _words_page(root: Path, number: int, words: list[str], language: str) -> str:
    rel = f"{OUTPUT}/words-{number}.html"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="{language or "en"}"><head><title>Words</title></head><body>'
                    f'<main data-pagefind-body data-pagefind-filter="kind:{WORDS_KIND}" data-pagefind-meta="image:">'
                    f'<p>{" ".join(words)}</p></main></body></html>', encoding="utf-8")
    return rel


def split_into_parts(pages: list[str], size: int | None = None) -> list[list[str]]:
    """Pages in parts of about `size`, each page in the same part for as long as the number of parts stays
    the same (by a hash of its path), so that one new story changes one part's files, not all. A part's
    glob (its paths, joined) is kept under GLOB_LIMIT characters: long addresses make more, smaller parts."""
    size = size or PAGES_PER_PART
    count = max(1, math.ceil(len(pages) / size))
    keys = [int.from_bytes(hashlib.sha1(page.encode("utf-8")).digest()[:4], "big") for page in pages]
    while True:
        parts: list[list[str]] = [[] for _ in range(count)]
        for page, key in zip(pages, keys):
            parts[key % count].append(page)
        if count >= len(pages) or all(sum(len(p) + 1 for p in part) <= GLOB_LIMIT for part in parts):
            return [part for part in parts if part] or [[]]
        count += 1


# Characters a path may have to be written into a glob as it is (Pagefind's globs give {}[]<>(),:$*?\ a
# meaning of their own). Showcase's own addresses are slugs; a static page may be named otherwise.
_GLOB_SAFE = re.compile(r"^[\w./ ~!&'#%+=@;^|\"`-]+$")


def _part_name(number: int) -> str:
    return f"part-{number}"


class _scratch_folder:
    """A folder for Pagefind's output (and, rarely, linked pages) on the site's own file system, so that
    what is kept is moved rather than copied; removed afterwards."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def __enter__(self) -> Path:
        try:
            self.path = Path(tempfile.mkdtemp(prefix=f".{self.site_dir.name}.search-", dir=self.site_dir.parent))
        except OSError:
            self.path = Path(tempfile.mkdtemp(prefix="showcase-search-"))
        return self.path

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _link_tree(site_dir: Path, target: Path, pages: list[str]) -> None:
    """The given pages at their own paths under `target` (hard links, or copies where links cannot be made),
    so that Pagefind reads only them and gives them the same addresses."""
    target.mkdir()
    made: set[str] = set()
    for rel in pages:
        folder = os.path.dirname(rel)
        if folder and folder not in made:
            os.makedirs(target / folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(site_dir / rel, target / rel)
        except OSError:
            shutil.copyfile(site_dir / rel, target / rel)


def _run_pagefind(binary: Path, source: Path, out: Path, glob: str | None, language: str) -> str | None:
    """Run Pagefind on the pages of `source` that `glob` matches (all, without one); None when it wrote an
    index to `out`, else what went wrong."""
    command = [str(binary), "--site", str(source), "--output-path", str(out), "--silent"]
    if language:
        # One index for the whole site, in its language (pages in another language are rare and short).
        command += ["--force-language", language.lower()]
    # Settings come from showcase only: these arguments and the pagefind.json written here (a glob of
    # thousands of pages is too long for a command line), in an empty working directory, not from a
    # pagefind.yml of the user's nor from PAGEFIND_* variables in the environment.
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="showcase-pagefind-") as cwd:
        if glob is not None:
            Path(cwd, "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
        try:
            proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
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
    if not (out / "pagefind-entry.json").is_file() or not (out / "pagefind.js").is_file():
        said = _tail(proc.stderr) or _tail(proc.stdout)
        return f"Pagefind finished but wrote no index to /{OUTPUT}/" + (f": {said}" if said else "")
    return None


def _tidy(bundle: Path, primary: bool) -> None:
    """Leave out what the search page does not use, and put the filter files in a stable order."""
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    canonicalise(bundle)
    for name in UNUSED_FOLDERS:
        shutil.rmtree(bundle / name, ignore_errors=True)
    if primary:
        return
    for path in bundle.iterdir():
        if path.is_dir() and path.name not in PART_FOLDERS:
            shutil.rmtree(path)
        elif path.is_file() and path.name not in PART_FILES and not path.name.endswith(PART_SUFFIXES):
            path.unlink()


def _tail(text: str, lines: int = 12) -> str:
    kept = [line.rstrip() for line in (text or "").strip().splitlines() if line.strip()]
    return " / ".join(kept[-lines:])
