/** What `jobbench run` does once before its windows: CPU placement, then the machine's ceilings. */
import { dbCeilingCells, httpCeilingIsFloor } from '../../ceilings/fraction.ts';
import { targetDbConnections } from '../../targets/workers.ts';
import { measureCeilings, type Ceilings } from '../../ceilings/index.ts';
import { applyPlacement } from '../../host/placement.ts';
import { ensureFdLimit } from '../../host/fd-limit.ts'; // shared with capacity: it raises our limit
import type { WindowSettings } from '../../window/measure.ts';
import type { ExecuteContext } from '../types.ts';
import type { RunPlan } from './plan.ts';
import { TERMINAL_WIDTH, wrapText } from '../../report/text-table.ts';

export async function beforeWindows(
  plan: RunPlan,
  ctx: ExecuteContext,
): Promise<{ ceilings?: Ceilings; observed: Pick<WindowSettings, 'cpus' | 'cpuProfile'> }> {
  const { benchmark } = plan;
  let ceilings: Ceilings | undefined;
  // Thousands of connections need as many descriptors in the generator and the server (children inherit).
  const connections = Math.max(...benchmark.loads.map((l) => l.connections));
  const poolMax = Math.max(1, ...benchmark.targets.map((t) => targetDbConnections(t)));
  if (connections > 512) ctx.progress.log(ensureFdLimit(connections, poolMax).note);
  const observed: Pick<WindowSettings, 'cpus' | 'cpuProfile'> = {};
  // Placement first: under --cpus the ceilings are measured on the same CPU sets as the cells they are
  // read against (bare server on the server set, load tool and pgbench on the generator's).
  if (plan.cpus) {
    const owns = plan.db.mode === 'embedded' || (plan.db.mode === 'auto' && !plan.db.databaseUrl);
    observed.cpus = await applyPlacement(plan.cpus, ctx.databaseUrl, owns);
    if (observed.cpus.dbNote) ctx.progress.log(`--cpus db: ${observed.cpus.dbNote}`);
  }
  // With no server under test running: the ceilings have the machine (or their CPU sets) to themselves.
  if (plan.ceilings) {
    ctx.progress.update("measuring this machine's ceilings (bare node:http, PostgreSQL alone per scenario)…");
    ceilings = await measureCeilings({
      runner: benchmark.runner,
      ...(benchmark.runners ? { runners: benchmark.runners } : {}),
      connections,
      dbCells: dbCeilingCells(
        benchmark.loads,
        benchmark.targets.map((t) => targetDbConnections(t)),
      ),
      databaseUrl: ctx.databaseUrl,
      jobCount: benchmark.settings.jobCount,
      signal: ctx.signal,
      ...(observed.cpus ? { placement: observed.cpus } : {}),
    });
    const rate = (n: number | undefined) => (n === undefined ? 'n/a' : `${Math.round(n)}/s`);
    const http = (ceilings.httpByTool ?? (ceilings.http ? [ceilings.http] : []))
      .map(
        (h) =>
          `${httpCeilingIsFloor(h) ? '≥ ' : ''}${rate(h.requestsPerSec)}${ceilings!.httpByTool ? ` ${h.tool}` : ''}`,
      )
      .join(', ');
    const dbs = (ceilings.dbByScenario ?? []).map(
      (d) => `${d.scenario} ${rate(d.transactionsPerSec)} at ${d.clients} clients (${d.method})`,
    );
    ctx.progress.log(
      wrapText(
        `ceilings: HTTP ${http || 'n/a'} (bare node:http), PostgreSQL alone: ${dbs.join(', ') || 'n/a'}${ceilings.notes.length ? ` · ${ceilings.notes.join('; ')}` : ''}`,
        TERMINAL_WIDTH,
        2,
      ),
    );
  }
  if (plan.cpuProfile) observed.cpuProfile = { dir: ctx.resultsDir };
  return { ...(ceilings ? { ceilings } : {}), observed };
}
