"""What a build says to people and to tools: its problems and summary, and the one-line messages for a
build stopped by the computer it runs on (a full disk, a read-only folder) or by a bug in showcase.

Both the command line and the preview server print through here, so they say the same things the same way.
"""

from __future__ import annotations

import errno
import json
import os
import traceback
from pathlib import Path

from rich.console import Console

from .errors import Diagnostics
from .pipeline import BuildOptions, BuildResult

INTERNAL_ERROR = 70  # exit status of a bug in showcase (EX_SOFTWARE in sysexits.h); 1 is the content's problems
DEBUG_VARIABLE = "SHOWCASE_DEBUG"  # set to 1 to see the traceback of an internal error


def report(result: BuildResult, options: BuildOptions, out: Console) -> None:
    """Every problem, then one line that says what the build did."""
    diagnostics: Diagnostics = result.diagnostics
    for note in result.notes:  # what is not published, and why: not a problem, so first and not counted
        out.print(note.format(), markup=False, soft_wrap=True)
    for diagnostic in diagnostics.sorted():
        style = "red" if diagnostic.severity == "error" else "yellow"
        out.print(diagnostic.format(), style=style, markup=False, soft_wrap=True)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    counted = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    held = len(result.notes)
    unpublished = f"; {held} file{'s' * (held != 1)} not published (see the notes)" if held else ""
    if diagnostics.failed(options.strict):
        where = "the previous site is unchanged" if options.write else "nothing was written"
        out.print(f"Build failed: {counted}; {where}{unpublished}.", style="bold red", markup=False, soft_wrap=True)
    elif not options.write:
        out.print(f"Content checked: {counted}, {result.pages} pages would be built{unpublished}.", markup=False,
                  soft_wrap=True)
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
    if style == "json":  # errors first, then warnings, each by file and line; then the notes (never problems)
        items.sort(key=lambda d: d.severity != "error")
        return json.dumps({"errors": len(result.diagnostics.errors), "warnings": len(result.diagnostics.warnings),
                           "problems": [{"file": os.path.relpath(d.path), "line": d.line, "column": d.col,
                                         "severity": d.severity, "message": d.message} for d in items],
                           "notes": [{"file": os.path.relpath(d.path), "line": d.line, "column": d.col,
                                      "message": d.message} for d in result.notes]}, indent=2)
    lines = []
    for d in [*result.notes, *items]:
        where = f"file={os.path.relpath(d.path)}" + (f",line={d.line}" if d.line else "") + (f",col={d.col}" if d.col else "")
        message = d.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        lines.append(f"::{'notice' if d.severity == 'note' else d.severity} {where}::{message}")
    return "\n".join(lines)


# --- when the build cannot go on ----------------------------------------------------------------------

def debugging() -> bool:
    """SHOWCASE_DEBUG=1: developers see the traceback of an internal error as well as its one line."""
    return os.environ.get(DEBUG_VARIABLE, "").strip() not in ("", "0")


def internal_error(exc: BaseException) -> str:
    """A bug in showcase, in one line: what was raised, and where to report it."""
    return (f"showcase: internal error: {type(exc).__name__}: {_one_line(str(exc))} — this is a bug in showcase, "
            f"please report it (see docs/security.md or the README); {DEBUG_VARIABLE}=1 shows the details")


def traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS}
_DENIED = {errno.EACCES, errno.EPERM}


def environment_problem(exc: OSError, out: Path | None = None) -> str | None:
    """A full disk, a read-only file system or a permission refused: the computer's state, not a bug. The
    message names the file and says what to do; `out` is the site folder of a build (which a failed build
    never touches). None for every other OSError."""
    if exc.errno not in _FULL | _READ_ONLY | _DENIED:
        return None
    paths = [str(p) for p in (exc.filename, exc.filename2) if p not in (None, "")]
    shown = paths[-1] if paths else (str(out) if out is not None else None)
    if exc.errno in _FULL:
        what = "the disk is full" + (f" while writing {shown}" if shown else "") + "; free some space"
    elif exc.errno in _READ_ONLY:
        what = (f"{shown} is on a read-only file system" if shown else "a file system is read-only") + \
               "; choose a writable folder (--out) or make it writable"
    else:
        what = f"permission denied for {shown}" if shown else "permission denied"
        what += "; check who owns it and its permissions"
    message = f"showcase: {_one_line(what)} and try again"
    if out is not None:  # the new site is made beside the old one and swapped in only when complete
        message += "; the previous site is unchanged"
    return message


def _one_line(text: str) -> str:
    return " ".join(text.split())
