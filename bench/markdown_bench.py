"""CPU time per Markdown body of MarkdownRenderer.render, whole (checks, sanitising and all): with markdown-it-py,
the reference (SHOWCASE_MARKDOWN=reference), and with the compiled front end (showcase/markdown_tree.py) falling
back to the reference where it must. Also how many bodies fell back, and whether every result was the same.

    python bench/markdown_bench.py                      # the bodies of bench/_corpus-1000
    python bench/markdown_bench.py content --repeat 20  # any content folder
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from showcase.discover import discover  # noqa: E402
from showcase.errors import Diagnostics  # noqa: E402
from showcase.markdown import MarkdownRenderer  # noqa: E402
from showcase.sources import read_text, split_front_matter  # noqa: E402


def bodies(root: Path) -> list[tuple[str, str, int]]:
    found = []
    for path in sorted(root.rglob("*.md")):
        source = split_front_matter(read_text(path))
        found.append((source.body, path.relative_to(root).as_posix(), source.body_line))
    return found


def cpu_ms_per_body(renderer: MarkdownRenderer, texts: list[tuple[str, str, int]], repeat: int) -> float:
    """The best of `repeat` rounds over every body, in ms of CPU per body."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text, source, first_line in texts:
            renderer.render(text, source, first_line)
        best = min(best, time.process_time() - started)
    return best / len(texts) * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=str(Path(__file__).parent / "_corpus-1000"))
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each; the fastest counts (default 5)")
    args = parser.parse_args(argv)
    root = Path(args.folder)
    if not root.is_dir():
        raise SystemExit(f"{root} is not a folder (make one with: python bench/corpus.py {root} --stories 1000)")
    texts = bodies(root)
    renderer = MarkdownRenderer(discover(root, Diagnostics()).all)
    if renderer.compiled is None:
        raise SystemExit("markdown_it_pyrs cannot be imported: pip install 'markdown-it-pyrs>=0.4,<0.5'")
    fell_back = sum(renderer.compiled.render(*body) is None for body in texts)
    differ = sum(renderer.render(*body) != renderer.render_reference(*body) for body in texts)
    saved = os.environ.pop("SHOWCASE_MARKDOWN", None)
    try:
        os.environ["SHOWCASE_MARKDOWN"] = "reference"
        reference = cpu_ms_per_body(renderer, texts, args.repeat)
        del os.environ["SHOWCASE_MARKDOWN"]
        compiled = cpu_ms_per_body(renderer, texts, args.repeat)
    finally:
        os.environ.pop("SHOWCASE_MARKDOWN", None)
        if saved is not None:
            os.environ["SHOWCASE_MARKDOWN"] = saved
    print(f"{len(texts)} Markdown bodies in {root}, best of {args.repeat} rounds, CPU time per body:")
    print(f"  reference (markdown-it-py)  {reference:.3f} ms")
    print(f"  compiled (markdown-it-pyrs) {compiled:.3f} ms  ({reference / compiled:.1f}x)")
    print(f"  fell back to the reference: {fell_back} of {len(texts)}; results different from the reference: {differ}")


if __name__ == "__main__":
    main()
