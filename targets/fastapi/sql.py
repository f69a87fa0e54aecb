"""The SQL text of src/adapters/sql.ts, character for character, with its $n placeholders.

Every driver sends these statements; only the placeholder syntax is converted (DB-API drivers take
%s). test/contract/fastapi-sql.test.ts checks that this text matches the TypeScript one.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Sequence

JOB_COLUMNS = """id::text AS id, title, company, location, contract, remote,
  salary_min AS "salaryMin", salary_max AS "salaryMax", tags, description, posted_at AS "postedAt\""""

# posted_at is truncated to milliseconds even when given: the keyset cursor carries milliseconds.
INSERT_JOB = f"""INSERT INTO jobs (title, company, location, contract, remote, salary_min, salary_max, tags, description, posted_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, date_trunc('milliseconds', coalesce($10::timestamptz, now())))
  RETURNING {JOB_COLUMNS}"""

GET_JOB = f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1::bigint"

STATS = """WITH totals AS (
    SELECT count(*)::int AS total, count(*) FILTER (WHERE remote)::int AS remote,
           round(avg(salary_min), 2)::float8 AS "avgSalaryMin", round(avg(salary_max), 2)::float8 AS "avgSalaryMax"
    FROM jobs),
  by_contract AS (
    SELECT coalesce(json_object_agg(contract, n), '{}'::json) AS "byContract"
    FROM (SELECT contract, count(*)::int AS n FROM jobs GROUP BY contract) c),
  top_locations AS (
    SELECT coalesce(json_agg(json_build_object('location', location, 'count', n) ORDER BY n DESC, location), '[]'::json) AS "topLocations"
    FROM (SELECT location, count(*)::int AS n FROM jobs GROUP BY location ORDER BY n DESC, location LIMIT 10) l)
  SELECT * FROM totals, by_contract, top_locations"""

PING = "SELECT 1"

_PLACEHOLDER = re.compile(r"\$(\d+)")


def search_statement(filters: dict[str, Any], limit: int, after: Optional[tuple[Any, int]]) -> tuple[str, list[Any]]:
    """One page of matching jobs, newest first; limit + 1 rows tell whether a next page exists.

    The same WHERE clauses in the same order as searchStatement() in src/adapters/sql.ts.
    """
    where: list[str] = []
    values: list[Any] = []

    def param(value: Any, cast: str = "") -> str:
        values.append(value)
        return f"${len(values)}{cast}"

    if "q" in filters:
        where.append(f"search @@ websearch_to_tsquery('english', {param(filters['q'])})")
    if "location" in filters:
        where.append(f"location = {param(filters['location'])}")
    if "company" in filters:
        where.append(f"company = {param(filters['company'])}")
    if "contract" in filters:
        where.append(f"contract = {param(filters['contract'])}")
    if "remote" in filters:
        where.append(f"remote = {param(filters['remote'])}")
    if "salaryMin" in filters:
        where.append(f"salary_max >= {param(filters['salaryMin'], '::int')}")
    if filters.get("tags"):
        where.append(f"tags @> {param(filters['tags'], '::text[]')}")
    if after is not None:
        where.append(f"(posted_at, id) < ({param(after[0], '::timestamptz')}, {param(after[1], '::bigint')})")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    text = f"""SELECT {JOB_COLUMNS} FROM jobs{clause}
  ORDER BY posted_at DESC, id DESC LIMIT {param(limit + 1, '::int')}"""
    return text, values


def for_paramstyle(text: str, values: Sequence[Any], paramstyle: str) -> str:
    """The statement in the placeholder syntax of a DB-API paramstyle: $n as is for numeric_dollar
    (SQLAlchemy 2.0's asyncpg adapter), %s for format and pyformat (psycopg2, psycopg 3, and
    SQLAlchemy 1.4's asyncpg adapter, which turns %s back into $n)."""
    if paramstyle == "numeric_dollar":
        return text
    if paramstyle in ("format", "pyformat"):
        return to_format_style(text, values)
    raise ValueError(f"unsupported paramstyle {paramstyle!r}")


def to_format_style(text: str, values: Sequence[Any]) -> str:
    """$1, $2, … to %s for DB-API drivers (psycopg2, psycopg 3, SQLAlchemy's asyncpg adapter).

    Every statement above uses each parameter once, in ascending order, so %s keeps the binding.
    """
    numbers = [int(n) for n in _PLACEHOLDER.findall(text)]
    if numbers != list(range(1, len(values) + 1)):
        raise ValueError("placeholders must appear once each, in order")
    return _PLACEHOLDER.sub("%s", text)
