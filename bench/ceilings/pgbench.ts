/**
 * The DB ceiling with pgbench, for the scenarios whose parameters pgbench's `\set` can make (numbers
 * only): get-job (its own query, src/adapters/sql.ts GET_JOB, on random seeded ids) and stats (no
 * parameters). Prepared (-M prepared), one client per connection of the cell. Search's text, location
 * and tag parameters, and create's generated bodies, go through the driver loop (driver-loop.ts).
 *
 * Why not `pgbench -S`: it reads one integer from pgbench_accounts, a table `pgbench -i` would have to
 * create and fill first; the custom script reads the same row width, through the same index, with the
 * same SQL text as the API's point lookup, so "get-job is N% of the DB ceiling" compares like with like.
 */
import { execFile } from 'node:child_process';
import { GET_JOB, STATS } from '../../src/adapters/sql.ts';
import { redactArgv } from '../results/redact.ts';
import type { DbCeiling } from '../results/ceilings.ts';

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ');

/** The pgbench script of a scenario, or undefined when `\set` cannot make its parameters. */
export function pgbenchScript(scenario = 'get-job'): string | undefined {
  // get-job: GET_JOB with its $1 bound to a random id in 1..:jobs (the catalog's rng.int(1, jobCount)).
  if (scenario === 'get-job') return `\\set id random(1, :jobs)\n${oneLine(GET_JOB).replace('$1', ':id')};\n`;
  if (scenario === 'stats') return `${oneLine(STATS)};\n`;
  return undefined;
}

export function pgbenchArgs(opts: {
  scriptPath: string;
  clients: number;
  threads: number;
  durationS: number; // whole seconds
  jobCount: number;
  databaseUrl: string;
}): string[] {
  return [
    '--no-vacuum', // there are no pgbench tables to vacuum
    '--protocol=prepared',
    `--client=${opts.clients}`,
    `--jobs=${Math.max(1, Math.min(opts.threads, opts.clients))}`,
    `--time=${opts.durationS}`,
    `--define=jobs=${opts.jobCount}`,
    `--file=${opts.scriptPath}`,
    opts.databaseUrl, // libpq takes a connection URI where a database name goes
  ];
}

/** pgbench 15's summary lines: transactions processed, average latency (ms), tps. */
export function parsePgbenchOutput(
  stdout: string,
  clients: number,
  durationS: number,
  scenario = 'get-job',
): DbCeiling {
  const num = (re: RegExp, what: string): number => {
    const m = re.exec(stdout);
    if (!m) throw new Error(`pgbench: no ${what} in its output:\n${stdout.trim().split('\n').slice(-8).join('\n')}`);
    return Number(m[1]);
  };
  const transactions = num(/number of transactions actually processed: (\d+)/, 'transaction count');
  const script = pgbenchScript(scenario);
  return {
    scenario,
    method: 'pgbench',
    protocol: 'prepared',
    ...(script === undefined ? {} : { script }),
    calls: { [scenario]: transactions }, // one statement per transaction
    distinctStatements: 1,
    clients,
    durationS,
    transactions,
    transactionsPerSec: num(/tps = ([\d.]+)/, 'tps'),
    latencyAvgUs: num(/latency average = ([\d.]+) ms/, 'average latency') * 1000,
  };
}

export function runPgbench(
  bin: string,
  args: string[],
  signal?: AbortSignal,
  password = '',
  onSpawn?: (pid: number) => void, // e.g. to read its CPU set back while it runs
): Promise<string> {
  const env = password ? { ...process.env, PGPASSWORD: password } : process.env;
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { signal, env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      // The message holds the command line, URL included: redacted.
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      if (err) reject(new Error(redactArgv([`pgbench failed: ${err.message}\n${tail}`])[0]));
      else resolve(stdout);
    });
    if (onSpawn)
      child.once('spawn', () => {
        try {
          if (child.pid !== undefined) onSpawn(child.pid);
        } catch {
          // pgbench already exited (it failed at once): its error says why, not the read-back
        }
      });
  });
}
