"""fastapi-psycopg2-async, the anti-pattern ADR-003's text describes ("requêtes synchrones bloquant
l'event loop FastAPI"): SQLAlchemy's sync engine over psycopg2, called directly inside `async def`
endpoints. Every query holds the event loop for its whole round trip: while one request waits on
PostgreSQL, no other request of the worker, not even GET /health, is read or answered.

The repository is fastapi-psycopg2's (same engine, pool and settings); only the call differs.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from .config import Config
from .driver_psycopg2 import Psycopg2Repository


class BlockingPsycopg2Repository:
    def __init__(self, config: Config) -> None:
        self.sync = Psycopg2Repository(config)

    async def fetch(self, text: str, values: Sequence[Any]) -> Sequence[Mapping[str, Any]]:
        # Deliberately no run_in_threadpool / to_thread: this call blocks the event loop (the point).
        return self.sync.fetch(text, values)

    def pool_stats(self) -> Optional[dict[str, int]]:
        return self.sync.pool_stats()

    async def statement_cache(self) -> dict[str, Any]:
        return self.sync.statement_cache()

    async def open(self) -> None:
        self.sync.open()

    async def close(self) -> None:
        self.sync.close()


def create_repository(config: Config) -> BlockingPsycopg2Repository:
    return BlockingPsycopg2Repository(config)
