"""The Jinja2 environment the theme renders with: it notes what each page reads (for the narrow rebuilds of
deps.py), and keeps compiled templates between builds in a folder per version of the generator, saying which
of its files it could not read."""

from __future__ import annotations

import io
import marshal
import pickle
import shutil
import types
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket, bc_magic

from . import deps
from .codekey import code_digest
from .content import Site
from .deps import ITEM_TYPES, RECORDED_TYPES, record, record_access


class RecordingEnvironment(Environment):
    """Jinja2 that notes, while a page renders, every item, list and template it reads (see deps.py)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        recording = deps._RECORDING  # this runs for every `a.b` of every page: kept short on purpose
        if recording is not None:
            if type(obj) in ITEM_TYPES:
                key = obj.dep_keys.get(attribute)
                if key is None:
                    key = obj.dep_keys[attribute] = deps.item_key(obj, attribute)
                recording.add(key)
            elif type(obj) is Site:
                return self._site_view(obj, attribute)
            elif type(obj) in RECORDED_TYPES:
                record_access(obj, attribute)
        try:  # what Environment.getattr does, without its extra call
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    _views: tuple[Site, dict] | None = None

    def _site_view(self, site: Site, attribute: str) -> Any:
        """The site's dicts and lists are handed to templates as views that record narrowly (see deps.py)."""
        views = self._views
        if views is None or views[0] is not site:
            views = self._views = (site, deps.site_views(site))
        try:
            value = getattr(site, attribute)
        except AttributeError:
            record_access(site, attribute)
            return self.undefined(obj=site, name=attribute)
        view = views[1].get(attribute)
        if view is not None and view._data is value:
            return view  # it records what is read of it
        if type(value) in (dict, list):  # set after the views were made
            views[1].update(deps.site_views(site))
            return views[1][attribute]
        record_access(site, attribute)  # a plain value: the page depends on all of it
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            record_access(obj, argument)
        return super().getitem(obj, argument)

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Any:
        record(f"template:{name}")
        return super().get_template(name, parent, globals)


class CheckedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which notes a file it cannot read instead of failing on it or
    passing over it in silence; the template is compiled again (and the file written again) either way."""

    def __init__(self, directory: str):
        super().__init__(directory)
        self.problems: list[tuple[str, str]] = []  # (file, why) since last asked, in this process

    def load_bytecode(self, bucket: Bucket) -> None:
        filename = self._get_cache_filename(bucket)
        try:
            with open(filename, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problems.append((filename, exc.strerror or type(exc).__name__))
            return
        why = None
        stream = io.BytesIO(data)
        if stream.read(len(bc_magic)) != bc_magic:  # the folder is per version of Jinja and Python: damaged
            why = "it does not start as a compiled template does"
        else:
            try:
                checksum = pickle.load(stream)
            except Exception as exc:
                why = f"{type(exc).__name__}: {exc}"
            else:
                if checksum != bucket.checksum:
                    return  # the template was edited since: compiled again, as Jinja always does
                try:
                    code = marshal.load(stream)
                except (EOFError, ValueError, TypeError) as exc:
                    why = f"{type(exc).__name__}: {exc}"
                else:
                    if isinstance(code, types.CodeType):
                        bucket.code = code
                        return
                    why = "it holds no compiled code"
        bucket.reset()
        self.problems.append((filename, why))

    def take_problems(self) -> list[tuple[str, str]]:
        found, self.problems = self.problems, []
        return found


def compiled_folder(parent: Path) -> Path:
    """One folder per version of the generator, since how templates compile may change with it."""
    folder = parent / code_digest()
    if not folder.is_dir():
        if parent.is_dir():
            for old in parent.iterdir():
                shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    return folder
