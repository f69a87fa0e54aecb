"""Builds the FastAPI app of one target from its Config (uvicorn calls create_asgi, a factory, in
every worker). The app never creates schema: jobbench migrates and seeds the database."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from .config import Config, read_config
from .errors import ERRORS, RETRY_AFTER_S, JobbenchError
from .facts import target_facts
from .http_body import make_json_body
from .metrics import METRICS_PATH, Metrics, MetricsMiddleware
from .ops import JSON_TYPE, json_response
from .routes import add_async_routes, add_sync_routes

INTERNAL_TARGET_PATH = "/internal/target"  # not in the job API contract: the harness's question only

# Which routes each endpoint style gets (config.STYLES): the blocking style is async def routes over a
# repository whose async fetch blocks.
ROUTES_BY_STYLE = {"sync": add_sync_routes, "async": add_async_routes, "blocking": add_async_routes}


def error_response(code: str, message: str) -> Response:
    status = ERRORS[code][0]
    headers = {"retry-after": str(RETRY_AFTER_S)} if status == 503 else None
    body = json.dumps({"code": code, "message": message}, ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode(), status_code=status, media_type=JSON_TYPE, headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    async def jobbench_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, JobbenchError)
        return error_response(exc.code, exc.message)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        if status in (404, 405):  # Starlette's 405 is a route that does not exist for that method
            return error_response("JOBBENCH_ERR_ROUTE_NOT_FOUND", f"No route {request.method} {request.url.path[:200]}")
        return error_response("JOBBENCH_ERR_VALIDATION", ERRORS["JOBBENCH_ERR_VALIDATION"][1])

    async def validation_error(_request: Request, _exc: Exception) -> Response:
        return error_response("JOBBENCH_ERR_VALIDATION", ERRORS["JOBBENCH_ERR_VALIDATION"][1])

    async def internal_error(_request: Request, _exc: Exception) -> Response:
        # A 500 is a bug. The body says nothing of the cause; Starlette re-raises and uvicorn logs it.
        return error_response("JOBBENCH_ERR_INTERNAL", ERRORS["JOBBENCH_ERR_INTERNAL"][1])

    app.add_exception_handler(JobbenchError, jobbench_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, internal_error)


async def fill_pool(repo: Any, size: int) -> None:
    """Opens every connection of the pool before the server answers (JOBBENCH_POOL_FILL=open): `size`
    concurrent 50-ms sleeps hold `size` connections at once. The anti-pattern's blocking repository is
    filled through its sync engine in threads (its own calls would take one connection at a time). A
    failure leaves the pool lazy, as it would be without the setting."""
    target = getattr(repo, "sync", repo)
    sql = "SELECT pg_sleep(0.05)"
    try:
        if inspect.iscoroutinefunction(target.fetch):
            await asyncio.gather(*(target.fetch(sql, []) for _ in range(size)))
        else:
            await asyncio.gather(*(anyio.to_thread.run_sync(target.fetch, sql, []) for _ in range(size)))
    except Exception as err:  # the database not up yet: the first requests open connections instead
        print(f"pool fill: {err}", file=sys.stderr, flush=True)


def create_app(config: Config) -> Any:
    driver = importlib.import_module(f"{__package__}.{config.module}")
    repo = driver.create_repository(config)
    metrics = Metrics(config.target, config.pool_max, repo.pool_stats) if config.metrics else None

    async def startup() -> None:
        # Sync endpoints run on anyio's default thread limiter; its size is a knob of the sync target.
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.threads
        opened = repo.open()
        if inspect.isawaitable(opened):
            await opened
        if config.pool_fill == "open":
            await fill_pool(repo, config.pool_max)

    async def shutdown() -> None:
        closed = repo.close()
        if inspect.isawaitable(closed):
            await closed

    # No /docs, /redoc or /openapi.json: the contract has no such routes (they would answer 200).
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, on_startup=[startup], on_shutdown=[shutdown])
    app.router.redirect_slashes = False  # Fastify answers /jobs/ with a 404, not a redirect
    _add_error_handlers(app)

    @app.get("/health")
    async def health() -> Response:  # never touches the database: the ceiling of the HTTP layer
        return json_response(b'{"status":"ok"}')

    if metrics is not None:
        @app.get(METRICS_PATH)
        async def metrics_text() -> Response:
            body, content_type = metrics.exposition()
            return Response(body, media_type=content_type)

    @app.get(INTERNAL_TARGET_PATH)
    async def internal_target() -> Response:
        return json_response(json.dumps(await target_facts(config, repo), separators=(",", ":")).encode())

    ROUTES_BY_STYLE[config.style](app, repo, metrics, make_json_body(config.body_limit_bytes))
    return MetricsMiddleware(app, metrics) if metrics is not None else app


def create_asgi() -> Any:
    """uvicorn's factory: the configuration comes from the environment (see config.py)."""
    return create_app(read_config())
