"""What changed in the content folder since the last good build, as the preview's changes in place see it (see
in_place.py): the files that came, went and changed, by their names in the content folder, worked out once for
each build from the record of the last one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .snapshot import Inputs, Snapshot


@dataclass(frozen=True)
class Changes:
    came: tuple[str, ...]
    went: tuple[str, ...]
    changed: tuple[str, ...]  # their bytes
    elsewhere: bool  # a file outside the content folder came, went or changed (a template, the theme's assets)

    @staticmethod
    def since(snapshot: Snapshot, inputs: Inputs, root: Path) -> Changes:
        came, went, changed = snapshot.differences(inputs)
        folder = os.path.join(str(root), "")

        def inside(paths: list[str]) -> tuple[str, ...]:
            return tuple(path[len(folder):] for path in paths if path.startswith(folder))

        inside_came, inside_went, inside_changed = inside(came), inside(went), inside(changed)
        elsewhere = len(inside_came) + len(inside_went) + len(inside_changed) != len(came) + len(went) + len(changed)
        return Changes(inside_came, inside_went, inside_changed, elsewhere)

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the content folder that came, went or changed."""
        return self.came + self.went + self.changed
