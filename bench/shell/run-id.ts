import { randomBytes } from 'node:crypto';

/** A sortable, unique run id: 20261126-051502-3fa9 (UTC). */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
