import pg from 'pg';
import { DB_UP_STATE_FILE, readDbUpState, removeDbUpState, writeDbUpState } from '../../bench/db/db-up-state.ts';
import { prepareDatabase } from '../../bench/db/prepare.ts';
import { serverVersion } from '../../bench/db/provision.ts';
import { DB_MODES } from '../../bench/db/types.ts';
import { onExitSync, onInterrupt } from '../../bench/host/lifecycle.ts';
import { isAlive } from '../../bench/host/procfs.ts';
import { redactText } from '../../bench/results/redact.ts';
import { readConfig, redactUrl } from '../../src/config.ts';
import { SEED_DEFAULTS } from '../../src/db/seed.ts';
import { HarnessError, oneLine } from '../../shared/harness-errors.ts';
import { enumFlag, intFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

const HELP = `Usage: jobbench db <up|status|down> [options]

  jobbench db up [--jobs N] [--seed S] [--db auto|external|embedded|docker] [--print-url] [--json]
      Provisions a database (DATABASE_URL if set, else an embedded PostgreSQL), migrates it and seeds
      it deterministically, then prints its connection URL with the password redacted.
      With DATABASE_URL it exits once seeded. A database it started (embedded, docker) stays up in
      the foreground until Ctrl-C; meanwhile ${DB_UP_STATE_FILE} (mode 0600) lets \`jobbench serve\`
      in another terminal of this folder reuse it. The file is removed on exit.
        --jobs N       jobs to seed (default ${SEED_DEFAULTS.jobs}); an unchanged seed and size is not reloaded
        --seed S       seed of the deterministic generator (default ${SEED_DEFAULTS.seed})
        --db MODE      auto (default), external (DATABASE_URL), embedded, docker (testcontainers)
        --print-url    print the full URL, password included, on stdout (for scripts; warns on stderr)
        --json         print {"url","kind","jobs","seed","seeded","pid"} on stdout (url redacted
                       unless --print-url)

  jobbench db status [--json]
      Reports the database \`serve\` would use without DATABASE_URL (a running \`db up\`), or the
      DATABASE_URL one: reachable or not, server version, seeded jobs. Exit 0 reachable, 1 not.

  jobbench db down
      Stops the database of a running \`jobbench db up\` (SIGTERM to its process) and waits for it.

Passwords never appear in the output except with --print-url.
Exit codes: 0 ok, 1 (status) no reachable database, 2 bad input or the database could not start.`;

async function describe(url: string): Promise<{ version: string; jobs: number | null; seed: number | null }> {
  const version = await serverVersion(url);
  const client = new pg.Client({
    connectionString: url,
    application_name: HARNESS_CONNECTIONS.status,
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const { rows } = await client
      .query<{ jobs: number; seed: number }>(
        "SELECT (SELECT count(*)::int FROM jobs) AS jobs, (SELECT seed FROM jobbench_seed_state) AS seed WHERE to_regclass('jobs') IS NOT NULL",
      )
      .catch(() => ({ rows: [] as { jobs: number; seed: number }[] }));
    return { version, jobs: rows[0]?.jobs ?? null, seed: rows[0]?.seed ?? null };
  } finally {
    await client.end();
  }
}

/** The flags of `db up` and of `db status` (`db down` takes none), as the parser takes them. */
const UP_OPTIONS = {
  jobs: { type: 'string' },
  seed: { type: 'string' },
  db: { type: 'string' },
  'print-url': { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies Options;
const STATUS_OPTIONS = { json: { type: 'boolean' } } as const satisfies Options;

async function up(argv: string[]): Promise<number> {
  const { values } = parse(argv, UP_OPTIONS);
  const mode = enumFlag('db', values.db, DB_MODES, 'auto');
  const jobs = intFlag('jobs', values.jobs, 0, 10_000_000) ?? SEED_DEFAULTS.jobs;
  const seedValue = intFlag('seed', values.seed, 0, 2_147_483_647) ?? SEED_DEFAULTS.seed;
  const config = readConfig(process.env);
  const log = (line: string) => process.stderr.write(line + '\n');

  let interrupted = false;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  onInterrupt(() => {
    interrupted = true;
    wake();
  });

  let lastPct = -1;
  const db = await prepareDatabase({
    databaseUrl: config.databaseUrl,
    mode,
    dbUp: 'refuse', // one `db up` per folder: the state file has room for one
    seed: { jobs, seed: seedValue },
    log,
    onSeedProgress: (done) => {
      const pct = Math.floor((100 * done) / Math.max(jobs, 1));
      if (pct >= lastPct + 10) (log(`seeding: ${done}/${jobs} jobs`), (lastPct = pct));
    },
  });

  const shownUrl = values['print-url'] ? db.url : redactUrl(db.url);
  if (values['print-url']) log('warning: the URL below contains the password; do not paste it into logs or reports');
  if (values.json) {
    process.stdout.write(
      JSON.stringify({
        url: shownUrl,
        kind: db.kind,
        jobs,
        seed: seedValue,
        seeded: db.seeded,
        pid: db.kind === 'external' ? null : process.pid,
      }) + '\n',
    );
  } else {
    process.stdout.write(shownUrl + '\n');
  }
  if (db.kind === 'external' || interrupted) return EXIT.ok;

  await writeDbUpState({
    url: db.url,
    pid: process.pid,
    kind: db.kind,
    jobs,
    seed: seedValue,
    startedAt: new Date().toISOString(),
  });
  onExitSync(() => removeDbUpState()); // even if this process dies on an error
  log(`${db.kind} PostgreSQL ready (state in ${DB_UP_STATE_FILE}); press Ctrl-C to stop`);
  await stopped;
  removeDbUpState();
  log('stopping the database…');
  return EXIT.ok; // main runs the cleanups that stop the database
}

async function status(argv: string[]): Promise<number> {
  const { values } = parse(argv, STATUS_OPTIONS);
  const config = readConfig(process.env);
  const state = readDbUpState();
  const source = config.databaseUrl
    ? { url: config.databaseUrl, from: 'DATABASE_URL', pid: null }
    : state
      ? { url: state.url, from: `jobbench db up (${state.kind})`, pid: state.pid }
      : null;
  if (!source) {
    if (values.json) process.stdout.write(JSON.stringify({ up: false }) + '\n');
    else process.stdout.write('no database: DATABASE_URL is unset and no `jobbench db up` is running here\n');
    return EXIT.gateFailed;
  }
  try {
    const info = await describe(source.url);
    const report = {
      up: true,
      from: source.from,
      pid: source.pid,
      url: redactUrl(source.url),
      version: info.version,
      jobs: info.jobs,
      seed: info.seed,
    };
    if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
    else {
      process.stdout.write(
        `${report.url}\n  from: ${report.from}${report.pid ? ` (pid ${report.pid})` : ''}\n  PostgreSQL ${report.version}\n`,
      );
      process.stdout.write(
        report.jobs === null
          ? '  not migrated yet\n'
          : `  ${report.jobs} jobs${report.seed === null ? '' : ` (seed ${report.seed})`}\n`,
      );
    }
    return EXIT.ok;
  } catch (err) {
    const message = redactText(oneLine(err instanceof HarnessError && err.cause ? err.cause : err));
    if (values.json)
      process.stdout.write(
        JSON.stringify({ up: false, from: source.from, url: redactUrl(source.url), error: message }) + '\n',
      );
    else process.stdout.write(`${redactUrl(source.url)} (from ${source.from}) does not answer: ${message}\n`);
    return EXIT.gateFailed;
  }
}

async function down(argv: string[]): Promise<number> {
  parse(argv, {});
  const state = readDbUpState();
  if (!state) {
    process.stderr.write('no `jobbench db up` is running here\n');
    return EXIT.ok;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(state.pid)) {
    process.stderr.write(`jobbench db down: pid ${state.pid} is still running after 30 s\n`);
    return EXIT.badInput;
  }
  process.stderr.write(`stopped the database of pid ${state.pid}\n`);
  return EXIT.ok;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { up, status, down };

export const command: Command = {
  options: { ...UP_OPTIONS, ...STATUS_OPTIONS },
  name: 'db',
  subcommands: ['up', 'status', 'down'],
  summary: 'db up | status | down: provision, migrate and seed a database (embedded unless DATABASE_URL)',
  help: HELP,
  async run(argv) {
    const [sub, ...rest] = argv;
    const handler = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler)
      throw new UsageError(
        sub === undefined
          ? 'missing subcommand: up, status or down'
          : `unknown subcommand "${sub}"; valid: up, status, down`,
      );
    return handler(rest);
  },
};
