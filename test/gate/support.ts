import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../cli/support.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Short gate settings for tests: one adapter, one scenario, small windows, one look, and 8 rounds: the
 * fewest whose sign-flip test can pass Holm's first step over that cell's 4 timed checks (p < 0.05 / 4;
 * 2 / 2^8 = 0.0078, where 7 pairs give 0.016).
 */
// --disturbed-threshold 10000: the suite's other files run beside every gate here, and the foreign-CPU
// rule would (rightly) flag its windows disturbed and keep them out of the verdicts these tests check.
// The rule itself is tested in test/window/disturbed-run.test.ts.
export const SHORT = [
  '--rounds',
  '8',
  '--max-rounds',
  '8',
  '--warmup',
  '0.5',
  '--duration',
  '1',
  '--connections',
  '8',
].concat(['--quiet', '--disturbed-threshold', '10000']);

export function gate(args: string[], databaseUrl: string): Promise<CliResult> {
  return runCli(['gate', ...args], { env: { DATABASE_URL: databaseUrl }, cwd: REPO });
}

/**
 * A throwaway commit on top of HEAD that adds `file` under src/db/migrations/, made in a temporary
 * detached worktree (removed again before this returns). The commit stays reachable by sha only.
 */
export function throwawayMigrationCommit(file: string, sql: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-gate-ref-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  execFileSync('git', ['worktree', 'add', '--detach', dir, 'HEAD'], { cwd: REPO, stdio: 'ignore' });
  try {
    writeFileSync(join(dir, 'src', 'db', 'migrations', file), sql);
    git('add', join('src', 'db', 'migrations', file));
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', `test: ${file}`);
    return git('rev-parse', 'HEAD');
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: REPO, stdio: 'ignore' });
  }
}
