import { FaultSpecError } from '../bench/faults/errors.ts';
import { parseFaultSchedule, type FaultSchedule } from '../bench/faults/schedule.ts';
import { HarnessError } from '../shared/harness-errors.ts';
import { UsageError } from './command.ts';

/** --fault values: one schedule each, validated against the measured window (bad input: exit 2). */
export function readFaults(values: string[] | undefined, durationS: number): FaultSchedule[] | undefined {
  if (!values || values.length === 0) return undefined;
  try {
    return values.map((v) => parseFaultSchedule(v, { durationS }));
  } catch (err) {
    if (err instanceof FaultSpecError) throw new HarnessError('JOBBENCH_CLI_ERR_FAULT', err.message, { cause: err });
    throw err;
  }
}

/** --k6-thresholds: a JSON object of k6 metric name -> threshold expressions. */
export function parseThresholds(raw: string | undefined): Record<string, string[]> | undefined {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`--k6-thresholds must be JSON, e.g. '{"http_req_duration":["p(99)<50"]}', got ${raw}`);
  }
  const ok =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === 'string'));
  if (!ok) throw new UsageError('--k6-thresholds must map each k6 metric to a non-empty array of expressions');
  return parsed as Record<string, string[]>;
}
