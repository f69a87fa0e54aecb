"""POST bodies as Fastify takes them: JSON only (415 otherwise), at most the body limit (413), valid
JSON without prototype-pollution keys (400 BAD_JSON). A FastAPI dependency, so that it runs in the
event loop even for the sync `def` endpoints."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from .errors import JobbenchError

_NOTHING = object()


def _reject_constant(_name: str) -> None:
    raise ValueError("NaN and Infinity are not JSON")


def _check_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """secure-json-parse's rules (Fastify's default): a __proto__ key, or a constructor object with a
    prototype key, makes the whole body a BAD_JSON."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key == "__proto__":
            raise JobbenchError("JOBBENCH_ERR_BAD_JSON")
        obj[key] = value
    ctor = obj.get("constructor")
    if isinstance(ctor, dict) and "prototype" in ctor:
        raise JobbenchError("JOBBENCH_ERR_BAD_JSON")
    return obj


def parse_json(raw: bytes) -> Any:
    if raw.strip(b" \t\r\n") == b"":
        raise JobbenchError("JOBBENCH_ERR_BAD_JSON")
    try:
        text = raw.decode("utf-8")
        return json.loads(text, object_pairs_hook=_check_keys, parse_constant=_reject_constant)
    except RecursionError:
        # Valid JSON nested past Python's recursion limit: never a valid job (depth 2), so what the
        # schema would say about it: a VALIDATION error, as the Node targets answer.
        raise JobbenchError("JOBBENCH_ERR_VALIDATION", "body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise JobbenchError("JOBBENCH_ERR_BAD_JSON") from None


def make_json_body(limit_bytes: int):
    """The dependency: the parsed body, or None when there is none (then the schema says 400)."""

    async def json_body(request: Request) -> Any:
        content_type = request.headers.get("content-type")
        length = request.headers.get("content-length")
        chunked = "transfer-encoding" in request.headers
        if content_type is None and (length in (None, "0")) and not chunked:
            return None
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            raise JobbenchError("JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE")
        if length is not None and length.isdigit() and int(length) > limit_bytes:
            raise JobbenchError("JOBBENCH_ERR_BODY_TOO_LARGE")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit_bytes:
                raise JobbenchError("JOBBENCH_ERR_BODY_TOO_LARGE")
            chunks.append(chunk)
        return parse_json(b"".join(chunks))

    return json_body
