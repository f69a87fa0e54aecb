"""Rows to the JSON bytes Fastify sends (src/http/schemas.ts serialized by fast-json-stringify):
same key order, no spaces, non-ASCII unescaped, integral floats without ".0"; the same seeded data
gives byte-identical bodies on every target."""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Any, Mapping, Optional, Sequence

from .cursor import encode_cursor, iso_ms
from .validation import CONTRACT_TYPES

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def to_job(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as every driver returns it (the column aliases of sql.JOB_COLUMNS) into the API's job."""
    posted_at = row["postedAt"]
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "company": row["company"],
        "location": row["location"],
        "contract": row["contract"],
        "remote": row["remote"],
        "salaryMin": row["salaryMin"],
        "salaryMax": row["salaryMax"],
        "tags": list(row["tags"]),
        "description": row["description"],
        "postedAt": iso_ms(posted_at) if isinstance(posted_at, datetime) else str(posted_at),
    }


def job_json(row: Mapping[str, Any]) -> bytes:
    return _dumps(to_job(row)).encode()


def page_json(rows: Sequence[Mapping[str, Any]], limit: int) -> bytes:
    """limit + 1 rows into the page and the cursor of its last row when more rows follow."""
    items = [to_job(r) for r in rows[:limit]]
    cursor: Optional[str] = None
    if len(rows) > limit and items:
        cursor = encode_cursor(items[-1]["postedAt"], items[-1]["id"])
    return _dumps({"items": items, "nextCursor": cursor}).encode()


def js_number(value: float) -> str:
    """A float as JavaScript's Number.prototype.toString prints it (ECMA-262 Number::toString):
    the same shortest digits as Python's repr, laid out by JavaScript's rules (50000 not 50000.0,
    1e-7 not 1e-07, 123456789012345680000 not 1.2345678901234568e+20)."""
    if not math.isfinite(value):
        raise ValueError("not a JSON number")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    # n: position of the decimal point relative to the first significant digit
    n = len(whole.lstrip("0")) + (int(exp) if exp else 0)
    if not whole.lstrip("0"):
        n = -(len(frac) - len(frac.lstrip("0"))) + (int(exp) if exp else 0)
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    e_text = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + (digits if k == 1 else digits[0] + "." + digits[1:]) + e_text


def _number_or_null(value: Any) -> str:
    return "null" if value is None else js_number(float(value))


def stats_json(row: Mapping[str, Any]) -> bytes:
    """The stats row into StatsSchema's JSON, every contract type present (toStats in sql.ts)."""
    raw = row["byContract"]
    by_contract = json.loads(raw) if isinstance(raw, str) else raw
    top = row["topLocations"]
    top_locations = json.loads(top) if isinstance(top, str) else top
    total = int(row["total"])
    share = 0.0 if total == 0 else int(row["remote"]) / total
    counts = ",".join(f'{_dumps(c)}:{int(by_contract.get(c, 0))}' for c in CONTRACT_TYPES)
    locations = _dumps([{"location": t["location"], "count": int(t["count"])} for t in top_locations])
    return (f'{{"total":{total},"byContract":{{{counts}}},"remoteShare":{js_number(share)},'
            f'"avgSalaryMin":{_number_or_null(row["avgSalaryMin"])},'
            f'"avgSalaryMax":{_number_or_null(row["avgSalaryMax"])},"topLocations":{locations}}}').encode()
