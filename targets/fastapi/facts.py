"""What this running target is, as it runs: GET /internal/target. The harness stores the answer with
every cell of the target (results.json `cells[].targetFacts`), so that a reader sees the event loop, the
HTTP parser, the statement cache and psycopg's implementation that a measurement really had, not what
was asked for or assumed. Nothing here is read from the command line: each fact is observed."""

from __future__ import annotations

import asyncio
import inspect
import sys
from importlib import metadata
from typing import Any

from .config import Config

# uvicorn imports exactly one of these protocol modules (the one its --http setting, or "auto", chose).
_HTTP_MODULES = {"h11": "uvicorn.protocols.http.h11_impl", "httptools": "uvicorn.protocols.http.httptools_impl"}


def running_loop() -> str:
    """uvloop or asyncio, from the class of the loop this coroutine runs on."""
    module = type(asyncio.get_running_loop()).__module__
    return "uvloop" if module.startswith("uvloop") else "asyncio"


def running_http_parser() -> str:
    loaded = [name for name, module in _HTTP_MODULES.items() if module in sys.modules]
    return loaded[0] if len(loaded) == 1 else "unknown"


def module_versions() -> dict[str, str]:
    """Every installed distribution that this process has imported, with its version."""
    loaded = {name.split(".")[0] for name in list(sys.modules)}
    versions: dict[str, str] = {}
    for top, dists in metadata.packages_distributions().items():
        if top not in loaded:
            continue
        for dist in dists:
            try:
                versions[dist.lower()] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                pass
    return dict(sorted(versions.items()))


def psycopg_impl() -> dict[str, str]:
    """psycopg 3's libpq wrapper: "c" or "binary" (compiled), "python" (ctypes: Debian's, slower)."""
    if "psycopg" not in sys.modules:
        return {}
    import psycopg

    return {"psycopgImpl": psycopg.pq.__impl__, "libpq": str(psycopg.pq.version())}


async def target_facts(config: Config, repo: Any) -> dict[str, Any]:
    cache = repo.statement_cache()
    if inspect.isawaitable(cache):
        cache = await cache
    return {
        "target": config.target,
        "style": config.style,
        "python": ".".join(map(str, sys.version_info[:3])),
        "executable": sys.executable,
        "loop": running_loop(),
        "loopSetting": config.loop,
        "http": running_http_parser(),
        "httpSetting": config.http,
        "poolMax": config.pool_max,
        "threads": config.threads,
        "poolFill": config.pool_fill,
        **cache,
        **psycopg_impl(),
        "modules": module_versions(),
    }
