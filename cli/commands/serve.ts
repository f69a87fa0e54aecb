import cluster from 'node:cluster';
import { prepareDatabase } from '../../bench/db/prepare.ts';
import { DB_MODES } from '../../bench/db/types.ts';
import { onInterrupt } from '../../bench/host/lifecycle.ts';
import { ADAPTER_NAMES } from '../../src/adapters/registry.ts';
import { CLUSTER_WORKERS_ENV, startClusterPrimary } from '../../src/cluster/primary.ts';
import { serveClusterWorker } from '../../src/cluster/serve-worker.ts';
import { readConfig, type Config } from '../../src/config.ts';
import { SEED_DEFAULTS } from '../../src/db/seed.ts';
import { startServer } from '../../src/server.ts';
import { enumFlag, intFlag, parse } from '../args.ts';
import { EXIT, type Command, type Options } from '../command.ts';
import { EXIT_WITH_STDIN_ENV, exitWithStdin } from '../../bench/host/parent-watch.ts';

const HELP = `Usage: jobbench serve --adapter <${ADAPTER_NAMES.join('|')}> [options]

Serves the job API (migrating the database first if needed) until SIGINT or SIGTERM, then stops
gracefully: no new connections, in-flight requests finish, the pool closes; exit code 0.

Options:
  --adapter NAME     ${ADAPTER_NAMES.join(', ')} (default pg-pool; env JOBBENCH_ADAPTER)
  --port N           TCP port, 0 for a free one (default 3000; env PORT)
  --host H           interface to listen on (default 127.0.0.1; env HOST)
  --pool-max N       connection pool size (default 10; env JOBBENCH_POOL_MAX), per process
  --workers N        N worker processes (node:cluster) behind one port, each with its own adapter: with
                     pg-sync, N blocking connections, the Node analogue of gunicorn's sync workers; with a
                     pooled adapter, N pools of --pool-max (N × pool-max connections). The primary only
                     forwards connections (round-robin on Linux); /metrics and /internal/process answer
                     for the whole cluster. Default 1: one process, no cluster
  --db MODE          where the database comes from (default auto):
                       auto      DATABASE_URL if set, else the database of a running \`jobbench db up\`,
                                 else an embedded PostgreSQL started (and seeded) for this server's lifetime
                       external  DATABASE_URL only
                       embedded  always start an embedded PostgreSQL
                       docker    a PostgreSQL container through testcontainers (needs Docker)
  --jobs N           seed N jobs (default ${SEED_DEFAULTS.jobs} on a database this command starts; on an existing
                     database, seeding happens only when --jobs or --seed is given)
  --seed S           seed of the deterministic generator (default ${SEED_DEFAULTS.seed})
  --metrics on|off   Prometheus metrics at GET /metrics (default on; env JOBBENCH_METRICS)
  --log-level L      fatal, error, warn, info, debug (request logs), trace, silent (default warn)
  --shed             load shedding: while the event loop's mean delay is past --shed-max-delay-ms, answer
                     503 JOBBENCH_ERR_OVERLOADED with Retry-After before any work (default off; env JOBBENCH_SHED)
  --shed-max-delay-ms N  the threshold in ms (default 200; env JOBBENCH_SHED_MAX_DELAY_MS); docs/readme/shedding.md
  --json             when ready, print one JSON line on stdout: {"event":"listening","url",...}

Other settings come from the environment: JOBBENCH_CONNECT_TIMEOUT_MS (acquire timeout, default 2000),
JOBBENCH_IDLE_TIMEOUT_MS, JOBBENCH_STATEMENT_TIMEOUT_MS, JOBBENCH_BODY_LIMIT_BYTES, and, behind PgBouncer in
transaction mode, JOBBENCH_PREPARE=off (no named prepared statements), JOBBENCH_PIPELINE=off (postgres.js
pipelining wedges connections there) and JOBBENCH_MIGRATE=off (the start-up migration's session advisory
lock needs a session: migrate through the direct URL first).

When ready it prints "listening on http://HOST:PORT (adapter X, pool max N)" on stderr; poll GET /ready
to know that the database answers. GET /internal/process reports the server's CPU, memory, event-loop
delay and pool gauges (for the benchmark runner).

Exit codes: 0 stopped by SIGINT/SIGTERM, 2 bad input, or the server could not start (port in use,
database unreachable).`;

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  adapter: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'pool-max': { type: 'string' },
  db: { type: 'string' },
  jobs: { type: 'string' },
  seed: { type: 'string' },
  metrics: { type: 'string' },
  'log-level': { type: 'string' },
  json: { type: 'boolean' },
  workers: { type: 'string' },
  shed: { type: 'boolean' },
  'shed-max-delay-ms': { type: 'string' },
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'serve',
  summary: 'serve the job API with one adapter (migrates, and provisions a database if none is given)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, OPTIONS);
    const mode = enumFlag('db', values.db, DB_MODES, 'auto');
    const jobs = intFlag('jobs', values.jobs, 0, 10_000_000);
    const seedValue = intFlag('seed', values.seed, 0, 2_147_483_647);
    const workers = intFlag('workers', values.workers, 1, 256) ?? 1;
    const overrides: Partial<Record<keyof Config, string>> = {};
    if (values.adapter !== undefined) overrides.adapter = values.adapter;
    if (values.port !== undefined) overrides.port = values.port;
    if (values.host !== undefined) overrides.host = values.host;
    if (values['pool-max'] !== undefined) overrides.poolMax = values['pool-max'];
    if (values.metrics !== undefined) overrides.metrics = values.metrics;
    if (values['log-level'] !== undefined) overrides.logLevel = values['log-level'];
    if (values.shed) overrides.shed = 'on';
    if (values['shed-max-delay-ms'] !== undefined) overrides.shedMaxDelayMs = values['shed-max-delay-ms'];
    // Validate every flag (an unknown adapter exits 2 listing the valid ones) before starting anything.
    const config = readConfig(process.env, overrides);
    const log = (line: string) => process.stderr.write(line + '\n');
    // A forked worker of `--workers N` re-runs this command line: the primary has provisioned and migrated.
    if (cluster.isWorker) return serveClusterWorker(config, Number(process.env[CLUSTER_WORKERS_ENV] ?? workers));

    // Registered before anything slow so that Ctrl-C during the start-up also stops cleanly.
    let interrupted = false;
    let wake: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (wake = resolve));
    onInterrupt(() => {
      interrupted = true;
      wake();
    });
    // Started by the harness: stop when it dies, even by kill -9 (bench/host/parent-watch.ts).
    if (process.env[EXIT_WITH_STDIN_ENV])
      exitWithStdin(() => {
        log('the harness that started this server is gone (stdin closed): stopping');
        interrupted = true;
        wake();
      });

    // Seeded when this command started the database, or when --jobs or --seed asks for it.
    const db = await prepareDatabase({
      databaseUrl: config.databaseUrl,
      mode,
      dbUp: 'reuse',
      log,
      seed:
        jobs === undefined && seedValue === undefined
          ? undefined
          : { jobs: jobs ?? SEED_DEFAULTS.jobs, seed: seedValue ?? SEED_DEFAULTS.seed },
    });
    if (interrupted) return EXIT.ok;
    const serveConfig = readConfig(process.env, { ...overrides, databaseUrl: db.url });
    const server =
      workers > 1 ? await startClusterPrimary(serveConfig, workers, { log }) : await startServer(serveConfig, { log });
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          event: 'listening',
          url: server.url,
          port: server.port,
          pid: process.pid,
          adapter: config.adapter,
          poolMax: config.poolMax,
          metrics: config.metrics,
          workers,
        }) + '\n',
      );
    }
    await stopped;
    log('stopping: finishing in-flight requests, then closing the pool…');
    await server.close();
    log('stopped');
    return EXIT.ok;
  },
};
