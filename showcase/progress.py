"""Progress bars (rich) for the long steps of a build: reading content, rendering pages, making images."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(show: bool, label: str, total: int) -> Iterator[Callable[..., None]]:
    """Yields `advance(n=1)`. Nothing is shown unless `show` and there is something to do; the bar goes
    away when the step is done, so the summary stays the last thing printed."""
    if not show or total == 0:
        yield lambda n=1: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)
