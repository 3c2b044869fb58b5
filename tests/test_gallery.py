"""The gallery leads with art (issue 14, item 4): its ways in (by project, by practice) are folded into one closed
disclosure that needs no script, above the artworks."""

from __future__ import annotations

import re

from sitekit import Site, make_image, write


def test_the_gallery_filters_are_a_closed_disclosure_above_the_art(site: Site) -> None:
    make_image(site.content / "artworks/jug.jpg")
    write(site.content / "artworks/jug.yaml", """
        title: Jug
        alt: A tall jug with a chipped lip.
        project: clay
        """)
    assert site.build() == 0
    main = site.page("artworks").split('<main id="main"', 1)[1]
    details = re.search(r"<details class=\"filters\">(.*?)</details>", main, re.S)
    assert details, "the filters are not in a <details>"
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", details.group(1), re.S).group(1)
    assert summary.strip() == "Browse by project or practice"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', details.group(1))
    assert ("../projects/clay/#project-artworks", "Clay together (2)") in links
    assert ("../practices/craft/#term-artworks", "Craft (2)") in links
    assert main.index("<details") < main.index('<ul class="gallery gallery--wall"')  # folded away, above the art
    assert "<details class=\"filters\" open" not in main
    assert 'href="' not in main.split("<details", 1)[0].split("</header>", 1)[1]  # no link between title and it
