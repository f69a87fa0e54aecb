"""The one place that reads the environment: validate, apply defaults, freeze.

The defaults are those of src/config.ts, under the same variable names, so that a FastAPI target and a
Node adapter started with the same settings get the same pool and timeouts. __main__ writes the
command-line flags into these variables, which is also how uvicorn's worker processes receive them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional

# target name → driver module (targets/fastapi/driver_<driver>.py) and endpoint style
TARGETS: dict[str, tuple[str, str]] = {
    "fastapi-psycopg2": ("psycopg2", "sync"),  # the ADR's "before": def endpoints in the thread pool
    "fastapi-asyncpg": ("asyncpg", "async"),  # the ADR's "after": SQLAlchemy asyncio engine
    "fastapi-psycopg3": ("psycopg3", "async"),  # the ADR's alternative 2: async psycopg 3
}
DRIVERS = tuple(driver for driver, _ in TARGETS.values())

DEFAULTS = {
    "JOBBENCH_POOL_MAX": 10,
    "JOBBENCH_CONNECT_TIMEOUT_MS": 2_000,  # 2 s: also the acquire timeout; past it a request gets 503
    "JOBBENCH_IDLE_TIMEOUT_MS": 30_000,  # 30 s (psycopg 3 pool only: SQLAlchemy's pool has no idle timeout)
    "JOBBENCH_STATEMENT_TIMEOUT_MS": 5_000,  # 5 s
    "JOBBENCH_BODY_LIMIT_BYTES": 64 * 1024,  # 64 KiB
    "JOBBENCH_FASTAPI_THREADS": 40,  # anyio's default thread limiter: sync endpoints run on these
}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    database_url: str
    target: str  # fastapi-<driver>
    driver: str
    style: str  # sync | async
    pool_max: int
    connect_timeout_ms: int
    idle_timeout_ms: int
    statement_timeout_ms: int
    body_limit_bytes: int
    threads: int
    metrics: bool

    @property
    def application_name(self) -> str:
        """jobbench:<target>, as the Node adapters use jobbench:<adapter> (src/server.ts)."""
        return f"jobbench:{self.target}"


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int:
    raw = env.get(name, "")
    if raw == "":
        return DEFAULTS[name]
    if not re.fullmatch(r"[0-9]+", raw) or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, got {raw!r}")
    return int(raw)


def read_config(env: Optional[Mapping[str, str]] = None) -> Config:
    env = os.environ if env is None else env
    url = env.get("DATABASE_URL", "")
    if not re.match(r"postgres(ql)?://", url):
        raise ConfigError("DATABASE_URL must be set and start with postgres:// or postgresql://")
    driver = env.get("JOBBENCH_FASTAPI_DRIVER", "")
    if driver not in DRIVERS:
        raise ConfigError(f"JOBBENCH_FASTAPI_DRIVER must be one of {', '.join(DRIVERS)}, got {driver!r}")
    target = f"fastapi-{driver}"
    metrics = env.get("JOBBENCH_METRICS", "on")
    if metrics not in ("on", "off", "true", "false", "1", "0"):
        raise ConfigError(f"JOBBENCH_METRICS must be on or off, got {metrics!r}")
    return Config(
        database_url=url,
        target=target,
        driver=driver,
        style=TARGETS[target][1],
        pool_max=_int(env, "JOBBENCH_POOL_MAX", 1, 10_000),
        connect_timeout_ms=_int(env, "JOBBENCH_CONNECT_TIMEOUT_MS", 1, 600_000),
        idle_timeout_ms=_int(env, "JOBBENCH_IDLE_TIMEOUT_MS", 1, 3_600_000),
        statement_timeout_ms=_int(env, "JOBBENCH_STATEMENT_TIMEOUT_MS", 1, 3_600_000),
        body_limit_bytes=_int(env, "JOBBENCH_BODY_LIMIT_BYTES", 1024, 10 * 1024 * 1024),
        threads=_int(env, "JOBBENCH_FASTAPI_THREADS", 1, 10_000),
        metrics=metrics in ("on", "true", "1"),
    )
