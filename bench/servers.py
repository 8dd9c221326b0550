"""Start and stop the external SPARQL servers used by the benchmark and the remote-store tests.

Both bind 127.0.0.1 on free ports and keep their data in a folder the caller owns:

* :func:`start_oxigraph`: the ``oxigraph serve`` CLI of the PyPI package ``oxigraph`` (0.5.x);
* :func:`start_virtuoso`: Virtuoso Open Source (Debian package ``virtuoso-opensource``:
  ``virtuoso-t`` and ``isql-vt``) with a generated ``virtuoso.ini``, and SPARQL Update granted
  to the anonymous ``SPARQL`` user.

Each returns a :class:`Server` (``url``: the store URL for :func:`kg.store.open_store`;
``stop()``), or raises :class:`Unavailable` with the reason when the server cannot be started.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


class Unavailable(RuntimeError):
    """The server is not installed or did not start (the message says why)."""


@dataclass
class Server:
    name: str
    url: str  # for kg.store.open_store / kg.remote.RemoteStore
    query_url: str  # the plain SPARQL query endpoint
    proc: subprocess.Popen
    folder: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise Unavailable(f"server exited with code {proc.returncode}\n{tail}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise Unavailable(f"server did not answer at {url} within {timeout:.0f} s")


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, *, timeout: float = 60) -> Server:
    exe = oxigraph_binary()
    if exe is None:
        raise Unavailable("the oxigraph server is not installed (pip install 'oxigraph>=0.5,<0.6')")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    proc = subprocess.Popen([exe, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/query?query=ASK%7B%7D", proc, timeout, log)
    return Server("oxigraph", f"oxigraph+{base}", base + "/query", proc, folder)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DisableTcpSocket = 0
CaseMode = 2
MaxClientConnections = 20
CheckpointInterval = 60
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 1G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {vsp}
ServerThreads = 16
MaxClientConnections = 16
MaxKeepAlives = 16
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
DefaultGraph =
"""


def virtuoso_binaries() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    return (server, isql) if server and isql else None


def start_virtuoso(folder: Path, *, timeout: float = 120, buffers: int = 85000) -> Server:
    """Virtuoso on a fresh database in ``folder`` (``buffers`` × 8 KiB of page cache)."""
    found = virtuoso_binaries()
    if found is None:
        raise Unavailable("Virtuoso is not installed (apt-get install -y virtuoso-opensource)")
    server, isql = found
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    vsp = "/var/lib/virtuoso-opensource-7/vsp"
    if not Path(vsp).is_dir():
        vsp = str(folder / "vsp")
        Path(vsp).mkdir(exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=sql, http=http, vsp=vsp, buffers=buffers,
                                       dirty=buffers * 3 // 4))
    log = folder / "virtuoso.log"
    proc = subprocess.Popen([server, "+foreground", "+configfile", str(ini)], cwd=folder,
                            stdout=(folder / "virtuoso.out").open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        wait_http(base + "/sparql?query=ASK%7B%7D", proc, timeout, log)
        grants = ('GRANT SPARQL_UPDATE TO "SPARQL"; '
                  "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7); "
                  "GRANT EXECUTE ON DB.DBA.L_O_LOOK TO \"SPARQL\";")
        done = subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", f"exec={grants}"],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise Unavailable(f"isql could not grant SPARQL update rights: {done.stdout}{done.stderr}")
    except BaseException:
        proc.kill()
        proc.wait(10)
        raise
    srv = Server("virtuoso", f"virtuoso+{base}/sparql", base + "/sparql", proc, folder)
    srv.sql_port = sql  # type: ignore[attr-defined]
    return srv


def disk_usage(folder: Path) -> int:
    """Bytes used by the files under ``folder``."""
    total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total
