"""fastapi-asyncpg-raw: asyncpg's own pool (asyncpg.create_pool), no SQLAlchemy, called from `async def`
endpoints. Beside fastapi-asyncpg (SQLAlchemy's asyncio engine over the same driver) it tells the cost
of the driver from the cost of the ORM layer."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import asyncpg

from .config import Config


class AsyncpgRawRepository:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.pool: Optional[asyncpg.Pool] = None

    async def fetch(self, text: str, values: Sequence[Any]) -> Sequence[Mapping[str, Any]]:
        assert self.pool is not None, "open() runs at startup"
        # acquire's timeout is the pool wait (asyncio.TimeoutError: a 503, as the other targets' pool
        # timeouts); $n placeholders are asyncpg's own, so the SQL text is sent as written.
        async with self.pool.acquire(timeout=self.config.connect_timeout_ms / 1000) as conn:
            return await conn.fetch(text, *values)

    def pool_stats(self) -> Optional[dict[str, int]]:
        if self.pool is None:
            return None
        return {"total": self.pool.get_size(), "idle": self.pool.get_idle_size()}

    async def statement_cache(self) -> dict[str, Any]:
        assert self.pool is not None
        async with self.pool.acquire() as conn:
            # asyncpg's per-connection LRU of prepared statements; no public getter, hence the fallback.
            cache = getattr(conn, "_stmt_cache", None)
            size = cache.get_max_size() if cache is not None else self.config.statement_cache_size
        return {"statementCacheSize": size,
                "statementCache": "asyncpg's statement_cache_size: prepared statements per connection, LRU"}

    async def open(self) -> None:
        c = self.config
        self.pool = await asyncpg.create_pool(
            c.database_url,
            min_size=0,  # connect on demand, like pg Pool and SQLAlchemy
            max_size=c.pool_max,  # no overflow
            max_inactive_connection_lifetime=c.idle_timeout_ms / 1000,  # s, as the psycopg 3 pool's max_idle
            timeout=c.connect_timeout_ms / 1000,  # s: connect timeout
            # asyncpg's own default (100) unless set; 0 turns the cache off.
            **({} if c.statement_cache_size is None else {"statement_cache_size": c.statement_cache_size}),
            server_settings={
                "application_name": c.application_name,
                "statement_timeout": str(c.statement_timeout_ms),  # ms
            },
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()


def create_repository(config: Config) -> AsyncpgRawRepository:
    return AsyncpgRawRepository(config)
