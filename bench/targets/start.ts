import { HarnessError } from '../../shared/harness-errors.ts';
import { waitForDatabase } from '../db/wait-ready.ts';
import { probeContract } from './contract-probe.ts';
import { startFastapiTarget } from './fastapi.ts';
import { isFastapiTargetName } from './fastapi-targets.ts';
import { startNodeTarget } from './node.ts';
import type { Target, TargetSpec } from './spec.ts';

export interface StartOptions {
  /** How long to wait for an unreachable database before starting (default DB_WAIT_BUDGET_MS), and who hears it. */
  waitForDatabase?: Parameters<typeof waitForDatabase>[1];
}

/** Targets whose contract was checked in this process: one quick probe per target, at its first start. */
const probed = new Set<string>();

/**
 * Starts (or, for an external target, reaches) a target of any kind, then checks the contract once on
 * the routes the run's scenarios use (JOBBENCH_CLI_ERR_CONTRACT, with what differed).
 */
export async function startTarget(
  spec: TargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
  options: StartOptions = {},
): Promise<Target> {
  // A server we start needs its database at once (it migrates, opens its pool): wait out a short outage first.
  if (spec.kind !== 'external') await waitForDatabase(databaseUrl, options.waitForDatabase);
  const target = await launch(spec, databaseUrl, extraEnv);
  if (spec.probeScenarios && !probed.has(spec.adapter)) {
    const report = await probeContract(target.baseUrl, spec.probeScenarios);
    const problems = spec.contract === 'warn' ? report.blocking : report.problems;
    if (problems.length > 0) {
      await target.stop();
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_CONTRACT',
        `${spec.adapter} (${target.baseUrl}) ${spec.contract === 'warn' ? 'does not answer as the scenarios expect' : 'does not serve the job API contract'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    probed.add(spec.adapter);
  }
  return target;
}

function launch(spec: TargetSpec, databaseUrl: string, extraEnv: NodeJS.ProcessEnv): Promise<Target> {
  switch (spec.kind) {
    case undefined:
    case 'node':
    case 'revision':
      return startNodeTarget(spec, databaseUrl, extraEnv);
    case 'fastapi':
      if (!isFastapiTargetName(spec.adapter))
        throw new HarnessError('JOBBENCH_CLI_ERR_SERVER_START', `${spec.adapter}: not a FastAPI target`);
      return startFastapiTarget(
        {
          name: spec.adapter,
          python: spec.python,
          poolMax: spec.poolMax,
          metrics: spec.metrics,
          ...(spec.workers === undefined ? {} : { workers: spec.workers }),
          ...spec.fastapi,
        },
        databaseUrl,
        { ...process.env, ...extraEnv },
      );
    case 'external':
      // Not ours: nothing to start or stop.
      return Promise.resolve({ baseUrl: spec.url, pid: 0, stop: async () => {} });
  }
}
