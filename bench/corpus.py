"""A seeded, valid showcase content folder of any size, for the build benchmark.

Usage: python bench/corpus.py OUT_DIR --stories N --artworks M [--seed S] [--force]

Writes site.yaml, about a dozen projects, M artworks (small generated JPEGs with sidecars), N
stories with realistic front matter and 400-900 word bodies (headings, lists, quotes, links to
other stories, the odd artwork image), a few pages, people and a final report. The same seed
always gives the same files. A folder that already holds exactly the requested corpus (its
.bench-corpus.json marker records sizes, seed and a hash of this file) is reused, not rewritten.
Importable: make_corpus(path, stories, artworks, seed, force=False).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path

MARKER = ".bench-corpus.json"  # discover() ignores dot files, so this never becomes content
CORPUS_VERSION = 1  # bump when the generated files change for a given seed

IMAGE_SIZE = (800, 600)

PRACTICES = ["music", "drama", "visual-art", "writing", "heritage", "photography", "dance", "craft",
             "film", "ceramics"]

TAGS = [
    "recovery", "belonging", "friendship", "carers", "loneliness", "confidence", "grief", "hope",
    "identity", "voice", "listening", "nature", "the-city", "home", "memory", "family", "parenthood",
    "ageing", "young-people", "work", "volunteering", "peer-support", "isolation", "routine",
    "rehearsal", "performance", "exhibition", "workshops", "mutual-recovery", "wellbeing", "anxiety",
    "depression", "psychosis", "bipolar", "dementia", "trauma", "birth", "loss", "humour", "play",
    "learning", "skills", "teaching", "community", "library", "museum", "hospital", "college",
    "online", "walking", "gardening", "making-together", "improvisation", "storytelling",
    "digital-stories", "song-writing", "clay", "weaving", "capoeira", "research",
]

FIRST_NAMES = [
    "Amira", "Ben", "Carys", "Dev", "Eleanor", "Femi", "Grace", "Harvey", "Isla", "Jonah", "Kiran",
    "Lowri", "Maya", "Nasir", "Olwen", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Una", "Viktor",
    "Wen", "Yusuf", "Zoe", "Aled", "Bronwen", "Callum", "Dilys", "Ewan", "Fatima", "Gethin", "Hana",
    "Imran", "Jess", "Kwame", "Leila", "Morag", "Niamh", "Owen", "Pat", "Rhys", "Siobhan", "Tom",
]
LAST_NAMES = [
    "Adeyemi", "Barker", "Chaudhry", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal", "Jones",
    "Kowalski", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh",
    "Thomas", "Udeh", "Vaughan", "Williams", "Xu", "Young", "Zielinski", "Ahmed", "Bell", "Clarke",
    "Dunn", "Ellis", "Foster", "Green", "Hart", "Kaur", "Lloyd", "Morgan", "Nicholls", "Owusu",
]

PLACES = ["Nottingham", "Derby", "Leicester", "Wolverhampton", "Falmouth", "Lambeth", "Chelsea",
          "the community centre", "the college", "the library", "the hospital day unit",
          "a church hall", "the studio upstairs", "the museum", "the allotment", "the old mill"]
OBJECTS = ["a lump of clay", "a borrowed guitar", "a sketchbook", "an old camera", "a drum",
           "a loom", "a box of photographs", "a notebook", "a handful of seeds", "a script",
           "a berimbau", "a tablet and a microphone", "a bag of wool", "a map of the town"]
FEELINGS = ["nervous", "curious", "out of place", "tired", "hopeful", "stuck", "listened to",
            "calmer", "braver", "less alone", "proud", "surprised", "at home", "useful"]
TIMES = ["on a wet Tuesday", "in the first week", "by the third session", "after the break",
         "that winter", "in the spring", "on the last evening", "most Thursdays", "over the summer",
         "after a few months", "on the day of the performance", "late one afternoon"]
PRACTICE_WORDS = {
    "music": "playing music", "drama": "improvising scenes", "visual-art": "painting",
    "writing": "writing", "heritage": "sorting through the archive", "photography": "taking photographs",
    "dance": "moving together", "craft": "weaving", "film": "making a short film",
    "ceramics": "working with clay",
}

SENTENCES = [
    "I first came to {place} {time}, and I remember feeling {feeling}.",
    "Nobody asked me why I was there, which was a relief.",
    "We started by {practice}, and nobody seemed to mind that I had never done it before.",
    "{name} handed me {object} and said there was no wrong way to begin.",
    "It took me a long time to say anything in the group, but {practice} gave me something to do with my hands.",
    "Looking back, it was the tea breaks as much as the sessions that mattered.",
    "Some weeks I only managed to sit at the edge of the room and watch.",
    "By the end I felt {feeling}, which I had not expected at all.",
    "The facilitators never pretended to be experts in our lives, and that changed things.",
    "We were all learning, the staff and the volunteers and the people who had been unwell.",
    "{name} says the best thing about it was that nobody was a patient in that room.",
    "There were days when the work went badly, and those were often the days we talked most.",
    "I kept {object} on the shelf at home for months afterwards.",
    "My daughter came to the last session and could not believe I had made it.",
    "It is hard to explain what changed, only that I started going out again.",
    "We argued about the title for three weeks and then chose the first one anyone had suggested.",
    "The researchers asked good questions, and sometimes they answered their own questions too.",
    "When {name} was away for a month, the group sent cards and a photograph of the work.",
    "I do not think of myself as an artist, but I think of myself as someone who makes things now.",
    "{time} we showed what we had made to an audience of friends, family and strangers.",
    "Being a carer can make you forget that you are also a person with your own interests.",
    "It was the first time in years that someone had asked what I thought and then waited for the answer.",
    "{practice} gave the week a shape when everything else felt shapeless.",
    "There was always room for one more chair at the table.",
    "Nobody was in charge of getting better; we just kept turning up for each other.",
    "I had been {feeling} for a long time before this, and I still am some days.",
    "The building itself was cold and the radiators clanked, but we stopped noticing.",
    "Afterwards a few of us carried on meeting at {place} without anyone organising it.",
    "We learned the names of each other's children, dogs and favourite biscuits.",
    "If I could tell someone starting out one thing, it would be to give it three weeks.",
    "What surprised the researchers was how often the staff said they had changed too.",
    "Some of the work is on the walls of {place} now, which still makes me smile.",
    "I left most sessions {feeling}, even the ones that started badly.",
    "{name} kept a diary of the sessions, and parts of it are quoted in the final report.",
]

HEADINGS = ["How it started", "The first sessions", "What we made", "What changed", "Looking back",
            "Why it mattered", "The performance", "Working together", "Afterwards", "In my own words",
            "What the group meant", "Finding a voice", "Things I would tell others", "A hard week"]

LIST_ITEMS = [
    "turning up, even on the bad days", "a cup of tea before anything else", "being allowed to make mistakes",
    "learning everyone's name", "the walk home with {name}", "showing the work to my family",
    "having something to look forward to", "not having to explain myself", "the music at the end",
    "{object}", "the sessions at {place}", "laughing more than I expected", "being asked what I thought",
    "a quiet corner when I needed one", "the certificate, which I pretended not to care about",
]

QUOTES = [
    "It was the first place in years where I was not the person with the problem.",
    "We came for the {practice} and stayed for each other.",
    "Nobody was there to fix anybody.",
    "I found out I could still learn something new.",
    "The group held me when I could not hold myself.",
]

TITLE_START = ["Finding", "Making", "Learning", "Holding", "Keeping", "Sharing", "Building", "Carrying",
               "Mending", "Singing", "Painting", "Writing", "Weaving", "Walking", "Listening to"]
TITLE_END = ["my voice", "the rhythm", "our ground", "a place at the table", "the thread", "the light",
             "each other", "the song", "something new", "the quiet", "the clay", "a way back",
             "the old photographs", "the river", "the first step", "our story", "the colours",
             "what matters", "the beat", "the garden"]
TITLE_VERBS = ["gave me", "taught us", "changed", "made possible", "meant to me", "opened up", "left behind"]
TITLE_TAIL = ["", " in {place}", " together", " again", " at {place}", ", week by week",
              " with {name}", " after all"]

ART_MEDIA = ["Oil pastel on paper", "Acrylic on canvas", "Glazed stoneware", "Watercolour",
             "Wool and cotton, woven", "Digital photograph", "Collage", "Ink on paper", "Linocut print",
             "Charcoal", "Monoprint", "Mixed media"]
ART_TITLES = ["Blue", "River", "Hands", "Window", "Harvest", "Threshold", "Nest", "Shore", "Lantern",
              "Orchard", "Bridge", "Echo", "Tide", "Hearth", "Meadow", "Signal", "Kiln", "Chorus"]
ART_ADJ = ["Quiet", "Broken", "Mended", "Morning", "Evening", "Northern", "Second", "Open", "Little",
           "Slow", "Bright", "Shared", "Winter", "Summer"]
COLOURS = ["deep blue", "ochre", "rose", "sea green", "charcoal grey", "gold", "rust red", "cream",
           "violet", "pale yellow"]

PROJECT_NAMES = [
    ("Making music together", ["music"]), ("Clay and conversation", ["ceramics", "craft"]),
    ("Digital dialogues", ["film", "writing"]), ("Community and capoeira", ["dance", "music"]),
    ("Birth stories", ["visual-art", "writing"]), ("Heritage in common", ["heritage", "photography"]),
    ("The writing room", ["writing"]), ("Woven together", ["craft"]),
    ("Stage and street", ["drama"]), ("Lens on the city", ["photography"]),
    ("Moving minds", ["dance"]), ("Painting the estuary", ["visual-art"]),
]


def _slugify(text: str) -> str:
    out, dash = [], False
    for ch in text.lower():
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _fill(template: str, rng: random.Random) -> str:
    if "{" not in template:
        return template
    return template.format(
        place=rng.choice(PLACES), time=rng.choice(TIMES), feeling=rng.choice(FEELINGS),
        name=rng.choice(FIRST_NAMES), object=rng.choice(OBJECTS),
        practice=PRACTICE_WORDS[rng.choice(PRACTICES)],
    )


def _sentence(rng: random.Random) -> str:
    text = _fill(rng.choice(SENTENCES), rng)
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, low: int = 3, high: int = 6) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.25:  # some inline emphasis
        i = rng.randrange(len(sentences))
        words = sentences[i].split(" ")
        j = rng.randrange(len(words))
        if words[j].isalpha():
            words[j] = f"*{words[j]}*"
        sentences[i] = " ".join(words)
    return " ".join(sentences)


def _title(rng: random.Random) -> str:
    form = rng.random()
    if form < 0.5:
        return f"{rng.choice(TITLE_START)} {rng.choice(TITLE_END)}{_fill(rng.choice(TITLE_TAIL), rng)}"
    if form < 0.75:
        return f"{rng.choice(TITLE_START)} {rng.choice(TITLE_END)}: {rng.choice(FIRST_NAMES)}'s story"
    practice = PRACTICE_WORDS[rng.choice(PRACTICES)]
    return f"What {practice} {rng.choice(TITLE_VERBS)}{_fill(rng.choice(TITLE_TAIL), rng)}"


def _words(text: str) -> int:
    return len(text.split())


# --- parts of the folder --------------------------------------------------------------------


def _site_yaml(rng: random.Random) -> str:
    return f"""# Generated by bench/corpus.py
title: "Creative Practice Benchmark Programme"
short_title: CPBP
tagline: "Music, clay, film, dance and writing made together"
description: >-
  A generated showcase for benchmarking: stories, artworks and projects of a community creative
  practice programme, written to look like the real thing.
language: en-GB
base_url: "https://example.org/showcase/"
funder: "Arts and Humanities Research Council"
grant: AH/X000000/1
lead:
  name: "Professor {_name(rng)}"
  role: "Principal investigator"
partners:
  - name: "University of Nottingham"
    role: "Lead institution"
  - name: "Royal College of Music"
    role: "Co-investigator institution"
  - name: "Mental Health Foundation"
    url: "https://www.mentalhealth.org.uk"
    role: "Collaborating partner"
period:
  start: 2013
  end: 2018
quote:
  text: "Who is helping whom today, who is recovering whom?"
  attribution: "A participant"
support:
  - name: "Samaritans"
    description: "Someone to talk to about anything that is troubling you, day or night. Calls are free."
    phone: "116 123"
    url: "https://www.samaritans.org"
  - name: "Shout"
    description: "A free, confidential text service for anyone who is struggling to cope, at any time."
    text: "Text SHOUT to 85258"
    url: "https://giveusashout.org"
  - name: "NHS 111"
    description: "Urgent help for your mental health: call 111 and choose the mental health option."
    phone: "111"
    url: "https://111.nhs.uk"
"""


def _image(rng: random.Random):
    """A cheap but image-like JPEG source: a two-colour gradient with a few soft shapes."""
    from PIL import Image, ImageDraw

    w, h = IMAGE_SIZE
    top, bottom = (tuple(rng.randrange(256) for _ in range(3)) for _ in range(2))
    gradient = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), gradient)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 10)):
        x, y = rng.randrange(w), rng.randrange(h)
        rw, rh = rng.randint(30, 300), rng.randint(30, 240)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.6 else draw.rectangle
        shape((x - rw, y - rh, x + rw, y + rh), fill=colour)
    return img


def _credit_yaml(rng: random.Random, indent: str) -> str:
    """A name string or a {name, display} mapping, as authors and artists may be written."""
    name = _name(rng)
    roll = rng.random()
    if roll < 0.12:
        return f"{indent}name: {_q(name)}\n{indent}display: initials"
    if roll < 0.20:
        return f"{indent}name: {_q(name)}\n{indent}display: anonymous"
    return ""  # plain string; caller writes it


def corpus_key(stories: int, artworks: int, seed: int) -> dict:
    """What a corpus depends on: a folder whose marker has these values need not be generated again."""
    generator = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    return {"version": CORPUS_VERSION, "generator": generator, "stories": stories, "artworks": artworks,
            "seed": seed}


def existing_corpus(path: Path | str, stories: int, artworks: int, seed: int = 1) -> dict | None:
    """The marker of the corpus at `path` if it is exactly this one (same sizes, seed and generator)."""
    wanted = corpus_key(stories, artworks, seed)
    try:
        marker = json.loads((Path(path) / MARKER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and {k: marker.get(k) for k in wanted} == wanted else None


def make_corpus(path: Path | str, stories: int, artworks: int, seed: int = 1, force: bool = False) -> dict:
    """Write the content folder at `path`, replacing an earlier corpus there, unless it already holds
    exactly this corpus (then it is reused; `force` writes it anyway). Returns its marker, with
    "reused" true or false."""
    if not force:
        marker = existing_corpus(path, stories, artworks, seed)
        if marker is not None:
            return {**marker, "reused": True}
    started = time.perf_counter()
    root = Path(path)
    if root.exists():
        if any(root.iterdir()) and not (root / MARKER).is_file():
            raise SystemExit(f"{root} is not empty and was not made by bench/corpus.py; choose another folder")
        shutil.rmtree(root)
    for folder in ("projects", "stories", "artworks", "pages", "reports", "people"):
        (root / folder).mkdir(parents=True)
    rng = random.Random(seed)

    (root / "site.yaml").write_text(_site_yaml(rng), "utf-8")

    # Artworks first: projects and stories point at them.
    art_slugs: list[str] = []
    for i in range(artworks):
        base = _slugify(f"{rng.choice(ART_ADJ)} {rng.choice(ART_TITLES)}")
        art_slugs.append(f"{base}-{i + 1}")
    project_slugs = [_slugify(name) for name, _ in PROJECT_NAMES]

    for i, slug in enumerate(art_slugs):
        art_rng = random.Random(f"{seed}-artwork-{i}")
        _image(art_rng).save(root / "artworks" / f"{slug}.jpg", "JPEG", quality=85)
        title = slug.rsplit("-", 1)[0].replace("-", " ").capitalize()
        colour, second = rng.sample(COLOURS, 2)
        lines = [f"title: {_q(title)}",
                 "alt: " + _q(f"An abstract {rng.choice(ART_MEDIA).lower()} in {colour} and {second}: "
                              "soft rounded shapes over a fading ground.")]
        credit = _credit_yaml(rng, "  ")
        lines.append(f"artist:\n{credit}" if credit else f"artist: {_q(_name(rng))}")
        lines += [f"year: {rng.randint(2013, 2018)}", f"medium: {_q(rng.choice(ART_MEDIA))}",
                  f"dimensions: \"{rng.randint(20, 120)} × {rng.randint(20, 120)} cm\"",
                  f"project: {project_slugs[i % len(project_slugs)]}",
                  "credit: \"Generated for the build benchmark\"", "licence: \"CC BY-NC 4.0\""]
        if rng.random() < 0.5:
            lines.append("description: |\n  " + _paragraph(rng, 2, 4) + "\n\n  " + _paragraph(rng, 2, 3))
        (root / "artworks" / f"{slug}.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # Projects
    for i, ((name, practices), slug) in enumerate(zip(PROJECT_NAMES, project_slugs)):
        start = rng.randint(2013, 2015)
        lines = [f"title: {_q(name)}", f"summary: {_q(_sentence(rng))}",
                 f"practices: [{', '.join(practices)}]",
                 f"period:\n  start: {start}\n  end: {start + rng.randint(1, 3)}",
                 "partners:\n  - \"Royal College of Music\"\n  - name: \"Studio Upstairs\"\n    url: \"https://example.org/studio\"",
                 f"lead: {_q(_name(rng))}"]
        if art_slugs:
            lines.append(f"hero: {art_slugs[i % len(art_slugs)]}")
        lines.append("description: |\n  " + "\n\n  ".join(_paragraph(rng) for _ in range(3)))
        if i % 3 == 0:
            lines.append(f"events:\n  - title: \"Sharing evening\"\n    start: {start + 1}-06-{rng.randint(10, 28)}\n"
                         f"    place: {_q(rng.choice(PLACES))}\n"
                         "    summary: \"Work from the year, shown to friends and family.\"")
        (root / "projects" / f"{slug}.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # People
    for i in range(6):
        name = _name(rng)
        slug = f"{_slugify(name)}-{i + 1}"
        (root / "people" / f"{slug}.yaml").write_text(
            f"name: {_q(name)}\nrole: \"Researcher\"\naffiliation: \"University of Nottingham\"\n"
            f"projects: [{project_slugs[i]}, {project_slugs[i + 6]}]\nbio: |\n  {_paragraph(rng, 2, 3)}\n", "utf-8")

    # Stories: all titles and slugs first, so bodies can link to any other story.
    story_slugs: list[str] = []
    titles: list[str] = []
    seen: set[str] = set()
    for i in range(stories):
        title = _title(rng)
        slug = _slugify(title)
        if slug in seen:
            n = 2
            while f"{slug}-{n}" in seen:
                n += 1
            slug = f"{slug}-{n}"
        seen.add(slug)
        story_slugs.append(slug)
        titles.append(title)

    first_day = dt.date(2013, 1, 1).toordinal()
    last_day = dt.date(2018, 12, 31).toordinal()
    total_words = 0
    for i, (slug, title) in enumerate(zip(story_slugs, titles)):
        date = dt.date.fromordinal(rng.randint(first_day, last_day))
        front = [f"title: {_q(title)}", f"date: {date.isoformat()}",
                 f"summary: {_q(_sentence(rng) + ' ' + _sentence(rng))}", "authors:"]
        for _ in range(1 if rng.random() < 0.75 else 2):
            credit = _credit_yaml(rng, "    ")
            front.append("  -" + credit[3:] if credit else f"  - {_q(_name(rng))}")
        front.append("consent: recorded")
        if rng.random() < 0.9:
            front.append(f"project: {rng.choice(project_slugs)}")
        front.append(f"practices: [{', '.join(rng.sample(PRACTICES, rng.randint(1, 3)))}]")
        front.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 4)))}]")
        story_art: list[str] = []
        if art_slugs and rng.random() < 0.2:
            story_art = rng.sample(art_slugs, min(len(art_slugs), rng.randint(1, 2)))
            front.append(f"artworks: [{', '.join(story_art)}]")
        if art_slugs and rng.random() < 0.15:
            front.append(f"hero: {rng.choice(art_slugs)}")
            if rng.random() < 0.1:
                front.append("layout: feature")
        if rng.random() < 0.04:
            front.append("content_note: \"mentions self-harm and a stay in hospital\"")

        # Body: 400-900 words; one or two `##` sections, a list, a link to another story, and
        # sometimes a blockquote or an artwork image, among plain paragraphs.
        target = rng.randint(400, 900)
        specials = ["list", "link"]
        if rng.random() < 0.35:
            specials.append("quote")
        if art_slugs and rng.random() < 0.1:
            specials.append("image")
        rng.shuffle(specials)
        blocks: list[str] = []
        words = 0
        while words < target or specials:
            kind = specials.pop() if specials and len(blocks) >= 2 and rng.random() < 0.4 else "p"
            if kind == "list":
                items = [_fill(rng.choice(LIST_ITEMS), rng) for _ in range(rng.randint(3, 5))]
                block = "What helped most:\n\n" + "\n".join(f"- {x[0].upper()}{x[1:]}" for x in items)
            elif kind == "link":
                other = rng.randrange(stories)
                if other == i:
                    other = (i + 1) % stories
                block = (f"{_paragraph(rng, 2, 3)} You can also [read \u2018{titles[other]}\u2019]"
                         f"({story_slugs[other]}.md), another story from the group.")
                if other == i:  # a corpus of one story: link to itself
                    block = _paragraph(rng)
            elif kind == "quote":
                block = f"> {_fill(rng.choice(QUOTES), rng)}\n>\n> \u2014 {rng.choice(FIRST_NAMES)}"
            elif kind == "image":
                block = f"![](../artworks/{rng.choice(art_slugs)}.jpg)"
            else:
                block = _paragraph(rng)
            blocks.append(block)
            words += _words(block)
        headings = rng.sample(HEADINGS, 1 if len(blocks) < 6 or rng.random() < 0.4 else 2)
        at = [2, max(3, len(blocks) * 2 // 3)][: len(headings)]
        for heading, index in sorted(zip(headings, at), key=lambda hx: -hx[1]):
            blocks.insert(min(index, len(blocks)), f"## {heading}")
        total_words += words
        text = "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(blocks) + "\n"
        (root / "stories" / f"{slug}.md").write_text(text, "utf-8")

    # Pages and the final report
    pages = {
        "about": ("About this showcase", 1, [_paragraph(rng), "## Who took part", _paragraph(rng), _paragraph(rng)]),
        "accessibility": ("Accessibility statement", 2, [
            _paragraph(rng, 2, 3), "## Known issues",
            "- Some older PDFs are not tagged\n- A few videos have no audio description"]),
        "get-support": ("Get support", None, [
            "If anything in these stories has affected you, support is available.", _paragraph(rng, 2, 3)]),
    }
    for slug, (title, order, blocks) in pages.items():
        nav = f"nav_order: {order}\n" if order else ""
        (root / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {_q(title)}\nsummary: {_q(_sentence(rng))}\n{nav}---\n\n" + "\n\n".join(blocks) + "\n",
            "utf-8")
    report_blocks = []
    for heading in ("Summary", "What we did", "What we found", "What happens next"):
        report_blocks += [f"## {heading}", _paragraph(rng, 4, 7), _paragraph(rng, 4, 7)]
    if story_slugs:
        report_blocks.append(f"One participant described it in [their own words](../stories/{story_slugs[0]}.md).")
    (root / "reports" / "final-report.md").write_text(
        "---\ntitle: \"Final report\"\nkind: final-report\ndate: 2018-09-30\nauthors:\n  - \"Programme team\"\n"
        "summary: \"What five years of shared creative practice taught us about mutual recovery.\"\n"
        f"key_figures:\n  - value: {stories}\n    label: \"stories told\"\n"
        f"  - value: {artworks}\n    label: \"artworks\"\n"
        "---\n\n" + "\n\n".join(report_blocks) + "\n", "utf-8")

    marker = {**corpus_key(stories, artworks, seed), "words": total_words,
              "seconds": round(time.perf_counter() - started, 2)}
    (root / MARKER).write_text(json.dumps(marker, indent=1) + "\n", "utf-8")
    return {**marker, "reused": False}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--artworks", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="write it even if OUT_DIR already holds this corpus")
    args = parser.parse_args(argv)
    marker = make_corpus(args.out, args.stories, args.artworks, args.seed, force=args.force)
    how = "already there, reused" if marker["reused"] else f"written in {marker['seconds']} s"
    print(f"{args.out}: {marker['stories']} stories ({marker['words']:,} words), {marker['artworks']} artworks, "
          f"seed {marker['seed']}: {how}", file=sys.stderr)


if __name__ == "__main__":
    main()
