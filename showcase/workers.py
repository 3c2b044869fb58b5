"""Work split over forked worker processes, which share what the build already holds instead of copying it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_FROM = 400  # below this many items, starting processes costs more than it saves
SMALLEST_CHUNK = 50  # items sent to a worker at a time, at least (the tests set both to 1 to use the pool)

_WORK: Callable[[list], Any] | None = None  # set before the fork, so workers inherit it (and what it holds)


def cores() -> int:
    """The cores this process may use (a container or `taskset` may give it fewer than the machine has): the number
    of worker processes a build uses unless told (`--workers`)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def in_a_copy(work: Callable[[], int]) -> int:
    """Run `work` in a forked copy of this process, which closes every file this one holds open (the site's lock
    among them: it ends with the build, not with the copy) and ends with work's status (1 if it raises), without
    running anything of the build's. Returns the copy's process id, or 0 where no copy could be made (a limit,
    memory): the caller then does the work itself, or goes without."""
    try:
        pid = os.fork()
    except OSError:
        return 0
    if pid == 0:
        status = 1
        try:
            os.closerange(3, 65536)
            status = work()
        finally:
            os._exit(status)
    return pid


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
