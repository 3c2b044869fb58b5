"""What the last build left for this one, and what this one leaves for the next: the incremental bookkeeping.

    up_to_date  nothing a build reads changed and the site is as it was left: nothing to do (snapshot.py)
    load        the build cache: parsed content, page records, dependency digests; the build key
    as_before   a change to story bodies alone: the site and plan the last build assembled (assembled.py)
    kept        the pages that would come out as last time, so they are not rendered again
    remember    swap the new site in (writer.py), then save the records the next build starts from

Everything here is only an optimisation: deleting `.showcase-cache/` costs one full build, nothing else.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, deps
from .assembled import Assembled, Keeper, made_from, take
from .bodies import BodyStore
from .buildcache import BuildCache, PageRecord, cache_file
from .codekey import code_digest
from .deps import FileDigests, Fingerprints
from .discover import ContentFiles
from .errors import Diagnostics
from .look_ahead import Helper
from .models import SiteConfig
from .parse import Parser, body_change, parse_all, parse_story
from .render import changed_keys, dependency_digests, unchanged
from .siterecord import SiteRecord
from .snapshot import RACY_NS, Inputs, Snapshot, cache_warning
from .theme import theme_dirs
from .writer import Output, WriteStats

if TYPE_CHECKING:
    from .pipeline import BuildOptions, BuildResult


class LastBuild:
    def __init__(self, options: BuildOptions, files: ContentFiles, config: SiteConfig | None,
                 diagnostics: Diagnostics, scratch: Path | None):
        self.options, self.files, self.config, self.diagnostics = options, files, config, diagnostics
        self.cache_dir = options.cache_dir
        self.said_before = len(diagnostics.items)  # what discovering files and reading site.yaml said, every time
        self.inputs: Inputs | None = None
        self.snapshot: Snapshot | None = None  # what this build leaves for the next one's up-to-date check
        self.before: Snapshot | None = None  # what the last build left for this one's
        self.edits: set[str] | None = None  # the keys a change to story bodies alone changed (see body_edits)
        self.changed: set[str] = set()  # the dependency keys whose digest is not last build's (see kept)
        self.site: SiteRecord | None = None  # the record of the site its commit made (the preview keeps it)
        self.previous = BuildCache()
        self.records = cache_file(self.cache_dir / "build.pickle")  # (saved as changes where few: journal.py)
        self.digests = FileDigests()
        self.key = ""
        self.related: dict = {}
        self.parse_cache: dict = {}
        self.as_assembled: Assembled | None = None  # the site and plan taken from the last build (see as_before)
        self._keeper: Keeper | None = None  # writes this build's site and plan for the next (see keep_assembled)
        # one folder of bodies per output folder: a build into another folder never prunes what this one reads
        self.store = BodyStore(scratch or self.cache_dir / "bodies" / deps.digest(str(options.out.resolve())))

    # --- before -------------------------------------------------------------------------------------

    def up_to_date(self, result: BuildResult, known: Snapshot | None = None, allowed: bool = True,
                   reported: set[str] | None = None) -> bool:
        """Nothing changed since the last good build, and its site is as it left it: say again what it said.
        `known`: the last build's snapshot where the preview holds it in memory (warm.py); `reported`: the content
        files the preview's file watcher reported since that snapshot, when it vouches for having seen every
        change (the others are not asked again); not `allowed`: only the inputs are taken, for the snapshot this
        build leaves."""
        options, files, config = self.options, self.files, self.config
        if not options.write or config is None or self.diagnostics.failed():
            return False
        self.inputs = Inputs.of(files.root, files.all, theme_dirs(files.root, config.theme), known,
                                reported if known is not None else None)
        if not allowed:
            return False
        last, unreadable = (known, None) if known is not None else Snapshot.read(self.cache_dir / "inputs.pickle")
        result.diagnostics.extend([unreadable] if unreadable else [])
        self.before = last
        if last is None or not last.matches(self._key(FileDigests()), self.inputs, options.out):
            return False
        if known is None and last.racy_before(self.inputs.taken_ns - RACY_NS):
            # files changed just before the last build were read to be sure; now that they are older, say so,
            # so that the next build trusts their size and time (a fresh clone's every file, otherwise)
            replace(last, taken_ns=self.inputs.taken_ns).save(self.cache_dir / "inputs.pickle")
        result.diagnostics.extend(last.diagnostics)
        result.pages, result.artworks, result.unchanged = last.pages, last.artworks, len(last.outputs)
        result.up_to_date = True
        result.failed = result.diagnostics.failed(options.strict)
        return True

    def load(self) -> None:
        """The last build's records, if they were made with the same key (else nothing is reused)."""
        if self.options.write:
            previous, unreadable = BuildCache.read(self.records)
            self.diagnostics.extend(unreadable)  # a damaged cache is said once (it is removed) and all is made again
        else:
            previous = BuildCache()
        self.digests = FileDigests(previous.files, previous.saved_ns - RACY_NS)
        self.key = self._key(self.digests)
        if self.key != previous.key:
            previous = BuildCache(files=previous.files)  # another configuration or version: nothing is reused
        self.previous = previous
        self.related = dict(previous.related)

    def as_before(self) -> Assembled | None:
        """When all that changed since the last build is what pages see through story bodies (see body_edits): the
        site and plan the last build assembled, each story with the body it has now (assembled.py), for this
        build to render from. Only the stories that changed are parsed again. None for any other change, or when
        the last build's site was not kept: the build then parses, assembles and plans."""
        before, previous = self.before, self.previous
        if not self.options.write or before is None or before.key != previous.key:
            return None
        rels = self.changed_stories
        if rels is None:
            return None
        parse_cache, root = dict(previous.parsed), os.path.join(str(self.files.root), "")
        try:  # every file's digest, as parsing asks them (kept for the next build)
            if any(rel not in rels and self.digests.of(root + rel) != entry[0] for rel, entry in parse_cache.items()):
                return None
        except OSError:  # gone since the folder was listed: parsing says so
            return None
        if not all(os.path.isfile(body) for body in {entry[3] for entry in parse_cache.values() if entry[3]}):
            return None
        if not all(os.path.isfile(root + rel) for rel in rels):  # gone since the folder was listed (a file watcher
            return None  # that missed it): parsing says so
        parser = Parser(self.files)
        parse_cache.update((rel, parse_story(parser, self.store, self.digests, rel)) for rel in sorted(rels))
        self.parse_cache = parse_cache
        self.edits = self.body_edits()
        if self.edits is not None:
            self.as_assembled, unreadable = take(self._assembled(), self.key, parse_cache, set(self.files.stories))
            self.diagnostics.extend([unreadable] if unreadable else [])
        if self.as_assembled is None:
            self.parse_cache, self.edits = {}, None  # parse() makes it
        return self.as_assembled

    def parse(self, workers: int) -> dict[str, list]:
        """Every content file parsed, or taken from last time's parse when its bytes did not change."""
        parsed, self.parse_cache = parse_all(self.files, self.diagnostics, workers, self.digests, self.previous.parsed,
                                             self.store, self.options.progress)
        self.store.close()
        return parsed

    def _key(self, digests: FileDigests) -> str:
        """Everything that can change every page at once: the configuration, the options, the generator itself
        (its code and its libraries' versions, see codekey.py)."""
        options, files, config = self.options, self.files, self.config
        site_yaml = digests.of(files.root / files.site) if files.site else None
        return deps.digest(__version__, code_digest(), str(files.root), os.getcwd(), str(options.out.resolve()),
                           str(Path(self.cache_dir).resolve()), site_yaml,
                           config.model_dump_json() if config else None, options.drafts, options.today.isoformat(),
                           options.search,
                           [str(d) for d in theme_dirs(files.root, config.theme)] if config else None)

    def _assembled(self) -> Path:
        return self.cache_dir / "assembled.pickle"

    def forget_assembled(self) -> None:
        """The site was changed otherwise than as_before would put right (the preview's changes in place, added.py):
        the site and plan kept for a later change to story bodies no longer describe it."""
        self._assembled().unlink(missing_ok=True)

    # --- during -------------------------------------------------------------------------------------

    def keep_assembled(self, site, tasks: list, said: list, notes: list) -> None:
        """Have the site and plan this build assembled written for a later change to story bodies alone (while
        this build renders: see assembled.Keeper); `said`: what parsing and assembling said."""
        if self.options.write and self.as_assembled is None:
            self._keeper = Keeper(self._assembled(), Assembled(self.key, made_from(self.parse_cache), site, tasks,
                                                               said, notes))

    def discard(self) -> None:
        """The build stopped short: what it began writing for the next build is thrown away."""
        if self._keeper is not None:
            self._keeper.finish(keep=False)


    def output(self, known: SiteRecord | None = None, look_ahead: Helper | None = None) -> Output | None:
        """The next version of the site, begun beside it (None for `check`, which writes nothing). `known`: the
        record of the site where the preview keeps it in memory (warm.py); `look_ahead`: see writer.Output."""
        if not self.options.write:
            return None
        record = self.site_record()
        output = Output(self.options.out, record, known, look_ahead)
        if output.unreadable:
            self.diagnostics.extend([cache_warning(record, f"the record of the site could not be read "
                                                           f"({output.unreadable}); every page is made again")])
        return output

    def site_record(self) -> Path:
        """Where the record of the site in the output folder is kept (see writer.SiteRecord)."""
        return self.cache_dir / "sites" / f"{deps.digest(str(self.options.out.resolve()))}.pickle"

    def kept(self, tasks: list, fingerprints: Fingerprints, output: Output | None) -> dict[str, PageRecord]:
        """The pages that would come out byte for byte as last time, and are in the site as it wrote them."""
        if output is None:
            return {}
        trusted = {name: record for name, record in self.previous.pages.items() if output.is_kept(name)}
        if self.as_assembled is None:  # else as_before worked them out from the same parse
            self.edits = self.body_edits()
        if self.edits is not None and {task.page.output for task in tasks} == self.previous.pages.keys():
            # the plan is the last one: only the pages that read what changed are made again (the others are
            # in the site as it was left: `trusted`)
            self.changed = self.edits
            return {name: record for name, record in trusted.items() if self.edits.isdisjoint(record.deps)}
        self.edits = None
        self.changed = changed_keys(self.previous.digests, fingerprints)
        return unchanged(tasks, trusted, self.changed, self.options.out)

    def body_edits(self) -> set[str] | None:
        """When all that changed since the last build is the bodies of stories (no file came or went, nothing
        but story files changed, and of them nothing but what pages see through their bodies' dependency keys,
        see parse.body_change), those keys: the site is assembled and planned as last time, so no other page
        needs its plan or dependencies digested again. None for any other change."""
        before, previous, rels = self.before, self.previous, self.changed_stories
        if before is None or rels is None or not previous.pages or before.key != previous.key:
            return None
        keys: set[str] = set()
        for rel in sorted(rels):
            old, new = previous.parsed.get(rel), self.parse_cache.get(rel)
            if old is None or new is None:
                return None
            parts = body_change(old, new)
            if parts is None:
                return None
            keys.update(f"item:{rel}:{part}" for part in parts)
        return keys

    @cached_property
    def changed_stories(self) -> set[str] | None:
        """The story files (relative to the content folder) changed since the last build, when nothing else
        changed: no file came or went, none outside the content folder or other than a story. None otherwise, and
        when nothing changed. Asked once: files changed too recently to trust by their time are read to tell."""
        if self.before is None or self.inputs is None:
            return None
        changed = self.before.changed(self.inputs)
        root = os.path.join(str(self.files.root), "")
        rels = {path[len(root):] for path in changed or () if path.startswith(root)}
        if not changed or len(rels) != len(changed) or not rels.issubset(self.files.stories):
            return None
        return rels

    def _dependency_digests(self, records: dict[str, PageRecord], fingerprints: Fingerprints) -> dict[str, str]:
        """The digest of every dependency key the pages' records name, for the next build to compare: after a
        change to story bodies alone, last build's for every key but those it changed."""
        if self.edits is None:
            return dependency_digests(records.values(), fingerprints)
        last, edits = self.previous.digests, self.edits
        keys = set().union(*(record.deps for record in records.values()))
        return {key: last[key] if key in last and key not in edits else fingerprints.of(key) for key in sorted(keys)}

    def same_pages(self, output: Output, records: dict[str, PageRecord], rendered: list) -> bool:
        """Whether every page the search index reads is as last time: no page rendered, the same pages, and the
        same HTML files of static/ (the index reads them too), none copied again."""
        html = {name for name in output.files if name.endswith(".html")}
        return (not rendered and set(records) == set(self.previous.pages)
                and html == {name for name in self.previous.outputs if name.endswith(".html")}
                and html.isdisjoint(output.written))

    # --- after --------------------------------------------------------------------------------------

    def remember(self, output: Output, records: dict[str, PageRecord], rendered: list, fingerprints: Fingerprints,
                 search_files: list[str], result: BuildResult, save: bool = True) -> WriteStats:
        """Swap the new site in, then keep what the next build needs. The records are removed (or set aside:
        journal.py) first, so that a build cut short in between never leaves records describing an older site. Not
        `save`: the records are written later by the preview, which keeps them in memory (warm.py), once the page is
        shown."""
        cache_dir, previous = self.cache_dir, self.previous
        written_files = frozenset(output.files)
        same_build = (save and not rendered and self.key == previous.key and self.digests.now == previous.files
                      and result.search_behind == previous.search_behind
                      and self.parse_cache.keys() == previous.parsed.keys() and written_files == previous.outputs)
        if not same_build:
            self.records.set_aside()
        (cache_dir / "inputs.pickle").unlink(missing_ok=True)
        if self.as_assembled is None:  # the kept site is the last one (with bodies changed since) or none
            self._assembled().unlink(missing_ok=True)
        stats = output.commit()
        self.site = output.record
        if save and not same_build:  # nothing new to remember otherwise
            BuildCache(self.key, self.digests.now, self.parse_cache, records,
                       self._dependency_digests(records, fingerprints), search_files, written_files,
                       related=self.related, search_behind=result.search_behind).save(self.records)
            self.store.prune({entry[3] for entry in self.parse_cache.values() if entry[3]})
        if self._keeper is not None:
            self._keeper.finish(keep=True)
        if self.inputs is not None:
            self.snapshot = self.inputs.snapshot(self.key, self.digests.now, self.options.out, written_files,
                                                 self.diagnostics.items[self.said_before:], result.pages,
                                                 result.artworks, output.record)
            if save and not result.search_behind:  # else a build of the same inputs has work to do
                self.snapshot.save(cache_dir / "inputs.pickle")
        return stats
