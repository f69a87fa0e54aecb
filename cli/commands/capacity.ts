import { CAPACITY_DEFAULTS, planCapacity } from '../../bench/kinds/capacity/plan.ts';
import { DEFAULT_SLO, type CapacitySlo } from '../../bench/levels/search.ts';
import { KINDS } from '../../bench/kinds/index.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { parseVias } from '../../bench/pgbouncer/via.ts';
import { VIAS } from '../../bench/results/types.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { readConfig } from '../../src/config.ts';
import { enumFlag, intFlag, numFlag, parse } from '../args.ts';
import { EXIT, UsageError, type Command, type Options } from '../command.ts';
import { searchPart } from '../../bench/levels/estimate.ts';
import { planText, printDryRun, startsEmbeddedDb } from '../dry-run.ts';
import { BENCH_FLAGS, BENCH_FLAGS_HELP, readBenchOptions, shellOf } from '../bench-options.ts';
import { readUsersOptions, SYNC_WORKERS_HELP, USERS_FLAGS } from '../users-flags.ts';

const DEFAULT_SCENARIO = CAPACITY_DEFAULTS.scenario;
const DEFAULT_MAX_CONNECTIONS = CAPACITY_DEFAULTS.maxConnections;
const DEFAULT_START = CAPACITY_DEFAULTS.startConnections;
const DEFAULT_ROUNDS_PER_LEVEL = CAPACITY_DEFAULTS.roundsPerLevel;

const HELP = `Usage: jobbench capacity [options]

For each adapter, finds how many concurrent client connections one server instance holds: starting
at --start connections it doubles while the level holds (p99 ≤ --slo-p99-ms and errors < 1%), then
bisects between the last level that held and the first that failed, to within 10%. Each level runs
against a freshly started \`jobbench serve\` (warm-up, then a measured window with autocannon in its
own process). Reports the largest level that held, and the curve of throughput, p99 and PostgreSQL
backends against connections. The adapters' searches are interleaved: in each turn every adapter
still searching measures its next level, in an order rotated each turn, so machine drift hits all
alike. The open-file limit is raised where allowed; when it, not the server,
stops the search, the report says so.

Options:
  --scenario NAME      the load (${SCENARIO_NAMES.join(', ')}); default ${DEFAULT_SCENARIO}
  --max-connections N  the highest level tried (default ${DEFAULT_MAX_CONNECTIONS})
  --start N            the first level (default ${DEFAULT_START})
  --slo-p99-ms MS      p99 a level must keep to hold (default ${DEFAULT_SLO.p99Ms}); errors must stay under 1%
  --via MODE           direct | pgbouncer | direct,pgbouncer (a PgBouncer in transaction mode started for
                       this run, its default_pool_size = --pool-max; postgres.js then runs with prepare:
                       false); both: each adapter searched both ways, interleaved (default direct)
  --think-time MS      search over concurrent USERS instead of busy connections: each user (a k6 VU,
                       constant-vus) sends a request, waits for the answer, sleeps MS ms, repeats; the answer
                       is the most users held within the SLO (needs k6: npm run setup:k6, or K6_BIN). The
                       levels (--start, --max-connections) then count users; the fd limit still applies
${SYNC_WORKERS_HELP}
${BENCH_FLAGS_HELP}
  (--rounds is the number of windows per level here, default ${DEFAULT_ROUNDS_PER_LEVEL}; --scenarios and --connections do not
  apply; --tool must be autocannon, or k6 with --think-time: the search is about a closed model)

Examples:
  jobbench capacity --adapters pg-pool,postgres-js
  jobbench capacity --scenario get-job --max-connections 2000 --slo-p99-ms 50
  jobbench capacity --via direct,pgbouncer --pool-max 20
  jobbench capacity --think-time 1000 --adapters pg-pool,pg-sync --start 50   # users idle 1 s between requests

Exit codes: 0 every adapter held at least one level, 1 some adapter held none, 2 bad input or the
search stopped on an error (what was measured is written with status "aborted"), 130 interrupted.`;

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  ...BENCH_FLAGS,
  scenario: { type: 'string' },
  'max-connections': { type: 'string' },
  start: { type: 'string' },
  'slo-p99-ms': { type: 'string' },
  via: { type: 'string' },
  ...USERS_FLAGS,
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'capacity',
  summary: 'find the most concurrent connections each adapter holds within the SLO (double, then bisect)',
  help: HELP,
  async run(argv) {
    const { values } = parse(argv, OPTIONS);
    const users = readUsersOptions(values);
    if (values.scenarios !== undefined || values.connections !== undefined)
      throw new UsageError(
        'capacity searches the connections itself for one --scenario: --scenarios and --connections do not apply',
      );
    const wantTool = users.thinkTimeMs === undefined ? 'autocannon' : 'k6';
    if (values.tool !== undefined && values.tool !== wantTool)
      throw new UsageError(
        users.thinkTimeMs === undefined
          ? 'capacity runs autocannon (a closed model: N connections kept busy); k6 only with --think-time'
          : 'capacity with --think-time runs k6 (users who sleep between requests): autocannon has no think time',
      );
    const options = await readBenchOptions({ ...values, tool: wantTool });
    const runner =
      wantTool === 'k6'
        ? await RUNNERS.k6().catch((err: Error) => {
            throw new UsageError(err.message);
          })
        : autocannonRunner;
    const scenario = enumFlag('scenario', values.scenario, SCENARIO_NAMES, DEFAULT_SCENARIO);
    const maxConnections =
      intFlag('max-connections', values['max-connections'], 1, 1_000_000) ?? DEFAULT_MAX_CONNECTIONS;
    const startConnections = intFlag('start', values.start, 1, 1_000_000) ?? DEFAULT_START;
    if (startConnections > maxConnections)
      throw new UsageError(`--start ${startConnections} is above --max-connections ${maxConnections}`);
    const slo: CapacitySlo = {
      ...DEFAULT_SLO,
      p99Ms: numFlag('slo-p99-ms', values['slo-p99-ms'], 0.001, 600_000) ?? DEFAULT_SLO.p99Ms,
    };
    const vias = parseVias(values.via, VIAS);
    if (typeof vias === 'string') throw new UsageError(vias);
    const env = readConfig(process.env);
    const plan = planCapacity({
      ...options,
      databaseUrl: env.databaseUrl,
      scenario,
      maxConnections,
      startConnections,
      slo,
      vias,
      roundsPerLevel: values.rounds === undefined ? DEFAULT_ROUNDS_PER_LEVEL : options.rounds,
      runner,
      ...users,
    });
    if (values['dry-run']) {
      const level = { rounds: plan.roundsPerLevel, ...plan.settings };
      const part = searchPart(
        'capacity searches',
        { ...plan, resolution: plan.resolution },
        level,
        plan.targets.length,
      );
      const head = `one search per target on ${plan.scenario}, ${plan.startConnections} to ${plan.maxConnections} ${users.thinkTimeMs === undefined ? 'connections' : 'users'}, ${plan.roundsPerLevel} window${plan.roundsPerLevel === 1 ? '' : 's'} per level`;
      const text = planText(
        'capacity',
        head,
        plan.targets,
        [`${plan.scenario} (levels decided while running)`],
        [part],
        {
          embeddedDb: startsEmbeddedDb(options.db, env.databaseUrl),
        },
      );
      return printDryRun(text);
    }
    const { exitCode, analysis } = await runKind(KINDS.capacity, plan, {
      argv: ['capacity', ...argv],
      ...shellOf(options),
    });
    if (exitCode !== 0) return exitCode;
    return analysis?.searches.every((s) => s.heldConnections !== null) ? EXIT.ok : EXIT.gateFailed;
  },
};
