"""Names read one way everywhere: a citation, BibTeX, the A to Z of people and a contributor's initials."""

from __future__ import annotations

import pytest

from showcase.field_types import Credit
from showcase.names import family_and_given, initials, sort_key


@pytest.mark.parametrize("name, expected", [
    ("Paul Crawford", ("Crawford", "Paul")),
    ("Professor Paul Crawford", ("Crawford", "Paul")),
    ("Dr. Ann Lee", ("Lee", "Ann")),
    ("Mary Jane van der Berg", ("Berg", "Mary Jane van der")),
    ("van der Berg, Mary Jane", ("van der Berg", "Mary Jane")),
    ("Cher", ("Cher", "")),
    ("Dr Who", ("Who", "Dr")),  # two words: the first is kept as a given name, never dropped to nothing
])
def test_family_and_given(name, expected):
    assert family_and_given(name) == expected


def test_initials_for_display_and_for_citations():
    assert initials("Sam Lee") == "S.L."
    assert initials("Jean-Paul Sartre") == "J.P.S."
    assert initials("Paul Anthony", between=" ") == "P. A."
    assert Credit(name="Sam Lee", display="initials").shown == "S.L."


def test_people_sort_by_family_name_whatever_their_title():
    names = ["Professor Paul Crawford", "Ann Abbott", "Dr Zoe Brown"]
    assert sorted(names, key=sort_key) == ["Ann Abbott", "Dr Zoe Brown", "Professor Paul Crawford"]


def test_a_citation_leaves_titles_out(site):
    from sitekit import write

    write(site.content / "reports/final.md", "---\ntitle: What we learned\nkind: final-report\n"
          "date: 2017-03-01\nsummary: The programme's findings.\nauthors: [Professor Paul Crawford, Sam Lee]\n"
          "---\n## Findings\n\nWe learned a great deal.\n")
    assert site.build() == 0
    page = site.page("final-report/")
    assert "Crawford, P. and Lee, S. (2017) What we learned." in page
