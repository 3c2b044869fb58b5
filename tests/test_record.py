"""The programme's whole record: people, publications, timeline and feature stories."""

from __future__ import annotations

import json
import re

from sitekit import Site, write

BIB = """
@article{later2017,
  author = {Lee, Ann and Osei, Kofi},
  title = {Clay and company},
  journal = {Arts and Health},
  year = {2017}, volume = {9}, number = {3}, pages = {10--20},
  doi = {10.1080/17533015.2017.1234567},
  projects = {clay}
}

@book{early2014,
  author = {Kofi Osei},
  title = {Hands {Together}},
  publisher = {Good Press},
  address = {Leeds},
  year = {2014}
}
"""


def add_people(site: Site) -> None:
    write(site.content / "projects/song.yaml", "title: Song circle\nsummary: Singing together.\npractices: [music]\n")
    write(site.content / "people/ann-lee.yaml",
          "name: Ann Lee\nrole: Co-investigator\naffiliation: University of Leeds\nprojects: [clay, song]\n")
    write(site.content / "people/kofi-osei.yaml", "name: Kofi Osei\nrole: Artist\nprojects: [song]\n")


def test_people_with_their_strands(site: Site):
    add_people(site)
    assert site.build() == 0
    html = site.page("people")
    ann = html.split('id="ann-lee"')[1].split("</li>")[0]
    kofi = html.split('id="kofi-osei"')[1].split("</li>")[0]
    assert html.count("Ann Lee</h2>") == 1  # in two strands, listed once with both
    assert "Clay together</a>, <a" in ann and "Song circle</a>" in ann
    assert "Song circle</a>" in kofi and "Clay together" not in kofi
    assert "Co-investigator</p>" in ann and "University of Leeds</p>" in ann
    people = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]
    ann = next(p for p in people if p.get("name") == "Ann Lee")
    assert ann["@type"] == "Person" and ann["affiliation"] == {"@type": "Organization", "name": "University of Leeds"}
    project = site.page("projects/clay")
    assert "Ann Lee" in project and "Kofi Osei" not in project
    assert 'href="people/"' in site.page("")  # reachable from the navigation


def test_publications_by_year_and_project(site: Site):
    write(site.content / "publications.bib", BIB)
    assert site.build() == 0
    html = site.page("publications")
    assert html.index('id="year-2017"') < html.index('id="year-2014"')
    assert ('Lee, A. and Osei, K. (2017) ‘Clay and company’, <cite>Arts and Health</cite>, 9(3), pp. 10–20.' in
            re.sub(r"\s+", " ", html))
    assert '<a href="https://doi.org/10.1080/17533015.2017.1234567">' in html
    assert "<cite>Hands Together</cite>. Leeds: Good Press." in re.sub(r"\s+", " ", html)
    clay = site.page("projects/clay")
    assert "Clay and company" in clay and "Hands Together" not in clay
    assert 'href="../projects/clay/#publications-heading"' in html  # the filter by project, without JavaScript


def test_publications_yaml_is_accepted(site: Site):
    write(site.content / "publications.yaml", """
        - title: A yaml entry
          authors: [Ann Lee]
          year: 2016
          journal: Journal of Things
          projects: clay
        """)
    assert site.build() == 0
    assert "A yaml entry" in site.page("projects/clay")


def test_malformed_bibtex_entry_names_file_and_line(site: Site, capsys):
    write(site.content / "publications.bib", BIB + "\n@article{broken,\n  title = {Unclosed\n")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert re.search(r"content/publications\.bib:18:1: error: BibTeX: this entry cannot be read", err), err


def test_unknown_project_in_a_publication(site: Site, capsys):
    write(site.content / "publications.bib", BIB.replace("projects = {clay}", "projects = {clay, pottery}"))
    assert site.build() == 1
    assert "content/publications.bib:7:1: error: later2017: project 'pottery' does not exist" in capsys.readouterr().err


def test_an_entry_without_a_key_is_an_error_at_its_line(site: Site, capsys):
    write(site.content / "publications.bib", BIB + "\n@article{,\n  author = {X, Y},\n  title = {No key},\n"
                                              "  year = {2015}\n}\n")
    assert site.build() == 1
    assert re.search(r"publications\.bib:\d+:1: error: BibTeX: this entry has no key", capsys.readouterr().err)


def test_bad_doi_and_missing_title(site: Site, capsys):
    write(site.content / "publications.bib", "@article{a,\n author={X, Y},\n year={2015},\n doi={nope}\n}\n")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "publications.bib:1:1: error: a: missing required field 'title'" in err
    assert "publications.bib:4:1: error: a: doi: 'nope' is not a DOI" in err


def test_timeline_in_order(site: Site):
    path = site.content / "projects/clay.yaml"
    path.write_text(path.read_text() + """period: {start: 2014, end: 2016}
events:
  - {title: Summer show, start: 2015-06-15, end: 2015-07-26, place: Rufford Abbey}
  - {title: Spring show, start: 2015-04-13, end: 2015-05-05}
""")
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "period: {start: 2013, end: 2017}\n")
    assert site.build() == 0
    html = site.page("timeline")
    titles = re.findall(r'<h2 class="timeline__title">(?:<a [^>]+>)?([^<]+)', html)
    assert titles == ["MT begins", "Clay together", "Spring show", "Summer show", "MT ends",
                      "Published: Impact statement", "Published: The final report"]
    assert "15 June 2015 to 26 July 2015" in html and "Rufford Abbey" in html
    assert '<time datetime="2014">2014–2016</time>' in html or '<time datetime="2014">2014 to 2016</time>' in html
    assert '<time datetime="2015-06-15">' in html  # a year given alone stays a year; a day, a day
    assert '<ol class="timeline">' in html
    assert "Spring show" in site.page("projects/clay")
    assert 'href="timeline/"' in site.page("")


def test_periods_and_events_in_order_and_in_range(site: Site, capsys):
    """A year no calendar has (20145) was an internal error; an end before the start was published as is."""
    path = site.content / "projects/clay.yaml"
    base = path.read_text()
    for extra, said in [("period: {start: 20145}\n", "clay.yaml:"),
                        ("period: {start: 2014, end: 2012}\n", "the period ends (2012) before it starts (2014)"),
                        ("events:\n  - {title: Show, start: 2015-04-13, end: 2015-01-05}\n",
                         "the event ends (2015-01-05) before it starts (2015-04-13)")]:
        path.write_text(base + extra)
        assert site.build() == 1
        err = capsys.readouterr().err
        assert said in err and "internal error" not in err and "Traceback" not in err


def test_bibtex_accents_formatting_and_addresses(site: Site):
    write(site.content / "publications.bib", r"""
@article{accents2016,
  author = {M{\"u}ller, J{\'e}r{\^o}me and Gon{\c{c}}alves, Jo{\~a}o},
  title = {Caf{\'e} culture, 100\% \emph{in practice}},
  journal = {Na{\"\i}ve Arts},
  year = {2016},
  url = {https://example.org/~smith/report--final.pdf}
}
""")
    assert site.build() == 0
    html = re.sub(r"\s+", " ", site.page("publications"))
    assert "Müller, J. and Gonçalves, J. (2016) ‘Café culture, 100% in practice’, <cite>Naïve Arts</cite>" in html
    assert 'href="https://example.org/~smith/report--final.pdf"' in html


def test_feature_layout(site: Site):
    path = site.content / "stories/second-story.md"
    text = path.read_text().replace("consent: recorded", "consent: recorded\nlayout: feature\nhero: bowl")
    path.write_text(text + "\n> We were just the altos.\n>\n> — Ayo, a singer\n\n![](../artworks/bowl.jpg)\n")
    assert site.build() == 0
    html = site.page("stories/second-story")
    assert 'class="story feature"' not in html and "story--feature" in html
    assert html.index('story-hero--full') < html.index("<h1>")
    assert 'fetchpriority="high"' in html.split("<h1>")[0]
    quote = re.search(r'<figure class="pull-quote">\s*<blockquote>\s*<p>We were just the altos.</p>\s*</blockquote>\s*'
                      r'<figcaption>Ayo, a singer</figcaption>', html)
    assert quote
    # the image of the lead artwork at the end of the text is left out: the page shows its lead once, on top
    assert '<figure class="artwork-figure">' not in html.split('id="story-body"')[1]
    assert html.split("<main")[1].count('<figure class="artwork-figure">') == 1
    home = site.page("")
    assert 'class="intro__start"' in home and "Second story" in home.split('class="intro__start"')[1][:300]


def test_no_id_is_there_twice_on_the_people_and_media_pages(site: Site):
    """Each biography's footnotes and headings, and a recording's text description's, have ids of their own: a
    footnote link went to another person's note, a bio heading took a person's own address."""
    add_people(site)
    for slug in ("ann-lee", "kofi-osei"):
        path = site.content / f"people/{slug}.yaml"
        path.write_text(path.read_text() + "bio: |\n  ## Kofi Osei\n\n  Works with clay[^1].\n\n  [^1]: Since 2010.\n")
    write(site.content / "media/song.ogg", "OggS")
    write(site.content / "media/song.yaml", "title: Song\nkind: audio\nfile: song.ogg\n"
                                            "transcript: |\n  ## Opening\n\n  We sang.\n"
                                            "text_description: |\n  ## Opening\n\n  A room.\n")
    assert site.build() == 0
    for page in ("people", "media/song"):
        html = site.page(page)
        ids = re.findall(r'(?<![\w-])id="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
        for target in re.findall(r'href="#([^"]+)"', html):
            assert target in ids, (page, target)
    people = site.page("people")
    ann = people.split('id="ann-lee"')[1].split("</li>")[0]
    assert 'href="#ann-lee-fn1"' in ann and 'id="ann-lee-fn1"' in ann  # its own note
