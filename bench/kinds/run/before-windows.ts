/** What `jobbench run` does once before its windows: the machine's ceilings, then CPU placement. */
import { measureCeilings, type Ceilings } from '../../ceilings/index.ts';
import { applyPlacement } from '../../cpu/placement.ts';
import { ensureFdLimit } from '../capacity/fd-limit.ts'; // shared with capacity: it raises our limit
import type { WindowSettings } from '../../measure.ts';
import type { ExecuteContext } from '../types.ts';
import type { RunPlan } from './plan.ts';

export async function beforeWindows(
  plan: RunPlan,
  ctx: ExecuteContext,
): Promise<{ ceilings?: Ceilings; observed: Pick<WindowSettings, 'cpus' | 'cpuProfile'> }> {
  const { benchmark } = plan;
  let ceilings: Ceilings | undefined;
  // Thousands of connections need as many descriptors in the generator and the server (children inherit).
  const connections = Math.max(...benchmark.loads.map((l) => l.connections));
  const poolMax = Math.max(1, ...benchmark.targets.map((t) => t.poolMax));
  if (connections > 512) ctx.progress.log(ensureFdLimit(connections, poolMax).note);
  // Before any pinning and with no server under test running: the ceilings have the machine to themselves.
  if (plan.ceilings) {
    ctx.progress.update("measuring this machine's ceilings (bare node:http, pgbench, fingerprint)…");
    ceilings = await measureCeilings({
      runner: benchmark.runner,
      connections,
      databaseUrl: ctx.databaseUrl,
      jobCount: benchmark.settings.jobCount,
      signal: ctx.signal,
    });
    const rate = (n: number | undefined) => (n === undefined ? 'n/a' : `${Math.round(n)}/s`);
    ctx.progress.log(
      `ceilings: HTTP ${rate(ceilings.http?.requestsPerSec)} (bare node:http), DB ${rate(ceilings.db?.transactionsPerSec)} (${ceilings.db?.method ?? 'not measured'})${ceilings.notes.length ? ` · ${ceilings.notes.join('; ')}` : ''}`,
    );
  }
  const observed: Pick<WindowSettings, 'cpus' | 'cpuProfile'> = {};
  if (plan.cpus) {
    const owns = plan.db.mode === 'embedded' || (plan.db.mode === 'auto' && !plan.db.databaseUrl);
    observed.cpus = await applyPlacement(plan.cpus, ctx.databaseUrl, owns);
    if (observed.cpus.dbNote) ctx.progress.log(`--cpus db: ${observed.cpus.dbNote}`);
  }
  if (plan.cpuProfile) observed.cpuProfile = { dir: ctx.resultsDir };
  return { ...(ceilings ? { ceilings } : {}), observed };
}
