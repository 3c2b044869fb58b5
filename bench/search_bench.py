"""The search index step alone: build_search_index on a built site, timed, with the memory of its process tree.

Usage: python bench/search_bench.py [--stories 10000] [--before REV] [--runs 1] [--keep]

The corpus bench/_corpus-N (see corpus.py) is built once, without the index, into bench/_out-N-search-site
(reused while the corpus and the theme are the same; --rebuild builds it again). Then, in a fresh
subprocess each, showcase.search.build_search_index indexes that site: this working tree's version and,
with --before REV, the showcase package of a git revision, on the same pages, one after the other (with
`--workers N`, the index reads pages in N worker processes where the version can).
Measured as bench/build_bench.py measures a build: wall time, CPU (user + system, the whole process tree),
the peak of the tree's summed RSS sampled every 50 ms, and the largest single process (ru_maxrss).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from build_bench import artworks_for, ensure_corpus  # noqa: E402
from measure import measure  # noqa: E402

SEARCH_MODULES = "search"  # the search step: showcase/search.py and the modules named search_*.py

INDEX_CODE = r"""
import inspect, json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from showcase import search
site = Path(sys.argv[1])
started = time.perf_counter()
given = {"workers": int(sys.argv[4])} if "workers" in inspect.signature(search.build_search_index).parameters else {}
files = search.build_search_index(site, sys.argv[2], **given)
print(json.dumps({"seconds": time.perf_counter() - started, "files": len(files),
                  "bytes": sum((site / f).stat().st_size for f in files)}))
"""


def site_fingerprint(corpus: Path) -> str:
    """The corpus marker and every theme and generator file except the search step's: the built pages depend on
    these."""
    digest = hashlib.sha256((corpus / ".bench-corpus.json").read_bytes())
    for folder in (ROOT / "showcase", ROOT / "themes"):
        for path in sorted(folder.rglob("*")):
            if (path.is_file() and path.suffix in (".py", ".html", ".css", ".js")
                    and not (path.parent.name == "showcase" and path.name.startswith(SEARCH_MODULES))):
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built_site(stories: int, seed: int, rebuild: bool) -> Path:
    corpus, _ = ensure_corpus(stories, artworks_for(stories), seed)
    site = BENCH / f"_out-{stories}-search-site"
    marker = BENCH / f"_out-{stories}-search-site.json"
    fingerprint = site_fingerprint(corpus)
    if not rebuild and site.is_dir() and marker.is_file() and json.loads(marker.read_text()).get("fingerprint") == fingerprint:
        print(f"site {site.relative_to(ROOT)}: reused", file=sys.stderr)
        return site
    print(f"building {site.relative_to(ROOT)} from {corpus.relative_to(ROOT)} without the index ...", file=sys.stderr)
    cache = BENCH / f"_out-{stories}-search-cache"
    for path in (site, cache, marker):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    code = ("import sys; from pathlib import Path; from showcase.pipeline import BuildOptions, build; "
            "r = build(BuildOptions(content=Path(sys.argv[1]), out=Path(sys.argv[2]), cache=Path(sys.argv[3]), "
            "workers=2, search=False)); sys.exit(1 if r.failed else 0)")
    subprocess.run([sys.executable, "-c", code, str(corpus), str(site), str(cache)], cwd=ROOT, check=True)
    shutil.rmtree(cache, ignore_errors=True)
    marker.write_text(json.dumps({"fingerprint": fingerprint}))
    return site


def module_dir(revision: str | None, scratch: Path) -> Path:
    """A folder holding the package `showcase` of `revision` (git archive), or the working tree's own."""
    if not revision:
        return ROOT
    folder = scratch / revision.replace("/", "_")
    if not (folder / "showcase").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", revision, "showcase"], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def pages_indexed(site: Path) -> int:
    count = 0
    for entry in site.joinpath("pagefind").rglob("pagefind-entry.json"):
        count += sum(lang["page_count"] for lang in json.loads(entry.read_text())["languages"].values())
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", metavar="REV", help="also run the showcase package of this git revision")
    parser.add_argument("--workers", type=int, default=2, help="worker processes reading pages (default 2)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each version (default 1)")
    parser.add_argument("--rebuild", action="store_true", help="build the site again even if it looks current")
    parser.add_argument("--keep", action="store_true", help="keep the last index in the site's pagefind/")
    args = parser.parse_args(argv)

    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    site = built_site(args.stories, args.seed, args.rebuild)
    html = sum(1 for _ in site.rglob("*.html"))
    versions = ([args.before] if args.before else []) + [None]
    rows = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as scratch:
        for _ in range(args.runs):
            for revision in versions:
                folder = module_dir(revision, Path(scratch))
                shutil.rmtree(site / "pagefind", ignore_errors=True)
                label = revision or "now"
                print(f"  {label} ... (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
                run = measure(label, [sys.executable, "-c", INDEX_CODE, str(site), "en-GB", str(folder),
                                      str(args.workers)])
                if run.returncode != 0:
                    print(run.stderr[-3000:], file=sys.stderr)
                    return 1
                rows.append((label, run, pages_indexed(site), os.getloadavg()[0]))
    if not args.keep:
        shutil.rmtree(site / "pagefind", ignore_errors=True)

    print()
    print(f"Search index of a built {args.stories}-story site ({html} HTML files), one subprocess per run")
    header = f"{'version':<10} {'wall s':>7} {'CPU s':>7} {'tree MB':>8} {'largest MB':>10} {'pages':>6} {'files':>6} {'index MB':>8} {'load':>5}"
    print(header)
    print("-" * len(header))
    for label, run, pages, load in rows:
        print(f"{label:<10} {run.wall:>7.2f} {run.cpu:>7.2f} {run.tree_rss_mb:>8.0f} {run.largest_mb:>10.0f} "
              f"{pages:>6} {run.report.get('files', 0):>6} {run.report.get('bytes', 0) / 1e6:>8.1f} {load:>5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
