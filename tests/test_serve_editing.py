"""The editor in the preview: `serve` offers /admin/ and Decap CMS's local-backend API on the content folder, and
every save is checked as `check` checks the folder before a byte is written. Against the real preview server (in
a thread, and once as `python build.py serve`), with real HTTP requests, real files and the real watcher."""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from PIL import Image
from sitekit import Site, snapshot, write
from test_editor_config import decap_errors
from test_serve import EventStream, Running, running, wait_for
from test_serve_security import Command, ask

from showcase.editor import DECAP_CMS, VERSIONS_HASH, VERSIONS_SCRIPT
from showcase.pipeline import BuildOptions, build
from showcase.server import editing, save_check

SAVE_TIMEOUT = 120.0  # a save runs `check` on a copy of the folder; the machines that run tests can be slow

STORY = """---
title: Singing on Thursdays
date: 2024-05-02
summary: How a choir of strangers began.
authors:
  - Sam Carter
consent: recorded
project: clay
---
We met on Thursdays, and sang.
"""


class Api:
    """Requests to a running preview's editor, as the editor page makes them."""

    def __init__(self, running: Running, site: Site):
        self.running, self.site = running, site
        self.port = running.preview.port
        self.origin = f"http://127.0.0.1:{self.port}"

    def call(self, action: str, params: dict | None = None, *, headers: dict | None = None,
             body: bytes | None = None) -> tuple[int, object]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=SAVE_TIMEOUT)
        try:
            sent = {"Content-Type": "application/json; charset=utf-8", "Origin": self.origin,
                    "Sec-Fetch-Site": "same-origin", **(headers or {})}
            sent = {k: v for k, v in sent.items() if v is not None}
            data = body if body is not None else json.dumps({"action": action, "params": params or {}}).encode()
            conn.request("POST", editing.API, body=data, headers=sent)
            response = conn.getresponse()
            raw = response.read()
            assert response.getheader("Content-Type", "").startswith("application/json"), raw[:200]
            return response.status, json.loads(raw)
        finally:
            conn.close()

    def save(self, path: str, raw: str, assets: list[dict] | None = None,
             read_first: bool = True) -> tuple[int, dict]:
        if read_first:  # as Decap does: the form shows the entry as it is before it is changed
            self.call("getEntry", {"path": path})
        return self.call("persistEntry", {"branch": "master", "dataFiles": [{"path": path, "raw": raw, "slug": "x"}],
                                          "assets": assets or [], "options": {"commitMessage": "Save"}})

    def terminal(self) -> str:
        return self.running.terminal.getvalue()


def png(colour=(200, 40, 40), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def asset(path: str, data: bytes) -> dict:
    return {"path": path, "content": base64.b64encode(data).decode(), "encoding": "base64"}


def no_temporary_files(content: Path) -> None:
    assert not [p for p in content.rglob("*") if ".showcase-saving" in p.name]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    site = Site(tmp_path_factory.mktemp("editing"))
    with running(site.content, site.out) as preview:
        yield Api(preview, site)


# --- the page, its configuration, reading ---------------------------------------------------------


def test_admin_is_served_with_a_local_config_even_without_an_editor_block(api: Api):
    site = api.running
    assert "editor:" not in (api.site.content / "site.yaml").read_text()
    assert not (api.site.out / "admin").exists()  # the built site has no editor
    status, headers, body = site.get("/admin/")
    page = body.decode()
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert f'src="{DECAP_CMS.url}"' in page and f'integrity="{DECAP_CMS.integrity}"' in page
    assert 'name="robots" content="noindex"' in page and "<title>Edit MT</title>" in page
    assert "EventSource" not in page  # the editor is not reloaded by each build, which would lose what is typed
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#x27;none&#x27;; script-src "
            f"{DECAP_CMS.url} &#x27;{VERSIONS_HASH}&#x27; &#x27;unsafe-eval&#x27;;") in page  # the preview's only:
    assert f"<script>{VERSIONS_SCRIPT}</script>" in page  # the one inline script, which its hash allows
    assert "connect-src &#x27;self&#x27;;" in page and "github" not in page
    assert headers["x-frame-options"] == "DENY"
    assert site.get("/admin")[0] == 301 and site.get("/admin")[1]["location"] == "/admin/"

    status, headers, body = site.get("/admin/config.yml", headers={"Host": f"localhost:{api.port}"})
    assert status == 200 and headers["content-type"].startswith("text/yaml")
    config = yaml.safe_load(body)
    assert not decap_errors(config), decap_errors(config)
    url = f"http://localhost:{api.port}/admin/api/v1"
    assert config["backend"] == {"name": "proxy", "proxy_url": url}
    assert config["local_backend"] == {"url": url}
    assert config["site_url"] == f"http://localhost:{api.port}/"
    assert "publish_mode" not in config  # no editorial workflow: a save is written to the folder
    folders = {c["name"]: c.get("folder") for c in config["collections"]}
    assert folders["stories"] == "stories" and folders["artworks"] == "artworks"
    assert config["collections"][-1]["files"][0]["file"] == "site.yaml"

    # opened at another name of this computer, Decap is told it may use the local API there too
    _, _, body = site.get("/admin/config.yml", headers={"Host": f"[::1]:{api.port}"})
    config = yaml.safe_load(body)
    assert config["local_backend"] == {"url": f"http://[::1]:{api.port}/admin/api/v1", "allowed_hosts": ["[::1]"]}


def test_decap_reads_entries_and_media(api: Api):
    status, info = api.call("info")
    assert status == 200 and info == {"repo": "content", "publish_modes": ["simple"], "type": "local_fs"}
    status, entries = api.call("entriesByFolder", {"folder": "stories", "extension": "md", "depth": 1})
    assert status == 200
    by_path = {e["file"]["path"]: e for e in entries}  # type: ignore[union-attr]
    assert {"stories/first-light.md", "stories/second-story.md"} <= set(by_path)
    first = by_path["stories/first-light.md"]
    assert first["data"] == (api.site.content / "stories/first-light.md").read_text()
    assert re.fullmatch(r"[0-9a-f]{64}", first["file"]["id"])
    status, entry = api.call("getEntry", {"path": "stories/second-story.md"})
    assert status == 200 and "Singing with strangers." in entry["data"]  # type: ignore[index]
    status, (site_file,) = api.call("entriesByFiles", {"files": [{"path": "site.yaml", "label": "Site"}]})
    assert status == 200 and "Making Together" in site_file["data"] and site_file["file"]["label"] == "Site"
    status, missing = api.call("getEntry", {"path": "stories/nothing-here.md"})
    assert status == 200 and missing["data"] is None  # type: ignore[index]

    status, media = api.call("getMedia", {"mediaFolder": "artworks"})
    assert status == 200 and [m["name"] for m in media] == ["bowl.jpg"]  # type: ignore[union-attr]  # not the sidecar
    assert base64.b64decode(media[0]["content"]) == (api.site.content / "artworks/bowl.jpg").read_bytes()  # type: ignore[index]
    status, one = api.call("getMediaFile", {"path": "artworks/bowl.jpg"})
    assert status == 200 and one["path"] == "artworks/bowl.jpg" and one["encoding"] == "base64"  # type: ignore[index]
    # reading stays in the content folder too
    (api.site.root / "secret.txt").write_text("TOP SECRET")
    for path in ("../secret.txt", "/etc/passwd", "stories/../../secret.txt"):
        status, answer = api.call("getEntry", {"path": path})
        assert status == 422 and "TOP SECRET" not in json.dumps(answer) and "root:" not in json.dumps(answer)
    os.symlink(api.site.root / "secret.txt", api.site.content / "pages/leak.md")
    try:
        status, answer = api.call("getEntry", {"path": "pages/leak.md"})
        assert status == 200 and answer["data"] is None  # type: ignore[index]  # a link out of the folder is not read
    finally:
        (api.site.content / "pages/leak.md").unlink()


# --- saving ---------------------------------------------------------------------------------------


def test_a_new_story_is_checked_written_whole_and_the_open_preview_reloads(api: Api):
    stream = EventStream(api.port)
    try:
        stream.expect("hello")
        status, answer = api.save("stories/singing-on-thursdays.md", STORY)
        assert (status, answer["message"]) == (200, "entry persisted")
        story = api.site.content / "stories/singing-on-thursdays.md"
        assert story.read_text() == STORY
        no_temporary_files(api.site.content)
        assert "Saved from the editor: content/stories/singing-on-thursdays.md" in api.terminal()
        event, data = stream.next(timeout=60)
        while event == "reload" and api.running.get("/stories/singing-on-thursdays/")[0] != 200:
            event, data = stream.next(timeout=60)  # a build started before the save may end first
        assert event == "reload" and data["ok"] is True
        assert "We met on Thursdays, and sang." in api.running.text("/stories/singing-on-thursdays/")
    finally:
        stream.close()
    assert api.site.check() == 0

    # a change keeps the file's permissions; the text is replaced whole
    story.chmod(0o640)
    status, _ = api.save("stories/singing-on-thursdays.md", STORY.replace("and sang.", "and sang again."))
    assert status == 200 and story.read_text().endswith("and sang again.\n")
    assert story.stat().st_mode & 0o777 == 0o640


def test_what_decap_writes_as_yaml_1_2_is_read_as_the_editor_typed_it(api: Api):
    """Decap writes YAML 1.2, which reads `No`, `on` and `12:30` as text and writes them without quotes; the build
    reads YAML 1.1, where they are true or false, or a number. The save quotes exactly those, and leaves what both
    read alike (a switch's true, a number, a date) as it is."""
    try:
        _yaml_1_2_saves(api)
    finally:  # the other tests' site is left as it was
        (api.site.content / "stories/no.md").unlink(missing_ok=True)
        shutil.rmtree(api.site.content / "media", ignore_errors=True)


def _yaml_1_2_saves(api: Api) -> None:
    raw = STORY.replace("title: Singing on Thursdays", "title: No").replace(
        "project: clay", "project: clay\ntags: [yes, on]\ndraft: false")
    status, answer = api.save("stories/no.md", raw)
    assert (status, answer["message"]) == (200, "entry persisted")
    text = (api.site.content / "stories/no.md").read_text()
    assert "title: 'No'" in text and "tags: ['yes', 'on']" in text and "draft: false" in text
    assert "date: 2024-05-02" in text and text.endswith("We met on Thursdays, and sang.\n")
    film = ("title: Our film\nkind: video\nurl: https://example.org/film\nduration: 12:30\n"
            "transcript: We talk.\nconsent: recorded\n")
    status, answer = api.save("media/film.yaml", film)
    assert status == 200, answer
    assert "duration: '12:30'" in (api.site.content / "media/film.yaml").read_text()
    assert api.site.check() == 0
    out = api.site.root / "yaml12"
    built = build(BuildOptions(content=api.site.content, out=out, cache=api.site.root / "yaml12-cache", search=False))
    assert not built.failed
    story = next(s for s in built.site.stories if s.slug == "no")
    assert story.meta.title == "No" and (out / "tags/yes/index.html").is_file() and (out / "tags/on/index.html").is_file()
    assert built.site.media["film"].meta.duration == "12:30"


BAD_SAVES = {
    "a missing required field": ("stories/no-title.md", STORY.replace("title: Singing on Thursdays\n", ""),
                                 "content/stories/no-title.md", "title"),
    "a reference to a missing project": ("stories/lost.md", STORY.replace("project: clay", "project: pottery"),
                                         "content/stories/lost.md, line 8", "project 'pottery' does not exist"),
    "an unsafe link": ("stories/link.md", STORY + "\n[Click me](javascript:alert(1))\n",
                       "content/stories/link.md", "'javascript:' links are not allowed"),
    "raw HTML with a script": ("pages/script.md", "---\ntitle: Script\n---\nHello <script>alert(1)</script>\n",
                               "content/pages/script.md", "<script> element is not allowed"),
    "an artist group filled in half": ("artworks/bowl.yaml", "title: Blue bowl\nalt: A blue bowl.\nartist:\n"
                                       "  display: initials\nproject: clay\n", "content/artworks/bowl.yaml, line 3",
                                       "missing required field 'artist.name'"),
    "a project file that is not YAML": ("projects/broken.yaml", "title: [unclosed\n",
                                        "content/projects/broken.yaml", ""),
    "a story changed to lose its author": ("stories/first-light.md", lambda content: (
        content / "stories/first-light.md").read_text().replace(
            "authors:\n  - name: Jane Quinnell\n    display: initials\n", "authors: []\n"),
        "content/stories/first-light.md", "authors"),
}


@pytest.mark.parametrize("name", list(BAD_SAVES))
def test_a_save_that_check_refuses_is_not_written(api: Api, name: str):
    path, raw, where, says = BAD_SAVES[name]
    if callable(raw):
        raw = raw(api.site.content)
        assert "authors: []" in raw
    before = snapshot(api.site.content)
    status, answer = api.save(path, raw)
    assert status == 422, answer
    message = answer["error"]  # type: ignore[index]
    assert message.startswith("Not saved, because the site could not be built with this change: "), message
    assert where in message and says in message, message
    assert all(p["file"].startswith("content/") for p in answer["problems"])  # type: ignore[index]
    assert snapshot(api.site.content) == before  # nothing written, the old text of a changed file kept
    no_temporary_files(api.site.content)
    assert f"The editor's save of content/{path} was refused" in api.terminal()


def test_removing_what_others_use_is_refused(api: Api):
    before = snapshot(api.site.content)
    status, answer = api.call("deleteFile", {"path": "projects/clay.yaml", "options": {"commitMessage": "x"}})
    assert status == 422
    assert "content/stories/first-light.md" in answer["error"] and "clay" in answer["error"]  # type: ignore[index]
    status, answer = api.call("deleteFiles", {"paths": ["artworks/bowl.yaml"], "options": {"commitMessage": "x"}})
    assert status == 422 and "bowl" in answer["error"]  # type: ignore[index]
    assert snapshot(api.site.content) == before


@pytest.mark.parametrize("path, says", [
    ("../outside.md", "leaves the content folder"),
    ("stories/../../outside.md", "leaves the content folder"),
    ("stories/./x.md", "leaves the content folder"),
    ("stories//x.md", "leaves the content folder"),
    ("/tmp/outside.md", "absolute path"),
    ("C:/outside.md", "absolute path"),
    ("stories\\..\\..\\outside.md", "backslash"),
    ("stories/x\x00.md", "NUL"),
    ("stories/x\n.md", "control character"),
    ("stories/.hidden.md", "hidden file"),
    ("static/evil.js", "the editor saves only site.yaml and the files in stories/"),
    ("outside.md", "the editor saves only site.yaml"),
    ("stories/deeper/x.md", "the editor saves only site.yaml"),
    ("stories/x.html", "stories/ holds only files ending .md"),
    ("x" * 2000, "too long"),
])
def test_paths_outside_the_editors_folders_are_refused(api: Api, path: str, says: str):
    before = snapshot(api.site.content)
    outside = snapshot(api.site.root)
    status, answer = api.save(path, STORY)
    assert status == 422 and says in answer["error"], answer  # type: ignore[index]
    assert snapshot(api.site.root) == outside and snapshot(api.site.content) == before
    for action, params in (("persistMedia", {"asset": asset(path, png())}), ("deleteFile", {"path": path})):
        status, answer = api.call(action, params)
        assert status == 422 and says in answer["error"], answer  # type: ignore[index]
    assert snapshot(api.site.root) == outside


def test_links_never_lead_a_save_out_of_the_folder(api: Api, tmp_path: Path):
    content = api.site.content
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "victim.md").write_text("untouched")
    os.symlink(target / "victim.md", content / "pages/victim.md")
    os.symlink(target, content / "media")  # a folder the editor saves in, made a link to another place
    try:
        before = snapshot(target)
        status, answer = api.save("pages/victim.md", "---\ntitle: Overwritten\n---\nGone.\n")
        assert status == 422 and "pages/victim.md is a link" in answer["error"]  # type: ignore[index]
        status, answer = api.save("media/film.yaml", "title: A film\n")
        assert status == 422 and "media is a link" in answer["error"]  # type: ignore[index]
        status, answer = api.call("deleteFile", {"path": "pages/victim.md"})
        assert status == 422 and "is a link" in answer["error"]  # type: ignore[index]
        assert snapshot(target) == before and (target / "victim.md").read_text() == "untouched"
    finally:
        (content / "pages/victim.md").unlink()
        (content / "media").unlink()


def test_uploads_are_limited_in_size_and_type(api: Api):
    before = snapshot(api.site.content)
    sidecar = "title: Red\nalt: A red square.\nartist: Sam Carter\nconsent: recorded\nimage: red.png\n"

    def refused(path: str, data: bytes, status: int, says: str) -> None:
        code, answer = api.save("artworks/red.yaml", sidecar.replace("red.png", path.rsplit("/", 1)[1]),
                                [asset(path, data)])
        assert code == status and says in answer["error"], answer  # type: ignore[index]
        code, answer = api.call("persistMedia", {"asset": asset(path, data)})
        assert code == status and says in answer["error"], answer  # type: ignore[index]

    big = b"\x89PNG\r\n\x1a\n" + b"\0" * (editing.MAX_FILE + 1)
    refused("artworks/red.png", big, 413, "too large to upload (20.0 MB; at most 20.0 MB)")
    refused("artworks/red.png", b"MZ\x90\x00 this is a program", 422, "red.png is not a PNG image")
    refused("artworks/red.jpg", png(), 422, "red.jpg is not a JPEG image")
    refused("artworks/red.png", b"\x89PNG\r\n\x1a\n" + b"cut short", 422, "cannot be read as a PNG image")
    refused("artworks/red.exe", b"MZ", 422, "artworks/ holds only files ending")
    refused("artworks/red.svg", b"<svg onload='alert(1)'/>", 422, "artworks/ holds only files ending")
    code, answer = api.call("persistMedia", {"asset": asset("reports/paper.pdf", b"<html>not a pdf</html>")})
    assert code == 422 and "paper.pdf is not a PDF" in answer["error"]  # type: ignore[index]
    code, answer = api.call("persistMedia", {"asset": asset("media/talk.vtt", b"\xff\xfe not text")})
    assert code == 422 and "talk.vtt is not a WebVTT captions file" in answer["error"]  # type: ignore[index]
    # an image alone is not an artwork: `check` wants its sidecar
    code, answer = api.call("persistMedia", {"asset": asset("artworks/lonely.png", png())})
    assert code == 422 and "this image has no sidecar" in answer["error"]  # type: ignore[index]
    # a request too large is refused before it is read
    answer = ask(api.port, editing.API, host=f"127.0.0.1:{api.port}", method=b"POST",
                 extra=(f"Origin: {api.origin}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {editing.MAX_BODY + 1}\r\n").encode())
    assert answer.status == 413 and b"too large" in answer.body
    assert snapshot(api.site.content) == before
    no_temporary_files(api.site.content)


def test_an_artwork_uploaded_with_its_sidecar_builds_and_its_image_follows_it(api: Api):
    content = api.site.content
    sidecar = ("title: Red square\nalt: A red square on white.\nartist: Sam Carter\nyear: 2024\n"
               "consent: recorded\nimage: red-square.png\n")
    image = png()
    status, answer = api.save("artworks/red-square.yaml", sidecar, [asset("artworks/red-square.png", image)])
    assert status == 200, answer
    assert (content / "artworks/red-square.png").read_bytes() == image
    assert (content / "artworks/red-square.yaml").read_text() == sidecar
    wait_for(lambda: (api.site.out / "artworks/red-square/index.html").is_file(), "the artwork's page", timeout=60)
    assert "A red square on white." in api.running.text("/artworks/red-square/")
    assert api.site.check() == 0

    # a new image in the form: the sidecar names it, and the one it named before goes with the change
    blue = png((30, 60, 200))
    status, answer = api.save("artworks/red-square.yaml", sidecar.replace("red-square.png", "blue.png"),
                              [asset("artworks/blue.png", blue)])
    assert status == 200, answer
    assert not (content / "artworks/red-square.png").exists() and (content / "artworks/blue.png").is_file()
    assert "removed content/artworks/red-square.png" in api.terminal()

    # removing the artwork removes its image too; nothing uses it
    status, answer = api.call("deleteFiles", {"paths": ["artworks/red-square.yaml"], "options": {}})
    assert status == 200, answer
    assert not (content / "artworks/red-square.yaml").exists() and not (content / "artworks/blue.png").exists()
    assert api.site.check() == 0


def test_a_save_is_judged_by_what_it_changes(api: Api):
    """A problem already in the folder (here a story written by hand) does not stop saves of other files, but
    every problem in the files a save writes does."""
    broken = write(api.site.content / "stories/by-hand.md", STORY.replace("project: clay", "project: nowhere"))
    try:
        status, answer = api.save("pages/thanks.md", "---\ntitle: Thanks\n---\nTo everyone.\n")
        assert status == 200, answer
        status, answer = api.save("stories/by-hand.md", broken.read_text().replace("Thursdays", "Fridays"))
        assert status == 422 and "project 'nowhere' does not exist" in answer["error"]  # type: ignore[index]
        assert "Thursdays" in broken.read_text()
    finally:
        broken.unlink()
        (api.site.content / "pages/thanks.md").unlink()


def test_a_save_of_several_files_that_fails_half_way_leaves_all_as_they_were(api: Api, monkeypatch):
    """An artwork's description and its new image saved together; the disk fails putting the second in place:
    the first is put back, and the answer says the files are as they were."""
    image = {"path": "artworks/kiln.png", "content": base64.b64encode(png((10, 10, 200))).decode()}
    status, _ = api.save("artworks/kiln.yaml", "title: Kiln\nalt: A kiln.\nyear: '2016'\nimage: kiln.png\n", [image])
    assert status == 200
    folder = api.site.content / "artworks"
    try:
        _half_way(api, monkeypatch, folder, image)
    finally:
        for name in ("kiln.png", "kiln.yaml"):
            (folder / name).unlink(missing_ok=True)


def _half_way(api: Api, monkeypatch, folder: Path, image: dict) -> None:
    import errno

    from showcase.server import saving

    before = {name: (folder / name).read_bytes() for name in ("kiln.png", "kiln.yaml")}
    replace, placed = os.replace, []

    def second_fails(src, dst, *args, **kwargs):
        if isinstance(src, str) and src.startswith(".showcase-saving-"):
            placed.append(dst)
            if len(placed) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(saving.os, "replace", second_fails)
    status, answer = api.save("artworks/kiln.yaml", "title: Kiln, fired\nalt: A red kiln.\nyear: '2016'\n"
                              "image: kiln.png\n", [{**image, "content": base64.b64encode(png((200, 10, 10))).decode()}])
    monkeypatch.undo()
    assert status == 500 and "the files are as they were" in answer["error"] and len(placed) == 2
    assert {name: (folder / name).read_bytes() for name in before} == before
    assert not [p.name for p in api.site.content.rglob(".showcase-*")]


def test_a_save_over_a_change_made_outside_the_editor_is_refused(api: Api):
    """The form was opened, then the file was changed in a text editor: saving the form would silently undo that
    change, so it is refused (409) with what to do, and nothing is written. Once the entry is read again, the save
    goes through; the editor's own saves follow one another freely."""
    path = api.site.content / "stories/notebook.md"
    try:
        assert api.save("stories/notebook.md", STORY)[0] == 200
        assert api.save("stories/notebook.md", STORY.replace("sang.", "sang twice."), read_first=False)[0] == 200
        api.call("getEntry", {"path": "stories/notebook.md"})  # the form is opened...
        path.write_text(path.read_text() + "\nA line written in a text editor.\n")  # ...then the file changes
        outside = path.read_text()
        status, answer = api.save("stories/notebook.md", STORY.replace("sang.", "sang thrice."), read_first=False)
        assert status == 409 and "changed outside the editor" in answer["error"], answer
        assert path.read_text() == outside
        status, _ = api.save("stories/notebook.md", outside.replace("sang twice.", "sang thrice."))  # read again
        assert status == 200 and "A line written in a text editor." in path.read_text()
    finally:
        path.unlink(missing_ok=True)


def test_a_save_from_a_page_that_opened_an_older_version_is_refused(api: Api):
    """Two tabs (or two people on one computer) open one entry; the first saves; the second's save would undo the
    first's change: the page says which version it opened (editor_versions.js), and the save over another one is
    refused with what to do. The first page's next save goes through (it was told the version it wrote); so does
    the second's once it has read the entry again. A new entry over a file made meanwhile, and a save of an entry
    deleted meanwhile, are refused the same way."""
    rel, path = "stories/duet-tabs.md", api.site.content / "stories/duet-tabs.md"

    def persist(raw: str, opened: dict, new_entry: bool = False) -> tuple[int, dict]:
        return api.call("persistEntry", {"branch": "master", "dataFiles": [{"path": rel, "raw": raw, "slug": "x"}],
                                         "assets": [], "options": {"commitMessage": "Save", "newEntry": new_entry},
                                         "opened": opened})

    try:
        status, answer = persist(STORY, {}, new_entry=True)
        assert status == 200, answer
        first = answer["versions"][rel]
        assert first == hashlib.sha256(path.read_bytes()).hexdigest()
        assert api.call("getEntry", {"path": rel})[1]["file"]["id"] == first  # both tabs open it
        status, answer = persist(STORY.replace("sang.", "sang in tab one."), {rel: first})
        assert status == 200, answer
        second = answer["versions"][rel]
        status, answer = persist(STORY.replace("sang.", "sang in tab two."), {rel: first})  # tab two: still first
        assert status == 409 and "was changed after you opened it here (in another tab or window" in answer["error"]
        assert "sang in tab one." in path.read_text()
        assert persist(STORY.replace("sang.", "sang in tab one, again."), {rel: second})[0] == 200  # tab one goes on
        status, answer = persist(STORY.replace("sang.", "sang anew."), {}, new_entry=True)  # a new entry, same name
        assert status == 409 and "was made (in another tab or window" in answer["error"], answer
        assert "sang in tab one, again." in path.read_text()
        opened = hashlib.sha256(path.read_bytes()).hexdigest()
        path.unlink()
        status, answer = persist(STORY, {rel: opened})
        assert status == 409 and "was deleted" in answer["error"] and not path.exists(), answer
    finally:
        path.unlink(missing_ok=True)


def test_two_saves_of_one_file_at_once_never_mix(api: Api, monkeypatch):
    slow_check = save_check._run_check

    def slower(saver, scratch):  # the first save is still being checked when the second arrives
        time.sleep(1.0)
        return slow_check(saver, scratch)

    monkeypatch.setattr(save_check, "_run_check", slower)
    story = api.site.content / "stories/duet.md"
    texts = [STORY.replace("and sang.", f"and sang, version {n}." + " la" * 20000) for n in (1, 2)]
    results: list[tuple[int, int, object]] = []
    start = threading.Barrier(2)

    def save(n: int) -> None:
        start.wait()
        if n == 1:
            time.sleep(0.3)
        results.append((n, *api.save("stories/duet.md", texts[n])))

    threads = [threading.Thread(target=save, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SAVE_TIMEOUT)
    by_status = {status: (n, answer) for n, status, answer in results}
    assert set(by_status) == {200, 409}, results
    winner, _ = by_status[200]
    _, refusal = by_status[409]
    assert "content/stories/duet.md is being saved at this very moment by another save" in refusal["error"]
    assert story.read_text() == texts[winner]  # one whole version, never a mixture
    no_temporary_files(api.site.content)

    # saves of different files wait their turn, and both are written
    results.clear()
    start = threading.Barrier(2)

    def other(n: int) -> None:
        start.wait()
        results.append((n, *api.save(f"pages/turn-{n}.md", f"---\ntitle: Turn {n}\n---\nText.\n")))

    threads = [threading.Thread(target=other, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SAVE_TIMEOUT)
    assert sorted(status for _, status, _ in results) == [200, 200], results
    for n in (0, 1):
        (api.site.content / f"pages/turn-{n}.md").unlink()
    story.unlink()


@pytest.mark.parametrize("headers, status", [
    ({"Origin": None}, 403),
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),
    ({"Content-Type": "text/plain"}, 415),
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ({"Content-Type": None}, 415),
])
def test_only_the_previews_own_page_can_save(api: Api, headers: dict, status: int):
    before = snapshot(api.site.content)
    code, answer = api.call("persistEntry", {"dataFiles": [{"path": "pages/csrf.md", "raw": "---\ntitle: X\n---\n"}],
                                             "assets": []}, headers=headers)
    assert code == status and "error" in answer, answer
    assert snapshot(api.site.content) == before


def test_requests_the_api_does_not_take(api: Api):
    port = api.port
    # another site's name (DNS rebinding) is refused before anything else
    answer = ask(port, editing.API, host="evil.example", method=b"POST",
                 extra=b"Origin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 17\r\n")
    assert answer.status == 421
    assert ask(port, editing.API).status == 405  # GET
    assert ask(port, "/", method=b"POST", extra=b"Content-Length: 0\r\n").status == 405  # the site takes no POST
    assert ask(port, "/admin/config.yml", host="evil.example").status == 421
    for body, says in ((b"not json", "not JSON"), (b"[1, 2]", "names an action"), (b'{"action": 3}', "names an action")):
        code, answer = api.call("", body=body)
        assert code == 400 and says in answer["error"], answer  # type: ignore[index]
    code, answer = api.call("unpublishedEntries")
    assert code == 422 and "drafts and reviews are for the published editor" in answer["error"]  # type: ignore[index]
    code, answer = api.call("runCommand", {"command": "rm -rf /"})
    assert code == 422 and "Unknown action" in answer["error"]  # type: ignore[index]
    code, answer = api.call("getDeployPreview", {"collection": "stories", "slug": "x"})
    assert (code, answer) == (200, {"url": f"http://127.0.0.1:{port}/", "status": "SUCCESS"})
    code, answer = api.call("getMediaFile", {"path": "artworks/none.png"})
    assert code == 404 and "There is no file artworks/none.png" in answer["error"]  # type: ignore[index]
    deep = b'{"action": "info", "params": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    code, answer = api.call("", body=deep)
    assert code == 400 and "not JSON" in answer["error"]  # type: ignore[index]


def test_names_that_are_not_text_get_a_plain_answer(api: Api):
    """A name no file can be given in Unicode (a lone surrogate) is refused, nothing removed; a story whose file
    name is not UTF-8 (unpacked from an old archive) does not keep the editor from listing the others."""
    for action, params in (("getEntry", {"path": "stories/\ud800.md"}), ("deleteFile", {"path": "stories/\udcff.md"})):
        code, answer = api.call(action, params)
        assert code == 422 and "not Unicode text" in answer["error"], (action, answer)  # type: ignore[index]
    code, answer = api.save("stories/\ud800.md", "---\ntitle: x\n---\n")
    assert code == 422 and "not Unicode text" in answer["error"]
    odd = os.path.join(os.fsencode(api.site.content), b"stories", b"caf\xe9.md")
    with open(odd, "wb") as handle:
        handle.write(b"---\ntitle: Caf\n---\n")
    try:
        code, answer = api.call("entriesByFolder", {"folder": "stories", "extension": "md", "depth": 1})
        assert code == 200 and any(e["file"]["path"] == "stories/first-light.md" for e in answer)  # type: ignore[union-attr]
    finally:
        os.unlink(odd)


def this_computers_network_address() -> str | None:
    """An address of this computer that is not a loopback one (none on a machine without a network)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_shared_with_the_network_the_preview_keeps_its_editor_to_this_computer(tmp_path: Path):
    address = this_computers_network_address()
    if address is None:
        pytest.skip("this computer has no network address other than loopback")
    site = Site(tmp_path)
    with running(site.content, site.out, host="0.0.0.0") as preview:
        port = preview.preview.port

        def request(method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection(address, port, timeout=SAVE_TIMEOUT)
            try:
                conn.request(method, path, body=body, headers={
                    "Origin": f"http://{address}:{port}", "Content-Type": "application/json"})
                response = conn.getresponse()
                return response.status, response.read()
            finally:
                conn.close()

        assert request("GET", "/")[0] == 200  # the site is shared, as --host 0.0.0.0 asks
        status, body = request("GET", "/admin/")
        assert status == 403 and b"for this computer only" in body
        assert request("GET", "/admin/config.yml")[0] == 403
        before = snapshot(site.content)
        status, body = request("POST", editing.API, json.dumps({"action": "persistEntry", "params": {
            "dataFiles": [{"path": "pages/from-afar.md", "raw": "---\ntitle: Afar\n---\n"}], "assets": []}}).encode())
        assert status == 403 and "for this computer only" in json.loads(body)["error"]
        assert snapshot(site.content) == before
        assert preview.get("/admin/")[0] == 200  # from this computer it is there


# --- the real command -----------------------------------------------------------------------------


def test_python_build_py_serve_offers_the_editor(tmp_path: Path):
    site = Site(tmp_path)
    command = Command(tmp_path)
    try:
        wait_for(lambda: any("/admin/" in line for line in command.lines), "the editor's address")
        assert any(f"Edit the content in the browser at http://127.0.0.1:{command.port}/admin/" in line
                   for line in command.lines), command.lines
        assert ask(command.port, "/admin/").status == 200
        body = json.dumps({"action": "persistEntry", "params": {
            "dataFiles": [{"path": "stories/singing-on-thursdays.md", "raw": STORY}], "assets": []}}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", command.port, timeout=SAVE_TIMEOUT)
        conn.request("POST", editing.API, body=body, headers={
            "Host": f"localhost:{command.port}", "Origin": f"http://localhost:{command.port}",
            "Content-Type": "application/json"})
        response = conn.getresponse()
        assert response.status == 200, response.read()
        conn.close()
        assert (site.content / "stories/singing-on-thursdays.md").read_text() == STORY
        wait_for(lambda: (site.out / "stories/singing-on-thursdays/index.html").is_file(), "the new page", timeout=60)
    finally:
        printed = command.stop()
    assert "Saved from the editor: content/stories/singing-on-thursdays.md" in printed
    assert "Traceback" not in printed
