"""The published folder is exactly what the build says: swapped in whole, shared with nothing, put right when
edited by hand, written by one build at a time; `check` writes nothing anywhere."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitekit import REPO, Site, make_image, snapshot, write

from showcase import journal, lock, siterecord, swap, writer
from showcase.cli import main
from showcase.pipeline import BuildOptions, build
from showcase.theme import theme_dirs


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (bytes' digest for files): proof that nothing changed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
    return found


def edit_content(site: Site) -> None:
    """A second version of the content: a story changed, one removed, one added, a static file added."""
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text().replace("How a morning class", "How an early class"))
    write(site.content / "stories/second-wind.md", """
        ---
        title: Second wind
        date: 2016-02-01
        summary: Starting again in the studio.
        authors: [Sam Doe]
        consent: recorded
        project: clay
        ---
        We came back after the winter.
        """)
    write(site.content / "static/notes.txt", "opening hours\n")


def two_versions(site: Site, tmp_path: Path) -> tuple[dict, dict]:
    """The site of the content as it is (built into site.out) and of the edited content (built elsewhere)."""
    assert site.build() == 0
    old = snapshot(site.out)
    edit_content(site)
    assert main(["build", "--content", str(site.content), "--out", str(tmp_path / "new-site")]) == 0
    new = snapshot(tmp_path / "new-site")
    assert old != new
    return old, new


# --- swapped in whole --------------------------------------------------------------------------------------

def test_a_build_killed_at_any_moment_leaves_the_whole_old_site_or_the_whole_new_one(site: Site, tmp_path: Path):
    old, new = two_versions(site, tmp_path)
    rng = random.Random(20261130)
    command = [sys.executable, str(REPO / "build.py"), "build", "--content", str(site.content), "--out", str(site.out)]
    seen = set()
    # How long a build takes here, start to end, to spread the kills over it.
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    took = time.monotonic() - started
    for attempt in range(12):
        restore = snapshot(site.out) == new
        if restore:  # go back to the old content's site, so that the next kill lands between the two
            (site.content / "stories/second-wind.md").unlink()
            (site.content / "static/notes.txt").unlink()
            story = site.content / "stories/first-light.md"
            story.write_text(story.read_text().replace("How an early class", "How a morning class"))
            assert site.build() == 0
            assert snapshot(site.out) == old
            edit_content(site)
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(rng.uniform(0.05, took * 1.5))  # a third of them after the end
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the build and anything it started (the search indexer)
        except ProcessLookupError:
            pass
        process.wait()
        now = snapshot(site.out)
        assert now in (old, new), f"attempt {attempt}: a mix of two sites"
        seen.add("old" if now == old else "new")
    assert seen == {"old", "new"}, "the kills should have landed both before and after the swap"
    assert site.build() == 0 and snapshot(site.out) == new  # and the next build finishes the work


def _killed_at(target: str, site: Site, patch) -> None:
    """Build in a forked child that kills itself (SIGKILL, nothing tidied) at the moment `patch` chooses."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            patch()
            build(BuildOptions(content=site.content, out=site.out))
        finally:
            os._exit(3)  # the kill did not happen: the parent sees exit status 3
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"{target}: the build was not killed"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(module, name: str, calls: int = 1):
    """Patch `module.name` to kill the process after its `calls`-th call has done its work."""
    original = getattr(module, name)
    count = [0]

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        count[0] += 1
        if count[0] == calls:
            _die()
        return result

    return lambda: setattr(module, name, wrapper)


def _after_saving(name: str):
    """Patch journal.save_pickle to kill the process once it has written the file called `name`."""
    original = journal.save_pickle

    def wrapper(path, *args):
        original(path, *args)
        if path.name == name:
            _die()

    return lambda: setattr(journal, "save_pickle", wrapper)


def _before(module, name: str):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        _die()
        return original(*args, **kwargs)

    return lambda: setattr(module, name, wrapper)


MOMENTS = {
    "while the spare folder is brought up to date": _after(os, "link", 3),
    "while pages are written": _after(writer, "write_file", 5),
    "while files are copied": _after(writer.shutil, "copyfile", 1),
    "while removed content is taken out": _after(os, "unlink", 2),
    "before the swap": _before(writer, "swap"),
    "right after the swap": _after(writer, "swap"),
    "while the record of the site is saved": _before(writer, "save_record"),
    "after the record, before the build's own caches": _after(writer, "save_record"),
    "right after the build cache is set aside": _after(journal.JournaledFile, "set_aside"),
    "between the build cache's changes and its whole file put back": _after_saving("build.changes.pickle"),
}


@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_a_build_killed_inside_the_commit_leaves_one_whole_site(site: Site, tmp_path: Path, moment: str):
    old, new = two_versions(site, tmp_path)
    assert site.build() == 0  # the new site, so that the spare folder exists and holds the old one
    (site.content / "stories/second-wind.md").unlink()  # and back to the old content
    (site.content / "static/notes.txt").unlink()
    story = site.content / "stories/first-light.md"
    story.write_text(story.read_text().replace("How an early class", "How a morning class"))
    assert site.build() == 0 and snapshot(site.out) == old
    edit_content(site)
    _killed_at(moment, site, MOMENTS[moment])
    assert snapshot(site.out) in (old, new), moment
    assert site.build() == 0
    assert snapshot(site.out) == new, moment


def test_with_worker_processes_forced_a_build_from_the_command_line_uses_them_on_any_machine(site: Site, monkeypatch):
    """What the bad-input tests and the property test rely on (`both_process_modes`): the pools of parsing,
    rendering and images start even for a small site, on a machine with one core."""
    from concurrent.futures import ProcessPoolExecutor

    from sitekit import worker_processes

    started: list[int] = []
    start = ProcessPoolExecutor.__init__

    def counted(self, max_workers=None, *args, **kwargs) -> None:
        started.append(max_workers)
        start(self, max_workers, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "__init__", counted)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)  # one core
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert site.build() == 0 and started == []  # one core: no pool
    shutil.rmtree(site.out)
    shutil.rmtree(site.root / ".showcase-cache")
    with worker_processes(True):
        assert site.build() == 0
    assert len(started) >= 3 and all(count >= 2 for count in started)  # parsing, rendering, images (at least)


WINDOWS = r"""
import os, sys
for name in ("fcntl", "termios", "tty", "pty", "resource", "pwd", "grp", "syslog"):  # what Windows does not have
    sys.modules[name] = None
sys.path.insert(0, sys.argv[1])
import build  # the command line, as `python build.py` starts it
os.name = "nt"
build.run(["build", "--content", "content", "--out", "site"])
"""


def test_on_windows_the_command_line_says_it_is_not_supported_and_writes_nothing(site: Site):
    """Without the modules only POSIX systems have, the package still imports far enough for the message."""
    run = subprocess.run([sys.executable, "-c", WINDOWS, str(REPO)], cwd=site.root, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr == ("showcase: Windows is not supported; run showcase in WSL (Windows Subsystem for Linux), on "
                          "Linux or on macOS\n")
    assert not (site.root / "site").exists() and not list(site.root.glob(".site*"))


def test_where_folders_cannot_be_exchanged_two_renames_are_used_and_a_kill_between_them_is_put_right(
        site: Site, tmp_path: Path, monkeypatch):
    old, new = two_versions(site, tmp_path)
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    renames = []
    real_rename = os.rename

    def rename_then_die(a, b):
        real_rename(a, b)
        if Path(a) == site.out.resolve():  # the site put aside: the first of the swap's two renames
            renames.append((a, b))
            _die()

    _killed_at("between the renames", site, lambda: setattr(os, "rename", rename_then_die))
    assert not site.out.exists()  # the one instant this fallback has no site
    assert site.build() == 0  # finds the site put aside and builds on it
    assert snapshot(site.out) == new


# --- one build at a time -------------------------------------------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from showcase.lock import lock_output
with lock_output(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_build_of_the_same_site_stops_with_a_message_naming_the_first(site: Site, capsys):
    assert site.build() == 0
    before = tree(site.out)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(site.out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        status = site.build()
        err = capsys.readouterr().err
        assert status != 0
        assert f"another showcase build (process {holder.pid}) is writing" in err
        assert "Traceback" not in err
        assert tree(site.out) == before
    finally:
        holder.kill()
        holder.wait()
    assert site.build() == 0  # the lock went with the process that held it


HOLD_CACHE = HOLD.replace("lock_output", "lock_cache")


def test_builds_into_two_folders_share_the_cache_one_at_a_time(site: Site, capsys):
    """Each build removes from the build cache the images it did not use: a build into another folder (beside
    the preview's, say) waits for the cache or stops with a message, and never finds its images gone."""
    assert site.build() == 0
    before = tree(site.out)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_CACHE, str(site.root / ".showcase-cache")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        status = site.build("--out", str(site.root / "public"))
        err = capsys.readouterr().err
        assert status == 1
        assert f"another showcase build (process {holder.pid}) is using the build cache" in err
        assert "Traceback" not in err and not (site.root / "public").exists()
        assert site.check() == 0  # `check` writes nothing, the cache's lock neither
    finally:
        holder.kill()
        holder.wait()
    assert tree(site.out) == before
    assert site.build("--out", str(site.root / "public")) == 0


def test_a_lock_left_by_a_process_that_died_does_not_stop_the_next_build(site: Site):
    path = lock.lock_path(site.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("999999\n")  # a process id nobody holds
    assert site.build() == 0


def test_a_build_waits_for_the_other_when_asked(site: Site):
    holder = subprocess.Popen([sys.executable, "-c", HOLD.replace("60", "1"), str(site.out)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    result = build(BuildOptions(content=site.content, out=site.out, wait=30))
    holder.wait()
    assert not result.failed


# --- shared with nothing; put right when edited by hand --------------------------------------------------------

def _add_everything(site: Site) -> None:
    write(site.content / "static/favicon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    write(site.content / "static/docs/leaflet.txt", "a leaflet\n")
    make_image(site.content / "static/photo.png", (20, 20))


def test_editing_every_file_of_the_site_changes_nothing_in_the_theme_the_content_or_the_cache(site: Site):
    _add_everything(site)
    assert site.build() == 0
    assert site.build() == 0  # the second build makes the spare folder too
    theme = theme_dirs(site.content, "default")[-1]
    cache = site.root / ".showcase-cache"
    kinds = {Path(p).suffix for p in snapshot(site.out)}
    assert {".html", ".css", ".js", ".jpg", ".txt", ".svg", ".png", ".xml"} - kinds <= {".xml"}, kinds
    before = (tree(theme), tree(site.content), tree(cache))
    for path in site.out.rglob("*"):
        if path.is_file():
            with path.open("ab") as handle:  # edited in place, as a deploy step or a person would
                handle.write(b"edited")
    assert (tree(theme), tree(site.content), tree(cache)) == before


def test_pages_edited_or_deleted_by_hand_are_put_right_by_the_next_build(site: Site, tmp_path: Path):
    _add_everything(site)
    assert site.build() == 0
    assert site.build() == 0
    clean = snapshot(site.out)
    edited = site.out / "stories/first-light/index.html"
    edited.write_text(edited.read_text().replace("First light", "Hacked"))
    (site.out / "about/index.html").unlink()
    css = next(site.out.glob("assets/*.css"))
    with css.open("ab") as handle:
        handle.write(b"/* edited */")
    image = next(site.out.glob("images/*"))
    image.unlink()
    (site.out / "docs/leaflet.txt").write_text("changed by hand\n")
    assert site.build() == 0
    assert snapshot(site.out) == clean


def test_files_added_by_hand_to_the_site_are_kept_until_removed_by_hand(site: Site):
    assert site.build() == 0
    (site.out / "CNAME").write_text("example.org")
    (site.out / ".well-known").mkdir()
    (site.out / ".well-known/security.txt").write_text("Contact: mailto:a@example.org\n")
    (site.out / "stories/notes.txt").write_text("by hand")
    made = json.loads((site.out / siterecord.MANIFEST).read_text())
    for step in range(3):  # the spare folder takes turns with the site: each build must keep them
        story = site.content / "stories/first-light.md"
        story.write_text(story.read_text() + f"\nOne more line {step}.\n")
        assert site.build() == 0
        assert (site.out / "CNAME").read_text() == "example.org"
        assert (site.out / ".well-known/security.txt").is_file()
        assert (site.out / "stories/notes.txt").read_text() == "by hand"
        assert "CNAME" not in json.loads((site.out / siterecord.MANIFEST).read_text())
    assert site.build() == 0  # nothing changed
    (site.out / "CNAME").unlink()
    (site.out / "stories/notes.txt").unlink()
    for _ in range(3):  # and one removed by hand does not come back from the spare folder
        assert site.build() == 0
        assert not (site.out / "CNAME").exists() and not (site.out / "stories/notes.txt").exists()
        story.write_text(story.read_text() + "\nAnd another.\n")
    assert (site.out / ".well-known/security.txt").is_file()
    pages = {name for name in json.loads((site.out / siterecord.MANIFEST).read_text()) if name.endswith(".html")}
    assert pages == {name for name in made if name.endswith(".html")}


def test_files_added_by_hand_are_kept_when_the_build_cache_is_gone(site: Site):
    assert site.build() == 0
    (site.out / "CNAME").write_text("example.org")
    shutil.rmtree(site.root / ".showcase-cache")
    assert site.build() == 0
    assert (site.out / "CNAME").read_text() == "example.org"


def _clean_build(site: Site, name: str) -> dict[str, str]:
    out = site.root / f"clean-{name}"
    assert not build(BuildOptions(content=site.content, out=out, cache=site.root / f"clean-cache-{name}")).failed
    return snapshot(out)


@pytest.mark.parametrize("removed", ["the build cache", "the spare folder"])
def test_builds_after_the_build_cache_or_the_spare_folder_was_removed_are_exact(site: Site, removed: str):
    story = site.content / "stories/first-light.md"
    assert site.build() == 0
    story.write_text(story.read_text() + "\nA first line more.\n")
    assert site.build() == 0  # the second build makes the spare folder too
    shutil.rmtree(site.root / ".showcase-cache" if removed == "the build cache" else site.root / "._site.staging")
    for step in range(3):  # the site and its spare take turns: each must be made whole again
        story.write_text(story.read_text() + f"\nOne more line {step}.\n")
        assert site.build() == 0
        assert snapshot(site.out) == _clean_build(site, str(step))


def test_builds_into_one_site_with_two_build_caches_in_turn_are_exact(site: Site, tmp_path: Path):
    """Each cache's record of the site and its spare is out of date once the other has built (two content folders
    built into one site, or the library's own cache option): the spare is then looked over afresh (a file of the
    other's spare where this one would link its own was a crash)."""
    story = site.content / "stories/first-light.md"
    caches = [site.root / ".showcase-cache", tmp_path / "other-cache"]
    for step in range(6):
        story.write_text(story.read_text() + f"\nA line more, {step}.\n")
        cache = caches[step // 2 % 2]  # each twice in a row: the spare is made, then used
        assert not build(BuildOptions(content=site.content, out=site.out, cache=cache)).failed, step
        assert snapshot(site.out) == _clean_build(site, str(step)), step


def test_a_failed_build_leaves_the_site_and_a_later_good_build_is_exact(site: Site, tmp_path: Path):
    old, new = two_versions(site, tmp_path)
    story = site.content / "stories/first-light.md"
    good = story.read_text()
    story.write_text(good.replace("project: clay", "project: no-such-project"))
    assert site.build() == 1
    assert snapshot(site.out) == old
    story.write_text(good)
    assert site.build() == 0
    assert snapshot(site.out) == new


# --- check writes nothing --------------------------------------------------------------------------------------

def test_check_writes_nothing_anywhere(site: Site):
    make_image(site.content / "artworks/extra.jpg", (2400, 1600))
    write(site.content / "artworks/extra.yaml", "title: Extra\nalt: A wide orange field.\nartist: Sam Doe\n")
    before = tree(site.root)
    assert site.check() == 0
    assert tree(site.root) == before
    assert site.build() == 0
    edit_content(site)
    before = tree(site.root)
    assert site.check() == 0
    assert tree(site.root) == before


@pytest.mark.parametrize("cache_gone", [False, True], ids=["with-record", "build-cache-removed"])
def test_a_folder_of_the_site_replaced_by_a_link_is_never_written_through(site: Site, tmp_path: Path,
                                                                         cache_gone: bool):
    """A folder of the published site replaced by hand with a link to a folder elsewhere: no build removes,
    replaces or links anything there, and the site is made whole again, with real folders."""
    assert site.build() == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("my own file, not the site's\n")
    (elsewhere / "extra.txt").write_text("mine too\n")
    mine = tree(elsewhere)
    shutil.rmtree(site.out / "about")
    os.symlink(elsewhere, site.out / "about")
    if cache_gone:
        shutil.rmtree(site.root / ".showcase-cache")
    story = site.content / "stories/first-light.md"
    for step in range(3):  # the site and its spare take turns: neither may write through the link
        story.write_text(story.read_text() + f"\nOne more line {step}.\n")
        assert site.build() == 0
        assert tree(elsewhere) == mine and os.stat(elsewhere / "index.html").st_nlink == 1
        assert not (site.out / "about").is_symlink() and not (site.out / "about/extra.txt").exists()
        assert snapshot(site.out) == _clean_build(site, str(step))


def test_a_page_replaced_by_a_folder_by_hand_is_put_right(site: Site):
    assert site.build() == 0
    page = site.out / "about/index.html"
    page.unlink()
    page.mkdir()
    (page / "note.txt").write_text("by hand")
    story = site.content / "stories/first-light.md"
    for step in range(3):
        story.write_text(story.read_text() + f"\nOne more line {step}.\n")
        assert site.build() == 0
        assert page.is_file()
        assert snapshot(site.out) == _clean_build(site, str(step))


@pytest.mark.parametrize("preview", [False, True], ids=["build", "preview"])
def test_a_static_html_page_is_indexed_again_when_it_changes(site: Site, preview: bool):
    """A page of static/ marked for search is read by the index like the pages the build renders: when it came or
    changed and no page was rendered, the last index was kept, with the page missing or its old words (the preview
    even counted that index as up to date)."""
    from test_search import everything_indexed

    from showcase.warm import WarmState

    warm = WarmState() if preview else None
    options = BuildOptions(content=site.content, out=site.out)
    notes = site.content / "static/notes.html"

    def built(*changed: Path) -> str:
        if warm is not None:
            warm.watching(str(path) for path in changed)
        assert not build(options, warm).failed
        if warm is not None:
            warm.settle()
        return everything_indexed(site.out)

    assert "zyzzogeton" not in built()
    page = ('<!doctype html><html lang="en-GB"><head><title>Notes</title></head><body><main data-pagefind-body>'
            '<h1>Workshop notes</h1><p>{} notes.</p></main></body></html>\n')
    write(notes, page.format("Zyzzogeton quillwort"))
    assert "zyzzogeton" in built(notes)
    notes.write_text(page.format("Xylophone marmalade"))
    indexed = built(notes)
    assert "xylophone" in indexed and "zyzzogeton" not in indexed
    assert snapshot(site.out) == _clean_build(site, "after")


def test_the_sites_list_of_its_files_edited_by_hand_is_put_right(site: Site):
    """The site's own list of its files (which a build trusts when its cache is gone) edited in place: the next
    build said "Nothing changed" and left it so."""
    assert site.build() == 0
    manifest = site.out / siterecord.MANIFEST
    clean = manifest.read_text()
    manifest.write_text(clean.replace('"404.html",', "", 1))
    assert site.build() == 0
    assert manifest.read_text() == clean
