"""fastapi-psycopg2, the ADR's "before": SQLAlchemy's sync engine over psycopg2, called from sync
`def` endpoints that Starlette runs in its thread pool. Works with SQLAlchemy 1.4 and 2.0."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from sqlalchemy import create_engine

from .config import Config
from .sql import to_format_style


class Psycopg2Repository:
    def __init__(self, config: Config) -> None:
        self.engine = create_engine(
            config.database_url.replace("postgresql://", "postgresql+psycopg2://", 1).replace(
                "postgres://", "postgresql+psycopg2://", 1),
            future=True,  # 2.0-style API on 1.4; accepted (and the only mode) on 2.0
            pool_size=config.pool_max,
            max_overflow=0,  # the same number of connections as every other target, never more
            pool_timeout=config.connect_timeout_ms / 1000,  # s: waiting for a free connection
            pool_reset_on_return=None,  # autocommit: nothing to roll back (pg Pool resets nothing)
            # Autocommit like node-postgres: one round trip per statement, no BEGIN/ROLLBACK around it.
            isolation_level="AUTOCOMMIT",
            connect_args={
                "application_name": config.application_name,
                "connect_timeout": max(2, round(config.connect_timeout_ms / 1000)),  # libpq: whole s, min 2
                "options": f"-c statement_timeout={config.statement_timeout_ms}",
            },
        )

    # A list holding one tuple: SQLAlchemy 1.4 reads a bare tuple whose first value is iterable (the
    # tags list) as many parameter sets; a one-item list is a single execution on 1.4 and 2.0 alike.
    def fetch(self, text: str, values: Sequence[Any]) -> Sequence[Mapping[str, Any]]:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(to_format_style(text, values), [tuple(values)]).mappings().all()

    def pool_stats(self) -> Optional[dict[str, int]]:
        pool = self.engine.pool
        # QueuePool exposes no waiting count.
        return {"total": pool.checkedin() + pool.checkedout(), "idle": pool.checkedin()}

    def statement_cache(self) -> dict[str, Any]:
        return {"statementCacheSize": None,
                "statementCache": "none: psycopg2 interpolates parameters client-side (simple query protocol)"}

    def open(self) -> None:
        pass  # SQLAlchemy connects lazily, like pg Pool

    def close(self) -> None:
        self.engine.dispose()


def create_repository(config: Config) -> Psycopg2Repository:
    return Psycopg2Repository(config)
