import type { ColumnType, Generated } from 'kysely';
import type { ContractType } from '../domain/job.ts';

/** The jobs table as Kysely sees it (src/db/migrations/001_jobs.sql), values as pg returns them. */
export interface JobsTable {
  id: Generated<string>; // bigint: pg returns int8 as a string
  title: string;
  company: string;
  location: string;
  contract: ContractType;
  remote: boolean;
  salary_min: number | null;
  salary_max: number | null;
  tags: string[];
  description: string;
  posted_at: ColumnType<Date, string | undefined, string>; // pg parses timestamptz into a Date
  search: ColumnType<string, never, never>; // generated tsvector: read by @@, never written
}

export interface Database {
  jobs: JobsTable;
}
