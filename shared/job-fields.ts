import type { ContractType } from './contract-types.ts';

/** The fields of a job posting that a client chooses: the API's Job adds id and postedAt (src/domain/job.ts). */
export interface JobFields {
  title: string;
  company: string;
  location: string;
  contract: ContractType;
  remote: boolean;
  salaryMin: number | null;
  salaryMax: number | null;
  tags: string[];
  description: string;
}
