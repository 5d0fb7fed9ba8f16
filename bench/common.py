"""Helpers shared by the benchmark scripts: timers, RSS sampling, PostgreSQL scratch
databases, and writing results (bench/out/*.json) and bench/RESULTS.md."""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS_MD = BENCH / "RESULTS.md"
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("CORPUS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


class Clock:
    """Wall and CPU time of this process for a block (CPU time is what the other
    processes sharing the machine cannot inflate)."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def rss_kib(field: str = "VmRSS") -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """Samples this process's VmRSS every `interval` seconds; `peak` is the largest seen."""

    def __init__(self, interval: float = 0.1):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = 0
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, rss_kib())
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join()
        self.peak = max(self.peak, rss_kib())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values):
    return statistics.median(values)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


# --- PostgreSQL scratch databases ---------------------------------------------------------

def _pg(url: str):
    import psycopg
    return psycopg.connect(url, autocommit=True)


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@contextmanager
def postgres_database(prefix: str = "corpus_bench"):
    """A fresh PostgreSQL database for a benchmark, dropped afterwards."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _pg(PG_ADMIN_URL) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(PG_ADMIN_URL, name)
    finally:
        with _pg(PG_ADMIN_URL) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def kept_postgres_database(name: str) -> tuple[str, bool]:
    """(url, existed) of a PostgreSQL database kept between benchmark runs (created if
    missing, never dropped here)."""
    with _pg(PG_ADMIN_URL) as admin:
        existed = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        if not existed:
            admin.execute(f'CREATE DATABASE "{name}"')
    return _with_database(PG_ADMIN_URL, name), existed


def postgres_available() -> bool:
    try:
        with _pg(PG_ADMIN_URL):
            return True
    except Exception:
        return False


# --- children ------------------------------------------------------------------------------

def run_child(args: list[str], timeout: float | None = None) -> dict:
    """Run `python <args>` in a fresh process; its last stdout line is a JSON result."""
    done = subprocess.run([PYTHON, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, PYTHONWARNINGS="ignore"))
    if done.returncode != 0:
        raise RuntimeError(f"{args} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- results ---------------------------------------------------------------------------------

def save(name: str, data: dict) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.json"
    data = dict(data, machine=machine())
    path.write_text(json.dumps(data, indent=2, default=str))
    render_results()
    return path


def load(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def render_results() -> None:
    """bench/RESULTS.md from every bench/out/*.json written so far; the web section
    (bench/web.py writes it between its markers) is kept as it is."""
    from render import render  # bench/render.py
    text = render({p.stem: json.loads(p.read_text()) for p in sorted(OUT.glob("*.json"))
                   if not p.stem.startswith("web-") and p.stem != "scale-progress"})
    old = RESULTS_MD.read_text() if RESULTS_MD.exists() else ""
    start, end = "<!-- web: bench/web.py -->", "<!-- /web -->"
    if start in old and end in old:
        text = text.rstrip("\n") + "\n\n" + old[old.index(start):old.index(end) + len(end)] + "\n"
    RESULTS_MD.write_text(text)
