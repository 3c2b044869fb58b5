"""The example showcase tells its stories in more than one form (issue 14, item 8): an interview in questions and
answers, a poem with its context, a photo essay led by its pictures and a short reflective note. Each is built
from content/ and read back from the page as that form, not as one more essay in headed sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitekit import REPO, Site, write

INTERVIEW, POEM = "clapping-on-the-edge-of-the-circle", "walking-the-shoreline"
PHOTO_ESSAY, NOTE = "weaving-on-thursdays", "a-corner-of-my-own"


@dataclass
class Block:
    """One top-level element of a story's body: its tag, its text and the tags inside it."""
    tag: str
    text: str = ""
    inner: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=lambda: [""])  # text split at <br>


class _Body(HTMLParser):
    """The top-level blocks of <div id="story-body">, each with its text and inner tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # element depth inside the story body; 0 when outside it
        self.blocks: list[Block] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.depth:
            self.depth = 1 if tag == "div" and ("id", "story-body") in attrs else 0
            return
        if self.depth == 1:
            self.blocks.append(Block(tag))
        else:
            self.blocks[-1].inner.append(tag)
            if tag == "br":
                self.blocks[-1].lines.append("")
                return
        if tag not in ("img", "source", "br"):  # void elements have no end tag
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in ("img", "source", "br"):
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 1:
            self.blocks[-1].text += data
            self.blocks[-1].lines[-1] += data


def body(page: str) -> list[Block]:
    parser = _Body()
    parser.feed(page)
    assert parser.blocks, "no story body found"
    return parser.blocks


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site (content/), built once for this module."""
    from showcase.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("example")
    result = build(BuildOptions(content=REPO / "content", out=root / "site", cache=root / "cache"))
    assert not result.failed, [d.format() for d in result.diagnostics.sorted()]
    assert not [d.format() for d in result.diagnostics.sorted() if d.severity == "warning"]
    return root / "site"


def story(example: Path, slug: str) -> str:
    return (example / "stories" / slug / "index.html").read_text(encoding="utf-8")


def test_the_interview_is_questions_and_answers(example: Path):
    blocks = body(story(example, INTERVIEW))
    lists = [b for b in blocks if b.tag == "dl"]
    assert len(lists) == 1 and "h2" not in [b.tag for b in blocks]  # questions, not headed sections
    inner = lists[0].inner
    assert inner.count("dt") >= 5 and inner.count("dd") == inner.count("dt")
    html = story(example, INTERVIEW)
    questions = html[html.index("<dl>"):html.index("</dl>")].split("<dt>")[1:]
    for question in questions:
        asked, answered = question.split("</dt>", 1)
        assert asked.rstrip().endswith("?"), asked
        # every answer says who is speaking, in words a screen reader reads out
        assert answered.lstrip().startswith("<dd>\n<p><strong>") and ":</strong>" in answered, answered[:80]
    # the authors as they chose to be shown: initials and anonymous, never their names
    assert "By M.D.O. and Anonymous contributor" in html
    assert not {"Marcus", "Delaney", "Tamsin", "Greaves"} & set(re.findall(r"\w+", html))
    assert set(re.findall(r"<dd>\n<p><strong>([^<]+):</strong>", html)) == {"Support worker", "M.D.O."}

def test_the_poem_keeps_its_lines_and_its_context(example: Path):
    html = story(example, POEM)
    blocks = body(html)
    stanzas = [b for b in blocks if b.tag == "p" and b.inner.count("br") >= 3]
    assert len(stanzas) >= 5, [b.text[:30] for b in blocks]
    lines = [line.strip() for stanza in stanzas for line in stanza.lines]
    assert all(0 < len(line) <= 32 for line in lines), [x for x in lines if len(x) > 32]  # one line on a phone
    first = blocks.index(stanzas[0])
    before = [b for b in blocks[:first] if b.tag == "p"]
    assert len(before) >= 2 and not any("br" in b.inner for b in before)  # the context comes first, in prose
    assert blocks[first - 1].tag == "h2" and blocks[first - 1].text.strip() == "Low water"  # the poem's title
    # mentions a hospital stay and thoughts of self-harm: the note and the support beside it come first
    assert html.index('class="content-note') < html.index('id="story-body"')
    assert "self-harm" in html[html.index('class="content-note'):html.index('id="story-body"')]


def test_the_photo_essay_is_led_by_its_pictures(example: Path):
    html = story(example, PHOTO_ESSAY)
    blocks = body(html)
    figures = [b for b in blocks if b.tag == "figure"]
    assert len(figures) >= 3
    words = sum(len(b.text.split()) for b in blocks if b.tag == "p")
    assert words <= 60 * (len(figures) + 1), words  # a caption or two for each picture, the lead included
    for index, block in enumerate(blocks):
        if block.tag == "figure":  # each picture is followed by a caption of its own
            assert index + 1 < len(blocks) and blocks[index + 1].tag == "p", block.text
    assert 'class="story-hero story-hero--full"' in html  # the lead picture comes before the title
    assert html.index("story-hero--full") < html.index("<h1>")
    assert "h2" not in [b.tag for b in blocks]


def test_the_reflective_note_is_a_few_paragraphs_and_nothing_else(example: Path):
    blocks = body(story(example, NOTE))
    assert [b.tag for b in blocks] in (["p"] * 2, ["p"] * 3), [b.tag for b in blocks]
    assert 150 <= sum(len(b.text.split()) for b in blocks) <= 450


def test_the_forms_are_written_in_plain_markdown(site: Site):
    """What the example's forms rely on, in a small site: a definition list is questions and answers, and a
    backslash at the end of a line keeps a poem's line break, with no raw HTML in the story."""
    write(site.content / "stories/forms.md", """
        ---
        title: Forms
        date: 2015-01-01
        summary: s
        authors: [A]
        consent: recorded
        ---
        What did you make?
        :   **A:** A song.

            **B:** Half of one.

        The tide went out\\
        and came back.
        """)
    assert site.build() == 0
    html = site.page("stories/forms")
    assert "<dl>\n<dt>What did you make?</dt>\n<dd>\n<p><strong>A:</strong> A song.</p>\n" in html
    assert "<p><strong>B:</strong> Half of one.</p>\n</dd>\n</dl>" in html
    assert "<p>The tide went out<br />\nand came back.</p>" in html or "<p>The tide went out<br>\nand came back.</p>" \
        in html
