import { CONTRACT_TYPES } from './contract-types.ts';
import type { JobFields } from './job-fields.ts';
import type { Rng } from './prng.ts';
import { COMPANIES, DESCRIPTION_WORDS, LOCATIONS, ROLES, SENIORITY, TAGS } from './vocabulary.ts';

// Seeded data spans the two years before this fixed instant, so that the same seed gives the same rows
// whatever the day (a moving "now" would break determinism).
export const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);
const TWO_YEARS_MS = 730 * 24 * 3600 * 1000;

// Weights of contract types, in CONTRACT_TYPES order: most postings are full-time.
const CONTRACT_WEIGHTS = [0.6, 0.1, 0.15, 0.08, 0.07];

function weighted<T>(rng: Rng, items: readonly T[], weights: readonly number[]): T {
  let r = rng.next();
  for (let i = 0; i < items.length; i++) {
    r -= weights[i]!;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

function pickDistinct<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < count) chosen.add(rng.pick(items));
  return [...chosen];
}

/** A generated posting: the API's NewJob (src/domain/job.ts) with its date always set. */
export interface GeneratedJob extends JobFields {
  postedAt: string; // ISO 8601, UTC
}

/** One realistic job posting, a pure function of the PRNG state. Plain code: k6 imports it too. */
export function generateJob(rng: Rng): GeneratedJob {
  const role = rng.pick(ROLES);
  const seniority = rng.pick(SENIORITY);
  const contract = weighted(rng, CONTRACT_TYPES, CONTRACT_WEIGHTS);
  const hasSalary = rng.chance(0.8);
  const base = contract === 'internship' ? rng.int(12, 25) * 1000 : rng.int(35, 120) * 1000;
  const salaryMin = hasSalary ? base : null;
  const salaryMax = hasSalary ? base + rng.int(0, 40) * 1000 : null;
  const words = Array.from({ length: rng.int(20, 45) }, () => rng.pick(DESCRIPTION_WORDS));
  return {
    title: seniority ? `${seniority} ${role}` : role,
    company: rng.pick(COMPANIES),
    location: rng.pick(LOCATIONS),
    contract,
    remote: rng.chance(0.35),
    salaryMin,
    salaryMax,
    tags: pickDistinct(rng, TAGS, rng.int(1, 5)),
    description: `We are hiring a ${role.toLowerCase()} to work on ${words.join(' ')}.`,
    postedAt: new Date(SEED_EPOCH_MS - Math.floor(rng.next() * TWO_YEARS_MS)).toISOString(),
  };
}
