"""The opaque pagination cursor of src/cursor.ts, byte for byte: base64url (no padding) of the JSON
`["<postedAt ISO, ms, Z>","<id>"]`, decoded just as strictly (anything not issued here is a 400)."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone

from .errors import JobbenchError

MAX_CURSOR_CHARS = 128  # an encoded keyset is about 60 characters
MAX_BIGINT = 9_223_372_036_854_775_807  # PostgreSQL bigint
# [0-9], not \d: Python's \d also matches non-ASCII digits. fullmatch: $ would allow a trailing \n.
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_ISO_MS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
_ID = re.compile(r"[1-9][0-9]{0,18}")


def is_bigint_id(text: str) -> bool:
    """True when `text` is a positive decimal integer that fits a PostgreSQL bigint."""
    return _ID.fullmatch(text) is not None and int(text) <= MAX_BIGINT


def iso_ms(moment: datetime) -> str:
    """Date.prototype.toISOString(): UTC, milliseconds (truncated), Z."""
    u = moment.astimezone(timezone.utc)
    return (f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
            f".{u.microsecond // 1000:03d}Z")


def encode_cursor(posted_at: str, job_id: str) -> str:
    # JSON.stringify of two plain strings: no spaces; the values never need escaping.
    raw = json.dumps([posted_at, job_id], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _bad() -> JobbenchError:
    return JobbenchError("JOBBENCH_ERR_BAD_CURSOR")


def _reject_constant(_name: str) -> None:
    raise ValueError("NaN and Infinity are not JSON")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The keyset (postedAt as an aware datetime, id) inside a cursor encode_cursor issued."""
    if not 0 < len(cursor) <= MAX_CURSOR_CHARS or not _BASE64URL.fullmatch(cursor):
        raise _bad()
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except ValueError:
        raise _bad() from None
    # Like the Node check: re-encoding must give back the exact input (no stray bits, no padding).
    if base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii") != cursor:
        raise _bad()
    try:
        value = json.loads(data.decode("utf-8", "replace"), parse_constant=_reject_constant)
    except ValueError:
        raise _bad() from None
    if not isinstance(value, list) or len(value) != 2:
        raise _bad()
    posted_at, job_id = value
    if not isinstance(posted_at, str) or not isinstance(job_id, str):
        raise _bad()
    if not _ISO_MS.fullmatch(posted_at) or not is_bigint_id(job_id):
        raise _bad()
    try:
        # Rejects impossible dates the pattern lets through (2025-02-30, 25:00). Year 0000, which a JS
        # Date accepts, is rejected here: Python's datetime starts at year 1.
        moment = datetime.strptime(posted_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        raise _bad() from None
    if iso_ms(moment) != posted_at:
        raise _bad()
    return moment, int(job_id)
