"""Benchmark `import-report` on long PDFs: seconds and peak memory for 50, 100 and 500 pages.

Usage: python bench/import_report_bench.py [--pages 50 100 500] [--shapes report unbroken] [--before REV]
                                          [--timeout 300] [--profile N]

Two shapes of PDF, made with reportlab and kept in bench/_corpus-import-report/ for the next run:
- `report`: as a word processor lays a report out (a title and a date, numbered headings on two levels,
  paragraphs that go on over page breaks, bulleted lists, words hyphenated at line ends, a running header
  and a page number);
- `unbroken`: the same pages filled with one text that never ends a sentence or a paragraph (a transcript,
  a list of names, a poem without punctuation), so that all its lines are one block: what made the
  importer quadratic.
Each import runs in a fresh subprocess; its wall time is measured there, its peak memory is the
subprocess's ru_maxrss. `--before REV` also runs the single-file showcase/import_report.py of a git
revision (e.g. HEAD before the split) on the same PDFs, in the same run. `--profile N` profiles the
import of the N-page PDF in this process and prints the 25 most expensive functions.
Goal (issue 18): 500 pages in under a minute on this 2-core machine, in bounded memory. Figures and what
they mean: bench/README.md. The exit status is 1 if an import of the current code failed or timed out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "_corpus-import-report"
WORDS = (
    "people met every week in a shared studio to make music clay film and stories together with artists "
    "and researchers from the programme while carers nurses and volunteers joined the sessions as equals "
    "the work asked what creative practice can offer to recovery and how mutual support grows in groups "
    "that meet over many months sharing skills food worries and small victories along the way"
).split()


def make_report(path: Path, pages: int, unbroken: bool = False, seed: int = 1) -> int:
    """An A4 report of `pages` pages (11 pt body, headings at 16/13 pt bold, lists, header, footer), or
    (unbroken) one text without a full stop over `pages` pages. Returns the number of lines drawn."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    width, height = A4
    left, right, top, bottom = 72.0, width - 72.0, height - 80.0, 80.0
    rng = random.Random(seed)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    pdf.setTitle(f"Making Together: A Report in {pages} Pages")
    pdf.setAuthor("Ada Lovelace; Sam Carter")
    state = {"page": 1, "y": top, "lines": 0}

    def furniture() -> None:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(left, height - 45, "Making Together · Final report 2024")
        pdf.drawCentredString(width / 2, 40, f"Page {state['page']}")
        state["lines"] += 2

    def new_page() -> None:
        if state["page"] == pages:
            raise Full
        pdf.showPage()
        state["page"] += 1
        state["y"] = top
        furniture()

    def block(text: str, font: str, size: float, leading: float, before: float, indent: float = 0,
              bullet: bool = False, keep: int = 1) -> None:
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and stringWidth(trial, font, size) > right - left - indent:
                if len(word) > 7 and rng.random() < 0.3:  # hyphenate the word across the line end
                    lines.append(f"{current} {word[:4]}-")
                    current = word[4:]
                else:
                    lines.append(current)
                    current = word
            else:
                current = trial
        lines.append(current)
        if state["y"] - before - keep * leading < bottom:
            new_page()
        elif state["y"] != top:
            state["y"] -= before
        for number, line in enumerate(lines):
            if state["y"] - leading < bottom:
                new_page()
            state["y"] -= leading
            pdf.setFont(font, size)
            if bullet and number == 0:
                pdf.drawString(left, state["y"], "•")
            pdf.drawString(left + indent, state["y"], line)
            state["lines"] += 1

    def paragraph() -> str:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(9, 18))]
            sentences.append(" ".join(words).capitalize() + ".")
        return " ".join(sentences)

    furniture()
    block("Making Together: Final Report", "Helvetica-Bold", 24, 30, 0)
    block("Published March 2024", "Helvetica", 12, 16, 6)
    try:
        if unbroken:
            while True:
                block(" ".join(rng.choice(WORDS) for _ in range(400)), "Helvetica", 11, 14, 0)
        report_pages(block, paragraph, rng)
    except Full:  # the last page is full
        pass
    pdf.save()
    return state["lines"]


class Full(Exception):
    pass


def report_pages(block, paragraph, rng: random.Random) -> None:
    section = 0
    while True:
        roll = rng.random()
        if roll < 0.06:
            section += 1
            block(f"{section} {' '.join(rng.sample(WORDS, 3)).capitalize()}", "Helvetica-Bold", 16, 20, 16, keep=3)
        elif roll < 0.14:
            block(f"{section}.{rng.randint(1, 9)} {' '.join(rng.sample(WORDS, 4)).capitalize()}",
                  "Helvetica-Bold", 13, 17, 12, keep=3)
        elif roll < 0.18:
            for _ in range(rng.randint(2, 5)):
                block(" ".join(rng.sample(WORDS, rng.randint(4, 20))).capitalize() + ".", "Helvetica", 11, 14, 4,
                      indent=14, bullet=True)
        else:
            block(paragraph(), "Helvetica", 11, 14, 8)


def corpus(pages: int, shape: str) -> tuple[Path, int]:
    """The PDF of this size and shape (made unless made by the same code before) and its number of lines."""
    CORPUS.mkdir(exist_ok=True)
    path = CORPUS / f"{shape}-{pages}-pages.pdf"
    marker = path.with_suffix(".json")
    version = hash_of(Path(__file__))
    known = json.loads(marker.read_text()) if marker.exists() else {}
    if not path.exists() or known.get("version") != version:
        known = {"version": version, "lines": make_report(path, pages, unbroken=shape == "unbroken")}
        marker.write_text(json.dumps(known))
    return path, known["lines"]


def hash_of(path: Path) -> str:
    import hashlib

    source = path.read_text(encoding="utf-8")
    return hashlib.sha256(source[source.index("def make_report"):source.index("def corpus")].encode()).hexdigest()


CHILD = r"""
import json, resource, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
module = sys.argv[2]
if module.endswith(".py"):  # an old single-file version, made importable inside the package
    import importlib.util, showcase
    spec = importlib.util.spec_from_file_location("showcase._import_report_before", module)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    import_report = mod.import_report
else:
    from showcase.import_report import import_report
with tempfile.TemporaryDirectory() as work:
    content = Path(work) / "content"
    content.mkdir()
    start = time.perf_counter()
    md = import_report(Path(sys.argv[3]), content, kind="final-report")
    seconds = time.perf_counter() - start
    text = md.read_text(encoding="utf-8")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "chars": len(text)}))
"""


def run(module: str, pdf: Path, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), module, str(pdf)], capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"not done in {timeout:.0f} s"}
    if done.returncode:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def pages_of(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 100, 500])
    parser.add_argument("--shapes", nargs="+", choices=("report", "unbroken"), default=["report", "unbroken"])
    parser.add_argument("--before", metavar="REV", help="also time showcase/import_report.py of this git revision")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before one import is given up")
    parser.add_argument("--profile", type=int, metavar="N", help="profile the import of the N-page PDF")
    args = parser.parse_args()

    pdfs = {(n, shape): corpus(n, shape) for shape in args.shapes
            for n in args.pages + ([args.profile] if args.profile else [])}
    if args.profile:
        import cProfile
        import pstats

        sys.path.insert(0, str(ROOT))
        from showcase.import_report import import_report

        with tempfile.TemporaryDirectory() as work:
            (Path(work) / "content").mkdir()
            profiler = cProfile.Profile()
            profiler.runcall(import_report, pdfs[args.profile, args.shapes[0]][0], Path(work) / "content",
                             kind="final-report")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0

    versions = [("now", "showcase.import_report")]
    if args.before:
        old = subprocess.run(["git", "-C", str(ROOT), "show", f"{args.before}:showcase/import_report.py"],
                             capture_output=True, text=True, check=True).stdout
        before = Path(tempfile.mkdtemp()) / "import_report_before.py"
        before.write_text(old, encoding="utf-8")
        versions.insert(0, (args.before, str(before)))
    print(f"load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    print(f"{'shape':<9} {'version':<8} {'pages':>5} {'lines':>6} {'PDF KB':>7} {'seconds':>8} {'s/page':>7} "
          f"{'peak MB':>8}")
    failed = False
    for shape in args.shapes:
        for pages in args.pages:
            pdf, lines = pdfs[pages, shape]
            count, size = pages_of(pdf), pdf.stat().st_size // 1024
            for name, module in versions:
                result = run(module, pdf, args.timeout)
                head = f"{shape:<9} {name:<8} {count:>5} {lines:>6} {size:>7}"
                if "error" in result:
                    print(f"{head} {'-':>8} {'-':>7} {'-':>8}  {result['error']}", flush=True)
                    failed = failed or name == "now"
                    continue
                print(f"{head} {result['seconds']:>8.2f} {result['seconds'] / count:>7.3f} {result['peak_mb']:>8.0f}",
                      flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
