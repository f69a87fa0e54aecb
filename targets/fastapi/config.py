"""The one place that reads the environment: validate, apply defaults, freeze.

The defaults are those of src/config.ts, under the same variable names, so that a FastAPI target and a
Node adapter started with the same settings get the same pool and timeouts. __main__ writes the
command-line flags into these variables, which is also how uvicorn's worker processes receive them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

# How an endpoint reaches the database, and what then bounds requests in flight (L: database time per
# request). bench/targets/styles.ts is the same table for the harness.
STYLES: dict[str, str] = {
    "sync": "def endpoints in Starlette's thread pool: requests/s at most threads / L",
    "async": "async def endpoints awaiting an async driver: requests/s at most pool / L",
    "blocking": "async def endpoints calling a sync driver, which holds the event loop: requests/s at most 1 / (L + CPU)",
}

# target name → driver module (targets/fastapi/driver_<driver with _ for ->.py) and endpoint style
TARGETS: dict[str, tuple[str, str]] = {
    "fastapi-psycopg2": ("psycopg2", "sync"),  # the ADR's "before": def endpoints in the thread pool
    "fastapi-asyncpg": ("asyncpg", "async"),  # the ADR's "after": SQLAlchemy asyncio engine
    "fastapi-psycopg3": ("psycopg3", "async"),  # the ADR's alternative 2: async psycopg 3
    # The anti-pattern ADR-003's text describes: psycopg2 (SQLAlchemy sync engine) inside async def.
    "fastapi-psycopg2-async": ("psycopg2-async", "blocking"),
    "fastapi-asyncpg-raw": ("asyncpg-raw", "async"),  # asyncpg's own pool, no SQLAlchemy: driver vs ORM layer
}
DRIVERS = tuple(driver for driver, _ in TARGETS.values())
assert all(style in STYLES for _, style in TARGETS.values())

# uvicorn's event loop and HTTP parser; "auto" is uvicorn's own choice (uvloop and httptools when they
# import, else asyncio and h11): the default, as before these were settings. /internal/target reports
# what runs.
LOOPS = ("auto", "asyncio", "uvloop")
HTTP_PARSERS = ("auto", "h11", "httptools")

DEFAULTS = {
    "JOBBENCH_POOL_MAX": 10,
    "JOBBENCH_CONNECT_TIMEOUT_MS": 2_000,  # 2 s: also the acquire timeout; past it a request gets 503
    "JOBBENCH_IDLE_TIMEOUT_MS": 30_000,  # 30 s (psycopg 3 pool only: SQLAlchemy's pool has no idle timeout)
    "JOBBENCH_STATEMENT_TIMEOUT_MS": 5_000,  # 5 s
    "JOBBENCH_BODY_LIMIT_BYTES": 64 * 1024,  # 64 KiB
    "JOBBENCH_FASTAPI_THREADS": 40,  # anyio's default thread limiter: sync endpoints run on these
    "JOBBENCH_FASTAPI_LOOP": "auto",
    "JOBBENCH_FASTAPI_HTTP": "auto",
    # Prepared statements cached per connection; unset: the driver's default (100 for SQLAlchemy's
    # asyncpg adapter, asyncpg and psycopg 3); 0 turns the cache off. psycopg2 prepares nothing.
    "JOBBENCH_STATEMENT_CACHE_SIZE": None,
    # lazy: the pool opens connections as requests need them (every driver's default); open: all of them
    # before the server answers, as a fixed-size pool does (HikariCP's advice: minimumIdle = maximum).
    "JOBBENCH_POOL_FILL": "lazy",
}
POOL_FILLS = ("lazy", "open")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    database_url: str
    target: str  # fastapi-<driver>
    driver: str
    style: str  # a key of STYLES: sync | async | blocking
    pool_max: int
    connect_timeout_ms: int
    idle_timeout_ms: int
    statement_timeout_ms: int
    body_limit_bytes: int
    threads: int
    metrics: bool
    loop: str  # a value of LOOPS
    http: str  # a value of HTTP_PARSERS
    statement_cache_size: Optional[int]  # None: the driver's default
    pool_fill: str = "lazy"  # a value of POOL_FILLS

    @property
    def module(self) -> str:
        """The driver module's name: driver_<driver>, with _ for - (driver_psycopg2_async)."""
        return f"driver_{self.driver.replace('-', '_')}"

    @property
    def application_name(self) -> str:
        """jobbench:<target>, as the Node adapters use jobbench:<adapter> (src/server.ts)."""
        return f"jobbench:{self.target}"


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> Any:
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
    loop = env.get("JOBBENCH_FASTAPI_LOOP") or DEFAULTS["JOBBENCH_FASTAPI_LOOP"]
    if loop not in LOOPS:
        raise ConfigError(f"JOBBENCH_FASTAPI_LOOP (--loop) must be one of {', '.join(LOOPS)}, got {loop!r}")
    http = env.get("JOBBENCH_FASTAPI_HTTP") or DEFAULTS["JOBBENCH_FASTAPI_HTTP"]
    if http not in HTTP_PARSERS:
        raise ConfigError(f"JOBBENCH_FASTAPI_HTTP (--http) must be one of {', '.join(HTTP_PARSERS)}, got {http!r}")
    pool_fill = env.get("JOBBENCH_POOL_FILL") or DEFAULTS["JOBBENCH_POOL_FILL"]
    if pool_fill not in POOL_FILLS:
        raise ConfigError(f"JOBBENCH_POOL_FILL must be one of {', '.join(POOL_FILLS)}, got {pool_fill!r}")
    statement_cache_size = _int(env, "JOBBENCH_STATEMENT_CACHE_SIZE", 0, 100_000)
    if statement_cache_size is not None and driver.startswith("psycopg2"):
        raise ConfigError(f"{target} prepares no statements (psycopg2 interpolates parameters client-side): "
                          "JOBBENCH_STATEMENT_CACHE_SIZE (--statement-cache-size) does not apply")
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
        loop=loop,
        http=http,
        statement_cache_size=statement_cache_size,
        pool_fill=pool_fill,
    )
