/**
 * The one builder of results-file objects for tests: a Round, a Cell and a Results with plain defaults,
 * typed by the persisted types (bench/results/), so that a new required field is added here once rather
 * than in every test. A test passes what it is about and leaves the rest to the defaults; the defaults'
 * key order is the type's, so that a generated fixture file keeps its layout.
 */
import type { Cell, Environment, LatencyUs, Results, Round } from '../../bench/results/types.ts';
import { encodeHistogram, percentilesUs, type Histogram } from '../../bench/stats/histogram.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';

/** One window of 100 requests in 1 s, all 200, measured by a server that used 100 µs of CPU each. */
export function makeRound(overrides: Partial<Round> = {}): Round {
  return {
    round: 1,
    durationS: 1,
    requests: 100,
    requestsPerSec: 100,
    bytesPerSec: 0,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: { '200': overrides.requests ?? 100 },
    latencyUs: { p50: 1000, p90: 2000, p95: 3000, p99: 4000, p999: 5000, max: 6000 },
    histogram: '', // no histogram: merged percentiles are left out
    serverCpuUsPerRequest: 100,
    serverRssBytes: 1,
    eventLoopMaxDelayMs: 1,
    poolWaitingMax: null,
    dbBackends: 1,
    generatorCpuPercent: 10,
    generatorBound: false,
    ...overrides,
  };
}

/** A round's latency fields from a recorded histogram: the percentiles and the encoded histogram. */
export function latencyOf(h: Histogram): { latencyUs: LatencyUs; histogram: string } {
  return { latencyUs: percentilesUs(h), histogram: encodeHistogram(h) };
}

/** A cell of pg-pool under get-job (one default round unless given), its summary computed from its rounds. */
export function makeCell(overrides: Partial<Cell> = {}): Cell {
  const { rounds = [makeRound()], summary, ...rest } = overrides;
  return {
    adapter: 'pg-pool',
    scenario: 'get-job',
    tool: 'autocannon',
    connections: 10,
    poolMax: 10,
    rounds,
    summary: summary ?? summarizeCell(rounds),
    ...rest,
  };
}

export const TEST_ENVIRONMENT: Environment = {
  cpuModel: 'Fixture CPU @ 2.50GHz',
  cpus: 2,
  memoryBytes: 8 * 1024 ** 3,
  os: 'Linux 6.1.0 x64',
  node: 'v20.19.0',
  postgres: '15.8',
  drivers: { pg: '8.13.1', postgres: '3.4.5' },
  gitCommit: '1111111111111111111111111111111111111111',
};

/** A complete run of the given cells (none by default). */
export function makeResults(overrides: Partial<Results> = {}): Results {
  return {
    schemaVersion: 1,
    runId: 'fixture-1',
    status: 'complete',
    startedAt: '2025-01-15T10:00:00.000Z',
    finishedAt: '2025-01-15T10:05:00.000Z',
    command: ['jobbench', 'run', '--profile', 'quick'],
    config: {},
    environment: structuredClone(TEST_ENVIRONMENT),
    cells: [],
    ...overrides,
  };
}
