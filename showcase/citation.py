"""How to cite a report: plain text, BibTeX, RIS and the Highwire meta tags that reference managers read."""

from __future__ import annotations

import re

from .content import Report, Site
from .dates_in_words import MONTH_NAMES
from .field_types import Credit
from .names import family_and_given, initials
from .slugs import slugify


def _split(credit: Credit) -> tuple[str, str]:
    """A credit as (family, given): ("Paul Crawford") -> ("Crawford", "Paul"); "Family, Given" as written.
    An organisation (`organisation: true`) and a one-word name are kept whole, as the family name."""
    if credit.organisation or credit.display != "full":
        return credit.shown, ""  # an organisation, "Anonymous contributor" or initials ("S.L.") are never split
    return family_and_given(credit.shown)


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else (names[0] if names else "")


def publisher(site: Site, report: Report) -> str:
    return report.meta.publisher or site.config.title


def report_url(site: Site, report: Report) -> str | None:
    return site.absolute(report.url)


def key(report: Report) -> str:
    first = _split(report.meta.authors[0])[0] if report.meta.authors else "report"
    word = next((w for w in slugify(report.meta.title).split("-") if len(w) > 3), "report")
    return f"{slugify(first).replace('-', '')}{report.meta.date.year}{word}"


def text(site: Site, report: Report) -> str:
    if report.meta.citation:
        return report.meta.citation
    names = []
    for credit in report.meta.authors:
        family, given = _split(credit)
        names.append(f"{family}, {initials(given, between=' ')}" if given else family)
    authors = _listed(names) or publisher(site, report)
    url = report_url(site, report)
    cited = f"{authors} ({report.meta.date.year}) {report.meta.title}. {publisher(site, report)}."
    if site.config.grant and site.config.funder:
        cited += f" Funded by the {site.config.funder}, grant {site.config.grant}."
    return cited + (f" Available at: {url}" if url else "")


def _bib_escape(value: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", value)


def _sorted_name(credit: Credit) -> str:
    """"Family, Given" for a person; an organisation's name as it is."""
    return ", ".join(p for p in _split(credit) if p)


def _bib_name(credit: Credit) -> str:
    """A BibTeX author: "Family, Given"; a name kept whole (an organisation) in braces of its own, so that
    BibTeX does not take its last word for a family name."""
    family, given = _split(credit)
    return f"{_bib_escape(family)}, {_bib_escape(given)}" if given else f"{{{_bib_escape(family)}}}"


def bibtex(site: Site, report: Report) -> str:
    fields = [
        ("title", f"{{{_bib_escape(report.meta.title)}}}"),
        ("author", " and ".join(_bib_name(c) for c in report.meta.authors) or None),
        ("institution", _bib_escape(publisher(site, report))),
        ("type", {"final-report": "Final report", "impact-statement": "Impact statement"}.get(report.meta.kind, "Report")),
        ("year", str(report.meta.date.year)),
        ("month", MONTH_NAMES[report.meta.date.month - 1][:3].lower()),  # BibTeX's names: jan, feb...
        ("url", report_url(site, report)),
        ("note", _bib_escape(f"Funded by the {site.config.funder}, grant {site.config.grant}")
         if site.config.funder and site.config.grant else None),
    ]
    lines = [f"@techreport{{{key(report)},"]
    for name, value in fields:
        if value:
            braced = value if name == "month" else f"{{{value}}}"
            lines.append(f"  {name} = {braced},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(site: Site, report: Report) -> str:
    lines = ["TY  - RPRT", f"TI  - {report.meta.title}"]
    lines += [f"AU  - {_sorted_name(c)}" for c in report.meta.authors]  # no comma: one name, kept whole
    lines += [f"PY  - {report.meta.date.year}", f"DA  - {report.meta.date:%Y/%m/%d}", f"PB  - {publisher(site, report)}"]
    if report.meta.summary:
        lines.append(f"AB  - {report.meta.summary}")
    url = report_url(site, report)
    if url:
        lines.append(f"UR  - {url}")
    if site.config.grant:
        lines.append(f"N1  - Grant {site.config.grant}" + (f", {site.config.funder}" if site.config.funder else ""))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"  # RIS readers expect CRLF line ends


def meta_tags(site: Site, report: Report) -> list[tuple[str, str]]:
    """Highwire Press tags (citation_*), read by Google Scholar and Zotero."""
    tags = [("citation_title", report.meta.title)]
    tags += [("citation_author", _sorted_name(c)) for c in report.meta.authors]
    tags += [("citation_publication_date", f"{report.meta.date:%Y/%m/%d}"),
             ("citation_technical_report_institution", publisher(site, report)),
             ("citation_language", site.config.language)]
    if site.config.base_url and report.pdf_url:
        tags.append(("citation_pdf_url", site.absolute(report.pdf_url)))
    return tags
