"""Measuring a benchmark run: wall time, CPU of the whole process tree, and peak memory (summed RSS, and PSS,
which splits the pages forked workers share) sampled over every process of the tree while it runs. Used by
build_bench.py and search_bench.py."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.05
PSS_EVERY = 10  # PSS (dearer to read than RSS) is sampled every 10th time


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found


def _tree_proc(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += _children(current)
    return tree


def _status_kb(pid: int, field_name: str, name: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{name}") as f:
            for line in f:
                if line.startswith(field_name):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


@dataclass
class Sampler:
    """Samples the summed RSS (and PSS, where /proc has it) of a process and all its descendants."""

    pid: int
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    peak_same_kb: int = 0  # summed RSS of the processes running the same program as the root (Python)
    peak_same_pss_kb: int = 0
    peak_processes: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        try:
            import psutil  # type: ignore[import-not-found]
        except ImportError:
            psutil = None
        self._thread = threading.Thread(target=self._run, args=(psutil,), daemon=True)
        self._thread.start()

    def _run(self, psutil) -> None:
        program = _comm(self.pid)
        try:
            root = psutil.Process(self.pid) if psutil else None
        except psutil.Error:  # NoSuchProcess: it has already finished
            return
        while not self._stop.is_set():
            sizes: dict[int, int] = {}  # pid -> RSS in kB
            if root is not None:
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    procs = []
                for proc in procs:
                    try:
                        sizes[proc.pid] = proc.memory_info().rss // 1024
                    except psutil.Error:
                        pass
            else:
                sizes = {p: _status_kb(p, "VmRSS:") for p in _tree_proc(self.pid)}
            ours = {p for p in sizes if _comm(p) == program}
            self.peak_rss_kb = max(self.peak_rss_kb, sum(sizes.values()))
            self.peak_same_kb = max(self.peak_same_kb, sum(sizes[p] for p in ours))
            # smaps_rollup walks page tables (several ms for each process of a large build, ~13 ms for a
            # 2.5 GB one): read every 50 ms, it took CPU from the build it measures, so it is read every 0.5 s
            if self.samples % PSS_EVERY == 0:
                pss = {p: _status_kb(p, "Pss:", "smaps_rollup") for p in sizes}
                self.peak_pss_kb = max(self.peak_pss_kb, sum(pss.values()))
                self.peak_same_pss_kb = max(self.peak_same_pss_kb, sum(pss[p] for p in ours))
            self.peak_processes = max(self.peak_processes, len(sizes))
            self.samples += 1
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Run:
    label: str
    wall: float
    cpu: float  # user + system seconds of the whole tree
    largest_mb: float  # ru_maxrss of the largest single process in the tree
    tree_rss_mb: float  # peak of the summed RSS (shared pages of forked workers counted in each)
    tree_pss_mb: float  # peak of the summed PSS (shared pages split between the processes sharing them)
    python_rss_mb: float  # peak summed RSS of the Python processes only (not Pagefind or other helpers)
    python_pss_mb: float
    returncode: int
    report: dict
    stderr: str
    load: float = 0.0  # the 1-minute load average when the run started


def measure(label: str, cmd: list[str]) -> Run:
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        sampler = Sampler(proc.pid)
        sampler.start()
        # wait4 gives this child's own rusage, folded with its reaped descendants' (RUSAGE_BOTH):
        # the same figure as getrusage(RUSAGE_CHILDREN) but for this run alone.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    try:
        report = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        report = {}
    return Run(label, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, sampler.peak_rss_kb / 1024,
               sampler.peak_pss_kb / 1024, sampler.peak_same_kb / 1024, sampler.peak_same_pss_kb / 1024,
               proc.returncode, report, stderr, load)
