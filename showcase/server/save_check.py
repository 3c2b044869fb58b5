"""The check of a save from the editor: the content folder as it would be with the save, made in a copy beside
the build cache (hard links, so it is quick and never writes through to the real files), checked by `python -m
showcase check` with the very rules of `check`. A save is refused when it brings an error (under --strict, a
warning too) that the content folder does not have without it, or any error in the files it writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

from .save_rules import Refused, Save

if TYPE_CHECKING:
    from .saving import Saver

CHECK_TIMEOUT = 50.0  # seconds; Decap gives up on a request after 60


def check_save(saver: Saver, save: Save) -> None:
    """Refuse the save if `check` finds an error (under --strict, a warning too) in the content folder with
    it that it does not find without it, or any error in the files it writes."""
    problems = _problems(saver, save)
    if not problems:
        return
    touched = {saver.shown(p) for p in save.paths}
    own = [p for p in problems if p["file"] in touched]
    others = [p for p in problems if p["file"] not in touched]
    if others:
        before = {(p["file"], p["message"]) for p in _problems(saver, Save())}
        others = [p for p in others if (p["file"], p["message"]) not in before]
    new = own + others
    if new:
        raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, _refusal(new), new)

def _problems(saver: Saver, save: Save) -> list[dict]:
    scratch = _scratch(saver)
    try:
        copy = scratch / saver.content.name
        _mirror(Path(os.path.realpath(saver.content)), copy)
        themes = saver.content.parent / "themes"
        if themes.is_dir():
            os.symlink(themes.resolve(), scratch / "themes")
        for rel in save.remove:
            _unlink(copy / rel)
        for rel, data in save.write.items():
            target = copy / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _unlink(target)  # a hard link to the real file: never written through
            target.write_bytes(data)
        report = _run_check(saver, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    strict = saver.strict
    found = []
    for problem in report.get("problems", []):
        if problem.get("severity") == "error" or (strict and problem.get("severity") == "warning"):
            message = str(problem.get("message", "")).replace(str(scratch) + os.sep, "")
            found.append({"file": str(problem.get("file", "")), "line": problem.get("line"),
                          "column": problem.get("column"), "severity": problem.get("severity"),
                          "message": message})
    return found

def _scratch(saver: Saver) -> Path:
    """A folder for the copy, beside the build cache (on the content's own disk, so hard links work)."""
    try:
        parent = saver.cache / "editing"
        parent.mkdir(parents=True, exist_ok=True)
        for old in parent.glob("save-*"):  # left by a preview that was killed while checking
            if time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(prefix="save-", dir=parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="showcase-save-"))

def _run_check(saver: Saver, scratch: Path) -> dict:
    command = [sys.executable, "-m", "showcase", "check", "--content", saver.content.name, "--format", "json"]
    if saver.strict:
        command.append("--strict")
    if saver.base_url:
        command += ["--base-url", saver.base_url]
    package_parent = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [package_parent, *filter(None, [os.environ.get("PYTHONPATH")])])}
    try:
        done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True,
                              timeout=CHECK_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "Checking this save took too long, so it was not "
                                                      "written. Try again, or run python build.py check.") from None
    except OSError as exc:
        raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"This save could not be checked, so it was not "
                                                        f"written: {exc.strerror or exc}.") from None
    if done.returncode in (0, 1):
        try:
            return json.loads(done.stdout)
        except ValueError:
            pass
    said = (done.stderr.strip().splitlines() or ["the check stopped"])[-1].removeprefix("showcase: ")
    raise Refused(HTTPStatus.INTERNAL_SERVER_ERROR,
                  f"This save could not be checked, so it was not written: {said}")


def _refusal(problems: list[dict]) -> str:
    """The plain-language message Decap shows for a save `check` refused."""
    def one(problem: dict) -> str:
        where = problem["file"] + (f", line {problem['line']}" if problem.get("line") else "")
        label = "warning (--strict): " if problem.get("severity") == "warning" else ""
        return f"{where}: {label}{problem['message']}"

    shown = [one(p) for p in problems[:5]]
    more = f" … and {len(problems) - 5} more (python build.py check lists them all)" if len(problems) > 5 else ""
    if len(problems) == 1:
        return f"Not saved, because the site could not be built with this change: {shown[0]}"
    return (f"Not saved, because the site could not be built with this change ({len(problems)} problems): "
            + " · ".join(shown) + more)


def _mirror(source: Path, target: Path) -> None:
    """A copy of a content folder made of hard links (copies where links cannot be made), hidden files left
    out as the build leaves them out; links inside it are copied as links."""
    target.mkdir(parents=True)
    todo = [(source, target)]
    linkable = True
    while todo:
        src, dst = todo.pop()
        try:
            entries = list(os.scandir(src))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            to = dst / entry.name
            try:
                if entry.is_symlink():
                    os.symlink(os.readlink(entry.path), to)
                elif entry.is_dir(follow_symlinks=False):
                    to.mkdir()
                    todo.append((Path(entry.path), to))
                elif entry.is_file(follow_symlinks=False):
                    if linkable:
                        try:
                            os.link(entry.path, to, follow_symlinks=False)
                            continue
                        except OSError:
                            linkable = False  # another disk, or a file system without hard links
                    shutil.copy2(entry.path, to, follow_symlinks=False)
            except OSError:
                continue  # unreadable here: the check of the real folder would say so, and so will this one


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
