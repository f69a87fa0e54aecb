/**
 * The HTTP ceiling's helpers: N processes of one tool measured as one (connections split, counts summed,
 * histograms merged), and plain wrk's summary as the scripts read it.
 */
import { describe, expect, it } from 'vitest';
import { parallelRunner } from '../../bench/ceilings/parallel-runner.ts';
import type { LoadRunner, LoadWindow, WindowMeasurement } from '../../bench/runners/types.ts';
import {
  createLatencyHistogram,
  decodeHistogram,
  encodeHistogram,
  recordLatencyUs,
} from '../../bench/stats/histogram.ts';
import { parsePlainWrk, plainWrkArgs } from '../../scripts/lib/plain-wrk.ts';

/** A stand-in tool: each process answers `connections × 100` requests of 1 ms, and reports what it was given. */
function standIn(seen: LoadWindow[]): LoadRunner {
  return {
    tool: 'autocannon',
    async run(window): Promise<WindowMeasurement> {
      seen.push(window);
      const h = createLatencyHistogram();
      recordLatencyUs(h, 1_000, window.connections * 100);
      return {
        durationS: 1 + window.connections / 100,
        requests: window.connections * 100,
        statusCodes: { '200': window.connections * 100 },
        errors: 0,
        timeouts: 0,
        non2xx: 0,
        bytes: window.connections * 1_000,
        histogram: encodeHistogram(h),
        generatorCpuUs: 500_000,
      };
    },
  };
}

const window: LoadWindow = {
  baseUrl: 'http://127.0.0.1:1',
  scenario: 'health',
  durationS: 1,
  seed: 7,
  jobCount: 1,
  connections: 5,
  timeoutS: 10,
};

describe('parallelRunner', () => {
  it('splits the connections without losing one, and measures the processes as one', async () => {
    const seen: LoadWindow[] = [];
    const m = await parallelRunner(standIn(seen), 3).run(window);
    expect(seen.map((w) => w.connections)).toEqual([2, 2, 1]);
    expect(seen.map((w) => w.seed)).toEqual([7, 8, 9]); // each process its own request sequence
    expect(m.requests).toBe(500);
    expect(m.statusCodes).toEqual({ '200': 500 });
    expect(m.bytes).toBe(5_000);
    expect(m.generatorCpuUs).toBe(1_500_000); // summed: ÷ processes for one process's share
    expect(m.durationS).toBe(1.02);
    expect(decodeHistogram(m.histogram).totalCount).toBe(500);
  });

  it('never starts a process without a connection', async () => {
    const seen: LoadWindow[] = [];
    await parallelRunner(standIn(seen), 4).run({ ...window, connections: 2 });
    expect(seen.map((w) => w.connections)).toEqual([1, 1]);
  });
});

describe('plain wrk (scripts/lib/plain-wrk.ts)', () => {
  it('runs with no script, the given threads, connections and timeout', () => {
    expect(plainWrkArgs('http://h/health', { threads: 2, connections: 16, durationS: 5 })).toEqual([
      ...['-t', '2', '-c', '16', '-d', '5s', '--timeout', '10s', 'http://h/health'],
    ]);
  });

  it("reads wrk 4's summary, errors included", () => {
    const out = [
      'Running 5s test @ http://127.0.0.1:3000/health',
      '  1 threads and 16 connections',
      '  184233 requests in 5.00s, 33.38MB read',
      '  Socket errors: connect 0, read 2, write 0, timeout 1',
      '  Non-2xx or 3xx responses: 4',
      'Requests/sec:  36842.61',
    ].join('\n');
    expect(parsePlainWrk(out)).toEqual({ requests: 184233, durationS: 5, requestsPerSec: 36842.61, errors: 7 });
    expect(() => parsePlainWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/no summary/);
  });
});
