import { prepareDbLatency } from '../../faults/db-latency.ts';
import { countSides, type SideServer } from '../../instructions/count-sides.ts';
import type { Instructions } from '../../results/instructions.ts';
import { executeBenchmark } from '../../schedule/execute.ts';
import { instructionsPart } from './estimate.ts';
import { benchmarkCheckpoint } from '../checkpoint.ts';
import { plannedWindows } from '../../schedule/outcome.ts';
import type { Side } from '../../results/types.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import { prepareSideDatabases } from './databases.ts';
import { SIDE_ORDER, type GatePlan } from './plan.ts';
import { checkoutRevision, OWN_ROOT } from './revision.ts';
import { primeSideServers } from './prime.ts';

/** What the gate's analysis records of each side besides its cells. */
export interface GateSideState {
  ref: string;
  commit: string | null; // null: the working tree
  installed: 'working tree' | 'symlink' | 'npm ci' | 'external'; // external: a running deployment (--base-target)
  migrations: string[]; // applied to its own database by its own checkout
}
export type GateState = Record<Side, GateSideState> & {
  /** Instructions per request (absent with --instructions off, or when the benchmark did not complete). */
  instructions?: Instructions;
};

const INSTRUCTION_FUNCTIONS_SHOWN = 8; // per scenario and table: where the change is, not a whole profile

/**
 * Checks each revision out into a temporary worktree (the working tree serves itself), gives each side
 * its own database migrated by its own checkout, then runs the interleaved benchmark with every
 * target served by its side's bin/jobbench.js against its side's database. Worktrees and databases
 * go again on every exit path.
 */
export async function executeGate(plan: GatePlan, ctx: ExecuteContext<GateState>): Promise<Execution<GateState>> {
  if (plan.sides.base.external) return executeExternalGate(plan, ctx);
  const cleanups: (() => Promise<void>)[] = [];
  const log = (line: string) => ctx.progress.log(line);
  try {
    const roots = {} as Record<Side, string>;
    const installed = {} as Record<Side, GateSideState['installed']>;
    for (const side of SIDE_ORDER) {
      const { commit } = plan.sides[side].revision;
      if (commit === null) {
        roots[side] = OWN_ROOT;
        installed[side] = 'working tree';
        continue;
      }
      ctx.progress.update(`${side}: git worktree add ${commit.slice(0, 12)}…`);
      const checkout = await checkoutRevision(commit, side, OWN_ROOT, log);
      cleanups.push(checkout.remove);
      roots[side] = checkout.root;
      installed[side] = checkout.installed;
    }
    ctx.progress.update('creating, migrating and seeding a database per side…');
    const { databases, drop } = await prepareSideDatabases({
      serverUrl: ctx.databaseUrl,
      sides: SIDE_ORDER.map((side) => ({ side, root: roots[side] })),
      headRoot: roots.head,
      jobs: plan.db.jobs,
      seed: plan.db.seed,
      log,
    });
    cleanups.push(drop);
    const urlOf = (side: Side) => databases.find((d) => d.side === side)!.url;
    const state: GateState = Object.fromEntries(
      SIDE_ORDER.map((side) => [
        side,
        {
          ref: plan.sides[side].revision.ref,
          commit: plan.sides[side].revision.commit,
          installed: installed[side],
          migrations: databases.find((d) => d.side === side)!.migrations,
        },
      ]),
    ) as Record<Side, GateSideState>;
    ctx.progress.update("starting each side's server once (tsx's cache)…");
    await primeSideServers(
      SIDE_ORDER.map((side) => ({ root: roots[side], databaseUrl: urlOf(side), env: plan.sides[side].env })),
      [...new Set(plan.benchmark.targets.map((t) => t.adapter))],
    );
    // --db-latency: the servers reach their side's database through Toxiproxy; samplers and counts go direct
    const latencyMs = plan.dbLatencyMs;
    let served = urlOf;
    if (latencyMs !== undefined) {
      log(`database latency: Toxiproxy, +${latencyMs} ms per round trip (downstream toxic), both sides`);
      const proxies = await prepareDbLatency([latencyMs], ctx.databaseUrl, process.env);
      cleanups.push(() => proxies.stop());
      served = (side) => proxies.route(latencyMs, urlOf(side));
    }
    const outcome = await measureSides(plan, ctx, state, roots, (side) => ({
      databaseUrl: served(side),
      samplerDatabaseUrl: urlOf(side),
      env: plan.sides[side].env,
    }));
    if (plan.instructions && !outcome.aborted) {
      ctx.progress.update('counting instructions per request under callgrind…');
      state.instructions = await countSides(
        {
          ...plan.instructions,
          scenarios: plan.benchmark.loads.map((l) => l.scenario).filter((s, i, all) => all.indexOf(s) === i),
          adapter: plan.benchmark.targets[0]!.adapter,
          seed: plan.db.seed,
          jobCount: plan.db.jobs,
          topFunctions: INSTRUCTION_FUNCTIONS_SHOWN,
        },
        Object.fromEntries(
          SIDE_ORDER.map((side) => [
            side,
            {
              root: roots[side],
              databaseUrl: urlOf(side),
              env: plan.sides[side].env,
              poolMax: plan.sides[side].poolMax ?? plan.benchmark.targets[0]!.poolMax,
            },
          ]),
        ) as Record<Side, SideServer>,
        log,
      );
      log(
        state.instructions.status === 'counted'
          ? 'instructions per request counted'
          : `instructions per request: n/a (${state.instructions.reason})`,
      );
    }
    return { outcome, state };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/**
 * Two running deployments (--base-target, --head-target): nothing to check out, migrate or start. Each
 * side's database (pg_stat_statements, backends) is its --base-database / --head-database, else the run's.
 */
async function executeExternalGate(plan: GatePlan, ctx: ExecuteContext<GateState>): Promise<Execution<GateState>> {
  const dbOf = (side: Side) => plan.sides[side].external?.databaseUrl ?? ctx.databaseUrl;
  const sideState = (side: Side): GateSideState => ({
    ref: plan.sides[side].revision.ref,
    commit: null,
    installed: 'external',
    migrations: [],
  });
  // Instructions per request need the server under valgrind: a running deployment is not ours to start.
  const state: GateState = {
    base: sideState('base'),
    head: sideState('head'),
    ...(plan.instructions
      ? {
          instructions: {
            status: 'unavailable',
            reason: 'external targets: their servers are not started by the gate',
          },
        }
      : {}),
  };
  const roots = { base: OWN_ROOT, head: OWN_ROOT };
  const outcome = await measureSides(plan, ctx, state, roots, (side) => ({
    databaseUrl: dbOf(side),
    samplerDatabaseUrl: dbOf(side),
  }));
  return { outcome, state };
}

/** The interleaved rounds of both sides: each revision target in its side's checkout, on its side's database. */
function measureSides(
  plan: GatePlan,
  ctx: ExecuteContext<GateState>,
  state: GateState,
  roots: Record<Side, string>,
  connect: (side: Side) => { databaseUrl: string; samplerDatabaseUrl: string; env?: Record<string, string> },
) {
  return executeBenchmark(
    {
      ...plan.benchmark,
      // the time left counts the instruction counts that follow the rounds (bench/kinds/gate/estimate.ts)
      laterS: instructionsPart(plan)?.seconds ?? 0,
      targets: plan.benchmark.targets.map((t) => (t.kind === 'revision' ? { ...t, root: roots[t.side] } : t)),
      databaseUrl: ctx.databaseUrl,
      connect: (t) => connect(t.side!),
      ...benchmarkCheckpoint(ctx, (snapshot) => ({
        outcome: snapshot,
        windowsPlanned: plannedWindows(plan.benchmark),
        state,
      })),
    },
    ctx.progress,
    ctx.signal,
  );
}
