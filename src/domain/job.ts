/** The job posting: the one entity of the reference API. */

import type { ContractType } from '../../shared/contract-types.ts';
import type { JobFields } from '../../shared/job-fields.ts';

/** Contract types, a closed set; every consumer enumerates this table. */
export { CONTRACT_TYPES, type ContractType } from '../../shared/contract-types.ts';

export interface Job extends JobFields {
  id: string; // bigint as a decimal string: JSON numbers lose precision past 2^53
  postedAt: string; // ISO 8601, UTC, millisecond precision
}

/** What a client sends to create a job; the server assigns id and postedAt unless given. */
export type NewJob = Omit<Job, 'id' | 'postedAt'> & { postedAt?: string };

export interface JobFilters {
  q?: string; // full-text query (websearch syntax)
  location?: string;
  company?: string;
  contract?: ContractType;
  remote?: boolean;
  salaryMin?: number; // jobs whose salaryMax reaches at least this
  tags?: string[]; // all of these tags
}

/** Keyset position: the last row of the previous page, newest first. */
export interface Keyset {
  postedAt: string;
  id: string;
}

export interface PageRequest {
  limit: number; // 1..100
  after?: Keyset;
}

export interface JobPage {
  items: Job[];
  next: Keyset | null;
}

export interface JobStats {
  total: number;
  byContract: Record<ContractType, number>;
  remoteShare: number; // 0..1
  avgSalaryMin: number | null;
  avgSalaryMax: number | null;
  topLocations: { location: string; count: number }[]; // at most 10, most jobs first, then by name
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}
