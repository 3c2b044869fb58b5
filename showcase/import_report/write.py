"""Writing the draft: front matter the build accepts (with comments saying what to check), a slug that
clashes with nothing, and the Markdown file and the PDF's copy put in place only when both are complete."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import yaml

from ..content_models import ReportMeta
from ..slugs import shorter_slug, slugify
from .model import Draft, ReportImportError

SPECIAL_KINDS = ("final-report", "impact-statement")


def front_matter(draft: Draft, kind: str, pdf_name: str, source: Path) -> str:
    date = draft.date
    notes = list(draft.notes)
    if date is None:
        date = dt.date.today()
        notes.append("date: none found in the PDF, so today's date stands in; set the report's date")
    data = {
        "title": draft.title,
        "kind": kind,
        "date": date,
        "authors": draft.authors,
        "summary": draft.summary,
        "pdf": pdf_name,
        "draft": True,
    }
    ReportMeta.model_validate(data)  # what we write must be what the build accepts
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    comments = [f"# Imported from {shown_name(source)}: a draft to check against the PDF (title, date, authors,",
                "# summary, headings and paragraphs), then remove `draft: true` to publish it."]
    comments += [f"# Check {note}" for note in notes]
    if not draft.authors:
        comments.append("# Check authors: none found in the PDF; add them as a list of names")
    return "---\n" + "\n".join(comments) + "\n" + dumped + "---\n"


def shown_name(path: Path) -> str:
    """A file's name as a line of text can show it: a line break or other control character, or a byte that is
    not UTF-8, written as an escape (a name can hold them; a comment must stay one line)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in path.name)


def default_slug(kind: str, title: str, pdf: Path) -> str:
    if kind in SPECIAL_KINDS:
        return kind
    for text in (title, pdf.stem):
        slug = slugify(text)
        if slug:  # empty only for a text with nothing readable in it
            return shorter_slug(slug, 60)
    return "report"


def _front_matter_of(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---"):
            return {}
        data = yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))
        return data if isinstance(data, dict) else {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


def check_other_reports(pdf: Path, reports: Path, md: Path, slug: str, kind: str) -> None:
    """An imported report must not clash with another one's slug or special kind."""
    if not reports.is_dir():
        return
    for other in sorted(reports.glob("*.md")):
        if other.name == md.name:
            continue
        meta = _front_matter_of(other)
        if meta.get("slug") == slug:
            raise ReportImportError(f"cannot import {pdf}: {other} already has the slug '{slug}'; "
                                    "choose another with --slug", exit_status=2)
        if kind in SPECIAL_KINDS and meta.get("kind") == kind:
            raise ReportImportError(f"cannot import {pdf} as the {kind}: {other} already is one (kind: {kind}) "
                                    "and there can be only one; import it with --kind report, or replace that file",
                                    exit_status=2)


def write_report(pdf: Path, reports: Path, slug: str, text: str) -> Path:
    """reports/<slug>.md with `text` and reports/<slug>.pdf a copy of `pdf` (unless it is that file)."""
    md, copy = reports / f"{slug}.md", reports / f"{slug}.pdf"
    same_file = copy.exists() and os.path.samefile(copy, pdf)
    temporary: list[Path] = []
    made_folder = not reports.exists()
    try:
        reports.mkdir(parents=True, exist_ok=True)
        if not same_file:
            handle, name = tempfile.mkstemp(prefix=f".{slug}.", suffix=".pdf.tmp", dir=reports)
            os.close(handle)
            temporary.append(Path(name))
            shutil.copyfile(pdf, name)
        handle, name = tempfile.mkstemp(prefix=f".{slug}.", suffix=".md.tmp", dir=reports)
        temporary.append(Path(name))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        for done in temporary:
            os.chmod(done, 0o644)
        if not same_file:
            os.replace(temporary[0], copy)
        os.replace(temporary[-1], md)
    except OSError as exc:
        if made_folder:
            shutil.rmtree(reports, ignore_errors=True)  # nothing of the import is left behind
        raise ReportImportError(f"cannot import {pdf}: {md} cannot be written ({exc.strerror or exc})") from None
    finally:
        for leftover in temporary:
            leftover.unlink(missing_ok=True)
    return md


def check_inside(pdf: Path, content: Path, reports: Path) -> None:
    """The reports folder is the content folder's own: not a link to a folder elsewhere (the build would refuse
    to read it, and the import would write outside the content folder)."""
    if reports.is_symlink() or reports.exists():
        real = reports.resolve()
        if not real.is_relative_to(content.resolve()):
            raise ReportImportError(f"cannot import {pdf}: {reports} is a link to {real}, outside the content "
                                    "folder, which the build does not read; make it a folder of its own",
                                    exit_status=2)
