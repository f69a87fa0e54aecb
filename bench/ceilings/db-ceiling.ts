/** The DB ceiling: pgbench when installed (PATH or PGBENCH_BIN), else the pg driver loop. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureDriverLoop } from './driver-loop.ts';
import { parsePgbenchOutput, pgbenchArgs, pgbenchScript, runPgbench } from './pgbench.ts';
import type { DbCeiling, DbCeilingMethod } from './types.ts';
import { findBinary } from '../tools/which.ts';

export function findPgbench(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findBinary('pgbench', env.PGBENCH_BIN, env.PATH);
}

export async function measureDbCeiling(opts: {
  databaseUrl: string; // a database seeded with jobCount jobs
  clients: number;
  durationS: number;
  jobCount: number;
  method?: DbCeilingMethod; // default: pgbench when found
  pgbenchBin?: string;
  signal?: AbortSignal;
}): Promise<DbCeiling> {
  const bin = opts.pgbenchBin ?? findPgbench();
  if ((opts.method ?? (bin ? 'pgbench' : 'driver-loop')) === 'driver-loop') return measureDriverLoop(opts);
  if (!bin) throw new Error('pgbench not found (set PGBENCH_BIN or install postgresql-client)');
  const dir = await mkdtemp(join(tmpdir(), 'jobbench-pgbench-'));
  try {
    const scriptPath = join(dir, 'get-job.sql');
    await writeFile(scriptPath, pgbenchScript());
    const url = new URL(opts.databaseUrl);
    url.searchParams.set('application_name', 'jobbench:ceiling');
    // The password goes through PGPASSWORD, never on the command line (/proc/<pid>/cmdline is world-readable).
    const password = decodeURIComponent(url.password);
    url.password = '';
    const durationS = Math.max(1, Math.round(opts.durationS)); // pgbench --time takes whole seconds
    const threads = availableParallelism();
    const args = pgbenchArgs({ ...opts, durationS, scriptPath, threads, databaseUrl: url.toString() });
    return parsePgbenchOutput(await runPgbench(bin, args, opts.signal, password), opts.clients, durationS);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
