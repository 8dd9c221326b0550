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
workers             VNKG_QUERY_WORKERS        4 (query threads; runaways count against it)
queue_wait          VNKG_QUEUE_WAIT           5 (seconds to wait for a free worker, then 503)
refresh_interval    VNKG_REFRESH_INTERVAL     10 (seconds between checks for a changed store)
public_url          VNKG_PUBLIC_URL           none (the server's external URL; else taken from the request)
==================  ========================  ==============================================
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

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
}


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    timeout: float = 30.0
    max_rows: int = 10_000
    allow_update: bool = False
    update_token: str | None = None
    workers: int = 4
    queue_wait: float = 5.0
    refresh_interval: float = 10.0
    public_url: str | None = None
    # Incoming links shown per property on a resource page before "more".
    incoming_per_property: int = 20

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
            if name == "allow_update":
                values[name] = _truthy(raw)
            elif name in {"max_rows", "workers"}:
                values[name] = int(raw)
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

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
