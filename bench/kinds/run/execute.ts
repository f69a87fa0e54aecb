import { executeBenchmark } from '../../schedule/execute.ts';
import type { ExecuteContext, Execution } from '../types.ts';
import type { RunPlan } from './plan.ts';
import { beforeWindows } from './before-windows.ts';
import { prepareFaults } from '../../faults/setup.ts';
import { benchmarkCheckpoint } from '../checkpoint.ts';
import { plannedWindows } from '../../schedule/outcome.ts';
import { prepareDbPaths } from '../../schedule/db-paths.ts';

/** One interleaved benchmark; with k6 the run id tags its metrics (testid) and its options apply. */
export async function executeRun(plan: RunPlan, ctx: ExecuteContext): Promise<Execution<undefined>> {
  const { benchmark } = plan;
  const settings = (benchmark.runners ?? [benchmark.runner]).some((r) => r.tool === 'k6')
    ? {
        ...benchmark.settings,
        k6: {
          testId: ctx.runId,
          ...(plan.k6?.instances ? { instances: plan.k6.instances } : {}),
          ...(plan.k6?.prometheusRw ? { prometheusRw: plan.k6.prometheusRw } : {}),
          ...(plan.k6?.thresholds ? { thresholds: plan.k6.thresholds } : {}),
        },
      }
    : benchmark.settings;
  const { ceilings, observed } = await beforeWindows(plan, ctx);
  // --fault: Toxiproxy between the targets and PostgreSQL, the database's power switch (bench/faults/).
  const faults = await prepareFaults(
    benchmark.loads.map((l) => l.fault),
    ctx.databaseUrl,
    ctx.database ?? { kind: 'external' },
    process.env,
  );
  let paths;
  try {
    // --db-latency: the targets reach PostgreSQL through Toxiproxy; their pools are checked against max_connections.
    paths = await prepareDbPaths(benchmark.targets, ctx, {
      wantKept: false,
      ...(faults.connect ? { fallback: faults.connect } : {}),
      env: process.env,
    });
    const connect = paths.connect;
    const outcome = await executeBenchmark(
      {
        ...benchmark,
        settings: { ...settings, ...observed },
        databaseUrl: ctx.databaseUrl,
        faultTools: faults.tools,
        ...(connect ? { connect } : {}),
        ...benchmarkCheckpoint(ctx, (outcome) => ({ outcome, windowsPlanned: plannedWindows(benchmark) })),
      },
      ctx.progress,
      ctx.signal,
    );
    return { outcome, state: undefined, ...(ceilings ? { ceilings } : {}) };
  } finally {
    await paths?.stop();
    await faults.stop();
  }
}
