/**
 * The closed set of contract types. It lives here, with no imports, because the job generator (shared
 * by the seeder, the load generators and the k6 scripts) needs it; src/domain/job.ts re-exports it.
 */
export const CONTRACT_TYPES = ['full-time', 'part-time', 'contract', 'internship', 'freelance'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
