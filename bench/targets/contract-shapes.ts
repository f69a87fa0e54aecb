/**
 * The JSON shapes of the job API contract (docs/readme/api.md), as field -> type, for the quick probe
 * at the start of a run (bench/targets/contract-probe.ts). The full contract is test/contract/.
 */
export type FieldType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'number|null' | 'string|null';
export type Shape = Readonly<Record<string, FieldType>>;

export const JOB_SHAPE: Shape = {
  id: 'string',
  title: 'string',
  company: 'string',
  location: 'string',
  contract: 'string',
  remote: 'boolean',
  salaryMin: 'number|null',
  salaryMax: 'number|null',
  tags: 'array',
  description: 'string',
  postedAt: 'string',
};
export const PAGE_SHAPE: Shape = { items: 'array', nextCursor: 'string|null' };
export const STATS_SHAPE: Shape = {
  total: 'number',
  byContract: 'object',
  remoteShare: 'number',
  avgSalaryMin: 'number|null',
  avgSalaryMax: 'number|null',
  topLocations: 'array',
};
export const HEALTH_SHAPE: Shape = { status: 'string' };
export const ERROR_SHAPE: Shape = { code: 'string', message: 'string' };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** What differs between `value` and `shape`: missing fields, extra fields, wrong types ("" when it fits). */
export function shapeDifferences(value: unknown, shape: Shape, where: string): string[] {
  if (typeOf(value) !== 'object') return [`${where}: expected a JSON object, got ${typeOf(value)}`];
  const obj = value as Record<string, unknown>;
  const out: string[] = [];
  for (const [field, type] of Object.entries(shape)) {
    if (!(field in obj)) out.push(`${where}: field "${field}" is missing (${type})`);
    else if (!type.split('|').includes(typeOf(obj[field])))
      out.push(`${where}: field "${field}" is ${typeOf(obj[field])}, expected ${type}`);
  }
  for (const field of Object.keys(obj))
    if (!(field in shape)) out.push(`${where}: field "${field}" is not in the contract`);
  return out;
}
