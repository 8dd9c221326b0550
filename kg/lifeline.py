"""Worker processes end with their parent.

A worker blocked writing to a pipe its parent no longer reads would wait forever once the
parent is killed (``kill -9`` gives it no chance to clean up). :func:`die_with_parent`, called
first thing in a worker, asks Linux to send the worker SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``), and starts a watchdog thread that ends the process once it has
been re-parented (for other systems, and for the window before the prctl call).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None, interval: float = 1.0) -> None:
    """End this process when ``parent_pid`` (default: the current parent) is gone."""
    parent = parent_pid or os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the prctl call
        os._exit(1)

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="vnkg-lifeline", daemon=True).start()
