import type { Job, JobFilters, JobPage, JobStats, NewJob, PageRequest, PoolStats } from './job.ts';

/** The port: what the API needs from storage. Interfaces only; no driver is imported here. */
export interface JobRepository {
  /** Inserts a job and returns it as stored (id and postedAt assigned). */
  create(input: NewJob): Promise<Job>;
  /** Returns the job with this id, or null when there is none. */
  getById(id: string): Promise<Job | null>;
  /** Returns one page of matching jobs, newest first (postedAt desc, id desc). */
  search(filters: JobFilters, page: PageRequest): Promise<JobPage>;
  /** Aggregates over all jobs. */
  stats(): Promise<JobStats>;
  /** Round-trips to the database; rejects when it cannot. */
  ping(): Promise<void>;
  /** Pool gauges as the driver reports them, or null when the driver cannot tell. */
  poolStats(): PoolStats | null;
  /** Drains and closes the pool; further calls reject. */
  close(): Promise<void>;
}

/** The same knobs for every adapter, so that differences in results come from the driver. */
export interface DbConfig {
  url: string;
  poolMax: number;
  connectTimeoutMs: number; // also the acquire timeout: how long a request waits for a connection
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  applicationName: string; // jobbench:<adapter>, visible in pg_stat_activity
  prepare?: boolean; // named prepared statements where the driver makes them (postgres.js); default true, false behind PgBouncer in transaction mode
  pipeline?: boolean; // pipelining queries onto a busy connection where the driver does it (postgres.js); default true, false behind PgBouncer in transaction mode
}
