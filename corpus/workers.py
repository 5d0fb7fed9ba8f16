"""Worker processes that never outlive the process that started them.

`corpus add --jobs N` cleans documents in a pool of processes. If the parent is killed
(SIGKILL, the OOM killer) its workers must not linger holding the database and memory:
on Linux each worker asks the kernel for SIGKILL when its parent dies (prctl
PR_SET_PDEATHSIG); everywhere, a watchdog thread in each worker ends it once its parent
is gone. A SIGTERM to the parent ends its batch like Ctrl-C, so the pool is shut down."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_INTERVAL_S = 0.5


def pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),))


def die_with_parent(parent: int) -> None:
    """Run in each worker as it starts: end this process when `parent` ends. Ctrl-C and
    SIGTERM are the parent's to handle (it shuts the pool down)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    started_under = os.getppid()
    if not _alive(parent, started_under):  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, started_under), name="corpus-parent-watchdog",
                     daemon=True).start()


def _watch(parent: int, started_under: int) -> None:
    event = threading.Event()
    while not event.wait(WATCHDOG_INTERVAL_S):
        if not _alive(parent, started_under):
            os._exit(1)


def _alive(parent: int, started_under: int) -> bool:
    """A dead parent's children are adopted by another process at once (even while the
    parent is a zombie), so a changed parent id means it is gone; if the pool started
    workers through a helper process, whether `parent` still exists is asked directly."""
    if os.getppid() != started_under:
        return False
    try:
        os.kill(parent, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StopOnSigterm:
    """While active (in the main thread), SIGTERM raises KeyboardInterrupt, so the work
    in progress ends as after Ctrl-C: the pool shut down, the transaction rolled back."""

    def __init__(self):
        self._previous = None

    def __enter__(self) -> StopOnSigterm:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, _interrupt)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
            self._previous = None


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt
