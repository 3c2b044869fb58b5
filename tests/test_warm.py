"""The preview's memory (warm.py): a story's body saved renders its page without the site being assembled
again, and every other change goes to the ordinary build. Either way the site is what a clean build makes."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from sitekit import Site, snapshot, write
from showcase.pipeline import BuildOptions, build
from showcase.theme import default_theme_dir
from showcase.warm import WarmState


def options(site: Site, out: Path | None = None, cache: Path | None = None, **more) -> BuildOptions:
    more.setdefault("search", False)
    return BuildOptions(content=site.content, out=out or site.out, cache=cache or site.root / ".showcase-cache",
                        workers=1, **more)


def clean(site: Site, name: str, **more) -> dict[str, str]:
    out = site.root / f"clean-{name}"
    assert not build(options(site, out, site.root / f"clean-cache-{name}", **more)).failed
    return snapshot(out)


def age(site: Site) -> None:
    """Files written a while ago, as an editor's are: their times can be trusted."""
    old = time.time() - 60
    for folder in (site.content, site.root / "themes"):
        for path in folder.rglob("*"):
            os.utime(path, (old, old))


def edit_body(site: Site, old: str = "We sang.", new: str = "We sang, loudly.") -> None:
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace(old, new))


def test_a_body_saved_in_the_preview_renders_its_page_from_memory(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed and warm.last is not None
    warm.settle()
    edit_body(site)
    result = build(options(site), warm)
    assert not result.failed and warm.declined == ""
    assert result.rendered == ["stories/second-story/index.html"]
    assert "We sang, loudly." in (site.out / "stories/second-story/index.html").read_text()
    assert snapshot(site.out) == clean(site, "1")
    # the records on disk follow, so a build from the command line starts where the preview left off
    warm.settle()
    assert build(options(site)).up_to_date
    edit_body(site, "We sang, loudly.", "We sang, softly.")
    again = build(options(site), warm)
    assert warm.declined == "" and again.rendered == ["stories/second-story/index.html"]
    assert snapshot(site.out) == clean(site, "2")


def test_the_preview_builds_from_memory_too(site: Site):
    from showcase.server.preview import Preview

    age(site)
    preview = Preview(options(site), port=0)
    preview._build_once([])
    assert preview.warm.last is not None and not preview.warm.unsaved
    edit_body(site)
    preview._build_once([str(site.content / "stories/second-story.md")])
    assert preview.warm.declined == "" and not preview.warm.unsaved  # shown, then the records saved
    assert "We sang, loudly." in (site.out / "stories/second-story/index.html").read_text()
    assert build(options(site)).up_to_date


def test_with_search_the_index_waits_for_the_pause_as_before(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site, search=True), warm).failed
    edit_body(site)
    later = build(options(site, search=True, search_later=True), warm)
    assert warm.declined == "" and later.search_behind and later.rendered == ["stories/second-story/index.html"]
    warm.settle()
    caught_up = build(options(site, search=True), warm)  # the preview's quiet moment
    assert warm.declined == "the search index is to be made" and not caught_up.search_behind
    assert snapshot(site.out) == clean(site, "after", search=True)


def _title(site: Site) -> None:
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("title: Second story", "title: Second story, again"))


def _add(site: Site) -> None:
    write(site.content / "stories/added.md", "---\ntitle: Added\ndate: 2017-01-01\nsummary: s\nauthors: [A]\n"
          "consent: recorded\n---\nA new story.\n")


def _own_theme(site: Site) -> Path:
    card = site.root / "themes/mine/templates/_story_card.html"
    if not card.exists():
        card.parent.mkdir(parents=True)
        card.write_text((default_theme_dir() / "templates/_story_card.html").read_text())
        (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    return card


def _template(site: Site) -> None:
    card = _own_theme(site)
    card.write_text(card.read_text() + "<!-- mine -->\n")


def _body_and_link(site: Site) -> None:
    edit_body(site, "We sang.", "We sang. See [the first](first-light.md).")


def _hand_edited_asset(site: Site) -> None:
    edit_body(site)
    (site.out / "assets/style.css").write_text("/* edited by hand */\n")


@pytest.mark.parametrize("change, why", [
    (_title, "more than the body of stories/second-story.md changed"),
    (_body_and_link, "more than the body of stories/second-story.md changed"),
    (_add, "files came or went"),
    (_template, "not only stories changed"),
    (_hand_edited_asset, "assets/style.css in the site was changed by hand"),
], ids=["title", "a new link", "story added", "template", "asset edited in the site"])
def test_every_other_change_goes_to_the_ordinary_build(site: Site, change, why):
    warm = WarmState()
    _own_theme(site)
    age(site)
    assert not build(options(site), warm).failed
    change(site)
    result = build(options(site), warm)
    assert warm.declined == why and not result.failed
    assert snapshot(site.out) == clean(site, "after")
    assert warm.last is not None  # the ordinary build leaves its state for the next save


def test_a_page_edited_by_hand_is_made_again_with_the_body(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    (site.out / "stories/first-light/index.html").write_text("edited by hand")
    edit_body(site)
    result = build(options(site), warm)
    assert warm.declined == ""
    assert sorted(result.rendered) == ["stories/first-light/index.html", "stories/second-story/index.html"]
    assert snapshot(site.out) == clean(site, "after")


def test_a_site_written_by_another_build_meanwhile_is_not_taken_for_its_own(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    other = dataclasses.replace(options(site), base_url="https://example.org/elsewhere/")
    assert not build(other).failed  # `build` from a terminal, with other options, into the same folder
    edit_body(site)
    assert not build(options(site), warm).failed
    assert warm.declined == "another build wrote the site"
    assert snapshot(site.out) == clean(site, "after")


def test_a_body_that_breaks_a_link_fails_and_leaves_the_site_as_it_was(site: Site):
    warm = WarmState()
    age(site)
    assert not build(options(site), warm).failed
    before = snapshot(site.out)
    edit_body(site, "## Why", "## Because")  # the first story links to #why on this page
    result = build(options(site), warm)
    assert warm.declined == "" and result.failed
    assert any("#why" in d.message for d in result.diagnostics.errors)
    assert snapshot(site.out) == before and warm.last is None  # the next build starts from files
    edit_body(site, "## Because", "## Why")
    assert not build(options(site), warm).failed
    assert snapshot(site.out) == clean(site, "after")


def test_the_preview_starting_on_a_built_site_has_it_in_memory_at_once(site: Site):
    age(site)
    assert not build(options(site)).failed  # built earlier, from a terminal
    warm = WarmState()
    first = build(options(site), warm)  # the preview starts: nothing changed, but the site is read into memory
    assert not first.failed and not first.up_to_date and first.rendered == [] and warm.last is not None
    assert snapshot(site.out) == clean(site, "before")
    edit_body(site)
    result = build(options(site), warm)  # so the first save is already a quick one
    assert warm.declined == "" and result.rendered == ["stories/second-story/index.html"]
    assert build(options(site), warm).up_to_date  # and with the site in memory, nothing changed is said at once
