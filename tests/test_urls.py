"""Links from every field, read as a browser reads them: no address that runs a script reaches a page
(issue 18, finding 1), and control characters in text never make a feed unreadable (finding 8)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitekit import Site, snapshot, write
from showcase.pipeline import BuildOptions, build
from showcase.urls import clean_url

SAFE = "https://example.org/partner"
SCRIPT = "java\tscript:window.__pwned=1"

# --- how Chromium reads an address, written here independently of showcase/urls.py ------------------

_CHROMIUM_STRIPS = "".join(chr(code) for code in range(0x21))
_FOLLOWED = {"href", "src", "action", "formaction", "xlink:href", "poster", "cite", "data", "background",
             "srcset", "data-embed"}  # data-embed: the address media.js loads into a frame


def chromium_scheme(attribute_value: str) -> str | None:
    """The scheme Chromium gives an attribute's (already HTML-decoded) value; None for a relative address."""
    url = re.sub(r"[\t\n\r]", "", attribute_value.strip(_CHROMIUM_STRIPS))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


class _Addresses(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values decoded, as a browser decodes them
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _FOLLOWED and value:
                self.found += [c.split()[0] for c in value.split(",") if c.split()] if name == "srcset" else [value]


def script_links(folder: Path) -> list[tuple[str, str]]:
    """Every (page, address) in a built site that a browser would follow to something other than a web page,
    an e-mail or a phone call."""
    found = []
    for page in sorted(folder.rglob("*.html")):
        parser = _Addresses()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        found += [(page.relative_to(folder).as_posix(), address) for address in parser.found
                  if chromium_scheme(address) not in (None, "http", "https", "mailto", "tel")]
    return found


# --- the rule, address by address -------------------------------------------------------------------

REFUSED = [
    ("java\tscript:alert(1)", "'javascript:'"),
    ("java\nscript:alert(1)", "'javascript:'"),
    ("java\rscript:alert(1)", "'javascript:'"),
    ("j\ta\nv\ra\tscript:alert(1)", "'javascript:'"),
    *[(f"{chr(code)}javascript:alert(1)", "'javascript:'") for code in range(0x01, 0x21)],
    ("\x00\x1f javascript:alert(1)", "'javascript:'"),
    ("javascript:alert(1)   \x1f", "'javascript:'"),
    ("JaVaScRiPt:alert(1)", "'javascript:'"),
    ("vbscript:msgbox(1)", "'vbscript:'"),
    ("VBScript\t:msgbox(1)", "'vbscript:'"),
    ("data:text/html,<script>alert(1)</script>", "'data:'"),
    ("file:///etc/passwd", "'file:'"),
    ("showcase-ref:stories/a.md", "'showcase-ref:'"),  # the internal scheme is not for editors
    ("jav\x00ascript:alert(1)", "control character .U\\+0000."),
    ("https://example.org/\x7f", "control character .U\\+007F."),
    ("https://example.org/\x85next", "control character .U\\+0085."),
    ("https://exa mple.org/", "host name in the address contains a space"),
    ("https://[example.org/", "host name or port in the address is not valid"),
    ("https://example.org:port/", "host name or port in the address is not valid"),
]

CLEANED = [
    (" https://www.samaritans.org/ ", "https://www.samaritans.org/"),
    ("\x01https://example.org/\x1f", "https://example.org/"),
    ("ht\ttps://example.org/a\nb\r", "https://example.org/ab"),
    ("HTTPS://Example.org/", "HTTPS://Example.org/"),
    ("//evil.example/", "//evil.example/"),  # protocol-relative: http(s), like the page
    ("mailto:someone@example.org", "mailto:someone@example.org"),
    ("tel:+44 116 123", "tel:+44%20116%20123"),
    ("https://example.org/a file.pdf", "https://example.org/a%20file.pdf"),
    ("stories/", "stories/"),
    ("#support", "#support"),
    # Browsers find no scheme in these, so they are relative addresses on this site: harmless.
    ("ｊａｖａｓｃｒｉｐｔ:alert(1)", "ｊａｖａｓｃｒｉｐｔ:alert(1)"),  # full-width letters
    ("javaſcript:alert(1)", "javaſcript:alert(1)"),  # the long s, which a case-blind regex takes for 's'
    ("jаvascript:alert(1)", "jаvascript:alert(1)"),  # a Cyrillic 'а'
    ("java script:alert(1)", "java%20script:alert(1)"),
    ("javascript%3Aalert(1)", "javascript%3Aalert(1)"),
    ("&#106;avascript:alert(1)", "&#106;avascript:alert(1)"),  # in YAML this is text, published as &amp;#106;
]


@pytest.mark.parametrize(("value", "reason"), REFUSED)
def test_hostile_addresses_are_refused_with_a_reason(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as refused:
        clean_url(value)
    assert "\n" not in str(refused.value) and "\t" not in str(refused.value)


@pytest.mark.parametrize(("value", "published"), CLEANED)
def test_addresses_are_published_as_a_browser_reads_them(value: str, published: str) -> None:
    assert clean_url(value) == published
    assert chromium_scheme(published) in (None, "http", "https", "mailto", "tel")


# --- a site with an address in every place one can be written ---------------------------------------

YAML_PLACES = {  # place -> (file, the field an error names)
    "support": ("site.yaml", "support, item 1, url"),
    "navigation": ("site.yaml", "navigation, item 2, url"),
    "lead": ("site.yaml", "lead.url"),
    "partners": ("projects/clay.yaml", "partners, item 1, url"),
    "people": ("people/ada-lovelace.yaml", "url"),
    "media": ("media/film.yaml", "url"),
    "publications": ("publications.yaml", "url"),
}
MARKDOWN_PLACES = ("markdown link", "markdown image", "raw link", "raw image", "description link")
PLACES = (*YAML_PLACES, *MARKDOWN_PLACES)


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value`, whatever characters it has."""
    def escaped(char: str) -> str:
        if char in '"\\':
            return "\\" + char
        if " " <= char <= "~":
            return char
        return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    return '"' + "".join(escaped(char) for char in value) + '"'


def write_addresses(site: Site, addresses: dict[str, str]) -> None:
    """Write every place of the site that holds an address: each from `addresses`, or a harmless one."""
    def q(place: str) -> str:
        return yaml_string(addresses.get(place, SAFE))

    def raw(place: str) -> str:
        return addresses.get(place, SAFE)

    write(site.content / "site.yaml", f"""
        title: Making Together
        description: Stories and artworks from a community arts programme.
        language: en-GB
        base_url: https://example.org/showcase/
        lead: {{name: The Clay Collective, url: {q("lead")}}}
        support:
          - name: Samaritans
            phone: "116 123"
            url: {q("support")}
        navigation:
          - {{title: Stories, url: stories/}}
          - {{title: Our partner, url: {q("navigation")}}}
        """)
    write(site.content / "projects/clay.yaml", f"""
        title: Clay together
        summary: Working with clay in a shared studio.
        practices: [craft]
        partners:
          - {{name: The Pottery, url: {q("partners")}}}
        description: {yaml_string(f"See [the pottery's page]({raw('description link')}).")}
        """)
    write(site.content / "people/ada-lovelace.yaml", f"""
        name: Ada Lovelace
        role: Potter
        projects: [clay]
        url: {q("people")}
        """)
    write(site.content / "media/film.yaml", f"""
        title: A morning in the studio
        kind: video
        url: {q("media")}
        project: clay
        transcript: The sound of the wheel.
        """)
    write(site.content / "publications.yaml", f"""
        - key: lovelace2016
          title: Clay and company
          authors: [Lovelace, Ada]
          year: 2016
          url: {q("publications")}
        """)
    story = site.content / "stories/second-story.md"
    head = story.read_text(encoding="utf-8").split("## Why")[0]
    story.write_text(head + "## Why\n\nWe sang.\n\n"
                     f"[Read the pottery's page]({raw('markdown link')})\n\n"
                     f"![A blue bowl on a shelf](<{raw('markdown image')}>)\n\n"
                     f'<p><a href="{raw("raw link")}">Read the pottery\'s page</a></p>\n\n'
                     f'<p><img src="{raw("raw image")}" alt="A blue bowl on a shelf"></p>\n', encoding="utf-8")


@pytest.fixture
def every_place(site: Site) -> Site:
    write_addresses(site, {})
    assert site.build() == 0
    return site


@pytest.mark.parametrize(("place", "written", "reason"), [
    *[(place, SCRIPT, "'javascript:' links are not allowed") for place in YAML_PLACES if place != "publications"],
    ("publications", "\thttps://example.org/\x01pottery", "invisible control character (U+0001)"),
])
def test_a_refused_address_in_a_yaml_field_is_an_error_at_its_line(every_place: Site, capsys, place: str,
                                                                    written: str, reason: str) -> None:
    before = snapshot(every_place.out)
    write_addresses(every_place, {place: written})
    assert every_place.build() == 1
    err = capsys.readouterr().err
    file, field = YAML_PLACES[place]
    rows = (every_place.content / file).read_text(encoding="utf-8").split("\n")
    line = next(number for number, row in enumerate(rows, 1) if yaml_string(written) in row)
    assert re.search(rf"content/{re.escape(file)}:{line}:\d+: error: (lovelace2016: )?{re.escape(field)}: "
                     rf".*{re.escape(reason)}", err), err
    assert "Traceback" not in err
    assert snapshot(every_place.out) == before


@pytest.mark.parametrize(("place", "written"), [
    ("markdown link", "java&#x09;script:window.__pwned=1"),
    ("markdown link", "<java\tscript:window.__pwned=1>"),
    ("markdown image", "JAVA&#10;SCRIPT:window.__pwned=1"),
    ("description link", "JavaScript&#x0A;:window.__pwned=1"),
    ("raw link", "java&#x09;script:window.__pwned=1"),
    ("raw link", "&#106;avascript:window.__pwned=1"),
    ("raw link", "java&Tab;script&colon;window.__pwned=1"),
    ("raw link", "\x01javascript:window.__pwned=1"),
    ("raw image", " JaVa&#13;ScRiPt:window.__pwned=1"),
])
def test_a_script_address_in_markdown_or_raw_html_is_an_error(every_place: Site, capsys, place: str,
                                                                written: str) -> None:
    write_addresses(every_place, {place: written})
    assert every_place.build() == 1
    err = capsys.readouterr().err
    assert re.search(r"content/(stories/second-story\.md|projects/clay\.yaml):\d+:\d+: error: "
                     r"(unsafe HTML: )?'javascript:' links are not allowed", err), err
    assert "Traceback" not in err


def test_addresses_are_published_as_a_browser_reads_them_in_every_field(every_place: Site) -> None:
    messy = " https://example.org/pot\tter \x01"
    write_addresses(every_place, {place: messy for place in (*YAML_PLACES, "raw link", "raw image")})
    assert every_place.build() == 0
    pages = every_place.pages()
    for page in ("index.html", "projects/clay/index.html", "people/index.html", "media/film/index.html",
                 "publications/index.html", "stories/second-story/index.html"):
        assert 'href="https://example.org/potter"' in pages[page], page
        assert "pot\tter" not in pages[page] and "\x01" not in pages[page], page
    assert '<img src="https://example.org/potter"' in pages["stories/second-story/index.html"]


# --- the property: whatever is written, no page links to a script -----------------------------------

REMOVED_BY_BROWSERS = st.sampled_from(["\t", "\n", "\r"])
REFERENCES = st.sampled_from(["&#9;", "&#x09;", "&Tab;", "&NewLine;", "&#10;", "&#13;", "&#x0;", "&colon;", "&#58;"])
OTHER_NOISE = st.sampled_from(["\x00", "\x01", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\xa0", "\u200b", "%09", "\\",
                               " ", "é", "\U0001f3fa"])
ENDS = st.characters(max_codepoint=0x20)  # C0 controls and the space, which browsers strip from both ends
LOOKALIKES = {"a": ["а", "ａ"], "s": ["ſ"], "i": ["ı", "і"], "j": ["ｊ"], "t": ["ｔ"]}
DANGEROUS = [("javascript", "window.__pwned=1"), ("javascript", "alert(1)//%0A"), ("vbscript", "msgbox(1)"),
             ("data", "text/html,<script>window.__pwned=1</script>")]
HARMLESS = [("https", "//example.org/partner"), ("http", "//example.org/"), ("mailto", "someone@example.org"),
            ("tel", "+44 116 123")]


@st.composite
def disguised(draw: st.DrawFn, schemes: list[tuple[str, str]], noise: st.SearchStrategy[str],
              lookalikes: dict[str, list[str]]) -> str:
    """An address whose scheme is written in mixed case and look-alike letters, with `noise` inside it,
    ends that browsers strip, and any character after it."""
    scheme, rest = draw(st.sampled_from(schemes))
    letters = []
    for letter in scheme:
        if draw(st.integers(0, 4)) == 0:
            letters.append(draw(noise))
        letters.append(draw(st.sampled_from([letter] * 3 + [letter.upper()] * 2 + lookalikes.get(letter, []))))
    colon = draw(st.sampled_from([":"] * 4 + [draw(noise) + ":"]))
    lead = draw(st.lists(st.one_of(ENDS, ENDS, noise), max_size=3))
    tail = draw(st.lists(st.one_of(ENDS, ENDS, st.characters()), max_size=2))
    return "".join(lead) + "".join(letters) + colon + rest + "".join(tail)


# Script addresses disguised every way we know; and harmless ones disguised only in ways browsers undo.
hostile_addresses = st.one_of(
    disguised(DANGEROUS, st.one_of(REMOVED_BY_BROWSERS, REFERENCES, OTHER_NOISE), LOOKALIKES),
    disguised(HARMLESS, REMOVED_BY_BROWSERS, {}),
)


@pytest.fixture(scope="module")
def skeleton(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("hostile"))


@settings(max_examples=40, deadline=None)
@given(places=st.sets(st.sampled_from(PLACES), min_size=1, max_size=2), address=hostile_addresses)
@example(places={"support"}, address=SCRIPT)
@example(places={"navigation", "people"}, address="\x01javascript:window.__pwned=1")
@example(places={"partners", "media"}, address="java\nscript:window.__pwned=1")
def test_no_built_page_links_to_a_script(skeleton: Site, places: set[str], address: str) -> None:
    write_addresses(skeleton, dict.fromkeys(places, address))
    result = build(BuildOptions(content=skeleton.content, out=skeleton.out, cache=skeleton.root / ".showcase-cache",
                                workers=1, search=False))
    if result.failed:  # refused: nothing was published, and each problem is told on one line
        errors = [d for d in result.diagnostics.items if d.severity == "error"]
        assert errors and all(len(d.format().splitlines()) == 1 for d in errors), [d.format() for d in errors]
        return
    assert script_links(skeleton.out) == []


# --- feeds stay XML whatever characters the text holds ------------------------------------------------

def test_control_characters_in_text_never_make_a_feed_unreadable(site: Site) -> None:
    config = site.content / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "description: Stories and artworks from a community arts programme.",
        'description: "Stories\\x02 and artworks\\x1b."\nbase_url: https://example.org/showcase/'), encoding="utf-8")
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8")
                     .replace("title: First light", 'title: "First\\x01 li\\x08ght\\x0c\\ufffe"')
                     .replace("summary: How a morning class became a lifeline.", 'summary: "A morning\\x0b class."')
                     .replace("name: Jane Quinnell", 'name: "Jane\\x1f Quinnell"'), encoding="utf-8")
    assert site.build() == 0
    for feed in ("feed.xml", "projects/clay/feed.xml"):
        root = ET.parse(site.out / feed).getroot()  # raises on a file that is not well-formed XML
        atom = "{http://www.w3.org/2005/Atom}"
        titles = [entry.findtext(f"{atom}title") for entry in root.iter(f"{atom}entry")]
        assert "First light" in titles, (feed, titles)
        assert root.findtext(f"{atom}subtitle") == "Stories and artworks."
    ET.parse(site.out / "sitemap.xml")


def test_control_characters_written_as_escapes_are_left_out_of_pages_and_said_at_their_line(site: Site, capsys) -> None:
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text(encoding="utf-8")
                     .replace("title: First light", 'title: "First\\x01 li\\x08ght\\ufffe"')
                     .replace("summary: How a morning class became a lifeline.", 'summary: "A morning\\x85 class."'),
                     encoding="utf-8")
    project = site.content / "projects/clay.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        "title: Clay together", 'title: "Clay\\x1b together"'), encoding="utf-8")
    assert site.build() == 0
    said = capsys.readouterr().err
    lines = story.read_text(encoding="utf-8").splitlines()
    title_line = next(n for n, line in enumerate(lines, 1) if line.startswith("title:"))
    summary_line = next(n for n, line in enumerate(lines, 1) if line.startswith("summary:"))
    # (paths are said relative to the folder the command runs in)
    assert f"stories/first-light.md:{title_line}:1: warning: title: holds an invisible control character (U+0001)" in said
    assert f"stories/first-light.md:{summary_line}:1: warning: summary: holds an invisible control character (U+0085)" in said
    assert "projects/clay.yaml:1:1: warning: title: holds an invisible control character (U+001B)" in said
    invisible = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
    for name, html in site.pages().items():
        assert not invisible.search(html), name
    assert "<h1>First light</h1>" in site.page("stories/first-light") or "First light</h1>" in site.page("stories/first-light")
    assert "Clay together" in site.page("projects/clay")


def test_control_characters_typed_into_a_body_are_left_out_and_said(site: Site, capsys) -> None:
    story = site.content / "stories/second-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("We sang.", "We\x07 sang."), encoding="utf-8")
    assert site.build() == 0
    said = capsys.readouterr().err
    line = next(n for n, text in enumerate(story.read_text().splitlines(), 1) if "sang" in text)
    assert f"stories/second-story.md:{line}:3: warning: this line holds an invisible control character (U+0007)" in said
    assert "\x07" not in site.page("stories/second-story") and "We sang." in site.page("stories/second-story")


def test_content_files_named_with_characters_html_and_addresses_give_a_meaning(site: Site) -> None:
    """A file named `q&a.md`, `say "hi".md` or `part #2.md`, or an image `r&d.jpg`: links and images to them go
    to their pages, not to the home page (they went there, with no word said)."""
    story = (site.content / "stories/second-story.md").read_text()
    for name, title in [("q&a.md", "Questions"), ('say "hi".md', "Greetings"), ("part #2.md", "Part two"),
                        ("100% clay.md", "All clay")]:
        (site.content / "stories" / name).write_text(story.replace("title: Second story", f"title: {title}"))
    (site.content / "artworks/r&d.jpg").write_bytes((site.content / "artworks/bowl.jpg").read_bytes())
    write(site.content / "artworks/r&d.yaml", """
        title: Research and making
        alt: Two bowls side by side.
        """)
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text() + "\nRead the [Q&A](q&a.md#why), [hi](say%20%22hi%22.md), [two](part%20%232.md)"
                    " and [all](100%25%20clay.md).\n\n![Side by side](../artworks/r&d.jpg)\n")
    assert site.build() == 0
    page = (site.out / "stories/first-light/index.html").read_text()
    links = re.search(r"Read the (.*?)</p>", page).group(1)
    assert re.findall(r'href="([^"]*)"', links) == ["../q-a/#why", "../say-hi/", "../part-2/", "../100-clay/"]
    assert 'alt="Side by side"' in page and re.search(r'<img[^>]+alt="Side by side"', page)
    image = re.search(r'<img[^>]+alt="Side by side"[^>]*>', page).group(0)
    assert 'src="../../images/r-d-' in image
