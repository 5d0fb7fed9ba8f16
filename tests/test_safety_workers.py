"""`corpus add --jobs 2` killed (SIGKILL) or stopped (SIGTERM): its worker processes end
with it instead of living on holding the database (issue #9, item 11). Real processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds worker processes in /proc")

DOCUMENTS = 400


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def many_documents(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workers")
    for i in range(DOCUMENTS):
        (folder / f"doc{i:04}.txt").write_text(
            f"Talks resume in Geneva, part {i}\n\n" + " ".join(
                f"The minister said on day {i}-{n} that \u201cthe talks on point {n} of {i} will go on,\u201d "
                f"officials reported." for n in range(60)) + "\n")
    return folder


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_end_when_add_is_killed(db_url, many_documents, stop):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "corpus", "--db", db_url, "add", str(many_documents),
                                "--jobs", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2:
        assert process.poll() is None, "add ended before its workers were seen"
        assert time.monotonic() < deadline, "no worker processes appeared"
        workers = children(process.pid)
        time.sleep(0.05)
    os.kill(process.pid, stop)
    process.wait(timeout=60)
    deadline = time.monotonic() + 15
    while any(alive(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    lingering = [worker for worker in workers if alive(worker)]
    for worker in lingering:  # do not leave them behind this test either
        os.kill(worker, signal.SIGKILL)
    assert lingering == [], f"workers {lingering} outlived their parent"
    if stop == signal.SIGTERM:
        assert b"Traceback" not in process.stderr.read()
