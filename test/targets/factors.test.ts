import { describe, expect, inject, it } from 'vitest';
import { checkConnectionRoom, readConnectionRoom } from '../../bench/db/connection-budget.ts';
import { plannedDbConnections, withFactors } from '../../bench/targets/factors.ts';
import type { TargetSpec } from '../../bench/targets/spec.ts';
import { cellKey } from '../../bench/schedule/cell.ts';
import { cellFieldsOf, labelOf } from '../../bench/schedule/outcome.ts';

const base = { poolMax: 40, metrics: 'on', via: 'direct' } as const;
const sync: TargetSpec = { ...base, adapter: 'fastapi-psycopg2', kind: 'fastapi', python: '/usr/bin/python3' };
const asyncpg: TargetSpec = { ...base, adapter: 'fastapi-asyncpg', kind: 'fastapi', python: '/usr/bin/python3' };
const blocking: TargetSpec = {
  ...base,
  adapter: 'fastapi-psycopg2-async',
  kind: 'fastapi',
  python: '/usr/bin/python3',
};

describe('target factors (--db-latency, --pool-max list, --threads, --workers)', () => {
  it('crosses every target with every latency and pool size, and only the sync target with threads', () => {
    const specs = withFactors([sync, asyncpg, blocking], {
      dbLatencyMs: [0, 50],
      poolMax: [10, 40],
      threads: [10, 40],
    });
    // 2 latencies × 2 pools × (2 thread settings for the sync target + 1 for each other)
    expect(specs).toHaveLength(2 * 2 * (2 + 1 + 1));
    const syncThreads = specs
      .filter((s) => s.adapter === 'fastapi-psycopg2')
      .map((s) => s.kind === 'fastapi' && s.fastapi?.threads);
    expect(new Set(syncThreads)).toEqual(new Set([10, 40]));
    expect(
      specs
        .filter((s) => s.adapter === 'fastapi-asyncpg')
        .every((s) => s.kind === 'fastapi' && s.fastapi?.threads === undefined),
    ).toBe(true);
  });

  it('gives each combination its own cell: latency and threads are dimensions of the cell identity', () => {
    const specs = withFactors([sync, asyncpg], { dbLatencyMs: [0, 10], threads: [10, 40], workers: [1, 2] });
    const load = { scenario: 'get-job' as const, connections: 16 };
    const keys = specs.map((s) => cellKey(cellFieldsOf(s, load, 'autocannon', labelOf({}, s, load))));
    expect(new Set(keys).size).toBe(specs.length);
    const cell = cellFieldsOf(specs[0]!, load, 'autocannon', undefined);
    expect(cell.dbLatencyMs).toBe(0);
  });

  it('leaves targets alone without factors', () => {
    expect(withFactors([sync, asyncpg], {})).toEqual([sync, asyncpg]);
  });

  it('adds pools × workers up when servers stay up, and takes the largest otherwise', () => {
    const specs = withFactors([sync, asyncpg], { workers: [1, 2] }); // 40, 80, 40, 80
    expect(plannedDbConnections(specs, true)).toBe(240);
    expect(plannedDbConnections(specs, false)).toBe(80);
  });
});

describe('PostgreSQL connection room', () => {
  it('refuses a plan over the free connections, with the numbers', () => {
    const room = { maxConnections: 100, reserved: 3, inUse: 7 }; // 90 free
    expect(() => checkConnectionRoom(room, 80, 'this plan')).not.toThrow(); // 80 + 10 harness = 90
    expect(() => checkConnectionRoom(room, 81, 'this plan')).toThrow(
      /this plan needs 81 PostgreSQL connections \(\+10 for the harness\) but this server has 90 free \(max_connections 100 − 3 reserved − 7 in use\)/,
    );
  });

  it('reads max_connections and what is in use from the server', async () => {
    const room = await readConnectionRoom(inject('databaseUrl'));
    expect(room.maxConnections).toBeGreaterThan(0);
    expect(room.inUse).toBeGreaterThanOrEqual(0);
    expect(room.reserved).toBeGreaterThanOrEqual(0);
  });
});
