import { HarnessError } from '../../shared/harness-errors.ts';
import type { Target, TargetSpec } from '../target.ts';
import { probeContract } from './contract-probe.ts';
import { startFastapiTarget } from './fastapi.ts';
import { isFastapiTargetName } from './fastapi-targets.ts';
import { kindOf } from './kinds.ts';

/** Targets whose contract was checked in this process: one quick probe per target, at its first start. */
const probed = new Set<string>();

/**
 * Starts (or, for an external target, reaches) a target of any kind but node (bench/target.ts starts
 * those), then checks the contract once on the routes the run's scenarios use.
 */
export async function startTargetOfKind(
  spec: TargetSpec,
  databaseUrl: string,
  extraEnv: NodeJS.ProcessEnv,
  startNode: () => Promise<Target>,
): Promise<Target> {
  const kind = kindOf(spec);
  let target: Target;
  if (kind === 'node') target = await startNode();
  else if (kind === 'fastapi') {
    if (!isFastapiTargetName(spec.adapter) || !spec.python)
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_SERVER_START',
        `${spec.adapter}: not a FastAPI target with an interpreter`,
      );
    target = await startFastapiTarget(
      { name: spec.adapter, python: spec.python, poolMax: spec.poolMax, metrics: spec.metrics },
      databaseUrl,
      { ...process.env, ...extraEnv },
    ).catch((err: Error) => {
      throw new HarnessError('JOBBENCH_CLI_ERR_SERVER_START', err.message, { cause: err });
    });
  } else {
    if (!spec.url) throw new HarnessError('JOBBENCH_CLI_ERR_USAGE', `external target ${spec.adapter} has no URL`);
    target = { baseUrl: spec.url, pid: 0, stop: async () => {} }; // not ours: nothing to start or stop
  }
  if (spec.probeScenarios && !probed.has(spec.adapter)) {
    const report = await probeContract(target.baseUrl, spec.probeScenarios);
    if (!report.ok) {
      await target.stop();
      throw new HarnessError(
        'JOBBENCH_CLI_ERR_CONTRACT',
        `${spec.adapter} (${target.baseUrl}) does not serve the job API contract:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
    probed.add(spec.adapter);
  }
  return target;
}
