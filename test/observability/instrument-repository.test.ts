import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/adapters/registry.ts';
import type { JobRepository } from '../../src/domain/job-repository.ts';
import { createMetrics, DB_OPERATIONS, instrumentRepository, METRIC, type Metrics } from '../../src/metrics/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { parseSamples, sumOf } from './exposition.ts';

const NEW_JOB = {
  title: 'Metrics engineer',
  company: 'Acme',
  location: 'Lyon',
  contract: 'full-time',
  remote: true,
  salaryMin: 50_000,
  salaryMax: 60_000,
  tags: ['prometheus'],
  description: 'Counts things.',
} as const;

describe('instrumentRepository (pg-pool on real PostgreSQL)', () => {
  let db: TestDatabase;
  let metrics: Metrics;
  let raw: JobRepository;
  let repo: JobRepository;

  beforeAll(async () => {
    db = await createTestDatabase({ jobs: 50 });
    raw = await createRepository('pg-pool', {
      url: db.url,
      poolMax: 2,
      connectTimeoutMs: 2_000,
      idleTimeoutMs: 10_000,
      statementTimeoutMs: 5_000,
      applicationName: 'jobbench:pg-pool',
    });
    metrics = createMetrics({
      adapter: 'pg-pool',
      poolMax: 2,
      version: '0',
      poolStats: () => raw.poolStats(),
      defaultMetrics: false,
    });
    repo = instrumentRepository(raw, metrics);
  });
  afterAll(async () => {
    await repo.close().catch(() => {});
    await db?.drop();
  });

  const samples = async () => parseSamples(await metrics.registry.metrics());

  it('times each port operation once per call, under its operation label', async () => {
    const created = await repo.create({ ...NEW_JOB, tags: [...NEW_JOB.tags] });
    expect(await repo.getById(created.id)).toEqual(created);
    await repo.getById('999999999');
    await repo.search({ q: 'engineer' }, { limit: 5 });
    await repo.stats();
    await repo.ping();
    const s = await samples();
    const count = (operation: string) => sumOf(s, `${METRIC.dbQueryDuration}_count`, { adapter: 'pg-pool', operation });
    expect(DB_OPERATIONS.map(count)).toEqual([1, 2, 1, 1, 1]);
    expect(sumOf(s, `${METRIC.dbQueryDuration}_sum`, { operation: 'stats' })).toBeGreaterThan(0);
  });

  it('counts a failure by its catalogue code, and still times it', async () => {
    const before = await samples();
    await expect(repo.getById('not-a-number')).rejects.toMatchObject({ code: 'JOBBENCH_ERR_VALIDATION' });
    const after = await samples();
    expect(sumOf(after, METRIC.dbErrors, { class: 'JOBBENCH_ERR_VALIDATION' })).toBe(1);
    const gets = (s: typeof after) => sumOf(s, `${METRIC.dbQueryDuration}_count`, { operation: 'get' });
    expect(gets(after) - gets(before)).toBe(1);
  });

  it('reports the driver pool gauges through poolStats', async () => {
    // pool.query destroys its client after a query error, so make sure one is open and idle again.
    await repo.ping();
    const s = await samples();
    expect(sumOf(s, METRIC.dbPoolConnections, { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sumOf(s, METRIC.dbPoolConnections, { state: 'total' })).toBeLessThanOrEqual(2);
    expect(sumOf(s, METRIC.dbPoolConnections, { state: 'idle' })).toBe(
      sumOf(s, METRIC.dbPoolConnections, { state: 'total' }),
    );
    expect(sumOf(s, METRIC.dbPoolConnections, { state: 'waiting' })).toBe(0);
  });

  it('counts errors that are not JobbenchErrors as "other"', async () => {
    await repo.close();
    await expect(repo.ping()).rejects.toBeDefined();
    const s = await samples();
    const classes = s.filter((x) => x.name === METRIC.dbErrors && x.value > 0).map((x) => x.labels.class);
    expect(classes).toContain('JOBBENCH_ERR_VALIDATION');
    expect(classes.some((c) => c === 'other' || c === 'JOBBENCH_ERR_DB_UNAVAILABLE')).toBe(true);
    expect(sumOf(s, `${METRIC.dbQueryDuration}_count`, { operation: 'ping' })).toBe(3);
  });
});
