"""Work split over forked worker processes, which share what the build already holds instead of copying it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_FROM = 400  # below this many items, starting processes costs more than it saves
SMALLEST_CHUNK = 50  # items sent to a worker at a time, at least (the tests set both to 1 to use the pool)

_WORK: Callable[[list], Any] | None = None  # set before the fork, so workers inherit it (and what it holds)


def _run(chunk: list) -> Any:
    assert _WORK is not None
    gc.enable()  # the build turns the cycle collector off; workers collect their own short-lived cycles
    return _WORK(chunk)


def in_chunks(work: Callable[[list], Any], items: list, workers: int) -> Iterator[tuple[list, Any]]:
    """(chunk, work(chunk)) for consecutive chunks of `items`, in order; in this process when the work is small.
    Only the chunks travel to the workers, so keep items small (paths, indices), not parts of the site."""
    global _WORK
    if workers <= 1 or len(items) < PARALLEL_FROM:
        yield items, work(items)
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    size = max(SMALLEST_CHUNK, len(items) // (workers * 8))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    _WORK = work
    gc.freeze()  # what the workers inherit is never collected there: not walked, so not copied page by page
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            yield from zip(chunks, pool.map(_run, chunks))
    finally:
        _WORK = None
        gc.unfreeze()
