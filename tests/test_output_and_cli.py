"""Safe, deterministic output and the command line."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sitekit import REPO, Site, snapshot, write

from showcase.cli import main


def test_two_builds_are_byte_identical(tmp_path: Path):
    site = Site(tmp_path)
    assert site.build() == 0
    first = snapshot(site.out)
    other = tmp_path / "other"
    assert main(["build", "--content", str(site.content), "--out", str(other)]) == 0
    assert snapshot(other) == first


def test_unchanged_files_are_not_rewritten(site: Site, capsys):
    assert site.build() == 0
    stamps = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert site.build() == 0
    assert "is up to date" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == stamps
    story = site.content / "stories/second-story.md"  # new bytes that change no page: a YAML comment
    story.write_text(story.read_text().replace("---\n", "---\n# checked with Sam\n", 1))
    assert site.build() == 0
    assert "0 rendered" in (err := capsys.readouterr().err) and "0 written" in err
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == stamps


def test_one_edit_rewrites_only_the_pages_that_changed(site: Site):
    assert site.build() == 0
    before = snapshot(site.out)
    path = site.content / "pages/about.md"
    path.write_text(path.read_text().replace("About us.", "About us, again."))
    assert site.build() == 0
    after = snapshot(site.out)
    changed = {k for k in after if before.get(k) != after[k] and not k.startswith(("pagefind/", ".showcase-files"))}
    assert changed == {"about/index.html"}  # and the search index, which holds the new words


def test_removed_content_disappears_from_the_site(site: Site):
    assert site.build() == 0
    assert (site.out / "stories/second-story/index.html").exists()
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("[the second story](second-story.md#why)", "the second story"))
    (site.content / "stories/second-story.md").unlink()
    assert site.build() == 0
    assert not (site.out / "stories/second-story").exists()
    assert not (site.out / "tags/voice").exists()
    assert (site.out / "stories/first-light/index.html").exists()


def test_files_the_build_did_not_make_are_kept(site: Site):
    assert site.build() == 0
    (site.out / "CNAME").write_text("example.org")
    assert site.build() == 0
    assert (site.out / "CNAME").read_text() == "example.org"


def test_refuses_to_write_into_a_folder_it_did_not_make(site: Site, capsys):
    site.out.mkdir()
    (site.out / "precious.txt").write_text("keep me")
    assert site.build() == 2
    assert "not empty and was not made by showcase" in capsys.readouterr().err
    assert (site.out / "precious.txt").read_text() == "keep me"


def test_refuses_an_output_folder_inside_the_content(site: Site, capsys):
    before = snapshot(site.content)
    assert main(["build", "--content", str(site.content), "--out", str(site.content / "site")]) == 2
    assert "inside the content folder" in capsys.readouterr().err
    assert snapshot(site.content) == before


def test_content_folder_is_never_written(site: Site):
    before = snapshot(site.content)
    listing = sorted(p.relative_to(site.content) for p in site.content.rglob("*"))
    assert site.build() == 0 and site.check() == 0
    assert snapshot(site.content) == before
    assert sorted(p.relative_to(site.content) for p in site.content.rglob("*")) == listing


def test_check_writes_nothing_and_reports_problems(site: Site, capsys):
    assert site.check() == 0
    assert not site.out.exists()
    assert "Content checked: 0 errors" in capsys.readouterr().err
    path = site.content / "stories/first-light.md"
    path.write_text(path.read_text().replace("project: clay", "project: nope"))
    assert site.check() == 1
    assert "first-light.md:9:1: error: project 'nope' does not exist" in capsys.readouterr().err
    assert not site.out.exists()


def test_theme_error_names_the_template_and_line(site: Site, capsys):
    write(site.root / "themes/broken/templates/page.html", '{% extends "base.html" %}\n{% block main %}\n{{ nope.title }}\n{% endblock %}\n')
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: broken\n")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "themes/broken/templates/page.html:3:1: error: while rendering /about/: UndefinedError" in err
    assert "Traceback" not in err


def test_new_story_scaffold_builds(site: Site, capsys):
    assert main(["new", "story", "A Walk by the River", "--content", str(site.content)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == site.content / "stories/a-walk-by-the-river.md"
    text = path.read_text()
    assert 'title: "A Walk by the River"' in text and "draft: true" in text
    assert site.build("--drafts") == 0
    assert (site.out / "stories/a-walk-by-the-river/index.html").is_file()
    assert main(["new", "story", "A Walk by the River", "--content", str(site.content)]) == 2


@pytest.mark.parametrize("kind, folder", [("project", "projects/river.yaml"), ("page", "pages/river.md")])
def test_new_project_and_page_scaffolds_build(site: Site, capsys, kind, folder):
    """Once their placeholder text is replaced (tests/test_drafts.py: left in, it is an error)."""
    assert main(["new", kind, "River", "--content", str(site.content)]) == 0
    path = site.content / folder
    text = path.read_text()
    for placeholder in ("One or two plain sentences about this strand of work.", "A longer description in Markdown.",
                        "One sentence about this page.", "Write the page here in Markdown."):
        text = text.replace(placeholder, "Walks by the river.")
    path.write_text(text.replace("draft: true", "draft: false"))
    assert site.build() == 0
    assert "Walks by the river." in site.page("projects/river" if kind == "project" else "river")


def test_usage_errors_exit_2(site: Site, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--no-such-option"])
    assert exit_.value.code == 2


def test_summary_line(site: Site, capsys):
    assert site.build() == 0
    err = capsys.readouterr().err
    assert "Built " in err and " rendered, 0 unchanged) and 1 artworks" in err and "images: 1 processed, 0 cached" in err


def test_plain_install_carries_the_default_theme(tmp_path: Path):
    """A wheel (what a plain `pip install` builds) works from any folder, theme included."""
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                          str(tmp_path / "wheel"), str(REPO)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    wheel = next((tmp_path / "wheel").glob("showcase-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "showcase/default_theme/templates/base.html" in names
    assert "showcase/default_theme/assets/style.css" in names
    target = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(target)
    site = Site(tmp_path / "elsewhere")
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run([sys.executable, "-m", "showcase", "--content", "content", "--out", "out"],
                         capture_output=True, text=True, cwd=site.root, env=env)
    assert run.returncode == 0, run.stderr
    assert (site.root / "out/stories/first-light/index.html").is_file()
    assert "default_theme" in subprocess.run(
        [sys.executable, "-c", "import showcase.theme as t; print(t.default_theme_dir())"],
        capture_output=True, text=True, cwd=site.root, env=env).stdout


def test_static_file_named_like_a_generated_one_is_refused_and_never_overwritten(site: Site, capsys):
    (site.content / "static/feed.xml").write_text("MY OWN FEED")
    assert site.build("--base-url", "https://example.org/") == 1
    assert "static/feed.xml: error: static file would replace the showcase's own /feed.xml" in capsys.readouterr().err
    assert (site.content / "static/feed.xml").read_text() == "MY OWN FEED"


def test_published_files_never_share_bytes_with_content(site: Site):
    assert site.build() == 0
    published, source = site.out / "favicon.svg", site.content / "static/favicon.svg"
    assert not os.path.samefile(published, source)
    with source.open("a") as handle:  # an editor saves in place, without building
        handle.write("<!-- edited -->")
    assert "edited" not in published.read_text()


def test_a_page_may_take_the_place_of_an_old_file_and_back(site: Site):
    (site.content / "static/notes").write_text("plain notes")
    assert site.build() == 0
    (site.content / "static/notes").unlink()
    write(site.content / "pages/notes.md", "---\ntitle: Notes\n---\nNow a page.\n")
    assert site.build() == 0
    assert "Now a page." in site.page("notes")
    (site.content / "pages/notes.md").unlink()
    (site.content / "static/notes").write_text("plain again")
    assert site.build() == 0
    assert (site.out / "notes").read_text() == "plain again"


def test_two_output_folders_sharing_one_cache_stay_right(site: Site):
    other = site.root / "other"
    for out in (site.out, other):
        assert main(["build", "--content", str(site.content), "--out", str(out)]) == 0
    path = site.content / "stories/second-story.md"
    path.write_text(path.read_text().replace("We sang.", "We sang again."))
    for out in (site.out, other):
        assert main(["build", "--content", str(site.content), "--out", str(out)]) == 0
        assert "We sang again." in (out / "stories/second-story/index.html").read_text()


def test_import_report_from_the_command_line(tmp_path: Path, capsys):
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    assert main(["import-report", str(REPO / "content/reports/final-report.pdf"), "--kind", "final-report",
                 "--content", str(content)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == content / "reports/final-report.md" and (content / "reports/final-report.pdf").is_file()
    assert "## 1. Introduction" in path.read_text()
    assert main(["import-report", str(REPO / "content/reports/final-report.pdf"), "--kind", "final-report",
                 "--content", str(content)]) == 2  # never overwrites without --force
    assert "already exist; use --force to overwrite" in capsys.readouterr().err


def test_serve_from_the_command_line_reports_a_missing_content_folder(tmp_path: Path, capsys):
    assert main(["serve", "--content", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), "--port", "0"]) == 2


# --- no traceback ever: a bug is one line and status 70; a full disk or a read-only folder is said plainly ---

INTERNAL = ("showcase: internal error: RuntimeError: deep down — this is a bug in showcase, please report it "
            "(see docs/security.md or the README)")


def break_everywhere(monkeypatch, original, exc: BaseException | None = None) -> None:
    """Make `original` raise wherever a module of showcase holds it (its own module and every importer)."""
    def broken(*args, **kwargs):
        raise exc or RuntimeError("deep down")

    for name, module in list(sys.modules.items()):
        if name == "showcase" or name.startswith("showcase."):
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, broken)


def assert_one_line_bug(status: int, err: str) -> None:
    assert status == 70, err
    assert "Traceback" not in err, err
    assert err.count("\n") == 1 and err.startswith(INTERNAL) and "SHOWCASE_DEBUG=1" in err, err


@pytest.mark.parametrize("command", ["build", "check", "new", "import-report"])
def test_a_bug_deep_in_a_command_is_one_line_and_status_70(site: Site, capsys, monkeypatch, command):
    from showcase.slugs import slugify

    break_everywhere(monkeypatch, slugify)  # file names, headings, related titles: every command needs it
    args = {"build": ["build", "--content", str(site.content), "--out", str(site.out)],
            "check": ["check", "--content", str(site.content)],
            "new": ["new", "story", "Deep Water", "--content", str(site.content)],
            "import-report": ["import-report", str(REPO / "content/reports/final-report.pdf"), "--content",
                              str(site.content)]}[command]
    before = snapshot(site.content)
    status = main(args)
    assert_one_line_bug(status, capsys.readouterr().err)
    assert not site.out.exists() and snapshot(site.content) == before


def test_a_bug_in_schema_and_serve_is_one_line_too(tmp_path: Path, capsys, monkeypatch):
    import showcase.schema
    import showcase.server.preview

    break_everywhere(monkeypatch, showcase.schema._allow_shorthand)
    assert_one_line_bug(main(["schema", "--out", str(tmp_path / "schemas")]), capsys.readouterr().err)
    site = Site(tmp_path / "site")
    break_everywhere(monkeypatch, showcase.server.preview.watched_folders)  # while starting, before serving
    status = main(["serve", "--content", str(site.content), "--out", str(site.out), "--port", "0"])
    assert_one_line_bug(status, capsys.readouterr().err)


def test_the_real_command_says_a_bug_in_one_line_and_shows_the_traceback_on_request(site: Site, tmp_path: Path):
    hook = tmp_path / "hook"
    write(hook / "sitecustomize.py", """
        import sys
        import showcase.cli
        from showcase.slugs import slugify

        def broken(*args, **kwargs):
            raise RuntimeError("deep down")

        for name, module in list(sys.modules.items()):
            if name.startswith("showcase"):
                for attr, value in list(vars(module).items()):
                    if value is slugify:
                        setattr(module, attr, broken)
        """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), str(REPO)])}
    env.pop("SHOWCASE_DEBUG", None)
    command = [sys.executable, str(REPO / "build.py"), "build", "--content", str(site.content), "--out", str(site.out)]
    run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=site.root)
    assert_one_line_bug(run.returncode, run.stderr)
    assert run.stdout == ""
    run = subprocess.run(command, capture_output=True, text=True, env={**env, "SHOWCASE_DEBUG": "1"}, cwd=site.root)
    assert run.returncode == 70
    assert "Traceback (most recent call last)" in run.stderr and "in broken" in run.stderr
    assert run.stderr.rstrip().splitlines()[-1].startswith(INTERNAL)


@pytest.mark.parametrize("code, where, said", [
    (errno.ENOSPC, "staging", "the disk is full while writing {path}; free some space and try again; "
                              "the previous site is unchanged"),
    (errno.EROFS, "site", "{path} is on a read-only file system; choose a writable folder (--out) or make it "
                          "writable and try again; the previous site is unchanged"),
    (errno.EACCES, "site", "permission denied for {path}; check who owns it and its permissions and try again"),
], ids=["disk-full", "read-only", "permission"])
def test_a_full_disk_or_a_locked_folder_is_said_plainly(site: Site, capsys, monkeypatch, code, where, said):
    from showcase.writer import write_file

    path = (site.out / "stories/index.html") if where == "site" else (site.root / "._site.staging/index.html")
    break_everywhere(monkeypatch, write_file, OSError(code, os.strerror(code), str(path)))
    status = main(["build", "--content", str(site.content), "--out", str(site.out)])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err and "internal error" not in err
    assert err.strip().splitlines()[-1].startswith("showcase: " + said.format(path=path, out=site.out)), err


@pytest.mark.parametrize("address, said", [
    ("javascript:alert(document.domain)//", "must be an http(s) address, not javascript:"),
    ("ftp://example.org/showcase/", "must be an http(s) address, not ftp:"),
    ("http://[::1/", "not valid"),
    ("example.org/showcase/", "is not a full web address: write https://example.org/showcase/"),
    ("cpmr-showcase/", "must be an absolute http(s) URL"),
    ("https://example.org/showcase/?x=1", "without '?' or '#'"),
    ("https://editor:secret@example.org/showcase/", "must not hold a user name or password"),
    ("https://example.org/showcase/index.html", "not of a page in it"),
])
def test_a_base_url_given_on_the_command_line_is_checked_as_site_yaml_would_be(site: Site, capsys, address: str,
                                                                                said: str):
    assert site.build() == 0
    before = snapshot(site.out)
    assert site.build("--base-url", address) == 2
    err = capsys.readouterr().err
    assert "--base-url: " in err and said in err and "Traceback" not in err and "internal error" not in err
    assert snapshot(site.out) == before


def test_a_base_url_in_any_script_is_written_as_browsers_send_it(site: Site):
    """A host and folder in any script reach the sitemap, robots.txt and canonical links as a web address must be
    written (IDNA, percent-encoded), as the browser's address bar would send them."""
    assert site.build("--base-url", "https://bücher.example/straße/") == 0
    assert "Sitemap: https://xn--bcher-kva.example/stra%C3%9Fe/sitemap.xml" in (site.out / "robots.txt").read_text()
    assert "<loc>https://xn--bcher-kva.example/stra%C3%9Fe/stories/first-light/</loc>" in \
        (site.out / "sitemap.xml").read_text()


def test_the_output_folder_cannot_be_inside_the_theme(site: Site, capsys):
    theme = site.root / "themes/mine"
    write(theme / "assets/extra.css", "body { color: #222; }\n")
    (site.content / "site.yaml").write_text((site.content / "site.yaml").read_text() + "theme: mine\n")
    before = snapshot(site.root / "themes")
    assert site.build("--out", str(theme / "assets/site")) == 2
    err = capsys.readouterr().err
    assert "inside the theme folder" in err and "Traceback" not in err
    assert snapshot(site.root / "themes") == before


def test_an_output_folder_that_cannot_be_made_is_said_plainly(site: Site, capsys):
    (site.root / "afile").write_text("not a folder\n")
    assert site.build("--out", str(site.root / "afile/site")) == 2
    err = capsys.readouterr().err
    assert "is a file, so" in err and "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("port", ["99999", "-1", "eighty"])
def test_a_port_that_is_not_one_is_refused(site: Site, capsys, port: str):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--content", str(site.content), "--port", port])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--port" in err and "internal error" not in err and "Traceback" not in err


def test_a_site_folder_made_read_only_is_not_replaced(site: Site, capsys):
    """Its owner said the folder is not to change: the build says so, rather than swapping in a new one (and
    keeping the read-only one as its spare, where the build after could not write)."""
    assert site.build() == 0
    before = snapshot(site.out)
    site.out.chmod(0o555)
    try:
        (site.content / "stories/second-story.md").write_text(
            (site.content / "stories/second-story.md").read_text().replace("We sang.", "We sang again."))
        assert site.build() == 2
        err = capsys.readouterr().err
        assert "is read-only" in err and "Traceback" not in err
        assert snapshot(site.out) == before and not (site.out.parent / f".{site.out.name}.staging").exists()
    finally:
        site.out.chmod(0o755)
    assert site.build() == 0


def test_a_file_name_cannot_send_control_sequences_to_the_terminal(site: Site, capsys):
    """A name holding ESC (clear the screen, set the clipboard) or a bidirectional override is printed with its
    control characters written out."""
    name = "bad\x1b]52;c;SGk=\x07\x1b[2J\u202eweiv.md"
    write(site.content / "stories" / name, "---\ntitle: [unclosed\n---\nText.\n")
    assert site.build() == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\x07" not in err
    assert "bad\\x1b]52;c;SGk=\\x07\\x1b[2J\\u202eweiv.md" in err
