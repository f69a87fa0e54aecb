"""fastapi-psycopg3, the ADR's alternative 2: async psycopg 3 through psycopg_pool's
AsyncConnectionPool, called from `async def` endpoints.

The pool is used directly, not SQLAlchemy's `postgresql+psycopg` dialect: SQLAlchemy 1.4 (Debian 12)
has no psycopg 3 dialect, and one code path on every machine keeps results comparable across them.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from .config import Config
from .sql import to_format_style


class Psycopg3Repository:
    def __init__(self, config: Config) -> None:
        self.statement_cache_size = config.statement_cache_size
        self.pool = AsyncConnectionPool(
            config.database_url,
            open=False,  # opened on startup, inside the event loop
            min_size=0,  # connect on demand, like pg Pool and SQLAlchemy
            max_size=config.pool_max,  # no overflow
            timeout=config.connect_timeout_ms / 1000,  # s: waiting for a free connection
            max_idle=config.idle_timeout_ms / 1000,  # s
            configure=self.configure,
            kwargs={
                "autocommit": True,  # one round trip per statement, as node-postgres
                "row_factory": dict_row,
                "application_name": config.application_name,
                "connect_timeout": max(2, round(config.connect_timeout_ms / 1000)),  # libpq: whole s, min 2
                "options": f"-c statement_timeout={config.statement_timeout_ms}",
            },
        )

    async def fetch(self, text: str, values: Sequence[Any]) -> Sequence[Mapping[str, Any]]:
        async with self.pool.connection() as conn:
            cursor = await conn.execute(to_format_style(text, values), tuple(values))
            return await cursor.fetchall()

    async def statement_cache(self) -> dict[str, Any]:
        async with self.pool.connection() as conn:
            return {"statementCacheSize": conn.prepared_max, "prepareThreshold": conn.prepare_threshold,
                    "statementCache": "psycopg 3's prepared_max: statements prepared per connection, LRU, each "
                                      "after prepare_threshold executions (None: never)"}

    def pool_stats(self) -> Optional[dict[str, int]]:
        stats = self.pool.get_stats()
        return {"total": stats.get("pool_size", 0), "idle": stats.get("pool_available", 0),
                "waiting": stats.get("requests_waiting", 0)}

    async def configure(self, conn: AsyncConnection[Any]) -> None:
        """--statement-cache-size: psycopg 3's prepared_max (its default: 100); 0 prepares nothing."""
        size = self.statement_cache_size
        if size == 0:
            conn.prepare_threshold = None
        elif size is not None:
            conn.prepared_max = size

    async def open(self) -> None:
        await self.pool.open()

    async def close(self) -> None:
        await self.pool.close()


def create_repository(config: Config) -> Psycopg3Repository:
    return Psycopg3Repository(config)
