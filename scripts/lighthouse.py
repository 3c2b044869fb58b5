#!/usr/bin/env python3
"""Run Lighthouse on five pages of the example showcase and print the four category scores.

Usage: python scripts/lighthouse.py [--out /tmp/lh-site] [--reports /tmp/lh-reports] [--runs 3] [--chromium PATH]
                                    [--page /stories/walking-the-shoreline/ ...]

Builds the example (content/) into --out, never _site; serves it with `python -m http.server` on a free
127.0.0.1 port; runs `npx lighthouse@12.2.3` with its default, mobile settings (a phone-sized screen, slow 4G and
a 4x slower CPU, simulated) on the home page, a story, the gallery, an artwork and the final report (and any
--page), one run at a time, `--runs` times each; keeps each JSON report in --reports; and prints a Markdown table
of each page's median run (the run with the median performance score, as Lighthouse's docs advise), with the
date, the machine's cores and load average, and every audit that kept a category below 100. Needs Node 18+ (npx
fetches Lighthouse once) and Chromium (the system's, CHROME_PATH or --chromium). Exits 1 if a category misses the
targets of issue 14: performance 95; accessibility, best practices and SEO 100.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "lighthouse@12.2.3"
PAGES = {"Home": "/", "Story": "/stories/hands-in-the-clay/", "Gallery": "/artworks/",
         "Artwork": "/artworks/vessel-in-ochre/", "Final report": "/final-report/"}
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"the web server on port {port} did not start")


def find_chromium(given: str | None) -> str:
    for candidate in (given, os.environ.get("CHROME_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    try:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
        if os.access(path, os.X_OK):
            return path
    except Exception:  # noqa: BLE001 - Playwright is optional here; say what is missing instead
        pass
    sys.exit("no Chromium found: install it (apt-get install chromium) or give --chromium / CHROME_PATH")


def run_lighthouse(url: str, report: Path, chromium: str) -> dict:
    command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}",
               "--only-categories=" + ",".join(CATEGORIES),
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    proc = subprocess.run(command, env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True,
                          timeout=600)
    if proc.returncode != 0 or not report.is_file():
        sys.exit(f"Lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def report_name(label: str) -> str:
    """'Final report' -> final-report, '/stories/x/' -> stories-x."""
    return label.strip("/").lower().replace(" ", "-").replace("/", "-") or "page"


def scores(result: dict) -> dict[str, int]:
    return {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def shortfalls(result: dict) -> list[str]:
    """The audits that cost a category points: weighted, scored below 1 (informative ones are left out)."""
    found = []
    for name, category in result["categories"].items():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                found.append(f"{name}: {ref['id']} scored {audit['score']:.2f}{value}")
    return found


def not_run(result: dict) -> dict[str, str]:
    """Audits Lighthouse could not run (with an older Lighthouse on a newer Chromium, some diagnostics fail)."""
    weights = {ref["id"]: ref["weight"] for category in result["categories"].values() for ref in category["auditRefs"]}
    return {name: ("WEIGHTED, so its category score is in doubt: " if weights.get(name, 0) > 0 else "weight 0: ")
            + audit.get("errorMessage", "")[:110]
            for name, audit in result["audits"].items() if audit.get("scoreDisplayMode") == "error"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/lh-site"), help="where to build the example site")
    parser.add_argument("--reports", type=Path, default=Path("/tmp/lh-reports"), help="where to keep the reports")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median is reported)")
    parser.add_argument("--chromium", help="the Chromium to drive (default: CHROME_PATH, then the system's)")
    parser.add_argument("--page", action="append", default=[], help="another page to run, by its address")
    args = parser.parse_args()
    if args.out.resolve() == (ROOT / "_site").resolve():
        sys.exit("build somewhere other than _site, e.g. --out /tmp/lh-site")
    chromium = find_chromium(args.chromium)
    subprocess.run([sys.executable, "build.py", "--out", str(args.out)], cwd=ROOT, check=True)
    args.reports.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(args.out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows, notes, missed, failed = [], [], False, {}
    started = datetime.datetime.now().astimezone()
    loads = [os.getloadavg()[0]]
    try:
        wait_for(port)
        for label, path in {**PAGES, **{page: page for page in args.page}}.items():
            runs = []
            for run in range(1, args.runs + 1):
                report = args.reports / f"{report_name(label)}-{run}.json"
                runs.append(run_lighthouse(f"http://127.0.0.1:{port}{path}", report, chromium))
                failed.update(not_run(runs[-1]))
                loads.append(os.getloadavg()[0])
            performance = [scores(r)["performance"] for r in runs]
            median = runs[performance.index(statistics.median_low(performance))]
            got = scores(median)
            missed |= any(got[name] < target for name, target in CATEGORIES.items())
            rows.append(f"| {label} | `{path}` | " + " | ".join(str(got[name]) for name in CATEGORIES)
                        + f" | {', '.join(map(str, performance))} |")
            notes += [f"- {label}: {line}" for line in shortfalls(median)]
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile (default settings), {args.runs} run(s) per page, "
          f"{started:%Y-%m-%d %H:%M %Z}; {os.cpu_count()} CPU cores; 1-minute load average "
          f"{min(loads):.1f} to {max(loads):.1f} during the runs; "
          f"{subprocess.run([chromium, '--version'], capture_output=True, text=True).stdout.strip()}.\n")
    print("| Page | Address | Performance | Accessibility | Best practices | SEO | Performance, every run |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\nAudits below full marks in the median runs:\n" + ("\n".join(notes) if notes else "- none"))
    if failed:
        print("\nAudits Lighthouse could not run:\n"
              + "\n".join(f"- {name}: {why}" for name, why in sorted(failed.items())))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
