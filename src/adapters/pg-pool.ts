import type { DbConfig, JobRepository } from '../domain/job-repository.ts';
import { mapped } from './db-errors.ts';
import { createPgPool } from './pg-pool-options.ts';
import { GET_JOB, INSERT_JOB, PING, STATS, insertParams, searchStatement, toJob, toPage, toStats } from './sql.ts';

/** node-postgres Pool: the default driver of the Node ecosystem. */
export function createPgPoolRepository(config: DbConfig) {
  const pool = createPgPool(config);

  return {
    async create(input) {
      const { rows } = await mapped(pool.query(INSERT_JOB, insertParams(input)));
      return toJob(rows[0]);
    },
    async getById(id) {
      const { rows } = await mapped(pool.query(GET_JOB, [id]));
      return rows[0] ? toJob(rows[0]) : null;
    },
    async search(filters, page) {
      const { text, values } = searchStatement(filters, page);
      const { rows } = await mapped(pool.query(text, values));
      return toPage(rows, page.limit);
    },
    async stats() {
      const { rows } = await mapped(pool.query(STATS));
      return toStats(rows[0]);
    },
    async ping() {
      await mapped(pool.query(PING));
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      await pool.end();
    },
  } satisfies JobRepository;
}
