"""Helpers shared by the benchmarks: the machine, repetitions with median and spread, child processes.

Every benchmark prints what it measured next to what it compares with, from the same run, and
appends its figures to ``output/bench/results.json`` (one object per benchmark, the latest wins)
so the README's performance table can be refreshed from one file.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "output" / "bench"
RESULTS = OUTPUT / "results.json"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIBRARIES = (
    "scrapy", "twisted", "lxml", "parsel", "dateparser", "lingua-language-detector", "beautifulsoup4",
    "requests", "sqlite-utils", "datasette",
)  # fmt: skip


def machine() -> dict[str, Any]:
    """Cores, CPU model, memory, OS, Python and the versions of the libraries that matter here."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    import sqlite3

    versions["sqlite"] = sqlite3.sqlite_version
    return {
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": versions,
    }


def print_machine() -> dict[str, Any]:
    """Print the machine line every benchmark starts with, and return it."""
    info = machine()
    libs = ", ".join(f"{k} {v}" for k, v in info["libraries"].items() if v)
    print(f"machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB, {info['os']}, "
          f"Python {info['python']}")  # fmt: skip
    print(f"libraries: {libs}")
    return info


@dataclass(frozen=True)
class Summary:
    """Median and spread of repeated measurements."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def spread(self) -> float:
        """(max - min) / median, as a fraction."""
        return (self.high - self.low) / self.median if self.median else 0.0

    def fmt(self, unit: str = "", digits: int = 1) -> str:
        """``12.3 unit (11.9-12.8, ±3%)``."""
        spread = f"±{self.spread * 50:.0f}%" if len(self.values) > 1 else "1 run"
        return f"{self.median:.{digits}f}{unit} ({self.low:.{digits}f}-{self.high:.{digits}f}, {spread})"

    def to_json(self) -> dict[str, Any]:
        return {"median": self.median, "min": self.low, "max": self.high, "values": list(self.values)}


def summary(values: Sequence[float]) -> Summary:
    return Summary(tuple(values))


@dataclass
class ProcessResult:
    """What one child process used: wall time, CPU seconds (user + system), peak RSS, exit status."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""


def run_measured(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 900,
    on_start: Callable[[subprocess.Popen], None] | None = None,
) -> ProcessResult:
    """Run ``command`` and return its own resource use, read from ``wait4`` (its children included
    only once they are waited for, which Scrapy and the scripts here never spawn)."""
    out_path = OUTPUT / f".child-{os.getpid()}.out"
    err_path = OUTPUT / f".child-{os.getpid()}.err"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        if on_start is not None:
            on_start(process)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    result = ProcessResult(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        max_rss_mb=usage.ru_maxrss / 1024,
        returncode=process.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
    )
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    return result


def save_results(name: str, data: dict[str, Any]) -> None:
    """Record one benchmark's figures in ``output/bench/results.json`` (with the machine)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results[name] = {"at": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine(), **data}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def heading(title: str) -> None:
    print()
    print(f"== {title} ==")
