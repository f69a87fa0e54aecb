"""Each operation as (statement, values) from the request, and its rows to the response: the part
of a route that does not depend on the driver, shared by the sync and the async routes."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from starlette.responses import Response

from . import sql
from .errors import JobbenchError
from .render import job_json, page_json, stats_json
from .validation import no_query, parse_job_id, parse_new_job, parse_search

JSON_TYPE = "application/json; charset=utf-8"  # what Fastify sends
Rows = Sequence[Mapping[str, Any]]
Query = list[tuple[str, str]]


def json_response(body: bytes, status: int = 200, headers: Optional[dict[str, str]] = None) -> Response:
    return Response(body, status_code=status, media_type=JSON_TYPE, headers=headers)


def create(body: Any, query: Query) -> tuple[str, list[Any]]:
    job = parse_new_job(body)
    no_query(query)
    return sql.INSERT_JOB, [job["title"], job["company"], job["location"], job["contract"], job["remote"],
                            job["salaryMin"], job["salaryMax"], job["tags"], job["description"], job["postedAt"]]


def created(rows: Rows) -> Response:
    job_id = str(rows[0]["id"])
    return json_response(job_json(rows[0]), 201, {"location": f"/jobs/{job_id}"})


def get(raw_id: str, query: Query) -> tuple[str, list[Any]]:
    job_id = parse_job_id(raw_id)
    no_query(query)
    return sql.GET_JOB, [job_id]


def got(rows: Rows) -> Response:
    if not rows:
        raise JobbenchError("JOBBENCH_ERR_NOT_FOUND")
    return json_response(job_json(rows[0]))


def search(query: Query) -> tuple[str, list[Any], int]:
    filters, limit, after = parse_search(query)
    text, values = sql.search_statement(filters, limit, after)
    return text, values, limit


def stats(query: Query) -> tuple[str, list[Any]]:
    no_query(query)
    return sql.STATS, []


def stats_response(rows: Rows) -> Response:
    return json_response(stats_json(rows[0]))


page_response = page_json
