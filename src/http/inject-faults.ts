import type { FastifyInstance } from 'fastify';
import type { JobRepository } from '../domain/job-repository.ts';

/**
 * Fault injection for calibrating the regression gate (docs/readme/gate.md): known, documented
 * regressions a gate must catch. Both are off by default and then cost nothing: the hook is not
 * registered and the repository is not wrapped.
 */

/** JOBBENCH_INJECT_CPU_US: burns `cpuUs` µs of CPU on the event loop in every request's onRequest hook. */
export function injectCpu(app: FastifyInstance, cpuUs: number): void {
  const spinNs = BigInt(Math.round(cpuUs * 1_000));
  app.addHook('onRequest', (_request, _reply, done) => {
    const end = process.hrtime.bigint() + spinNs;
    while (process.hrtime.bigint() < end) {
      // busy-wait: the point is to cost CPU, as slower code on the request path would
    }
    done();
  });
}

/** The last result of the injected work, kept so that the optimising compiler cannot drop the loop. */
export const injectedWorkSink = { value: 0 };

/**
 * JOBBENCH_INJECT_WORK: `iterations` turns of a fixed integer loop (a linear congruential step) in every
 * request's onRequest hook. Unlike JOBBENCH_INJECT_CPU_US it costs the same number of instructions every
 * time, whatever the machine's speed or load: what calibrates the gate's instructions-per-request metric.
 */
export function injectWork(app: FastifyInstance, iterations: number): void {
  app.addHook('onRequest', (_request, _reply, done) => {
    let x = injectedWorkSink.value | 0;
    for (let i = 0; i < iterations; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    injectedWorkSink.value = x;
    done();
  });
}

/**
 * JOBBENCH_INJECT_QUERIES: `queries` extra round trips (`SELECT 1`, the port's ping) before every
 * operation that touches the database. Wraps the instrumented repository, so the server's query
 * counter (jobbench_db_query_duration_seconds, operation "ping") sees each of them: an N+1 made on purpose.
 */
export function injectQueries(repo: JobRepository, queries: number): JobRepository {
  const before = async () => {
    for (let i = 0; i < queries; i++) await repo.ping();
  };
  return {
    create: async (input) => (await before(), repo.create(input)),
    getById: async (id) => (await before(), repo.getById(id)),
    search: async (filters, page) => (await before(), repo.search(filters, page)),
    stats: async () => (await before(), repo.stats()),
    ping: () => repo.ping(),
    poolStats: () => repo.poolStats(),
    close: () => repo.close(),
  } satisfies JobRepository;
}
