"""Who holds an on-disk store, and how the other processes find out.

An embedded store (a RocksDB folder) can be opened read-write by one process at a time (its
``LOCK`` file), and pyoxigraph says a read-only open while another process writes is undefined
behaviour. So one process owns the store at a time, and says so in two files in the store folder:

* ``vnkg-owner.json`` (readable by all who can list the folder): the owner's process id, its
  command line, when it started, and, for ``vnkg serve``, the URL where the server answers.
* ``vnkg-credential`` (mode 0600, only for the server): a random secret made at each start. A
  process that can read it may hand the server graphs to write (:mod:`kg.served`); nobody else
  can.

Only the process that holds the lock writes these files (after taking it), and it removes them
when it closes the store. A record left by a process that was killed is recognised as such: the
process id is checked together with the start time of the process that has it.
"""
from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .store import LocalStore

OWNER_FILE = "vnkg-owner.json"
CREDENTIAL_FILE = "vnkg-credential"
#: Seconds a process that finds the store locked waits for its owner to write down who it is.
RECORD_WAIT = 3.0


class StoreHeld(Exception):
    """The store is held by another process (the message is one line that names it)."""

    def __init__(self, location: str, owner: "Owner | None"):
        self.location, self.owner = location, owner
        who = owner.describe() if owner else "another process (it did not say which)"
        super().__init__(f"the store {location} is in use by {who}")


def _start_ticks(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot, Linux), or None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            # the command name (field 2) may hold spaces and parentheses: fields after the last ')'
            return int(f.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _alive(pid: int, ticks: int | None) -> bool:
    if sys.platform.startswith("linux") and ticks is not None:
        return _start_ticks(pid) == ticks  # the same process, not a later one given the same id
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def command_line() -> str:
    """This process's command, as a person would type it (``vnkg ingest …``)."""
    argv = list(sys.argv)
    if argv and Path(argv[0]).name in ("vnkg", "cli.py"):
        argv[0] = "vnkg"
    elif argv:
        argv[0] = Path(argv[0]).name
    text = shlex.join(argv)
    return text if len(text) <= 200 else text[:197] + "..."


@dataclass
class Owner:
    pid: int
    command: str
    since: str  # local time, "2024-05-01 12:03:04"
    ticks: int | None = None  # start time of the process (see _start_ticks)
    url: str | None = None  # where the server answers (vnkg serve only)

    def alive(self) -> bool:
        return _alive(self.pid, self.ticks)

    def describe(self) -> str:
        where = f", serving {self.url}" if self.url else ""
        return f"process {self.pid} ({self.command}, since {self.since}{where})"


def _write(path: Path, text: str, mode: int) -> None:
    """Write ``path`` whole or not at all, created with ``mode``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def claim(folder: str | os.PathLike, *, url: str | None = None) -> tuple[Owner, str | None]:
    """Record this process as the owner of the store in ``folder`` (call it holding the lock).

    With ``url`` (a server), a new credential is written too and returned."""
    folder = Path(folder)
    me = Owner(os.getpid(), command_line(), time.strftime("%Y-%m-%d %H:%M:%S"), _start_ticks(os.getpid()), url)
    token = None
    if url:
        token = secrets.token_urlsafe(32)
        _write(folder / CREDENTIAL_FILE, token + "\n", 0o600)
    else:
        (folder / CREDENTIAL_FILE).unlink(missing_ok=True)
    _write(folder / OWNER_FILE, json.dumps(asdict(me), ensure_ascii=False) + "\n", 0o644)
    return me, token


def release(folder: str | os.PathLike, me: Owner) -> None:
    """Remove the record (and credential) of ``me``, if they are still ours."""
    folder = Path(folder)
    if recorded(folder) == me:
        (folder / CREDENTIAL_FILE).unlink(missing_ok=True)
        (folder / OWNER_FILE).unlink(missing_ok=True)


def recorded(folder: str | os.PathLike) -> Owner | None:
    """The owner the folder records (alive or not), or None."""
    try:
        data = json.loads((Path(folder) / OWNER_FILE).read_text(encoding="utf-8"))
        return Owner(**{k: data.get(k) for k in ("pid", "command", "since", "ticks", "url")})
    except (OSError, ValueError, TypeError):
        return None


def current(folder: str | os.PathLike, wait: float = RECORD_WAIT) -> Owner | None:
    """The living owner of a store found locked; waits up to ``wait`` seconds for a process that
    has just taken the lock to write its record."""
    deadline = time.monotonic() + wait
    while True:
        owner = recorded(folder)
        if owner is not None and owner.alive():
            return owner
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def credential(folder: str | os.PathLike) -> str:
    """The server's credential (OSError, e.g. PermissionError, if it cannot be read)."""
    return (Path(folder) / CREDENTIAL_FILE).read_text(encoding="utf-8").strip()


def is_lock_error(exc: BaseException) -> bool:
    """Whether ``exc`` (from opening a store) says another process holds its lock."""
    text = str(exc)
    return "/LOCK" in text or "lock hold" in text.lower() or "While lock file" in text


class OwnedStore(LocalStore):
    """An on-disk store opened read-write by this process, recorded as its owner until closed."""

    def __init__(self, path: str | os.PathLike, *, url: str | None = None):
        try:
            super().__init__(path)
        except OSError as exc:
            if is_lock_error(exc):
                raise StoreHeld(str(path), current(path)) from None
            raise
        self.owner, self.token = claim(path, url=url)

    def close(self) -> None:
        super().close()
        release(self.location, self.owner)


def scratch_dir(location: str | os.PathLike, kind: str) -> str:
    """A new folder beside the store (same file system: checkpoints are hard links) named
    ``.<store>-<kind>-<pid>-…``; those of processes that have ended are removed first."""
    store = Path(location).resolve()
    prefix = f".{store.name}-{kind}-"
    for parent in (store.parent, Path(tempfile.gettempdir())):
        for old in parent.glob(prefix + "*"):  # left by a process that was killed
            pid = old.name[len(prefix):].split("-")[0]
            if pid.isdigit() and sys.platform.startswith("linux") and not Path(f"/proc/{pid}").exists():
                shutil.rmtree(old, ignore_errors=True)
    try:
        return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=store.parent)
    except OSError:  # the store's folder is not ours to write: a copy elsewhere
        return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")
