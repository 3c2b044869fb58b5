"""Which changes the preview builds from the site it keeps in memory, rather than the ordinary build: story bodies
alone edited (edited.py), stories added (added.py), removed (removed.py) or their details edited (restated.py),
static files added or saved again (static_in_place.py). Each is told by what changed (changes.py); any other change,
or a mix of them, goes to the ordinary build, as does one its module finds it cannot build so (and says why)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .added import plan_added, stories_added, why_not
from .changes import Changes
from .discover import ContentFiles
from .edited import MORE_THAN_BODIES, bodies_changed
from .publishing import PublishRules
from .removed import plan_removed, stories_removed
from .restated import plan_restated, stories_restated, why_not_restated
from .static_in_place import plan_static, static_changed

if TYPE_CHECKING:
    from .lastbuild import LastBuild
    from .warm import _Last

OTHER_FILES = "not only stories or static files changed"


@dataclass
class InPlace:
    found: list  # what changed, as the module that builds it found it
    plan: Callable | None  # how the pages to render are planned; None: story bodies alone, the plan as it is


def change_in_place(state: _Last, changes: Changes, files: ContentFiles, last: LastBuild,
                    rules: PublishRules) -> tuple[str, InPlace | None]:
    """("", how to build it) when this change can be built from the site in memory, else (why not, None)."""
    stories, static = set(files.stories), set(files.static)
    came, went, changed = changes.came, changes.went, changes.changed
    if changes.elsewhere or not (all(rel in stories or rel in static for rel in came + changed)
                                 and all(rel.startswith(("stories/", "static/")) for rel in went)):
        return OTHER_FILES, None  # a template, site.yaml, an artwork, a project...
    if not changes.files:
        return "nothing changed", None
    if not came and not went and stories.issuperset(changed):
        found: list | str = bodies_changed(state, changes, files, last)
        if not isinstance(found, str):
            return "", InPlace(found, None)
        if not found.startswith(MORE_THAN_BODIES):
            return found, None
        found = stories_restated(state, changes, files, last)
        return _or_why(found, plan_restated, lambda: why_not_restated(state, found, files, rules))
    if came and not went and not changed and stories.issuperset(came):
        found = stories_added(state, changes, files, last)
        return _or_why(found, plan_added, lambda: why_not(state, found, files, rules))
    if went and not came and not changed and all(rel.startswith("stories/") for rel in went):
        return _or_why(stories_removed(state, changes, files), plan_removed)
    if not went and static.issuperset(came + changed):
        return _or_why(static_changed(state, changes, files), plan_static)
    if len({rel.startswith("static/") for rel in changes.files}) == 2:
        return "stories and static files changed together", None
    if went:
        return ("files went and others came or changed" if came or changed else "static files went"), None
    return "files came and others changed", None


def _or_why(found: list | str, plan: Callable, why_not: Callable[[], str] | None = None) -> tuple[str, InPlace | None]:
    """What a module found, or why it cannot be built so: its answer, or the checks `why_not` makes after it."""
    if isinstance(found, str):
        return found, None
    why = why_not() if why_not is not None else ""
    return why, None if why else InPlace(found, plan)
