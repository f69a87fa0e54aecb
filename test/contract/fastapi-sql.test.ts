import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GET_JOB, INSERT_JOB, JOB_COLUMNS, PING, STATS, searchStatement } from '../../src/adapters/sql.ts';
import type { JobFilters } from '../../src/domain/job.ts';
import { findPython, pythonSettings } from '../../bench/targets/python.ts';

// Same SQL on every target (a fairness rule): targets/fastapi/sql.py must hold the text of
// src/adapters/sql.ts, character for character, and build the same search statements.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const probe = await findPython({ modules: [], label: 'targets/fastapi/sql.py', ...pythonSettings() });

const SEARCHES: { filters: JobFilters; limit: number; after?: { postedAt: string; id: string } }[] = [
  { filters: {}, limit: 20 },
  {
    filters: {
      q: 'engineer',
      location: 'Paris',
      company: 'Globex',
      contract: 'full-time',
      remote: true,
      salaryMin: 1,
      tags: ['go', 'sql'],
    },
    limit: 100,
    after: { postedAt: '2025-01-01T00:00:00.000Z', id: '7' },
  },
  { filters: { tags: ['go'] }, limit: 1, after: { postedAt: '2025-01-01T00:00:00.000Z', id: '7' } },
  { filters: { tags: [] }, limit: 5 },
];

const PRINT = `
import json, sys
from targets.fastapi import sql
searches = json.loads(sys.argv[1])
out = {name: getattr(sql, name) for name in ("JOB_COLUMNS", "INSERT_JOB", "GET_JOB", "STATS", "PING")}
out["search"] = [sql.search_statement(s["filters"], s["limit"], (s["after"]["postedAt"], int(s["after"]["id"])) if s.get("after") else None)[0] for s in searches]
print(json.dumps(out))
`;

describe.skipIf(!probe.ok)(`targets/fastapi/sql.py${probe.ok ? '' : ` (skipped: ${probe.reason})`}`, () => {
  it('holds the SQL text of src/adapters/sql.ts and builds the same search statements', () => {
    const python = probe.ok ? probe.interpreter.path : 'python3';
    const out = JSON.parse(
      execFileSync(python, ['-c', PRINT, JSON.stringify(SEARCHES)], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PYTHONDONTWRITEBYTECODE: '1' },
      }),
    );
    expect(out).toEqual({
      JOB_COLUMNS,
      INSERT_JOB,
      GET_JOB,
      STATS,
      PING,
      search: SEARCHES.map(
        (s) => searchStatement(s.filters, s.after ? { limit: s.limit, after: s.after } : { limit: s.limit }).text,
      ),
    });
  });
});
