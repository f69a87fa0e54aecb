import type { ScenarioName } from '../../scenarios/catalog.ts';
import { probeContract, type ContractMode } from './contract-probe.ts';
import type { ExternalTarget } from './select.ts';

/** What the check of the external targets found. */
export type ExternalCheck =
  | {
      ok: true;
      jobsTotal: number | null; // the smallest GET /jobs/stats total (null: none answered)
      /** --contract warn: each target's differences from the contract (measured anyway), by label. */
      differences: Record<string, string[]>;
      /** Targets without a usable GET /jobs/stats: the id range must come from --jobs. */
      withoutStats: string[];
    }
  | { ok: false; message: string };

/**
 * The quick contract check of every external target before anything starts, and the smallest job count
 * among them (GET /jobs/stats total): what the scenarios may draw ids from when the targets own their data.
 * `strict` (the default) refuses a target that differs from the contract; `warn` refuses only one whose
 * routes do not answer the statuses the scenarios expect, and returns the differences of the others.
 */
export async function checkExternalTargets(
  targets: readonly ExternalTarget[],
  scenarios: readonly ScenarioName[],
  mode: ContractMode = 'strict',
): Promise<ExternalCheck> {
  const failures: string[] = [];
  const differences: Record<string, string[]> = {};
  const withoutStats: string[] = [];
  let jobsTotal: number | null = null;
  for (const t of targets) {
    const report = await probeContract(t.url, scenarios);
    const refused = mode === 'strict' ? !report.ok : report.blocking.length > 0;
    if (refused) {
      const problems = mode === 'strict' ? report.problems : report.blocking;
      failures.push(
        `${t.label} (${t.url}) ${mode === 'strict' ? 'does not serve the job API contract' : 'does not answer as the scenarios expect'} on ${report.routes.join(', ')}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
      continue;
    }
    if (!report.ok) differences[t.label] = report.problems;
    if (report.jobsTotal !== null) jobsTotal = Math.min(jobsTotal ?? Infinity, report.jobsTotal);
    else withoutStats.push(t.label);
  }
  if (failures.length > 0)
    return {
      ok: false,
      message: `${failures.join('\n')}${mode === 'strict' ? '\n(--contract warn measures a target anyway when its routes answer as the scenarios expect, and lists the differences)' : ''}`,
    };
  return { ok: true, jobsTotal: jobsTotal === null || jobsTotal < 1 ? null : jobsTotal, differences, withoutStats };
}
