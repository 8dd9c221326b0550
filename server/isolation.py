"""SPARQL queries evaluated in worker processes that the server can stop.

pyoxigraph cannot cancel a query, and a thread cannot be killed: a query that sorts a huge join
would run to its end, holding memory the server needs. So the server evaluates queries in a
small pool of worker processes (``spawn``ed: they share nothing with the server's threads):

* **Memory**: each worker limits its own address space (``RLIMIT_AS``) to what it uses after
  opening the store plus ``memory`` bytes. A query that needs more fails to allocate and the
  worker aborts (Rust) or raises MemoryError (Python): the request is answered 503 "query used
  too much memory", the worker is replaced.
* **Time**: the worker checks the clock between result rows (a streaming query stops itself);
  a query that computes before its first row is killed at the deadline (SIGKILL) and the worker
  replaced. Nothing keeps running after the 503.
* **Stack**: the worker parses and evaluates on a thread with a large stack
  (:data:`kg.querylimits.STACK_BYTES`), far above what the pre-scan's bounds need.
* **Parent**: the server never shares memory with a worker; a worker's death is one request's
  503 (or 500). Workers end with the server (:mod:`kg.lifeline`).
* **Reads never cross a write**: workers never open the live store. They open, read-only, a
  checkpoint of it (``Store.backup``: hard links to RocksDB's immutable files, made in
  milliseconds), which no process writes. A write through the server (SPARQL Update, or an
  ingest handed over by the command line) marks the checkpoint stale; the next query makes a new one, and each
  worker reopens on the new checkpoint before its next query, so every query sees every write
  answered before it began. A checkpoint is deleted once no worker has it open.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import resource
import shutil
import signal
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import SimpleNamespace

from .engine import BadRequest, NotAcceptable, Outcome, QueryTimeout, ServerBusy, run_query

log = logging.getLogger("vnkg.server")

#: Seconds a worker gets past the deadline to stop by itself before it is killed.
GRACE = 1.0
#: Seconds to wait for a new worker to start.
START_TIMEOUT = 60.0


class QueryMemory(Exception):
    """The query needed more memory than a worker may have."""


class WorkerCrashed(Exception):
    """The worker died for another reason than memory (the message says how)."""


@dataclass
class Job:
    query: str
    formats: dict  # "select" / "ask" / "graph" -> Format or None (the client's choice for each kind)
    max_rows: int
    timeout: float
    default_graphs: list | None = None
    named_graphs: list | None = None
    base_iri: str | None = None


# ------------------------------------------------------------------------------ worker side
def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _limit_memory(extra: int | None) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if extra is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    want = _address_space() + extra
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _worker_main(conn, parent: int, memory: int | None) -> None:
    from kg.lifeline import die_with_parent
    from kg.querylimits import deep_thread

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops us
    deep_thread(lambda: _serve(conn, memory), name="vnkg-query-worker", daemon=False).join()


def _serve(conn, memory: int | None) -> None:
    import pyoxigraph as ox

    store = None
    opened = None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg[0] != "query":
            return
        _, snapshot, job = msg
        if snapshot != opened:
            _limit_memory(None)
            store = None
            store = ox.Store.read_only(snapshot)
            opened = snapshot
            _limit_memory(memory)
        try:
            reply = ("ok", _run(SimpleNamespace(ox=store), job))
        except BadRequest as e:
            reply = ("bad", str(e))
        except NotAcceptable as e:
            reply = ("not-acceptable", str(e))
        except QueryTimeout:
            reply = ("timeout", "")
        except MemoryError:
            reply = ("memory", "")
        except OSError as e:
            reply = ("os-error", str(e))
        except Exception as e:  # noqa: BLE001 - the parent turns it into a 500 with an id
            reply = ("error", f"{type(e).__name__}: {e}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", ""))
        if reply[0] == "memory":
            return  # an allocation failed somewhere: start afresh


def _run(store, job: Job) -> Outcome:
    deadline = time.monotonic() + job.timeout
    return run_query(store, job.query, pick=job.formats.get, max_rows=job.max_rows, deadline=deadline,
                     default_graphs=job.default_graphs, named_graphs=job.named_graphs, base_iri=job.base_iri)


# ------------------------------------------------------------------------------ server side
class _Worker:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.snapshot: str | None = None

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.process.join(5)
        try:
            self.conn.close()
        except OSError:
            pass


class WorkerPool:
    """``workers`` query processes over checkpoints of ``store`` (an on-disk :class:`kg.store.LocalStore`)."""

    def __init__(self, store, workers: int = 4, memory: int | None = 2**30, queue_wait: float = 5.0):
        self.store = store
        self.workers = workers
        self.memory = memory
        self.queue_wait = queue_wait
        self._ctx = mp.get_context("spawn")
        self._lock = threading.Lock()
        self._idle: deque[_Worker] = deque()
        self._all: set[_Worker] = set()
        self._waiters: deque = deque()
        self._io = ThreadPoolExecutor(max_workers=workers + 2, thread_name_prefix="vnkg-pool")
        # Workers are started from these long-lived threads only: a worker's parent-death signal
        # fires when the thread that started it ends.
        self._spawner = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vnkg-pool-spawn")
        self._root = self._snapshot_root(store.location)
        self._snapshot: str | None = None
        self._generation = 0
        self._stale = True
        self._closed = False
        self.busy = 0
        self.killed_time = 0
        self.killed_memory = 0
        self.crashed = 0

    @staticmethod
    def _snapshot_root(location: str) -> str:
        """A folder beside the store (same file system, so checkpoints are hard links); those left
        by a server that was killed are removed."""
        from kg.owner import scratch_dir

        return scratch_dir(location, "snapshots")

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the workers and wait until they are ready."""
        self._take_snapshot()
        futures = [self._spawner.submit(self._spawn) for _ in range(self.workers)]
        for f in futures:
            self._add(f.result())

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
            self._idle.clear()
        for w in workers:
            w.kill()
        self._io.shutdown(wait=False, cancel_futures=True)
        self._spawner.shutdown(wait=False, cancel_futures=True)
        shutil.rmtree(self._root, ignore_errors=True)

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._ctx.Pipe()
        p = self._ctx.Process(target=_worker_main, args=(child_conn, os.getpid(), self.memory),
                              name="vnkg-query-worker", daemon=True)
        p.start()
        child_conn.close()
        w = _Worker(p, parent_conn)
        if not parent_conn.poll(START_TIMEOUT):
            w.kill()
            raise RuntimeError("a query worker did not start")
        parent_conn.recv()
        return w

    def _add(self, w: _Worker) -> None:
        with self._lock:
            self._all.add(w)
        self._release(w)

    def _replace(self, dead: _Worker) -> None:
        """Kill ``dead`` (if it is not dead yet) and start another worker in its place, in the background."""
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        self._gc()
        if self._closed:
            return

        def spawn():
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    self._add(self._spawn())
                    return
                except Exception:  # noqa: BLE001 - logged; tried again
                    log.exception("could not start a query worker (attempt %d)", attempt + 1)
                    time.sleep(1)
        try:
            self._spawner.submit(spawn)
        except RuntimeError:  # shut down
            pass

    # -- writes -------------------------------------------------------------------------
    def changed(self) -> None:
        """The store was written: the next query reads a new checkpoint."""
        with self._lock:
            self._stale = True

    def _take_snapshot(self) -> str:
        with self._lock:
            if not self._stale and self._snapshot:
                return self._snapshot
            self._generation += 1
            path = os.path.join(self._root, f"g{self._generation}")
            self.store.ox.backup(path)
            self._snapshot = path
            self._stale = False
        self._gc()
        return path

    def _gc(self) -> None:
        """Delete the checkpoints no worker has open."""
        with self._lock:
            keep = {self._snapshot} | {w.snapshot for w in self._all}
        for name in os.listdir(self._root) if os.path.isdir(self._root) else []:
            path = os.path.join(self._root, name)
            if path not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # -- slots --------------------------------------------------------------------------
    def _release(self, w: _Worker) -> None:
        with self._lock:
            if self._closed or w not in self._all:
                return
            while self._waiters:
                loop, fut = self._waiters.popleft()
                if fut.done():
                    continue
                try:
                    loop.call_soon_threadsafe(self._hand_over, fut, w)
                    return
                except RuntimeError:  # that loop is closed
                    continue
            self._idle.append(w)

    def _hand_over(self, fut, w: _Worker) -> None:  # on the waiter's loop
        if fut.done():
            self._release(w)
        else:
            fut.set_result(w)

    async def _acquire(self) -> _Worker:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle and not self._waiters:
                return self._idle.popleft()
            fut = loop.create_future()
            self._waiters.append((loop, fut))
        await asyncio.wait({fut}, timeout=self.queue_wait)
        if fut.done() and not fut.cancelled():
            return fut.result()
        fut.cancel()  # a hand-over arriving later sees it done and passes the worker on
        raise ServerBusy()

    # -- queries ------------------------------------------------------------------------
    async def run(self, job: Job) -> Outcome:
        """Evaluate ``job`` in a worker: its Outcome, or BadRequest, NotAcceptable, QueryTimeout,
        QueryMemory, ServerBusy, WorkerCrashed, OSError."""
        if self._closed:
            raise ServerBusy()
        w = await self._acquire()
        with self._lock:
            self.busy += 1
        try:
            kind, value = await asyncio.get_running_loop().run_in_executor(self._io, self._exchange, w, job)
        finally:
            with self._lock:
                self.busy -= 1
        if kind == "ok":
            value.format = job.formats.get(value.kind)  # the server's own Format objects (compared by identity)
            return value
        if kind == "bad":
            raise BadRequest(value)
        if kind == "not-acceptable":
            raise NotAcceptable(value)
        if kind == "timeout":
            raise QueryTimeout()
        if kind == "memory":
            raise QueryMemory()
        if kind == "os-error":
            raise OSError(value)
        raise WorkerCrashed(value)

    def _exchange(self, w: _Worker, job: Job) -> tuple[str, object]:
        """Send the job, wait for the reply until the deadline (plus a grace), kill the worker past it."""
        try:
            snapshot = self._take_snapshot()
            moved = snapshot != w.snapshot
            w.conn.send(("query", snapshot, job))
            w.snapshot = snapshot
            if w.conn.poll(job.timeout + GRACE):
                reply = w.conn.recv()
                if reply[0] == "memory":
                    self.killed_memory += 1
                    self._replace(w)
                else:
                    self._release(w)
                    if moved:
                        self._gc()
                return reply
            self.killed_time += 1
            self._replace(w)
            return "timeout", ""
        except (EOFError, OSError, BrokenPipeError):
            w.process.join(5)
            code = w.process.exitcode
            self._replace(w)
            if code in (-signal.SIGABRT, -signal.SIGKILL):  # failed allocation, or the kernel's OOM killer
                self.killed_memory += 1
                return "memory", ""
            self.crashed += 1
            return "crashed", f"the query worker ended with exit status {code}"
        except Exception:
            self._replace(w)
            raise
