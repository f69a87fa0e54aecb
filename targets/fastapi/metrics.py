"""Prometheus metrics with the names of src/metrics/names.ts, in an explicit CollectorRegistry (never
prometheus_client's global one), served at GET /metrics.

Differences from the Node targets: `adapter` is an ordinary label (prometheus_client has no registry
default labels); no jobbench_db_backends gauge (the harness counts backends in pg_stat_activity); the
runtime series are prometheus_client's process_* and python_* collectors. With uvicorn --workers N each
worker has its own registry, and a scrape reads whichever worker answers it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import GCCollector, PlatformCollector, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from .errors import JobbenchError

METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "unmatched"
OTHER_ERROR_CLASS = "other"
DB_OPERATIONS = ("create", "get", "search", "stats", "ping")
# 100 µs .. 10 s in a 1-2-5 progression (DURATION_BUCKETS_S): sub-millisecond buckets tell drivers apart.
DURATION_BUCKETS_S = (0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
_HTTP_LABELS = ("method", "route", "status_code", "adapter")


def _version() -> str:
    try:
        return str(json.loads((Path(__file__).resolve().parents[2] / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "unknown"


class _PoolCollector:
    """jobbench_db_pool_connections{adapter,state}, read from the driver's pool at scrape time."""

    def __init__(self, adapter: str, pool_stats: Callable[[], Optional[dict[str, int]]]) -> None:
        self.adapter = adapter
        self.pool_stats = pool_stats

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily("jobbench_db_pool_connections", "Pool connections by state, from the driver.",
                                   labels=["adapter", "state"])
        try:
            stats = self.pool_stats() or {}
        except Exception:  # a closed pool must not fail the scrape
            stats = {}
        for state, value in stats.items():
            family.add_metric([self.adapter, state], value)
        yield family


class Metrics:
    def __init__(self, adapter: str, pool_max: int, pool_stats: Callable[[], Optional[dict[str, int]]]) -> None:
        self.adapter = adapter
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.http_duration = Histogram("http_request_duration_seconds",
                                       "HTTP request duration in seconds, by route template.", _HTTP_LABELS,
                                       buckets=DURATION_BUCKETS_S, registry=r)
        self.http_requests = Counter("http_requests_total", "HTTP requests completed, by route template and status.",
                                     _HTTP_LABELS, registry=r)
        self.in_flight = Gauge("http_requests_in_flight", "HTTP requests received and not yet answered.",
                               ["adapter"], registry=r).labels(adapter)
        self.db_duration = Histogram("jobbench_db_query_duration_seconds",
                                     "Duration of one repository operation in seconds, including the pool wait.",
                                     ("adapter", "operation"), buckets=DURATION_BUCKETS_S, registry=r)
        for operation in DB_OPERATIONS:
            self.db_duration.labels(adapter, operation)
        self.db_errors = Counter("jobbench_db_errors_total", "Repository operations that failed, by error class.",
                                 ("adapter", "class"), registry=r)
        for error_class in ("JOBBENCH_ERR_DB_UNAVAILABLE", "JOBBENCH_ERR_DB_TIMEOUT", OTHER_ERROR_CLASS):
            self.db_errors.labels(adapter, error_class)
        Gauge("jobbench_info", "Always 1; labels describe the running API.", ("adapter", "pool_max", "version"),
              registry=r).labels(adapter, str(pool_max), _version()).set(1)
        r.register(_PoolCollector(adapter, pool_stats))
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)

    def observe_db(self, operation: str, started_s: float, error: Optional[BaseException]) -> None:
        self.db_duration.labels(self.adapter, operation).observe(time.perf_counter() - started_s)
        if error is not None:
            code = error.code if isinstance(error, JobbenchError) else OTHER_ERROR_CLASS
            self.db_errors.labels(self.adapter, code).inc()

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def route_label(method: str, path: str) -> Optional[str]:
    """The route TEMPLATE in Fastify's spelling (never the raw URL), None for GET /metrics and the
    harness's /internal/ questions (not counted, as the Node server's /internal/process)."""
    if path == METRICS_PATH or path.startswith("/internal/"):
        return None
    get = method in ("GET", "HEAD")
    if get and path in ("/health", "/ready", "/jobs/stats"):
        return path
    if path == "/jobs" and (get or method == "POST"):
        return "/jobs"
    if get and path.startswith("/jobs/") and "/" not in path[6:] and path[6:]:
        return "/jobs/:id"
    return UNMATCHED_ROUTE


class MetricsMiddleware:
    """Pure ASGI, outermost: sees every response, 500s included. O(1) work per request."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("raw_path") or scope["path"].encode()
        route = route_label(scope["method"], raw.decode("latin-1"))
        if route is None:
            await self.app(scope, receive, send)
            return
        m = self.metrics
        status = ["499"]  # nginx's "client closed request" when no response started
        started = time.perf_counter()
        m.in_flight.inc()

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception:
            if status[0] == "499":
                status[0] = "500"
            raise
        finally:
            m.in_flight.dec()
            labels = (scope["method"], route, status[0], m.adapter)
            m.http_duration.labels(*labels).observe(time.perf_counter() - started)
            m.http_requests.labels(*labels).inc()
