"""Settings of the web server, with ``VNKG_*`` environment fallbacks.

Precedence: an explicit keyword (from the CLI or a caller) wins; else the
environment variable; else the default below.

==================  ========================  ==============================================
setting             environment variable      default
==================  ========================  ==============================================
base_iri            VNKG_BASE_IRI             https://w3id.org/vnkg/id/
timeout             VNKG_QUERY_TIMEOUT        30 (seconds per query)
max_rows            VNKG_MAX_ROWS             10000 (rows of a SELECT, triples of a CONSTRUCT)
allow_update        VNKG_ALLOW_UPDATE         false (SPARQL Update refused with 403)
update_token        VNKG_UPDATE_TOKEN         none (a bearer token that allows updates)
workers             VNKG_QUERY_WORKERS        4, or the number of cores if fewer (at least 2): query worker processes
queue_wait          VNKG_QUEUE_WAIT           5 (seconds to wait for a free worker, then 503)
refresh_interval    VNKG_REFRESH_INTERVAL     10 (seconds between checks for a changed store)
public_url          VNKG_PUBLIC_URL           none (the server's external URL; else taken from the request)
query_memory_mb     VNKG_QUERY_MEMORY         1024 (MiB of memory one query may use in its worker process)
max_query_bytes     VNKG_MAX_QUERY_BYTES      1048576 (bytes of one query or update text)
max_depth           VNKG_MAX_DEPTH            100 (nesting of brackets in a query)
max_operators       VNKG_MAX_OPERATORS        2000 (operators and clauses in a query)
max_body            VNKG_MAX_BODY             16777216 (bytes of a request body)
allow_service       VNKG_ALLOW_SERVICE        none (IRI prefixes SERVICE and LOAD may reach; space-separated)
isolation           VNKG_ISOLATION            true (queries in worker processes, on an on-disk store)
==================  ========================  ==============================================
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

DEFAULT_BASE_IRI = "https://w3id.org/vnkg/id/"

_ENV = {
    "base_iri": "VNKG_BASE_IRI",
    "timeout": "VNKG_QUERY_TIMEOUT",
    "max_rows": "VNKG_MAX_ROWS",
    "allow_update": "VNKG_ALLOW_UPDATE",
    "update_token": "VNKG_UPDATE_TOKEN",
    "workers": "VNKG_QUERY_WORKERS",
    "queue_wait": "VNKG_QUEUE_WAIT",
    "refresh_interval": "VNKG_REFRESH_INTERVAL",
    "public_url": "VNKG_PUBLIC_URL",
    "query_memory_mb": "VNKG_QUERY_MEMORY",
    "max_query_bytes": "VNKG_MAX_QUERY_BYTES",
    "max_depth": "VNKG_MAX_DEPTH",
    "max_operators": "VNKG_MAX_OPERATORS",
    "max_body": "VNKG_MAX_BODY",
    "allow_service": "VNKG_ALLOW_SERVICE",
    "isolation": "VNKG_ISOLATION",
}


def default_workers() -> int:
    """4 query workers, or one per core where there are fewer cores (at least 2): more processes
    than cores only compete for them."""
    return max(2, min(4, os.cpu_count() or 2))


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    timeout: float = 30.0
    max_rows: int = 10_000
    allow_update: bool = False
    update_token: str | None = None
    workers: int = field(default_factory=lambda: default_workers())
    queue_wait: float = 5.0
    refresh_interval: float = 10.0
    public_url: str | None = None
    # Incoming links shown per property on a resource page before "more".
    incoming_per_property: int = 20
    query_memory_mb: int = 1024
    max_query_bytes: int = 2**20
    max_depth: int = 100
    max_operators: int = 2000
    max_body: int = 16 * 2**20
    allow_service: tuple[str, ...] = ()
    isolation: bool = True

    def __post_init__(self):
        base = self.base_iri
        if not base.endswith(("/", "#")):
            object.__setattr__(self, "base_iri", base + "/")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.max_rows < 1:
            raise ValueError("max_rows must be at least 1")
        if self.workers < 1:
            raise ValueError("workers must be at least 1")
        for name in ("query_memory_mb", "max_query_bytes", "max_depth", "max_operators", "max_body"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        object.__setattr__(self, "allow_service", tuple(p for p in self.allow_service if p))
        if self.update_token == "":
            object.__setattr__(self, "update_token", None)
        if self.public_url:
            object.__setattr__(self, "public_url", self.public_url.rstrip("/"))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        """Settings from ``overrides`` (None means "not given"), then ``VNKG_*`` variables, then defaults."""
        env = os.environ if env is None else env
        known = {f.name: f for f in fields(cls)}
        values: dict = {}
        for name, var in _ENV.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            if name in {"allow_update", "isolation"}:
                values[name] = _truthy(raw)
            elif name in {"max_rows", "workers", "query_memory_mb", "max_query_bytes", "max_depth", "max_operators",
                          "max_body"}:
                values[name] = int(raw)
            elif name == "allow_service":
                values[name] = tuple(raw.split())
            elif name in {"timeout", "queue_wait", "refresh_interval"}:
                values[name] = float(raw)
            else:
                values[name] = raw
        for name, value in overrides.items():
            if name not in known:
                raise TypeError(f"unknown setting: {name}")
            if value is not None:
                values[name] = value
        return cls(**values)

    @property
    def limits(self):
        """The pre-scan's bounds (:class:`kg.querylimits.Limits`)."""
        from kg.querylimits import Limits

        return Limits(max_bytes=self.max_query_bytes, max_depth=self.max_depth, max_operators=self.max_operators)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
