"""The people page (issue 14, item 4): each person once, with every strand they worked in, their role, biography
and photo; a photo is an artwork, so its image is made small and cleaned like any artwork's and has alt text."""

from __future__ import annotations

import re

from sitekit import Site, fails_cleanly, make_image, write


def add_team(site: Site) -> None:
    write(site.content / "projects/song.yaml", """
        title: Song circle
        summary: Singing together every week.
        practices: [music]
        """)
    write(site.content / "people/ada-quill.yaml", """
        name: "Professor Ada Quill"
        role: "Principal investigator"
        affiliation: "University of Elsewhere"
        projects: [clay, song]
        bio: |
          Ran the programme, and *sang* in the circle.
        photo: ada-portrait
        """)
    write(site.content / "people/ben-abbot.yaml", """
        name: "Dr Ben Abbot"
        role: "Researcher"
        projects: [song]
        """)
    write(site.content / "people/cy-zed.yaml", """
        name: "Cy Zed"
        affiliation: "Partner charity"
        """)
    make_image(site.content / "artworks/ada-portrait.jpg", size=(400, 400))
    write(site.content / "artworks/ada-portrait.yaml", """
        title: Ada at the wheel
        alt: Ada Quill at a potter's wheel, smiling, her hands grey with clay.
        """)


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_each_person_appears_once_with_every_strand(site: Site) -> None:
    add_team(site)
    assert site.build() == 0
    main = main_of(site.page("people"))
    for name in ("Professor Ada Quill", "Dr Ben Abbot", "Cy Zed"):
        assert main.count(name) == 1, name  # once, not once per strand
    entries = re.findall(r'<li class="person" id="([\w-]+)">(.*?)</li>\s*(?=<li class="person"|</ul>)', main, re.S)
    assert [slug for slug, _ in entries] == ["ben-abbot", "ada-quill", "cy-zed"]  # A to Z by family name
    ada = dict(entries)["ada-quill"]
    assert re.search(r'<h2 class="person__name">Professor Ada Quill</h2>', ada)
    assert '<p class="person__role">Principal investigator</p>' in ada
    assert '<p class="person__affiliation">University of Elsewhere</p>' in ada
    strands = re.search(r'<p class="person__strands">(.*?)</p>', ada, re.S).group(1)
    assert "Strands:" in strands
    assert '<a href="../projects/clay/">Clay together</a>' in strands and '<a href="../projects/song/">Song circle</a>' in strands
    assert "Strand:" in dict(entries)["ben-abbot"]
    assert "person__strands" not in dict(entries)["cy-zed"]  # in no strand: nothing claimed


def test_a_person_has_a_photo_with_alt_text_and_a_biography(site: Site) -> None:
    add_team(site)
    assert site.build() == 0
    main = main_of(site.page("people"))
    ada = main.split('id="ada-quill"', 1)[1].split('<li class="person"', 1)[0]
    img = re.search(r"<img [^>]*>", ada).group(0)
    assert 'alt="Ada Quill at a potter&#39;s wheel, smiling, her hands grey with clay."' in img
    src = re.search(r'src="\.\./([^"]+)"', img).group(1)
    assert src.startswith("images/ada-portrait-") and (site.out / src).is_file()  # a derivative, not the source file
    assert '<div class="person__bio"><p>Ran the programme, and <em>sang</em> in the circle.</p>' in ada
    assert "<img" not in main.split('id="ben-abbot"', 1)[1].split('<li class="person"', 1)[0]  # no photo, no image


def test_a_photo_that_is_not_an_artwork_is_an_error_at_its_line(site: Site, capsys) -> None:
    add_team(site)
    assert site.build() == 0
    capsys.readouterr()
    path = site.content / "people/ben-abbot.yaml"
    path.write_text(path.read_text() + "photo: ben-smiling\n")
    err = fails_cleanly(site, capsys, "people/ben-abbot.yaml:4:", "ben-smiling")
    assert "artwork" in err
