"""The job routes twice over: `def` endpoints for the sync driver (Starlette runs them in its thread
pool) and `async def` endpoints for the async ones. Everything but the call to the driver is in ops."""

from __future__ import annotations

import time
from typing import Any, Callable, Optional
from urllib.parse import unquote

from fastapi import Depends, FastAPI
from starlette.requests import Request
from starlette.responses import Response

from . import ops
from .errors import JobbenchError, map_db_error
from .metrics import Metrics


def _job_id(request: Request) -> str:
    """The raw id segment: routing on the decoded path would let /jobs/..%2Fx escape the route."""
    raw: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
    segments = raw.split(b"/")
    if len(segments) != 3 or not segments[2]:
        path = request.url.path[:200]
        raise JobbenchError("JOBBENCH_ERR_ROUTE_NOT_FOUND", f"No route {request.method} {path}")
    return unquote(segments[2].decode("latin-1"))


def _query(request: Request) -> list[tuple[str, str]]:
    return request.query_params.multi_items()


def add_sync_routes(app: FastAPI, repo: Any, metrics: Optional[Metrics], json_body: Callable) -> None:
    def run(operation: str, text: str, values: list[Any]) -> Any:
        started = time.perf_counter()
        error: Optional[BaseException] = None
        try:
            return repo.fetch(text, values)
        except Exception as e:
            error = map_db_error(e)
            raise error from e
        finally:
            if metrics is not None:
                metrics.observe_db(operation, started, error)

    @app.post("/jobs")
    def create_job(request: Request, body: Any = Depends(json_body)) -> Response:
        return ops.created(run("create", *ops.create(body, _query(request))))

    @app.get("/jobs/stats")
    def job_stats(request: Request) -> Response:
        return ops.stats_response(run("stats", *ops.stats(_query(request))))

    @app.get("/jobs/{job_id:path}")
    def get_job(request: Request) -> Response:
        return ops.got(run("get", *ops.get(_job_id(request), _query(request))))

    @app.get("/jobs")
    def search_jobs(request: Request) -> Response:
        text, values, limit = ops.search(_query(request))
        return ops.json_response(ops.page_response(run("search", text, values), limit))

    @app.get("/ready")
    def ready() -> Response:
        try:
            run("ping", "SELECT 1", [])
        except Exception:
            raise JobbenchError("JOBBENCH_ERR_DB_UNAVAILABLE") from None
        return ops.json_response(b'{"status":"ready"}')


def add_async_routes(app: FastAPI, repo: Any, metrics: Optional[Metrics], json_body: Callable) -> None:
    async def run(operation: str, text: str, values: list[Any]) -> Any:
        started = time.perf_counter()
        error: Optional[BaseException] = None
        try:
            return await repo.fetch(text, values)
        except Exception as e:
            error = map_db_error(e)
            raise error from e
        finally:
            if metrics is not None:
                metrics.observe_db(operation, started, error)

    @app.post("/jobs")
    async def create_job(request: Request, body: Any = Depends(json_body)) -> Response:
        return ops.created(await run("create", *ops.create(body, _query(request))))

    @app.get("/jobs/stats")
    async def job_stats(request: Request) -> Response:
        return ops.stats_response(await run("stats", *ops.stats(_query(request))))

    @app.get("/jobs/{job_id:path}")
    async def get_job(request: Request) -> Response:
        return ops.got(await run("get", *ops.get(_job_id(request), _query(request))))

    @app.get("/jobs")
    async def search_jobs(request: Request) -> Response:
        text, values, limit = ops.search(_query(request))
        return ops.json_response(ops.page_response(await run("search", text, values), limit))

    @app.get("/ready")
    async def ready() -> Response:
        try:
            await run("ping", "SELECT 1", [])
        except Exception:
            raise JobbenchError("JOBBENCH_ERR_DB_UNAVAILABLE") from None
        return ops.json_response(b'{"status":"ready"}')
