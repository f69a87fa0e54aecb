import { DEFAULT_SLO } from '../../bench/levels/search.ts';
import { ADR_PATHS, planAdr } from '../../bench/kinds/adr/plan.ts';
import { KINDS } from '../../bench/kinds/index.ts';
import { runKind } from '../../bench/shell/orchestrate.ts';
import { RUNNERS } from '../../bench/runners/index.ts';
import { ADAPTERS, adapterAvailability, isAdapterName } from '../../src/adapters/registry.ts';
import { readConfig } from '../../src/config.ts';
import { enumFlag, intFlag, numFlag, parse } from '../args.ts';
import { adrParts, adrTargets } from '../../bench/kinds/adr/estimate.ts';
import { planText, printDryRun, startsEmbeddedDb } from '../dry-run.ts';
import { BENCH_FLAGS, benchFlagsHelp, readBenchOptions, shellOf, usableFastapiTargets } from '../bench-options.ts';
import { ADR_STACK_CHOICES, ADR_STACKS, type AdrStackDesign } from '../../bench/kinds/adr/stacks.ts';
import { FASTAPI_TARGETS, FASTAPI_TARGET_NAMES, type FastapiTargetName } from '../../bench/targets/fastapi-targets.ts';
import { fastapiEnvironment, targetSpecs, type FastapiChoice } from '../../bench/targets/select.ts';
import { styleOf } from '../../bench/targets/kinds.ts';
import { MIN_PAIRS_FOR_INTERVAL } from '../../bench/stats/paired.ts';
import { UsageError, type Command, type Options } from '../command.ts';
import { ADR_DEFAULTS as DEFAULTS, capacityFlags, loadK6 } from '../adr-flags.ts';
import { FACTOR_FLAGS, FACTOR_FLAGS_HELP, readFactors } from '../factor-flags.ts';

const LATENCY_TOOLS = ['auto', 'k6', 'autocannon'] as const;
const FASTAPI_EQUAL_BOUND = 40; // anyio's default thread limiter: the FastAPI pools match it by default

const HELP = `Usage: jobbench adr [options]

Runs the comparison ADR-003 should have run: the blocking baseline (pg-sync: pg-native's querySync,
every query holds the event loop) against each async adapter, on the ADR's paths (create, search,
stats, mixed), with interleaved rounds. Three phases, each with rounds outside and adapters inside:
  1. closed model (autocannon, --connections): throughput, latency under load, event-loop max delay,
     server CPU per request;
  2. latency at a fixed arrival rate (k6 constant-arrival-rate; each path's rate is --rate-fraction of
     pg-sync's phase-1 throughput, so the sync baseline can sustain it). Without k6: a light
     closed-model load (--light-connections), and the report says so;
  3. max connections: a capacity search per adapter and round (doubling, then bisecting) for the
     largest number of concurrent connections with errors < 1% and p99 <= --slo-p99-ms.
Writes results.json (kind "adr") and report.md with the ADR section: per row the ADR's estimate, the
median with its interval (95% CI from 5 rounds, range below), a verdict (absolute: near / far from the
estimate; claimed gain: confirmed / refuted; or inconclusive), and a conclusion. Without --rounds or
--profile: ${MIN_PAIRS_FOR_INTERVAL} rounds of the quick profile's windows. How long: --dry-run prints the plan and
its estimate; the reference parts took 30, 17½ and 31 min on a 2-core VM (2026-12-07, docs/readme/adr.md).

Options:
${benchFlagsHelp({ rounds: `${MIN_PAIRS_FOR_INTERVAL} (with --profile: its own)` }).replace(/^ {2}--tool [^\n]*\n(?: {20,}[^\n]*\n)*/m, '  --tool              does not apply to adr: phases 1 and 3 use autocannon, phase 2 k6 (--latency-tool)\n')}
  (--scenarios defaults to ${ADR_PATHS.join(',')}; --connections N[,M]: the closed-model concurrencies, the
  map's columns; the first is phase 2's and the rates' reference)
${FACTOR_FLAGS_HELP}
  (adr's FastAPI targets default to a pool of ${FASTAPI_EQUAL_BOUND} and the sync target to ${FASTAPI_EQUAL_BOUND} threads, anyio's
  default: no side is bounded below the other unless --pool-max or --threads varies it)
  --stack S              node | fastapi | both: the Node adapters (baseline pg-sync), the ADR's own stack
                         (FastAPI: baseline fastapi-psycopg2, vs fastapi-asyncpg and fastapi-psycopg3), or
                         both in one interleaved run and one report (default both when python3 imports the
                         FastAPI targets' modules, else node, saying why)
  --baseline NAME        the node stack's sync adapter gains are measured against (default ${DEFAULTS.baseline})
  --rate R               phase 2: one fixed arrival rate (req/s) for every path instead of the derived ones
  --rate-fraction F      phase 2: share of the baseline's phase-1 throughput per path (default ${DEFAULTS.rateFraction})
  --latency-tool T       ${LATENCY_TOOLS.join(' | ')}: phase 2 with k6 (fail if missing), or the closed-model
                         fallback; auto uses k6 when it is installed (default auto)
  --light-connections N  phase 2 without k6: closed-model connections (default ${DEFAULTS.lightConnections})
  --capacity-scenario S  phase 3 path (default ${DEFAULTS.capacityScenario})
  --slo-p99-ms N         phase 3 SLO: p99 latency a level must keep to hold (default ${DEFAULT_SLO.p99Ms})
  --max-connections N    phase 3 ceiling (default ${DEFAULTS.maxConnections})
  --capacity-start N     phase 3 first level (default ${DEFAULTS.capacityStart})
  --capacity-resolution F  phase 3 bisection stops within this share of the held level (default ${DEFAULTS.capacityResolution})
  --capacity-rounds N    phase 3 searches per adapter (default: --rounds)
  --capacity-warmup S, --capacity-duration S   phase 3 window per level (default: --warmup, --duration)
  --no-capacity          skip phase 3 (the table then has no max-connections rows)
  --think-time MS        phase 3 over concurrent USERS, not busy connections: each user (k6 constant-vus)
                         sends a request, waits, sleeps MS ms; the ADR's "max connections ~200 -> ~2000" is
                         about clients mostly idle between requests, e.g. --think-time 1000 (needs k6)
  (To re-render the report of an earlier run, ADR section included: jobbench report results.json)

Needs: pg-native, built against libpq (Debian: apt-get install libpq-dev, then npm rebuild libpq). DATABASE_URL
selects an external PostgreSQL (else an embedded one starts).

Examples:
  jobbench adr                                    # quick windows, 5 rounds, all targets (the longest command)
  jobbench adr --profile smoke --no-capacity      # checks that it runs (1 round); --no-capacity: phases 1-2 only
  jobbench adr --stack fastapi                    # ADR-003 on its own stack (FastAPI + psycopg2 / asyncpg / psycopg 3)
  jobbench adr --stack fastapi --adapters fastapi-psycopg2,fastapi-psycopg2-async,fastapi-asyncpg \\
    --scenarios get-job --db-latency 0,10,50 --connections 16,128 --rounds 5 --no-capacity   # the map

Exit codes: 0 complete (verdicts never fail the command), 2 bad input or the run stopped on an error
(what was measured is written with status "aborted"), 130 interrupted.`;

/** Every flag of this command, as the parser takes them (the help and docs are checked against it). */
const OPTIONS = {
  ...BENCH_FLAGS,
  baseline: { type: 'string' },
  rate: { type: 'string' },
  'rate-fraction': { type: 'string' },
  'latency-tool': { type: 'string' },
  'light-connections': { type: 'string' },
  'capacity-scenario': { type: 'string' },
  'slo-p99-ms': { type: 'string' },
  'max-connections': { type: 'string' },
  'capacity-start': { type: 'string' },
  'capacity-resolution': { type: 'string' },
  'capacity-rounds': { type: 'string' },
  'capacity-warmup': { type: 'string' },
  'capacity-duration': { type: 'string' },
  'no-capacity': { type: 'boolean' },
  'think-time': { type: 'string' },
  stack: { type: 'string' },
  ...FACTOR_FLAGS,
} as const satisfies Options;

export const command: Command = {
  options: OPTIONS,
  name: 'adr',
  summary: 'check ADR-003: blocking pg-sync vs each async adapter, the ADR table with measured values and verdicts',
  help: HELP,
  async run(argv) {
    const { values: given } = parse(argv, OPTIONS);
    const { values, factors: named } = readFactors(given);
    // Equal bounds unless varied: the FastAPI pools and the sync thread pool both at anyio's 40.
    const factors = { ...named, threads: named.threads ?? [FASTAPI_EQUAL_BOUND] };
    const fastapiNamed = (values.adapters ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s): s is FastapiTargetName => (FASTAPI_TARGET_NAMES as string[]).includes(s));
    const wantedFastapi: FastapiTargetName[] =
      fastapiNamed.length > 0
        ? ['fastapi-psycopg2', ...fastapiNamed.filter((n) => n !== 'fastapi-psycopg2')]
        : FASTAPI_TARGET_NAMES.filter((n) => FASTAPI_TARGETS[n].adrDefault);
    let stackNote: string | undefined;
    let fastapi: FastapiChoice[] = [];
    let stack = values.stack === undefined ? undefined : enumFlag('stack', values.stack, ADR_STACK_CHOICES, 'both');
    if (stack === undefined) {
      fastapi = await usableFastapiTargets(wantedFastapi, false);
      const missing = wantedFastapi.filter((n) => !fastapi.some((f) => f.name === n));
      stack = missing.length === 0 ? 'both' : 'node';
      if (stack === 'node')
        stackNote = `The FastAPI stack was not measured: ${missing.join(', ')} cannot run here (see the message on stderr; install the Python modules to add it).`;
    } else if (stack !== 'node') fastapi = await usableFastapiTargets(wantedFastapi, true);
    const withNode = stack !== 'fastapi';
    const withFastapi = stack !== 'node';
    if (values.tool !== undefined)
      throw new UsageError(
        '--tool does not apply to adr: phases 1 and 3 use autocannon, phase 2 k6 (see --latency-tool)',
      );
    const baseline = values.baseline ?? DEFAULTS.baseline;
    if (!isAdapterName(baseline) || ADAPTERS[baseline].async)
      throw new UsageError(`--baseline must be a blocking (sync) adapter, got "${baseline}"`);
    const baselineLoads = withNode ? await adapterAvailability(baseline) : { available: true as const };
    if (!baselineLoads.available)
      throw new UsageError(`the baseline ${baseline} cannot load here: ${baselineLoads.reason}`);
    const options = await readBenchOptions(
      { ...values, scenarios: values.scenarios ?? ADR_PATHS.join(',') },
      { include: withNode ? [baseline] : [], fastapi: true, tool: 'autocannon', minRounds: MIN_PAIRS_FOR_INTERVAL },
    );
    const adapters = withNode ? options.adapters : [];
    const nodeRoles = withNode
      ? [baseline, ...adapters.filter((a) => a !== baseline)].map((name) => ({
          name,
          role: ADAPTERS[name].async ? ('async' as const) : ('sync' as const),
        }))
      : [];
    if (withNode && !nodeRoles.some((a) => a.role === 'async'))
      throw new UsageError('adr needs at least one async adapter to compare with the baseline');
    const fastapiRoles = withFastapi
      ? fastapi.map((f) => ({ name: f.name as string, role: styleOf(f.name) ?? ('async' as const) }))
      : [];
    if (withFastapi && !fastapiRoles.some((a) => a.role === 'async'))
      throw new UsageError(
        'the fastapi stack needs fastapi-asyncpg or fastapi-psycopg3 to compare with fastapi-psycopg2',
      );
    const stacks: AdrStackDesign[] = [
      ...(withNode ? [{ stack: 'node' as const, baseline, adapters: nodeRoles }] : []),
      ...(withFastapi
        ? [{ stack: 'fastapi' as const, baseline: ADR_STACKS.fastapi.baseline, adapters: fastapiRoles }]
        : []),
    ];
    const roles = [...nodeRoles, ...fastapiRoles];
    const targets = targetSpecs({
      adapters,
      ...(withFastapi ? { fastapi } : {}),
      poolMax: options.poolMax,
      metrics: 'on',
      scenarios: options.scenarios,
    }).map((t) =>
      t.kind === 'fastapi' && given['pool-max'] === undefined ? { ...t, poolMax: FASTAPI_EQUAL_BOUND } : t,
    );

    const latencyTool = enumFlag('latency-tool', values['latency-tool'], LATENCY_TOOLS, 'auto');
    const fixedRate = intFlag('rate', values.rate, 1, 1_000_000);
    const rateFraction = numFlag('rate-fraction', values['rate-fraction'], 0.01, 1) ?? DEFAULTS.rateFraction;
    const lightConnections =
      intFlag('light-connections', values['light-connections'], 1, 100_000) ?? DEFAULTS.lightConnections;
    const k6 =
      latencyTool === 'autocannon'
        ? { why: 'closed-model fallback chosen with --latency-tool autocannon' }
        : await loadK6();
    if (latencyTool === 'k6' && 'why' in k6) throw new UsageError(`${k6.why}\nInstall it with: npm run setup:k6`);
    if ('why' in k6 && fixedRate !== undefined) throw new UsageError(`--rate needs k6 (an open model); ${k6.why}`);
    if ('why' in k6 && values['think-time'] !== undefined)
      throw new UsageError(`--think-time needs k6 (users who sleep between requests); ${k6.why}`);

    const env = readConfig(process.env); // validates DATABASE_URL
    const plan = planAdr({
      ...options,
      adapters: nodeRoles.map((r) => r.name),
      databaseUrl: env.databaseUrl,
      roles,
      baseline: stacks[0]!.baseline,
      factors,
      stacks,
      targets,
      ...(stackNote ? { stackNote } : {}),
      ...(withFastapi ? { pythonTools: fastapiEnvironment(fastapi) } : {}),
      latencyTool,
      latency:
        'runner' in k6
          ? { k6: k6.runner, rateFraction, ...(fixedRate === undefined ? {} : { fixedRate }) }
          : { lightConnections, why: k6.why },
      capacity: capacityFlags(values, options.rounds, options),
      autocannon: await RUNNERS.autocannon(),
      ...('version' in k6 && k6.version ? { k6Version: k6.version } : {}),
    });
    if (values['dry-run']) {
      // An embedded database is sized for every pool at once, so servers stay up; a DATABASE_URL server's
      // room is read when the run starts: counted here as one start per visit (the longer case).
      const embeddedDb = startsEmbeddedDb(options.db, env.databaseUrl);
      const loads = plan.paths.flatMap((p) => plan.connections.map((c) => `${p} ${c} conn`));
      const head = `${plan.rounds} round${plan.rounds === 1 ? '' : 's'} × ${adrTargets(plan).length} targets, phases ${'skipped' in plan.capacity ? '1–2' : '1–3'}${plan.dbLatenciesMs ? `, DB latency +${plan.dbLatenciesMs.join(', +')} ms` : ''}`;
      return printDryRun(planText('adr', head, adrTargets(plan), loads, adrParts(plan, embeddedDb), { embeddedDb }));
    }
    const { exitCode } = await runKind(KINDS.adr, plan, { argv: ['adr', ...argv], ...shellOf(options) });
    return exitCode; // verdicts never fail the command
  },
};
