"""python3 -m targets.fastapi --driver asyncpg --port 8000 [--host H] [--pool-max N] [--workers N] [--loop L] [--http P]

DATABASE_URL comes from the environment only: a password on the command line would be readable by
anyone in /proc/<pid>/cmdline. Flags are written into the environment that config.py reads, which is
also how uvicorn's worker processes receive them. With --workers N, each worker has its own pool of
--pool-max connections: N × pool-max connections in all.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time

from .config import DRIVERS, HTTP_PARSERS, LOOPS, ConfigError, read_config

KEEP_ALIVE_S = 72  # Fastify's keepAliveTimeout (72 s); uvicorn's default of 5 s would reconnect idle users
FORCE_EXIT_S = 10  # graceful stop budget after the harness died, as jobbench serve's (bench/host/parent-watch.ts)


def exit_with_stdin() -> None:
    """Started by jobbench (JOBBENCH_EXIT_WITH_STDIN): it holds a pipe on our stdin, which the kernel closes
    when jobbench dies, even by kill -9. Then stop uvicorn and its workers (our process group), as
    `jobbench serve` does. Run by a user, nothing changes."""
    if not os.environ.get("JOBBENCH_EXIT_WITH_STDIN"):
        return

    def signal_group(sig: int) -> None:
        try:
            # Our own group only when we lead it (jobbench starts us detached); else just this process.
            if os.getpgrp() == os.getpid():
                os.killpg(os.getpgrp(), sig)
            else:
                os.kill(os.getpid(), sig)
        except OSError:
            pass

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(65536):
                pass
        except (OSError, ValueError):
            pass
        print("targets.fastapi: the harness that started this server is gone (stdin closed): stopping", file=sys.stderr)
        signal_group(signal.SIGTERM)
        time.sleep(FORCE_EXIT_S)
        signal_group(signal.SIGKILL)

    threading.Thread(target=watch, name="jobbench-parent-watch", daemon=True).start()


def check_server_modules(loop: str, http: str) -> None:
    """An explicit --loop uvloop or --http httptools that does not import fails here in one line,
    rather than as a traceback in every worker."""
    for setting, module, package in (("--loop", loop, "python3-uvloop"), ("--http", http, "python3-httptools")):
        if module not in ("uvloop", "httptools"):
            continue
        try:
            __import__(module)
        except ImportError as e:
            raise ConfigError(f"{setting} {module}: {module} does not import ({e}): apt-get install {package} "
                              f"or pip install {module}") from None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m targets.fastapi", description=__doc__.split("\n")[0])
    parser.add_argument("--driver", required=True, choices=DRIVERS)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--pool-max", type=int, help="connections per worker (default 10, JOBBENCH_POOL_MAX)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--threads", type=int, help="thread pool of the sync driver (default 40, anyio's)")
    parser.add_argument("--metrics", choices=("on", "off"), help="GET /metrics (default on)")
    parser.add_argument("--loop", choices=LOOPS,
                        help="uvicorn's event loop (default auto: uvloop when it imports, else asyncio)")
    parser.add_argument("--http", choices=HTTP_PARSERS,
                        help="uvicorn's HTTP parser (default auto: httptools when it imports, else h11)")
    parser.add_argument("--statement-cache-size", type=int,
                        help="prepared statements cached per connection (default: the driver's, 100; 0: off)")
    parser.add_argument("--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug"))
    args = parser.parse_args(argv)

    os.environ["JOBBENCH_FASTAPI_DRIVER"] = args.driver
    for name, value in (("JOBBENCH_POOL_MAX", args.pool_max), ("JOBBENCH_FASTAPI_THREADS", args.threads),
                        ("JOBBENCH_METRICS", args.metrics), ("JOBBENCH_FASTAPI_LOOP", args.loop),
                        ("JOBBENCH_FASTAPI_HTTP", args.http),
                        ("JOBBENCH_STATEMENT_CACHE_SIZE", args.statement_cache_size)):
        if value is not None:
            os.environ[name] = str(value)
    try:
        config = read_config()  # fail here, once, rather than in every worker
        check_server_modules(config.loop, config.http)
    except ConfigError as e:
        print(f"targets.fastapi: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)

    import uvicorn

    exit_with_stdin()

    uvicorn.run(
        "targets.fastapi.app:create_asgi",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,  # Fastify logs no line per request either (at the default level)
        server_header=False,  # Fastify sends none
        timeout_keep_alive=KEEP_ALIVE_S,
        lifespan="on",
        loop=config.loop,
        http=config.http,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
