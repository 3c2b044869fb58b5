"""A page depends on what it shows: an edit renders again exactly the pages that show what changed.

And the build key and caches are honest: a new library or a changed file anywhere in the generator renders
everything, and a cache file that cannot be read is said once and made again.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import tempfile
from pathlib import Path

import pytest

from sitekit import Site, make_image, snapshot, write
from showcase import codekey
from showcase.pipeline import BuildOptions, BuildResult, build

STORIES = [  # slug, date, project, practices, tags (newest first, as the site lists them)
    ("walk-2", "2017-02-01", None, "walking", "outdoors"),
    ("walk-1", "2017-01-01", None, "walking", "outdoors"),
    ("choir-3", "2016-07-01", "choir", "music", "voice"),
    ("choir-2", "2016-05-01", "choir", "music", "voice"),
    ("choir-1", "2016-03-01", "choir", "music", "voice"),
    # second-story (2016-02-03; music; belonging, voice) comes from sitekit
    ("clay-3", "2015-09-01", "clay", "craft", "making"),
    ("clay-2", "2015-06-01", "clay", "craft", "making"),
    # first-light (2015-04-01; clay; craft; belonging; artwork bowl) comes from sitekit
    ("alone", "2014-01-01", None, "", "quiet"),
]


def add_story(site: Site, slug: str, date: str, project: str | None, practices: str, tags: str,
              title: str | None = None) -> Path:
    return write(site.content / f"stories/{slug}.md", f"""
        ---
        title: {title or slug.replace('-', ' ').capitalize()}
        date: {date}
        summary: {slug}, in a few words.
        authors: [Sam Carter]
        consent: recorded
        {f'project: {project}' if project else ''}
        practices: [{practices}]
        tags: [{tags}]
        ---
        The story called {slug}, as its teller wrote it.
        """)


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """sitekit's site with a second project, eight more stories (ten in all), a second artwork and a second
    static file (sitekit's first is a favicon)."""
    site = Site(tmp_path)
    write(site.content / "projects/choir.yaml", """
        title: Singing together
        summary: A choir for anyone.
        practices: [music]
        """)
    for story in STORIES:
        add_story(site, *story)
    make_image(site.content / "artworks/mural.png", (320, 240), (40, 120, 200))
    write(site.content / "artworks/mural.yaml", "title: Wall of voices\nalt: A mural of open mouths.\nproject: choir\n")
    write(site.content / "static/leaflet.txt", "The leaflet, in plain text.\n")
    return site


def options(site: Site, out: Path | None = None, cache: Path | None = None) -> BuildOptions:
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        base_url="https://example.org/mt/", workers=1, search=False)


def rebuild(site: Site) -> BuildResult:
    """Build again after an edit; the site must be byte for byte what a clean build of the same content gives."""
    result = build(options(site))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    clean = Path(tempfile.mkdtemp(prefix="clean-", dir=site.root))  # a new folder and cache each time
    clean_result = build(options(site, clean / "site", clean / "cache"))
    assert not clean_result.failed
    assert snapshot(site.out) == snapshot(clean / "site")
    return result


def first_build(site: Site) -> BuildResult:
    result = build(options(site))
    assert not result.failed, [d.format() for d in result.diagnostics.items]
    return result


def pages(*urls: str) -> set[str]:
    return {url if url.endswith(".html") else f"{url}index.html" for url in urls}


# --- adding, removing and editing content --------------------------------------------------------------------


def test_adding_a_story_renders_its_listings_and_the_stories_that_now_relate_to_it(site: Site):
    first_build(site)
    add_story(site, "walk-3", "2017-03-01", None, "walking", "outdoors")  # the newest story of all
    result = rebuild(site)
    assert set(result.rendered) == pages(
        "stories/walk-3/",
        "stories/",  # lists it, and says how many stories there are
        "",  # the home page: among the latest, and "All 11 stories"
        "practices/walking/", "tags/outdoors/",  # list it
        "practices/", "tags/",  # count the stories under walking and outdoors
        "stories/walk-1/", "stories/walk-2/",  # share walking and outdoors: it is now among their related stories
    )


def test_removing_a_story_renders_the_pages_that_showed_it(site: Site):
    first_build(site)
    (site.content / "stories/choir-2.md").unlink()
    result = rebuild(site)
    assert set(result.rendered) == pages(
        "stories/", "",  # listed it (the home page among the latest six), and count the stories
        "projects/choir/", "practices/music/", "tags/voice/",  # list it
        "practices/", "tags/",  # count the stories under music and voice
        "stories/choir-1/", "stories/choir-3/",  # next and previous in the project, and related
        "stories/second-story/",  # related (shares music and voice): choir-1 and first-light take its place
    )
    assert not (site.out / "stories/choir-2").exists()


def test_a_new_title_renders_the_pages_that_show_the_title(site: Site):
    first_build(site)
    path = site.content / "stories/clay-2.md"
    path.write_text(path.read_text().replace("title: Clay 2", "title: Clay, the second time"))
    result = rebuild(site)
    assert set(result.rendered) == pages(
        "stories/clay-2/",
        "stories/", "projects/clay/", "practices/craft/", "tags/making/",  # its card (the home page shows newer ones)
        "stories/first-light/",  # next in the project, and related
        "stories/clay-3/",  # previous in the project, and related
    )
    assert {name for name, html in site.pages().items() if "Clay, the second time" in html} == set(result.rendered)


def test_a_new_body_renders_only_its_story(site: Site):
    first_build(site)
    path = site.content / "stories/clay-3.md"
    path.write_text(path.read_text() + "\nAnd then we fired the kiln.\n")
    assert rebuild(site).rendered == ["stories/clay-3/index.html"]


def test_adding_a_static_file_renders_no_page(site: Site):
    first_build(site)
    write(site.content / "static/notes.txt", "Notes for visitors.\n")  # no page shows it, until one links to it
    result = rebuild(site)
    assert result.rendered == []
    assert (site.out / "notes.txt").read_text() == "Notes for visitors.\n"


def test_removing_the_favicon_renders_every_page(site: Site):
    first = first_build(site)
    (site.content / "static/favicon.svg").unlink()
    result = rebuild(site)
    assert len(result.rendered) == first.pages  # each page's head links the icon
    assert 'rel="icon"' not in site.page("")


def test_adding_an_artwork_renders_the_gallery_and_the_pages_that_list_its_project_s_art(site: Site):
    first_build(site)
    make_image(site.content / "artworks/vase.png", (300, 400), (200, 180, 90))
    write(site.content / "artworks/vase.yaml", "title: Tall vase\nalt: A tall thin vase.\nproject: clay\n")
    result = rebuild(site)
    assert set(result.rendered) == pages(
        "artworks/vase/",
        "artworks/",  # the gallery shows it, and counts the project's and the practice's artworks
        "",  # the home page shows the first six artworks and "All 3 artworks"
        "projects/clay/",  # the project's artworks
        "practices/craft/",  # the artworks of the projects of this practice
    )


def test_a_site_s_own_template_asking_site_urls_depends_on_the_one_address_it_asks_for(site: Site):
    """Themes written before `site.has_static` still ask `'static/x' in site.urls`: that is one lookup too."""
    theme = site.root / "themes/mine/templates"
    write(theme / "page.html", """
        {% extends "base.html" %}
        {% block main %}<h1>{{ page.title }}</h1>{% if 'static/leaflet.txt' in site.urls %}
        <a href="{{ url(site.urls['static/leaflet.txt']) }}">The leaflet</a>{% endif %}{% endblock %}
        """)
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    first_build(site)
    write(site.content / "static/notes.txt", "Notes for visitors.\n")
    assert rebuild(site).rendered == []
    (site.content / "static/leaflet.txt").unlink()
    assert set(rebuild(site).rendered) == pages("about/", "get-support/")


# --- the build key: the generator, the libraries it builds with -------------------------------------------


@pytest.fixture
def fresh_code_digest():
    codekey.code_digest.cache_clear()
    yield
    codekey.code_digest.cache_clear()


def test_another_version_of_a_library_renders_everything(site: Site, monkeypatch, fresh_code_digest):
    first = first_build(site)
    assert not build(options(site)).rendered
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "jinja2" else real(name))
    codekey.code_digest.cache_clear()
    again = rebuild(site)
    assert len(again.rendered) == first.pages


def test_a_file_in_a_subpackage_of_the_generator_is_in_the_build_key(site: Site, tmp_path: Path, monkeypatch,
                                                                     fresh_code_digest):
    package = tmp_path / "showcase"
    (package / "server").mkdir(parents=True)
    (package / "__init__.py").write_text('__version__ = "1"\n')
    (package / "server" / "__init__.py").write_text("")
    (package / "server" / "watch.py").write_text("DELAY = 0.1\n")
    before = codekey.package_digest(package)
    (package / "server" / "watch.py").write_text("DELAY = 0.2\n")
    assert codekey.package_digest(package) != before
    (package / "server" / "__pycache__").mkdir()
    (package / "server" / "__pycache__" / "watch.cpython-311.pyc").write_bytes(b"compiled")
    edited = codekey.package_digest(package)
    (package / "server" / "live.js").write_text("reload();\n")  # not only Python is code
    assert codekey.package_digest(package) != edited

    monkeypatch.setattr(codekey, "PACKAGE", package)  # the generator, edited in a subpackage, builds again
    first = first_build(site)
    (package / "server" / "watch.py").write_text("DELAY = 0.3\n")
    codekey.code_digest.cache_clear()
    assert len(rebuild(site).rendered) == first.pages


# --- caches that cannot be read ---------------------------------------------------------------------------


def cache_warnings(result: BuildResult) -> list[str]:
    return [d.format() for d in result.diagnostics.warnings if "could not be read" in d.message]


def edit_a_body(site: Site, words: str) -> None:
    path = site.content / "stories/clay-3.md"
    path.write_text(path.read_text() + f"\n{words}\n")


def test_a_damaged_build_cache_is_said_once_and_everything_is_built_again(site: Site):
    first = first_build(site)
    cache = site.root / ".showcase-cache/build.pickle"
    cache.write_bytes(cache.read_bytes()[:200])  # cut short
    edit_a_body(site, "A sentence more.")
    result = rebuild(site)
    [warning] = cache_warnings(result)
    assert "build.pickle" in warning and "everything is built again" in warning
    assert len(result.rendered) == first.pages
    again = build(options(site))  # nothing changed: up to date, and the warning is not said again
    assert again.up_to_date and cache_warnings(again) == []
    edit_a_body(site, "Another sentence.")
    after = rebuild(site)
    assert after.rendered == ["stories/clay-3/index.html"] and cache_warnings(after) == []


def test_a_build_cache_written_over_with_something_else_is_said_too(site: Site):
    first_build(site)
    (site.root / ".showcase-cache/build.pickle").write_bytes(b"not a cache at all")
    edit_a_body(site, "A sentence more.")
    assert len(cache_warnings(rebuild(site))) == 1


def test_a_damaged_build_cache_fails_a_strict_build_once(site: Site):
    first_build(site)
    (site.root / ".showcase-cache/build.pickle").write_bytes(b"\x80\x05garbage")
    edit_a_body(site, "A sentence more.")
    strict = BuildOptions(**{**vars(options(site)), "strict": True})
    assert build(strict).failed  # a warning, as every warning, fails a strict build...
    assert not build(strict).failed  # ...once: the damaged file is gone, the next build says nothing


def test_a_damaged_snapshot_is_said_once(site: Site):
    first_build(site)
    before = snapshot(site.out)
    (site.root / ".showcase-cache/inputs.pickle").write_bytes(b"\x80\x05\x95garbage")
    result = rebuild(site)
    [warning] = cache_warnings(result)
    assert "inputs.pickle" in warning and not result.up_to_date and result.rendered == []
    assert snapshot(site.out) == before
    again = build(options(site))
    assert again.up_to_date and cache_warnings(again) == []


def test_a_damaged_compiled_template_is_said_once_and_compiled_again(site: Site):
    first_build(site)
    compiled = [p for p in (site.root / ".showcase-cache/templates").rglob("*") if p.is_file()]
    [story] = [p for p in compiled if b"templates/story.html" in p.read_bytes()]  # its code names its source
    story.write_bytes(story.read_bytes()[:60])  # its header, and half of what follows
    edit_a_body(site, "A sentence more.")
    result = rebuild(site)
    [warning] = cache_warnings(result)
    assert str(story.name) in warning and "compiled again" in warning
    edit_a_body(site, "Another sentence.")
    assert cache_warnings(rebuild(site)) == []


def test_a_compiled_template_overwritten_with_junk_is_said_too(site: Site):
    first_build(site)
    compiled = [p for p in (site.root / ".showcase-cache/templates").rglob("*") if p.is_file()]
    for path in compiled:
        path.write_bytes(b"junk")
    edit_a_body(site, "A sentence more.")
    warnings = cache_warnings(rebuild(site))
    assert warnings and len(warnings) == len(set(warnings))  # one for each file loaded, each said once
    assert all(any(p.name in w for p in compiled) for w in warnings)


def test_damaged_records_of_artwork_images_are_said_once_and_made_again(site: Site):
    first_build(site)
    before = snapshot(site.out)
    records = sorted((site.root / ".showcase-cache/images/meta").glob("*.json"))
    assert records
    records[0].write_text('{"version": ')  # cut short
    for record in records[1:]:
        record.write_text("[]")  # not a record
    edit_a_body(site, "A sentence more.")
    result = rebuild(site)
    warnings = cache_warnings(result)
    assert len(warnings) == len(records) and all(any(r.name in w for w in warnings) for r in records)
    assert all("measured again" in w for w in warnings)
    assert {k: v for k, v in snapshot(site.out).items() if not k.startswith("stories/clay-3/")} == {
        k: v for k, v in before.items() if not k.startswith("stories/clay-3/")}
    assert all(isinstance(json.loads(r.read_text()), dict) for r in records)  # written again
    edit_a_body(site, "Another sentence.")
    assert cache_warnings(rebuild(site)) == []


def test_story_bodies_cut_short_in_the_cache_are_said_once_and_read_again(site: Site):
    first_build(site)
    [bodies] = [p for p in (site.root / ".showcase-cache/bodies").rglob("*.html")]
    with bodies.open("r+b") as handle:
        handle.truncate(os.path.getsize(bodies) // 2)
    path = site.content / "pages/about.md"
    path.write_text(path.read_text() + "\nMore about us.\n")  # not a story: the stories' bodies come from the cache
    result = rebuild(site)
    [warning] = cache_warnings(result)
    assert bodies.name in warning and "read again" in warning
    path.write_text(path.read_text() + "\nEven more.\n")
    assert cache_warnings(rebuild(site)) == []
