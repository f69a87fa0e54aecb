"""fastapi-asyncpg, the ADR's "after": SQLAlchemy's asyncio engine (create_async_engine) over asyncpg,
called from `async def` endpoints. Works with SQLAlchemy 1.4 and 2.0."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from sqlalchemy.ext.asyncio import create_async_engine

from .config import Config
from .sql import for_paramstyle


class AsyncpgRepository:
    def __init__(self, config: Config) -> None:
        self.engine = create_async_engine(
            config.database_url.replace("postgresql://", "postgresql+asyncpg://", 1).replace(
                "postgres://", "postgresql+asyncpg://", 1),
            pool_size=config.pool_max,
            max_overflow=0,  # the same number of connections as every other target, never more
            pool_timeout=config.connect_timeout_ms / 1000,  # s: waiting for a free connection
            pool_reset_on_return=None,  # autocommit: nothing to roll back
            isolation_level="AUTOCOMMIT",  # one round trip per statement, as node-postgres
            connect_args={
                "timeout": config.connect_timeout_ms / 1000,  # s: asyncpg's connect timeout
                # SQLAlchemy's own cache of prepared statements per connection (its default: 100);
                # SQLAlchemy prepares through asyncpg's prepare(), which bypasses asyncpg's cache.
                **({} if config.statement_cache_size is None
                   else {"prepared_statement_cache_size": config.statement_cache_size}),
                "server_settings": {
                    "application_name": config.application_name,
                    "statement_timeout": str(config.statement_timeout_ms),  # ms
                },
            },
        )
        # "format" on SQLAlchemy 1.4 (the adapter rewrites %s as $n), "numeric_dollar" on 2.0.
        self.paramstyle: str = self.engine.dialect.paramstyle

    # A list holding one tuple: SQLAlchemy 1.4 reads a bare tuple whose first value is iterable (the
    # tags list) as many parameter sets; a one-item list is a single execution on 1.4 and 2.0 alike.
    async def fetch(self, text: str, values: Sequence[Any]) -> Sequence[Mapping[str, Any]]:
        # The adapter prepares each statement once per connection and caches it (100 by default).
        async with self.engine.connect() as conn:
            result = await conn.exec_driver_sql(for_paramstyle(text, values, self.paramstyle), [tuple(values)])
            return result.mappings().all()

    def pool_stats(self) -> Optional[dict[str, int]]:
        pool = self.engine.sync_engine.pool
        return {"total": pool.checkedin() + pool.checkedout(), "idle": pool.checkedin()}

    async def statement_cache(self) -> dict[str, Any]:
        async with self.engine.connect() as conn:
            fairy = await conn.get_raw_connection()
            adapted = getattr(fairy, "dbapi_connection", None) or fairy.connection  # 2.0, 1.4
            cache = adapted._prepared_statement_cache  # util.LRUCache, or None when the size is 0
        size = 0 if cache is None else cache.capacity
        return {"statementCacheSize": size,
                "statementCache": "SQLAlchemy's asyncpg adapter (prepared_statement_cache_size): prepared statements "
                                  f"per connection, LRU; it prunes back to {size} once it holds more than "
                                  f"{int(size * 1.5)} (SQLAlchemy's LRUCache threshold 0.5)"}

    async def open(self) -> None:
        pass  # connects lazily

    async def close(self) -> None:
        await self.engine.dispose()


def create_repository(config: Config) -> AsyncpgRepository:
    return AsyncpgRepository(config)
