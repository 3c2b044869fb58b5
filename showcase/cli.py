"""The command line: build (the default), check, serve, new, schema and import-report; what each prints is
in `report`."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from . import __version__
from .errors import UsageError
from .pipeline import BuildOptions, build
from .placeholders import (
    PAGE_BODY,
    PAGE_SUMMARY,
    PLACEHOLDER_AUTHOR,
    PLACEHOLDER_BODY,
    PLACEHOLDER_SUMMARY,
    PROJECT_DESCRIPTION,
    PROJECT_SUMMARY,
)
from .report import (
    INTERNAL_ERROR,
    debugging,
    environment_problem,
    internal_error,
    machine_report,
    report,
    traceback_text,
)
from .reserved import RESERVED
from .slugs import slugify, unique_slug
from .terminal import Terminal

COMMANDS = ("build", "check", "new", "serve", "schema", "import-report")



def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: choose one from 0 to 65535 (0: any free one)")
    return port

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
    serve_cmd.add_argument("--port", type=_port, default=8000, help="the port to listen on, 0 to 65535 (0: any free one)")
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
    that would take seconds and change nothing. Nor does it look for cycles to collect after the build (a walk
    of every object the build still holds, for nothing), except in the preview, which lives on."""
    if (sys.argv[1:] if argv is None else argv)[:1] != ["serve"]:
        gc.disable()
    status = main(argv)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe (`showcase check --format json | head`): nothing more can be said
            pass
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status: 0 done, 1 the content's problems (or a full disk, a read-only or
    forbidden folder), 2 the command used wrongly, 70 a bug in showcase, 130 stopped with Ctrl-C. Nothing
    ends in a traceback, unless SHOWCASE_DEBUG=1 asks for one."""
    if os.name == "nt":  # the build forks worker processes and reads files with os.pread: see README
        print("showcase: Windows is not supported; run showcase in WSL (Windows Subsystem for Linux), on Linux or on "
              "macOS", file=sys.stderr)
        return 2
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    out = Terminal(stderr=True, highlight=False)
    try:
        return _command(args, out)
    except UsageError as exc:  # a wrong command (2); another build at work or a PDF that cannot be read (1)
        out.print(f"showcase: {exc}", markup=False, soft_wrap=True)
        return exc.exit_status
    except KeyboardInterrupt:
        out.print("showcase: stopped; the previous site is unchanged", markup=False)
        return 130
    except BrokenPipeError:  # what reads the output stopped early (`showcase check --format json | head`)
        _silence_stdout()
        return 1
    except Exception as exc:
        said = _os_problem(exc, args) if isinstance(exc, OSError) else None
        if said is not None:
            out.print(said, markup=False, soft_wrap=True)
            return 1
        if debugging():
            out.print(traceback_text(exc), markup=False, soft_wrap=True)
        out.print(internal_error(exc), markup=False, soft_wrap=True)
        return INTERNAL_ERROR


def _os_problem(exc: OSError, args: argparse.Namespace) -> str | None:
    """The one line for a file that cannot be written or read because of the computer, not showcase: a full
    disk, a read-only or forbidden folder anywhere; any reason at all where `new` and `schema` write, the
    places the command line named."""
    said = environment_problem(exc, args.out if args.command == "build" else None)
    if said is None and args.command in ("new", "schema") and exc.filename:
        said = f"showcase: cannot write {exc.filename}: {exc.strerror or exc}"
    return said


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (a test's capture)
        pass


def _command(args: argparse.Namespace, out: Console) -> int:
    if args.command == "new":
        return _new(args, out)
    if args.command == "schema":
        from .schema import write_schemas

        _schema_folder(args.out)
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
    if getattr(args, "format", "text") != "text":
        print(machine_report(result, args.format))
    else:
        report(result, options, out)
    return 1 if result.failed and (args.command == "build" or result.diagnostics.failed(args.strict)) else 0


TEMPLATES = {
    "story": """---
title: {title}
date: {today}
summary: {summary}
authors:
  - {author}   # or {{name: Full Name, display: initials}} / display: anonymous
consent: pending    # write recorded once the contributor's consent is on file (or not-needed)
project:            # optional: a slug from content/projects/
practices: []       # e.g. [music, clay]
tags: []
artworks: []        # slugs from content/artworks/
# content_note: Mentions ...   (shown before the story, with support links)
draft: true         # remove this line when the story is ready to publish
---

{body} Link another story by its file name, as in
`[another story](another-story.md)`, and show an artwork with `![](../artworks/its-file.jpg)`.
""",
    "project": """title: {title}
summary: {project_summary}
practices: []
period:
  start: {year}
description: |
  {project_description}
""",
    "page": """---
title: {title}
summary: {page_summary}
# nav_order: 10   (show it in the main menu)
draft: true         # remove this line when the page is ready to publish
---

{page_body}
""",
}


def _front(path: Path) -> dict | None:
    """The front matter (or YAML) of an existing content file, or None when it cannot be read."""
    from .sources import ContentProblem, load_yaml, read_text, split_front_matter

    try:
        text = read_text(path)
        data = split_front_matter(text).front_matter.data if path.suffix == ".md" else load_yaml(text).data
    except (ContentProblem, OSError):
        return None
    return data if isinstance(data, dict) else None


def _content_folder(folder: Path) -> None:
    """Refused unless `folder` is a content folder (with its site.yaml): a new file is never written elsewhere."""
    if folder.is_file():
        raise UsageError(f"{folder} is a file; --content names the content folder (the one holding site.yaml)")
    if not folder.is_dir():
        raise UsageError(f"the content folder {folder} does not exist")
    if not any((folder / name).is_file() for name in ("site.yaml", "site.yml")):
        raise UsageError(f"{folder} has no site.yaml, so it is not a content folder; pass --content with the folder "
                         "that holds site.yaml")


def _schema_folder(folder: Path) -> None:
    """Refused where the schemas must not go: over a file, or into a content folder (the build would find files
    that are not part of the showcase in it, and fail with --strict)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; pass --out with the folder for the schemas")
    for place in (folder.resolve(), *folder.resolve().parents):
        if any((place / name).is_file() for name in ("site.yaml", "site.yml")):
            raise UsageError(f"{folder} is inside the content folder {place}; write the schemas beside it, e.g. "
                             "--out schemas")


def _new(args: argparse.Namespace, out: Console) -> int:
    import unicodedata

    folder = {"story": "stories", "project": "projects", "page": "pages"}[args.kind]
    suffix = ".yaml" if args.kind == "project" else ".md"
    _content_folder(args.content)
    if all(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in args.title):  # nothing to read
        raise UsageError(f'give the {args.kind} a title, e.g. python build.py new {args.kind} "Singing on Thursdays"')
    place = args.content / folder
    if place.exists() and not place.is_dir():
        raise UsageError(f"{place} is a file, where the folder of {folder} should be; rename or move it")
    # a title with nothing to read in it (emoji, say) is named after the day: story-2026-05-01.md
    slug = unique_slug(slugify(args.title) or f"{args.kind}-{dt.date.today().isoformat()}", ())
    path = place / f"{slug}{suffix}"
    if path.exists() and (_front(path) or {}).get("title") in (None, args.title):
        raise UsageError(f"{path} already exists; choose another title")
    # another title with the same slug ("Cafe" beside "Café"), a file that took it with slug:, or (a page) an address
    # the showcase keeps for itself: the next free name, cafe-2.md
    taken: set[str] = set(RESERVED) if args.kind == "page" else set()
    for other in place.glob("*") if place.is_dir() else ():
        if other.suffix in (".md", ".yaml", ".yml"):
            taken.add(slugify(other.stem))
            written = (_front(other) or {}).get("slug")
            if isinstance(written, str):
                taken.add(written)
    path = path.with_name(f"{unique_slug(slug, taken)}{suffix}")
    today = dt.date.today()
    title = json.dumps(args.title, ensure_ascii=False)  # a YAML string in double quotes, whatever the title holds
    text = TEMPLATES[args.kind].format(title=title, today=today.isoformat(), year=today.year,
                                       summary=PLACEHOLDER_SUMMARY, author=PLACEHOLDER_AUTHOR, body=PLACEHOLDER_BODY,
                                       project_summary=PROJECT_SUMMARY, project_description=PROJECT_DESCRIPTION,
                                       page_summary=PAGE_SUMMARY, page_body=PAGE_BODY)
    place.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(path)
    return 0
