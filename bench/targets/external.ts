import type { ScenarioName } from '../../scenarios/catalog.ts';
import { probeContract } from './contract-probe.ts';
import type { ExternalTarget } from './select.ts';

/**
 * The quick contract check of every external target before anything starts, and the smallest job count
 * among them (GET /jobs/stats total): what the scenarios may draw ids from when the targets own their data.
 */
export async function checkExternalTargets(
  targets: readonly ExternalTarget[],
  scenarios: readonly ScenarioName[],
): Promise<{ ok: true; jobsTotal: number | null } | { ok: false; message: string }> {
  const failures: string[] = [];
  let jobsTotal: number | null = null;
  for (const t of targets) {
    const report = await probeContract(t.url, scenarios);
    if (!report.ok)
      failures.push(
        `${t.label} (${t.url}) does not serve the job API contract on ${report.routes.join(', ')}:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    else if (report.jobsTotal !== null) jobsTotal = Math.min(jobsTotal ?? Infinity, report.jobsTotal);
  }
  if (failures.length > 0) return { ok: false, message: failures.join('\n') };
  return { ok: true, jobsTotal: jobsTotal === null || jobsTotal < 1 ? null : jobsTotal };
}
