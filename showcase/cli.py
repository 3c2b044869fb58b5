"""The command line: build (the default), check and new."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from . import __version__
from .errors import Diagnostics, UsageError
from .markdown import slugify
from .pipeline import BuildOptions, BuildResult, build

COMMANDS = ("build", "check", "new", "serve", "schema", "import-report")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="showcase", description="Build an accessible static showcase from a content folder.")
    parser.add_argument("--version", action="version", version=f"showcase {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def content_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="the content folder (default: content)")
        sub.add_argument("--base-url", metavar="URL", help="absolute URL the site is published at (overrides site.yaml)")
        sub.add_argument("--drafts", action="store_true", help="include drafts and stories not yet due")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")

    build_cmd = commands.add_parser("build", help="build the site (the default command)")
    content_options(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("_site"), metavar="DIR",
                           help="where the site is written (default: _site)")
    build_cmd.add_argument("--no-search", dest="search", action="store_false",
                           help="skip the search index (faster; the search page then says search is unavailable)")
    check_cmd = commands.add_parser("check", help="check all content and the theme, write nothing")
    content_options(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "github", "json"), default="text",
                           help="how problems are printed: text, GitHub Actions annotations, or JSON")
    serve_cmd = commands.add_parser("serve", help="build, then preview the site and rebuild it on every change")
    content_options(serve_cmd)
    serve_cmd.add_argument("--out", type=Path, default=Path("_site"), metavar="DIR")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this computer only)")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in a browser")
    schema_cmd = commands.add_parser("schema", help="write JSON Schemas of every content file, for editors")
    schema_cmd.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR",
                            help="where the schemas are written (default: schemas)")
    import_cmd = commands.add_parser("import-report", help="turn a report PDF into a draft Markdown report")
    import_cmd.add_argument("pdf", type=Path)
    import_cmd.add_argument("--kind", choices=("final-report", "impact-statement", "report"), default="report")
    import_cmd.add_argument("--slug", help="the report's address and file name (default: from its title)")
    import_cmd.add_argument("--force", action="store_true", help="replace an existing report of the same name")
    import_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    new_cmd = commands.add_parser("new", help="start a new story, project or page")
    new_cmd.add_argument("kind", choices=("story", "project", "page"))
    new_cmd.add_argument("title")
    new_cmd.add_argument("--content", type=Path, default=Path("content"), metavar="DIR")
    return parser


def run(argv: list[str] | None = None) -> NoReturn:
    """The command line as a program (build.py, `python -m showcase`, the `showcase` command). Once the
    work is done and said, the process ends without freeing its objects one by one: after a large build
    that would take seconds and change nothing."""
    status = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    out = Console(stderr=True, highlight=False)
    try:
        if args.command == "new":
            return _new(args, out)
        if args.command == "schema":
            from .schema import write_schemas

            for path in write_schemas(args.out):
                print(path)
            return 0
        if args.command == "import-report":
            from .import_report import import_report

            print(import_report(args.pdf, args.content, kind=args.kind, slug=args.slug, force=args.force))
            return 0
        if args.command == "serve":
            from .server import serve

            return serve(BuildOptions(content=args.content, out=args.out, base_url=args.base_url, drafts=args.drafts,
                                      strict=args.strict, progress=sys.stderr.isatty()),
                         host=args.host, port=args.port, open_browser=args.open)
        options = BuildOptions(content=args.content, out=getattr(args, "out", Path("_site")), base_url=args.base_url,
                               drafts=args.drafts, strict=args.strict, write=args.command == "build",
                               progress=sys.stderr.isatty(), search=getattr(args, "search", True))
        result = build(options)
    except UsageError as exc:
        out.print(f"showcase: {exc}", markup=False, soft_wrap=True)
        return 2
    except KeyboardInterrupt:
        out.print("showcase: stopped; the previous site is unchanged", markup=False)
        return 130
    if getattr(args, "format", "text") != "text":
        print(machine_report(result, args.format))
    else:
        report(result, options, out)
    return 1 if result.failed and (args.command == "build" or result.diagnostics.failed(args.strict)) else 0


def report(result: BuildResult, options: BuildOptions, out: Console) -> None:
    diagnostics: Diagnostics = result.diagnostics
    for diagnostic in diagnostics.sorted():
        style = "red" if diagnostic.severity == "error" else "yellow"
        out.print(diagnostic.format(), style=style, markup=False, soft_wrap=True)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if diagnostics.failed(options.strict):
        where = "the previous site is unchanged" if options.write else "nothing was written"
        out.print(f"Build failed: {counted}; {where}.", style="bold red", markup=False)
    elif not options.write:
        out.print(f"Content checked: {counted}, {result.pages} pages would be built.", markup=False)
    elif result.up_to_date:
        out.print(f"Nothing changed since the last build: {options.out} is up to date ({result.pages} pages, "
                  f"{result.artworks} artworks; checked in {result.seconds:.2f} s"
                  + (f"; {warnings} warning{'s' * (warnings != 1)}" if warnings else "") + ").",
                  style="green", markup=False, soft_wrap=True)
    else:
        out.print(
            f"Built {result.pages} pages ({len(result.rendered)} rendered, {result.pages - len(result.rendered)} unchanged) "
            f"and {result.artworks} artworks into {options.out} in {result.seconds:.2f} s "
            f"(images: {result.images_processed} processed, {result.images_cached} cached; files: "
            f"{result.written} written, {result.unchanged} unchanged, {result.removed} removed"
            + (f"; {warnings} warning{'s' * (warnings != 1)}" if warnings else "")
            + ("; the search index is brought up to date when you pause" if result.search_behind else "") + ").",
            style="green", markup=False, soft_wrap=True)


def machine_report(result: BuildResult, style: str) -> str:
    """Problems for other tools: GitHub Actions annotations, or JSON."""
    items = result.diagnostics.sorted()
    if style == "json":
        import json

        return json.dumps({"errors": len(result.diagnostics.errors), "warnings": len(result.diagnostics.warnings),
                           "problems": [{"file": os.path.relpath(d.path), "line": d.line, "column": d.col,
                                         "severity": d.severity, "message": d.message} for d in items]}, indent=2)
    lines = []
    for d in items:
        where = f"file={os.path.relpath(d.path)}" + (f",line={d.line}" if d.line else "") + (f",col={d.col}" if d.col else "")
        message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        lines.append(f"::{d.severity} {where}::{message}")
    return "\n".join(lines)


TEMPLATES = {
    "story": """---
title: {title}
date: {today}
summary: One or two plain sentences saying what this story is about.
authors:
  - Your name   # or {{name: Full Name, display: initials}} / display: anonymous
consent: recorded   # publish only once consent is recorded; otherwise the story is withheld
project:            # optional: a slug from content/projects/
practices: []       # e.g. [music, clay]
tags: []
artworks: []        # slugs from content/artworks/
# content_note: Mentions ...   (shown before the story, with support links)
draft: true         # remove this line when the story is ready to publish
---

Write the story here in Markdown. Link another story by its file name, as in
`[another story](another-story.md)`, and show an artwork with `![](../artworks/its-file.jpg)`.
""",
    "project": """title: {title}
summary: One or two plain sentences about this strand of work.
practices: []
period:
  start: {year}
description: |
  A longer description in Markdown.
""",
    "page": """---
title: {title}
summary: One sentence about this page.
# nav_order: 10   (show it in the main menu)
---

Write the page here in Markdown.
""",
}


def _new(args: argparse.Namespace, out: Console) -> int:
    folder = {"story": "stories", "project": "projects", "page": "pages"}[args.kind]
    suffix = ".yaml" if args.kind == "project" else ".md"
    if not args.content.is_dir():
        raise UsageError(f"the content folder {args.content} does not exist")
    slug = slugify(args.title)
    path = args.content / folder / f"{slug}{suffix}"
    if path.exists():
        raise UsageError(f"{path} already exists; choose another title")
    today = dt.date.today()
    title = args.title.replace('"', "'")
    text = TEMPLATES[args.kind].format(title=f'"{title}"', today=today.isoformat(), year=today.year)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0
