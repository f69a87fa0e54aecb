import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_CODES } from '../src/errors.ts';

// As fastify's test/internals/errors.test.js does: the catalogue and its documentation cannot drift.
const DOC = new URL('../docs/readme/api.md', import.meta.url);

function documentedErrors(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\|\s*`(JOBBENCH_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*\S/.exec(line);
    if (m) {
      expect(rows.has(m[1]!), `${m[1]} is documented twice`).toBe(false);
      rows.set(m[1]!, Number(m[2]));
    }
  }
  return rows;
}

describe('the error catalogue', () => {
  const documented = documentedErrors();

  it.each(ERROR_CODES)('documents %s with its HTTP status and when it happens', (code) => {
    expect(documented.get(code), `${code} is missing from the error table of docs/readme/api.md`).toBe(
      ERRORS[code].status,
    );
  });

  it('documents no code that the catalogue does not have', () => {
    expect([...documented.keys()].filter((code) => !Object.hasOwn(ERRORS, code))).toEqual([]);
  });

  it('uses stable JOBBENCH_ERR_ codes, each with a message and an HTTP error status', () => {
    for (const [code, { status, message }] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^JOBBENCH_ERR_[A-Z_]+$/);
      expect(message.length).toBeGreaterThan(0);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
