"""Which changes the preview puts into the site it keeps in memory, rather than the ordinary build: stories added
(added.py), removed (removed.py) or their details edited (restated.py), static files added or saved again
(static_in_place.py). Story bodies
alone edited are found first (edited.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .added import NOT_STORIES, WENT, plan_added, stories_added, why_not
from .discover import ContentFiles
from .edited import CAME, MORE_THAN_BODIES, NOT_ONLY_STORIES
from .publishing import PublishRules
from .removed import plan_removed, stories_removed
from .restated import plan_restated, stories_restated, why_not_restated
from .static_in_place import plan_static, static_changed

if TYPE_CHECKING:
    from .lastbuild import LastBuild
    from .warm import _Last


def change_in_place(state: _Last, declined: str, files: ContentFiles, last: LastBuild,
                    rules: PublishRules) -> tuple[str, tuple[list, Callable] | None]:
    """After the quick build of story bodies declined (`declined`, see edited.py): whether the change is stories added,
    removed or their details edited, or static files, to be put into the site in memory. ("", (the changes, how to plan them))
    when it is, else (why not, None)."""
    if declined == CAME:
        found: list | str = stories_added(state, files, last)
        why, plan_change = (found, None) if isinstance(found, str) else \
            (why_not(state, found, files, rules), plan_added)
    elif declined.startswith(MORE_THAN_BODIES):
        found = stories_restated(state, files, last)
        why, plan_change = (found, None) if isinstance(found, str) else \
            (why_not_restated(state, found, files, rules), plan_restated)
    else:
        why, plan_change = declined, None
    if why == WENT:
        found = stories_removed(state, files, last)
        why, plan_change = (found, None) if isinstance(found, str) else ("", plan_removed)
    if why in (NOT_STORIES, NOT_ONLY_STORIES):
        found = static_changed(state, files, last)
        why, plan_change = (found, None) if isinstance(found, str) else ("", plan_static)
    return why, None if why or plan_change is None else (found, plan_change)
