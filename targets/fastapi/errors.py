"""The error catalogue of src/errors.ts (same codes, statuses and fixed messages), and driver errors
mapped onto it the way src/adapters/db-errors.ts maps them."""

from __future__ import annotations

import asyncio
from typing import Optional

ERRORS: dict[str, tuple[int, str]] = {
    "JOBBENCH_ERR_VALIDATION": (400, "The request is invalid"),
    "JOBBENCH_ERR_BAD_CURSOR": (400, "The cursor is not one this API issued"),
    "JOBBENCH_ERR_BAD_JSON": (400, "The request body is not valid JSON"),
    "JOBBENCH_ERR_BODY_TOO_LARGE": (413, "The request body is larger than the limit"),
    "JOBBENCH_ERR_UNSUPPORTED_MEDIA_TYPE": (415, "The request body must be application/json"),
    "JOBBENCH_ERR_NOT_FOUND": (404, "No job has this id"),
    "JOBBENCH_ERR_ROUTE_NOT_FOUND": (404, "No such route"),
    "JOBBENCH_ERR_DB_UNAVAILABLE": (503, "The database is unavailable or the pool is exhausted; retry later"),
    "JOBBENCH_ERR_DB_TIMEOUT": (503, "The query ran past the statement timeout"),
    "JOBBENCH_ERR_INTERNAL": (500, "Unexpected error"),
}

RETRY_AFTER_S = 1  # seconds, on every 503 (src/http/error-reply.ts)

# SQLSTATEs that mean "the database cannot serve this now" (503), as in src/adapters/db-errors.ts.
_UNAVAILABLE_SQLSTATES = {"53300", "53400", "57P01", "57P02", "57P03", "55P03"}
# Invalid values that reach the server (400): bad text representation, out of range, check violation,
# bad datetime format or field, NUL byte.
_VALIDATION_SQLSTATES = {"22P02", "22003", "23514", "22007", "22008", "22021"}


class JobbenchError(Exception):
    """The one error class: callers tell errors apart by `code`."""

    def __init__(self, code: str, message: Optional[str] = None) -> None:
        status, fixed = ERRORS[code]
        super().__init__(message or fixed)
        self.code = code
        self.status = status
        self.message = message or fixed


def _sqlstate(err: BaseException) -> Optional[str]:
    """The SQLSTATE wherever the driver or SQLAlchemy put it (pgcode, sqlstate, .orig, __cause__)."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        for attr in ("sqlstate", "pgcode"):
            code = getattr(e, attr, None)
            if isinstance(code, str) and len(code) == 5:
                return code
        for nxt in (getattr(e, "orig", None), e.__cause__, e.__context__):
            if isinstance(nxt, BaseException):
                todo.append(nxt)
    return None


def _is_unavailable(err: BaseException) -> bool:
    """Pool timeouts, refused or lost connections, whatever the driver calls them."""
    if isinstance(err, (OSError, asyncio.TimeoutError, ConnectionError)):
        return True
    names = {cls.__name__ for cls in type(err).__mro__}
    # sqlalchemy.exc.TimeoutError (QueuePool), psycopg_pool.PoolTimeout / PoolClosed, DB-API
    # OperationalError / InterfaceError (connection refused, closed), asyncpg's connection errors.
    unavailable = {"TimeoutError", "PoolTimeout", "PoolClosed", "OperationalError", "InterfaceError",
                   "DisconnectionError", "ConnectionDoesNotExistError", "InterfaceWarning",
                   "ConnectionFailureError", "CannotConnectNowError", "TooManyConnectionsError"}
    if names & unavailable:
        return True
    orig = getattr(err, "orig", None)
    return isinstance(orig, BaseException) and orig is not err and _is_unavailable(orig)


def map_db_error(err: BaseException) -> BaseException:
    """A driver error as a JobbenchError, or the error itself when it is a bug (then a 500)."""
    if isinstance(err, JobbenchError):
        return err
    code = _sqlstate(err) or ""
    if code == "57014":
        return JobbenchError("JOBBENCH_ERR_DB_TIMEOUT")
    if code in _UNAVAILABLE_SQLSTATES or code.startswith("08"):
        return JobbenchError("JOBBENCH_ERR_DB_UNAVAILABLE")
    if code in _VALIDATION_SQLSTATES:
        return JobbenchError("JOBBENCH_ERR_VALIDATION", _primary_message(err))
    if not code and _is_unavailable(err):
        return JobbenchError("JOBBENCH_ERR_DB_UNAVAILABLE")
    return err


def _primary_message(err: BaseException) -> str:
    """The server's primary message alone (libpq-based drivers append DETAIL and CONTEXT lines)."""
    e: BaseException = getattr(err, "orig", None) or err
    primary = getattr(getattr(e, "diag", None), "message_primary", None)
    if isinstance(primary, str) and primary:
        return primary
    text = str(getattr(e, "message", None) or e).split("\n")[0]
    for prefix in ("ERROR:", "FATAL:", "PANIC:"):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
    return text
