/**
 * The probes of a real measured window (bench/window/measure.ts) against a bare HTTP server that counts
 * what it is asked, on a real PostgreSQL: the harness's requests as the server saw them, one database
 * connection per window (a lost one recorded and replaced), and the cleanup when a probe fails to start
 * or to stop. The load tool is a stand-in that sends nothing: every request the server sees is a probe's.
 * Correctness only: counts and order, never timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadRunner, WindowMeasurement } from '../../bench/runners/types.ts';
import { createLatencyHistogram, encodeHistogram } from '../../bench/stats/histogram.ts';
import type { Target } from '../../bench/targets/spec.ts';
import { measureWindow, type WindowArgs } from '../../bench/window/measure.ts';
import type { Probe } from '../../bench/window/probe.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const PROFILE = { nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] };
const METRICS = [
  'http_requests_total{method="GET",route="/jobs/:id",status_code="200"} 40',
  'http_requests_in_flight 0',
  'jobbench_db_query_duration_seconds_count{operation="get"} 40',
].join('\n');

/** Answers the routes the probes read, and counts every request by path (query string apart). */
function bareServer(): { server: Server; hits: Map<string, number>; total(): number } {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const send = (status: number, body: string) => res.writeHead(status).end(body);
    if (path.startsWith('/internal/process'))
      send(200, JSON.stringify({ eventLoop: { maxDelayMs: 1.5 }, poolStats: { total: 2, idle: 1, waiting: 1 } }));
    else if (path === '/metrics') send(200, METRICS);
    else if (path === '/internal/profile/start' && req.method === 'POST') send(200, '{}');
    else if (path === '/internal/profile/stop' && req.method === 'POST') send(200, JSON.stringify(PROFILE));
    else send(404, '');
  });
  return { server, hits, total: () => [...hits.values()].reduce((a, b) => a + b, 0) };
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A load tool that sends nothing: it lets `during` run, then reports an empty window. */
function standIn(during: () => Promise<void> = async () => {}): LoadRunner & { calls: number } {
  const runner = {
    tool: 'autocannon' as const,
    calls: 0,
    async run(_window: unknown, _signal?: AbortSignal, hooks?: { onStart?: () => void }): Promise<WindowMeasurement> {
      runner.calls++;
      hooks?.onStart?.();
      await during();
      const histogram = encodeHistogram(createLatencyHistogram());
      return {
        durationS: 1,
        requests: 0,
        statusCodes: {},
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        bytes: 0,
        histogram,
        generatorCpuUs: 0,
      };
    },
  };
  return runner;
}

function recording(log: string[], name: string, fail?: 'start' | 'stop'): Probe {
  return {
    name,
    async start() {
      log.push(`start ${name}`);
      if (fail === 'start') throw new Error(`${name} cannot start`);
    },
    async stop() {
      log.push(`stop ${name}`);
      if (fail === 'stop') throw new Error(`${name} cannot stop`);
      return {};
    },
  };
}

describe('the probes of a real window', () => {
  let db: TestDatabase;
  let bare: ReturnType<typeof bareServer>;
  let target: Target;
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-window-probes-'));
  beforeAll(async () => {
    db = await createTestDatabase();
    bare = bareServer();
    await new Promise<void>((r) => bare.server.listen(0, '127.0.0.1', r));
    const { port } = bare.server.address() as AddressInfo;
    target = { baseUrl: `http://127.0.0.1:${port}`, pid: process.pid, stop: async () => {} };
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => bare?.server.close(r));
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const window = (runner: LoadRunner, extra: Partial<WindowArgs> = {}): WindowArgs => ({
    round: 1,
    target,
    spec: { adapter: 'pg-pool', poolMax: 10, metrics: 'on', via: 'direct' },
    load: { scenario: 'get-job', connections: 1 },
    runner,
    settings: { warmupS: 0, durationS: 1, timeoutS: 5, seed: 1, jobCount: 10 },
    databaseUrl: db.url,
    ...extra,
  });
  const harnessBackends = async () =>
    (
      await db.query<{ application_name: string }>(
        "SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'jobbench:%'",
      )
    ).map((r) => r.application_name);
  /** A closed connection leaves pg_stat_activity when its backend has exited: allow it a moment. */
  const noHarnessBackend = async () => {
    for (let i = 0; i < 50 && (await harnessBackends()).length > 0; i++) await pause(50);
    return harnessBackends();
  };

  it('records as many requests to the server as the server saw, by probe', async () => {
    bare.hits.clear();
    const { round } = await measureWindow(
      window(
        standIn(() => pause(2_500)),
        { settings: { warmupS: 0, durationS: 1, timeoutS: 5, seed: 1, jobCount: 10, cpuProfile: { dir } } },
      ),
    );
    const h = (path: string) => bare.hits.get(path) ?? 0;
    expect(round.harness!.serverRequests).toBe(bare.total());
    const { queries = 0, 'db-work': dbWork = 0, ...others } = round.harness!.serverRequestsByProbe;
    expect(others).toEqual({
      'event-loop': h('/internal/process?reset=1') + h('/internal/process'),
      profile: h('/internal/profile/start') + h('/internal/profile/stop'),
    });
    // /metrics is read once at each edge and shared by the queries and db-work probes: whichever asks
    // first sends the request, so only their sum is fixed.
    expect(queries + dbWork).toBe(h('/metrics'));
    expect(h('/metrics')).toBe(2);
    expect(h('/internal/process?reset=1')).toBe(1); // the event loop's window starts once
    expect(h('/internal/profile/start')).toBe(1);
    expect(h('/internal/profile/stop')).toBe(1);
    expect(h('/metrics')).toBe(2); // start and end, no request in flight at either
    expect(round.eventLoopMaxDelayMs).toBe(1.5);
    expect(round.poolWaitingMax).toBe(1);
    expect(round.queriesPerRequest).toBe(0); // the counters did not move: no request served
    expect(round.harness!.dbStatements).toBeGreaterThanOrEqual(3); // backends at start, for cpu, at the end
    expect(round.harness!.serverRequestsPerSec).toBeCloseTo(round.harness!.serverRequests / round.harness!.wallS, 1);
  }, 30_000);

  // --sample-interval: the periodic probes' period is the window's setting, not a constant
  it.each([
    [60_000, (n: number) => expect(n).toBe(2)], // the reset at the start and the last read at the stop, nothing between
    [100, (n: number) => expect(n).toBeGreaterThan(2)], // and reads between them, however late the timers fire
  ])(
    'samples the event loop at the start, every %i ms, and at the stop',
    async (sampleIntervalMs, check) => {
      bare.hits.clear();
      const { round } = await measureWindow(
        window(
          standIn(() => pause(1_000)),
          { settings: { warmupS: 0, durationS: 1, timeoutS: 5, seed: 1, jobCount: 10, sampleIntervalMs } },
        ),
      );
      const reads = (bare.hits.get('/internal/process?reset=1') ?? 0) + (bare.hits.get('/internal/process') ?? 0);
      check(reads);
      expect(round.harness!.serverRequestsByProbe['event-loop']).toBe(reads);
    },
    30_000,
  );

  it('holds one PostgreSQL connection, and records a lost one and replaces it', async () => {
    let during: string[] = [];
    let after: string[] = [];
    const { lost, round } = await measureWindow(
      window(
        standIn(async () => {
          during = await harnessBackends();
          await db.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'jobbench:sampler' AND datname = current_database()",
          );
          await pause(2_500); // the next samples reconnect
          after = await harnessBackends();
        }),
      ),
    );
    expect(during).toEqual(['jobbench:sampler']);
    expect(after).toEqual(['jobbench:sampler']);
    expect(lost.some((l) => /^sampler lost PostgreSQL: terminating connection/.test(l))).toBe(true);
    expect(round.dbBackends).toBe(0); // no backend of jobbench:pg-pool here, counted after the loss too
    expect(await noHarnessBackend()).toEqual([]);
  }, 30_000);

  it('a probe that throws in start leaves the probes started before it stopped in reverse, and no backend behind', async () => {
    const log: string[] = [];
    const runner = standIn();
    await expect(
      measureWindow(
        window(runner, {
          probes: [recording(log, 'a'), recording(log, 'b'), recording(log, 'c', 'start'), recording(log, 'd')],
        }),
      ),
    ).rejects.toThrow(/^c cannot start$/);
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop b', 'stop a']);
    expect(runner.calls).toBe(0); // no load without its observers
    expect(await noHarnessBackend()).toEqual([]);
    const seen = bare.total();
    await pause(1_500); // longer than a sampling interval: a sampler left running would ask again
    expect(bare.total()).toBe(seen);
  }, 30_000);

  it('a probe that throws in stop does not keep the others from stopping', async () => {
    const log: string[] = [];
    await expect(
      measureWindow(
        window(standIn(), { probes: [recording(log, 'a'), recording(log, 'b', 'stop'), recording(log, 'c')] }),
      ),
    ).rejects.toThrow(/^probe failed to stop: b: b cannot stop$/);
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    expect(await noHarnessBackend()).toEqual([]);
    const seen = bare.total();
    await pause(1_500);
    expect(bare.total()).toBe(seen);
  }, 30_000);
});
