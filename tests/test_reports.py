"""The final report and impact statement as citable pages."""

from __future__ import annotations

import datetime as dt

import json
import re

import bibtexparser

from sitekit import Site, write


def test_report_contents_permalinks_and_key_figures(site: Site):
    assert site.build() == 0
    html = site.page("final-report")
    nav = re.search(r'<nav class="toc" aria-labelledby="toc-heading"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.search(r'<li><a href="#1-introduction">1. Introduction</a>\s*<ol>\s*<li><a href="#1-1-aims">1.1 Aims</a>', nav)
    assert '<h2 id="1-introduction">1. Introduction<a class="permalink" href="#1-introduction"' in html
    assert '<span class="visually-hidden">Link to the section 1.1 Aims</span>' in html
    figures = re.search(r'<dl class="key-figures"[^>]*>(.*?)</dl>', html, re.S).group(1)
    assert "<dt>participants</dt><dd>42</dd>" in figures.replace("\n", "").replace("  ", "")


def test_citation_files_parse_and_carry_the_fields(site: Site):
    path = site.content / "reports/final.md"
    path.write_text(path.read_text().replace("authors: [A. Researcher]",
                                             "authors: [Paul Crawford, Susan Hogan]\npublisher: University of Nottingham"))
    assert site.build("--base-url", "https://example.org/mt/") == 0
    bib = (site.out / "final-report/final.bib").read_text()
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    entry = library.entries[0]
    assert entry.entry_type == "techreport"
    assert entry["title"].strip("{}") == "The final report"
    assert entry["author"] == "Crawford, Paul and Hogan, Susan"
    assert entry["institution"] == "University of Nottingham"
    assert entry["year"] == "2018"
    assert entry["url"] == "https://example.org/mt/final-report/"
    ris = (site.out / "final-report/final.ris").read_bytes().decode()
    assert ris.endswith("ER  - \r\n")
    fields = [[part.strip() for part in line.split("  -", 1)] for line in ris.strip().split("\r\n")]
    assert fields[0] == ["TY", "RPRT"] and fields[-1][0] == "ER"
    assert ["AU", "Crawford, Paul"] in fields and ["AU", "Hogan, Susan"] in fields
    assert ["PY", "2018"] in fields and ["DA", "2018/04/01"] in fields
    assert ["UR", "https://example.org/mt/final-report/"] in fields
    html = site.page("final-report")
    assert '<meta name="citation_title" content="The final report">' in html
    assert '<meta name="citation_author" content="Crawford, Paul">' in html
    assert '<meta name="citation_publication_date" content="2018/04/01">' in html
    assert "Crawford, P. and Hogan, S. (2018) The final report. University of Nottingham." in html
    assert 'href="final.bib" download' in html and 'href="final.ris" download' in html
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    report = next(d for d in data if d["@type"] == "Report")
    assert report["funder"] == {"@type": "Organization", "name": "Arts Council", "identifier": "AB/123"}
    assert report["datePublished"] == "2018-04-01" and report["author"][0]["name"] == "Paul Crawford"
    home = site.page("")
    assert '"@type":"ResearchProject"' in home


def test_pdf_attachment_is_offered_with_its_size(site: Site):
    (site.content / "reports/final.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2_400_000)
    path = site.content / "reports/final.md"
    path.write_text(path.read_text().replace("kind: final-report", "kind: final-report\npdf: final.pdf"))
    assert site.build() == 0
    assert "Download the full report (PDF, 2.3 MB)" in site.page("final-report")
    assert (site.out / "reports/final.pdf").read_bytes()[:8] == b"%PDF-1.4"


def test_reports_index_lists_every_report(site: Site):
    write(site.content / "reports/clay-summary.md",
          "---\ntitle: Clay summary\ndate: 2016-04-01\nsummary: The clay strand in brief.\n---\nText.\n")
    assert site.build() == 0
    index = site.page("reports")
    for title in ("The final report", "Impact statement", "Clay summary", "The clay strand in brief."):
        assert title in index
    assert (site.out / "reports/clay-summary/index.html").is_file()


def test_two_final_reports_are_an_error(site: Site, capsys):
    write(site.content / "reports/another.md", "---\ntitle: Another\nkind: final-report\ndate: 2018-01-01\n---\nX\n")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "reports/final.md:3:1: error: there is already a final-report: reports/another.md" in err


def test_related_stories_and_project_pager(site: Site):
    for n in range(4):
        write(site.content / f"stories/clay-{n}.md",
              f"---\ntitle: Clay {n}\ndate: 2015-0{n + 5}-01\nsummary: s\nauthors: [A]\nconsent: recorded\n"
              f"project: clay\npractices: [craft]\n---\nB.\n")
    assert site.build() == 0
    html = site.page("stories/clay-1")
    related = html.split('id="related-heading"')[1].split("</section>")[0]
    assert related.count('class="card"') == 3
    assert "Clay 0" in related and "Clay 2" in related
    pager = re.search(r'<nav class="wrap story-pager"(.*?)</nav>', html, re.S).group(1)
    assert 'href="../clay-0/" rel="prev"' in pager and 'href="../clay-2/" rel="next"' in pager
    assert site.build() == 0 and html == site.page("stories/clay-1")  # stable


def test_practice_and_tag_pages_are_paginated(site: Site):
    for n in range(51):
        write(site.content / f"stories/sung-{n:02}.md",
              f"---\ntitle: Sung {n}\ndate: {dt.date(2014, 2, 1) + dt.timedelta(days=n)}\nsummary: s\nauthors: [A]\n"
              f"consent: recorded\n"
              f"practices: [music]\ntags: [voice]\n---\nB.\n")
    assert site.build() == 0
    first, second = site.page("practices/music"), site.page("practices/music/page/2")
    assert first.count('class="card"') == 28 and second.count('class="card"') == 24  # 52 music stories
    assert "<h1>Music</h1>" in first and "<h1>Music, page 2 of 2</h1>" in second
    assert 'aria-label="Pages of Music stories"' in first and 'href="page/2/"' in first
    assert "52 stories" in first and "Sung 0<" in second and "Sung 23<" in second and "Sung 24<" in first
    assert "Stories from <time" in second and "52 stories" not in second
    assert (site.out / "tags/voice/page/2/index.html").is_file()


# --- citations in the house style (issue 14) ----------------------------------------------------------

def test_an_organisation_author_is_cited_whole(site: Site):
    path = site.content / "reports/final.md"
    path.write_text(path.read_text().replace(
        "authors: [A. Researcher]",
        "authors:\n  - {name: The CPMR programme team, organisation: true}\n  - Paul Crawford\n"
        "  - {name: Sam Lee, display: anonymous}\npublisher: University of Nottingham"))
    assert site.build("--base-url", "https://example.org/mt/") == 0
    html = site.page("final-report")
    cited = re.sub(r"\s+", " ", html)
    assert ("The CPMR programme team, Crawford, P. and Anonymous contributor (2018) The final report. "
            "University of Nottingham.") in cited
    assert "team, T." not in cited and "contributor, A." not in cited
    bib = (site.out / "final-report/final.bib").read_text()
    assert "author = {{The CPMR programme team} and Crawford, Paul and {Anonymous contributor}}," in bib
    entry = bibtexparser.parse_string(bib).entries[0]
    assert entry["author"] == "{The CPMR programme team} and Crawford, Paul and {Anonymous contributor}"
    assert bib.startswith("@techreport{thecpmrprogrammeteam2018final,")
    ris = (site.out / "final-report/final.ris").read_bytes().decode()
    assert "AU  - The CPMR programme team\r\n" in ris and "AU  - Crawford, Paul\r\n" in ris
    assert '<meta name="citation_author" content="The CPMR programme team">' in html
    data = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    report = next(d for d in data if d["@type"] == "Report")
    assert report["author"][:2] == [{"@type": "Organization", "name": "The CPMR programme team"},
                                    {"@type": "Person", "name": "Paul Crawford"}]


PUBLICATIONS = """
@article{argyle2015potter,
  author   = {Argyle, E.},
  title    = {A potter's day: {Clay Transformations}},
  journal  = {Ceramic Review},
  year     = {2015},
  number   = {272},
  pages    = {79},
  projects = {clay}
}

@article{argyle2015group,
  author   = {Argyle, E. and Winship, G.},
  title    = {Creative practice in a group setting},
  journal  = {Mental Health and Social Inclusion},
  year     = {2015},
  volume   = {19},
  number   = {3},
  pages    = {141--147}
}

@article{team2016notes,
  author   = {{The CPMR programme team} and {Arts and Minds} and Lee, Ann},
  title    = {Notes from the programme},
  journal  = {Arts and Health},
  year     = {2016},
  volume   = {8},
  pages    = {12}
}
"""


def test_publications_follow_harvard_style(site: Site):
    write(site.content / "publications.bib", PUBLICATIONS)
    assert site.build() == 0
    html = re.sub(r"\s+", " ", site.page("publications"))
    # spaces, "p." for one page and "pp." for a range; an issue without a volume as "no."
    assert ("Argyle, E. (2015) ‘A potter&#39;s day: Clay Transformations’, <cite>Ceramic Review</cite>, no. 272, "
            "p. 79.") in html
    assert ("Argyle, E. and Winship, G. (2015) ‘Creative practice in a group setting’, "
            "<cite>Mental Health and Social Inclusion</cite>, 19(3), pp. 141–147.") in html
    # organisations in braces, as BibTeX marks them, are kept whole
    assert ("The CPMR programme team, Arts and Minds and Lee, A. (2016) ‘Notes from the programme’, "
            "<cite>Arts and Health</cite>, 8, p. 12.") in html
    assert "Review(272)" not in html and "pp. 79" not in html


def test_example_citations_read_as_the_style_claims():
    from showcase.publications import load_publications
    from sitekit import REPO

    items, problems = load_publications(REPO / "content", "publications.bib", {
        p.stem for p in (REPO / "content" / "projects").glob("*.yaml")})
    assert not problems
    potter = next(i for i in items.items if i.key == "argyle2015potter")
    assert potter.journal_details == ", no. 272, p. 79"
    first = next(i for i in items.items if i.key == "crawford2013creative")
    assert first.journal_details == ", 18(2), pp. 55–64"
