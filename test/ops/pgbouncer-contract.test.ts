import { describe, it } from 'vitest';
import { findPgBouncer, startPgBouncer } from '../../bench/pgbouncer/start.ts';
import { describeContract } from '../repository/contract-suite.ts';

// The repository contract, once per adapter, with every call going through PgBouncer in transaction
// mode (expectations are still read directly). The adapters run as jobbench runs them there: no named
// prepared statements and no pipelining (bench/pgbouncer/start.ts, TARGET_ENV).
if (findPgBouncer() === null) {
  describe.skip('repository contract through PgBouncer (skipped: pgbouncer is not installed; apt-get install pgbouncer, as .ci/run does)', () => {
    it('needs pgbouncer', () => {});
  });
} else {
  await describeContract({
    name: 'PgBouncer (transaction mode)',
    async open(directUrl) {
      const pgbouncer = await startPgBouncer({ databaseUrl: directUrl, poolSize: 8, statementTimeoutMs: 30_000 });
      return { url: pgbouncer.url, config: { prepare: false, pipeline: false }, close: () => pgbouncer.stop() };
    },
  });
}
