import type { JobRepository } from '../domain/job-repository.ts';
import { isJobbenchError } from '../errors.ts';
import type { Metrics } from './create-metrics.ts';
import { OTHER_ERROR_CLASS, type DbOperation } from './names.ts';

/** `class` label of jobbench_db_errors_total: the catalogue code, or "other" (bounded either way). */
export function errorClass(err: unknown): string {
  return isJobbenchError(err) ? err.code : OTHER_ERROR_CLASS;
}

/**
 * A JobRepository that times every port operation into jobbench_db_query_duration_seconds and
 * counts failures by class into jobbench_db_errors_total. The duration includes the wait for a
 * pool connection: that wait is what a request pays when the pool is too small. Series are
 * resolved once here, so each call costs two clock reads and one histogram observation.
 */
export function instrumentRepository(repo: JobRepository, metrics: Metrics): JobRepository {
  const { adapter, dbQueryDuration, dbErrors } = metrics;

  const timed = <A extends unknown[], R>(operation: DbOperation, call: (...args: A) => Promise<R>) => {
    const series = dbQueryDuration.series({ adapter, operation });
    return async (...args: A): Promise<R> => {
      const startMs = performance.now();
      try {
        return await call(...args);
      } catch (err) {
        dbErrors.inc({ adapter, class: errorClass(err) });
        throw err;
      } finally {
        series.observe((performance.now() - startMs) / 1_000);
      }
    };
  };

  return {
    create: timed('create', (input) => repo.create(input)),
    getById: timed('get', (id) => repo.getById(id)),
    search: timed('search', (filters, page) => repo.search(filters, page)),
    stats: timed('stats', () => repo.stats()),
    ping: timed('ping', () => repo.ping()),
    poolStats: () => repo.poolStats(),
    close: () => repo.close(),
  } satisfies JobRepository;
}
