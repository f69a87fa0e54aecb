import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { gate, REPO, SHORT, throwawayMigrationCommit } from './support.ts';

const JOBS = 10_000;
// The indexes search uses: the keyset order (ORDER BY posted_at DESC, id DESC LIMIT n), the full-text
// GIN and the filter indexes. Without them every search scans and sorts the table: much slower, with
// the same one query per request. All of them, so that the test holds on a machine shared by others.
const DROP_SEARCH_INDEXES = [
  'jobs_keyset_idx',
  'jobs_search_idx',
  'jobs_tags_idx',
  'jobs_location_idx',
  'jobs_company_idx',
  'jobs_contract_idx',
  'jobs_salary_idx',
]
  .map((i) => `DROP INDEX ${i};`)
  .join('\n');

describe('jobbench gate against a revision whose migration drops the search indexes', () => {
  let db: TestDatabase;
  let sha: string;
  beforeAll(async () => {
    db = await createTestDatabase({ jobs: JOBS });
    sha = throwawayMigrationCommit('003_drop_search_indexes.sql', DROP_SEARCH_INDEXES + '\n');
  });
  afterAll(async () => db?.drop());

  it('flags search: latency regressed, queries/request unchanged; each side ran its own migrations', async () => {
    const out = join(REPO, '.jobbench', `test-gate-index-${process.pid}`);
    const r = await gate(
      // --instructions off: a migration's change is the database's work, which callgrind on the API does not
      // see (counted here it read −0.08%, "same"); test/gate/gate-run.test.ts covers the count in a gate
      ['--base', 'HEAD', '--head', sha, ...SHORT, '--scenarios', 'search', '--jobs', String(JOBS), '--out', out].concat(
        ['--instructions', 'off'],
      ),
      db.url,
    );
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      /head: [0-9a-f]{40} \([0-9a-f]{12}\),\s+installed\s+by\s+symlink,\s+3\s+migrations\s[\s\S]*?003_drop_search_indexes/,
    );
    expect(r.stdout).toMatch(/base: HEAD .* 2 migrations/);
    const regressed = r.stdout.split('\n').filter((l) => /^REGRESSED\s+pg-pool/.test(l));
    expect(
      regressed.some((l) => /pg-pool\s+(p50 latency|req\/s)/.test(l)),
      r.stdout,
    ).toBe(true);
    expect(r.stdout).toMatch(/unchanged\s+pg-pool\s+queries\/request/);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.cells.every((c: { scenario: string }) => c.scenario === 'search')).toBe(true);
    // The throwaway commit's worktree is gone; only the sha remains, reachable by nothing.
    expect(execFileSync('git', ['worktree', 'list'], { cwd: REPO, encoding: 'utf8' })).not.toMatch(sha.slice(0, 7));
  }, 600_000);
});
