/**
 * How a target's endpoints reach the database, and what then bounds the requests it has in flight
 * (L: database time per request; DESIGN.md "The ADR's question is conditional"). targets/fastapi/config.py
 * STYLES is the same table for the Python side. Consumers enumerate this table.
 */
export const TARGET_STYLES = {
  sync: {
    what: "blocking driver calls in a pool of threads (FastAPI `def` endpoints in Starlette's thread pool)",
    bound: 'threads / L',
  },
  async: {
    what: 'an async driver awaited on the event loop (`async def` endpoints)',
    bound: 'pool / L',
  },
  blocking: {
    what: 'a sync driver called on the event loop (`async def` endpoints that block it): the anti-pattern ADR-003 describes',
    bound: '1 / (L + CPU per request)',
  },
} as const satisfies Record<string, { what: string; bound: string }>;

export type TargetStyle = keyof typeof TARGET_STYLES;
export const TARGET_STYLE_NAMES = Object.keys(TARGET_STYLES) as TargetStyle[];
