"""Request validation with the rules of src/http/schemas.ts and src/http/validator.ts (Ajv, no
coercion, unknown fields rejected, first error only), with messages in the same words.

Hand-written rather than pydantic: pydantic coerces ("1" → 1, "yes" → True), which the contract
forbids. Python pitfalls handled here: bool is an int, `$` matches before a trailing newline and
`\\d` matches non-ASCII digits (so: fullmatch and [0-9]).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from .cursor import decode_cursor, is_bigint_id
from .errors import JobbenchError

CONTRACT_TYPES = ("full-time", "part-time", "contract", "internship", "freelance")
LIMITS = {
    "titleChars": 200, "companyChars": 100, "locationChars": 100, "descriptionChars": 10_000,
    "queryChars": 200, "tagChars": 50, "tagsPerJob": 20, "tagsPerQuery": 10,
    "salaryMax": 2_147_483_647,  # PostgreSQL integer
    "pageDefault": 20, "pageMax": 100,
}
_BODY_TEXT = {"title": LIMITS["titleChars"], "company": LIMITS["companyChars"],
              "location": LIMITS["locationChars"]}
_BODY_FIELDS = ("title", "company", "location", "contract", "remote", "salaryMin", "salaryMax", "tags",
                "description", "postedAt")
_REQUIRED = ("title", "company", "location", "contract", "remote", "description")
_SEARCH_PARAMS = ("q", "location", "company", "contract", "remote", "salaryMin", "tags", "limit", "cursor")
_SALARY_QUERY = re.compile(r"0|[1-9][0-9]{0,9}")
_LIMIT_QUERY = re.compile(r"[1-9]|[1-9][0-9]|100")
_TAG = r"[^\x00,]{1,%d}" % LIMITS["tagChars"]
_TAGS_QUERY = re.compile(r"%s(,%s){0,%d}" % (_TAG, _TAG, LIMITS["tagsPerQuery"] - 1))
# RFC 3339 date-time with a zone (src/http/validator.ts DATE_TIME).
_DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
                        r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))")
_MIN_DATE_MS = 0  # 1970-01-01T00:00:00.000Z
_MAX_DATE_MS = calendar.timegm((10_000 - 1, 12, 31, 23, 59, 59)) * 1000 + 999


def invalid(message: str) -> JobbenchError:
    return JobbenchError("JOBBENCH_ERR_VALIDATION", message)


def _check_text(path: str, value: Any, max_chars: int, nul_message: str = "must not contain NUL characters",
                forbidden: str = "\x00") -> str:
    if not isinstance(value, str):
        raise invalid(f"{path} must be string")
    if len(value) > max_chars:  # code points, as Ajv counts them
        raise invalid(f"{path} must NOT have more than {max_chars} characters")
    if len(value) < 1:
        raise invalid(f"{path} must NOT have fewer than 1 characters")
    if any(c in value for c in forbidden):
        raise invalid(f"{path} {nul_message}")
    return value


def _check_salary(path: str, value: Any) -> Optional[int]:
    if value is None:
        return None
    # JSON 1e3 and 40000.0 are integers to Ajv (Number.isInteger); True is not, though Python says so.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not value.is_integer()):
        raise invalid(f"{path} must be integer,null")
    if value < 0:
        raise invalid(f"{path} must be >= 0")
    if value > LIMITS["salaryMax"]:
        raise invalid(f"{path} must be <= {LIMITS['salaryMax']}")
    return int(value)


def parse_date_time(value: str) -> Optional[datetime]:
    """The instant of an RFC 3339 date-time with a zone within 1970–9999 (UTC), truncated to the
    millisecond like a JS Date; None when invalid (isDateTime in src/http/validator.ts)."""
    m = _DATE_TIME.fullmatch(value)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(max(year, 1), month)[1] or (
            hour > 23 or minute > 59 or second > 59):
        return None
    offset_min = 0
    if m.group(8) is not None:
        oh, om = int(m.group(9)), int(m.group(10))
        if oh > 23 or om > 59:
            return None
        offset_min = (oh * 60 + om) * (-1 if m.group(8) == "-" else 1)
    ms = int((m.group(7) or ".0")[1:4].ljust(3, "0"))
    # Epoch ms by arithmetic: 9999-12-31T23:00-05:00 is past datetime's range in UTC.
    epoch_ms = (calendar.timegm((year, month, day, hour, minute, second)) - offset_min * 60) * 1000 + ms
    if not _MIN_DATE_MS <= epoch_ms <= _MAX_DATE_MS:
        return None
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=epoch_ms)


def parse_new_job(body: Any) -> dict[str, Any]:
    """A POST /jobs body (NewJobBody) into the values of INSERT_JOB's parameters, by name."""
    if not isinstance(body, dict):
        raise invalid("body must be object")
    for name in _REQUIRED:
        if name not in body:
            raise invalid(f"body must have required property '{name}'")
    for name in body:
        if name not in _BODY_FIELDS:
            raise invalid(f'body must NOT have the unknown property "{str(name)[:64]}"')
    job: dict[str, Any] = {}
    for name, max_chars in _BODY_TEXT.items():
        job[name] = _check_text(f"body/{name}", body[name], max_chars)
    if body["contract"] not in CONTRACT_TYPES or not isinstance(body["contract"], str):
        raise invalid("body/contract must be equal to one of the allowed values")
    job["contract"] = body["contract"]
    if not isinstance(body["remote"], bool):
        raise invalid("body/remote must be boolean")
    job["remote"] = body["remote"]
    job["salaryMin"] = _check_salary("body/salaryMin", body.get("salaryMin"))
    job["salaryMax"] = _check_salary("body/salaryMax", body.get("salaryMax"))
    job["tags"] = _check_tags(body.get("tags", []))
    job["description"] = _check_text("body/description", body["description"], LIMITS["descriptionChars"])
    job["postedAt"] = None
    if "postedAt" in body:
        posted_at = body["postedAt"]
        if not isinstance(posted_at, str):
            raise invalid("body/postedAt must be string")
        if len(posted_at) > 40:
            raise invalid("body/postedAt must NOT have more than 40 characters")
        job["postedAt"] = parse_date_time(posted_at)
        if job["postedAt"] is None:
            raise invalid('body/postedAt must match format "date-time"')
    if job["salaryMin"] is not None and job["salaryMax"] is not None and job["salaryMin"] > job["salaryMax"]:
        raise invalid("body/salaryMin must be <= body/salaryMax")
    return job


def _check_tags(tags: Any) -> list[str]:
    if not isinstance(tags, list):
        raise invalid("body/tags must be array")
    if len(tags) > LIMITS["tagsPerJob"]:
        raise invalid(f"body/tags must NOT have more than {LIMITS['tagsPerJob']} items")
    for i, tag in enumerate(tags):
        _check_text(f"body/tags/{i}", tag, LIMITS["tagChars"], "must not contain commas or NUL characters", "\x00,")
    if len(set(tags)) != len(tags):
        first: dict[str, int] = {}
        for i, tag in enumerate(tags):
            if tag in first:
                raise invalid(f"body/tags must NOT have duplicate items (items ## {first[tag]} and {i} are identical)")
            first[tag] = i
    return list(tags)


def _single(items: list[tuple[str, str]], allowed: tuple[str, ...]) -> dict[str, str]:
    """Query pairs into a dict: unknown or repeated parameters are 400s (Ajv sees an array)."""
    query: dict[str, str] = {}
    for key, value in items:
        if key not in allowed:
            raise invalid(f'querystring must NOT have the unknown property "{key[:64]}"')
        if key in query:
            raise invalid(f"querystring/{key} must be string")
        query[key] = value
    return query


def no_query(items: list[tuple[str, str]]) -> None:
    """Routes that take no query parameters (NoQuery)."""
    _single(items, ())


def parse_job_id(raw: str) -> int:
    """GET /jobs/:id: a positive integer that fits a bigint, no sign, no leading zero."""
    if len(raw) > 100:  # Fastify's maxParamLength
        raise invalid("A path parameter is too long")
    if not is_bigint_id(raw):
        raise invalid("params/id must be a positive integer that fits a bigint")
    return int(raw)


def parse_search(items: list[tuple[str, str]]) -> tuple[dict[str, Any], int, Optional[tuple[datetime, int]]]:
    """GET /jobs query parameters (SearchQuery) into filters, the page size and the keyset after."""
    query = _single(items, _SEARCH_PARAMS)
    filters: dict[str, Any] = {}
    for name, max_chars in (("q", LIMITS["queryChars"]), ("location", LIMITS["locationChars"]),
                            ("company", LIMITS["companyChars"])):
        if name in query:
            filters[name] = _check_text(f"querystring/{name}", query[name], max_chars)
    if "contract" in query:
        if query["contract"] not in CONTRACT_TYPES:
            raise invalid("querystring/contract must be equal to one of the allowed values")
        filters["contract"] = query["contract"]
    if "remote" in query:
        if query["remote"] not in ("true", "false"):
            raise invalid("querystring/remote must be equal to one of the allowed values")
        filters["remote"] = query["remote"] == "true"
    salary_message = f"querystring/salaryMin must be a whole number from 0 to {LIMITS['salaryMax']}"
    if "salaryMin" in query:
        if not _SALARY_QUERY.fullmatch(query["salaryMin"]) or int(query["salaryMin"]) > LIMITS["salaryMax"]:
            raise invalid(salary_message)
        filters["salaryMin"] = int(query["salaryMin"])
    if "tags" in query:
        if not _TAGS_QUERY.fullmatch(query["tags"]):
            raise invalid(f"querystring/tags must be 1 to {LIMITS['tagsPerQuery']} comma-separated tags of 1 to "
                          f"{LIMITS['tagChars']} characters, without NUL")
        filters["tags"] = list(dict.fromkeys(query["tags"].split(",")))
    limit = LIMITS["pageDefault"]
    if "limit" in query:
        if not _LIMIT_QUERY.fullmatch(query["limit"]):
            raise invalid(f"querystring/limit must be a whole number from 1 to {LIMITS['pageMax']}")
        limit = int(query["limit"])
    after = decode_cursor(query["cursor"]) if "cursor" in query else None
    return filters, limit, after
