/**
 * The command line and environment of one k6 process of a window: pure, so the split into execution
 * segments and the remote-write settings are checked by table-driven tests.
 */
import type { Executor } from '../../../scenarios/k6/load-shapes.ts';
import type { LoadWindow } from '../types.ts';

/** Knobs of a k6 window beyond LoadWindow (the open-model pool, the shape), all optional. */
export interface K6WindowExtras {
  executor?: Executor; // default: constant-arrival-rate when window.rate is set, else constant-vus
  preAllocatedVUs?: number;
  maxVUs?: number; // a tiny value makes an overloaded run drop iterations on purpose
  rampS?: number; // ramping-arrival-rate
  startRatePerS?: number; // ramping-arrival-rate
}
export type K6Window = LoadWindow & { k6?: NonNullable<LoadWindow['k6']> & K6WindowExtras };

export interface K6InstancePlan {
  index: number; // 0-based
  count: number;
  scriptPath: string;
  csvPath: string; // per-request samples
  summaryPath: string; // handleSummary's JSON
}

/** "0", "1/3", "2/3", "1": the bounds of N equal execution segments. */
export function segmentBound(i: number, n: number): string {
  if (i === 0) return '0';
  if (i === n) return '1';
  return `${i}/${n}`;
}

/** k6's --execution-segment and --execution-segment-sequence for instance i of n (none for n = 1). */
export function executionSegmentArgs(i: number, n: number): string[] {
  if (n <= 1) return [];
  const sequence = Array.from({ length: n + 1 }, (_, k) => segmentBound(k, n)).join(',');
  return [
    '--execution-segment',
    `${segmentBound(i, n)}:${segmentBound(i + 1, n)}`,
    '--execution-segment-sequence',
    sequence,
  ];
}

export function resolveExecutor(window: K6Window): Executor {
  return window.k6?.executor ?? (window.rate !== undefined ? 'constant-arrival-rate' : 'constant-vus');
}

/** The script's __ENV (scenarios/k6/config.ts), passed with -e so that nothing else leaks in. */
export function scriptEnv(window: K6Window, summaryPath: string): Record<string, string> {
  const executor = resolveExecutor(window);
  const env: Record<string, string> = {
    SCENARIO: window.scenario,
    BASE_URL: window.baseUrl,
    EXECUTOR: executor,
    DURATION: String(window.durationS),
    TIMEOUT: String(window.timeoutS),
    SEED: String(window.seed),
    JOB_COUNT: String(window.jobCount),
    SUMMARY_PATH: summaryPath,
  };
  if (executor === 'constant-vus') {
    env.VUS = String(window.connections);
    if (window.thinkTimeMs !== undefined && window.thinkTimeMs > 0) env.THINK_TIME = String(window.thinkTimeMs);
  } else {
    if (window.thinkTimeMs)
      throw new Error(`k6 executor ${executor} starts requests at a rate: think time does not apply`);
    if (window.rate === undefined) throw new Error(`k6 executor ${executor} needs a rate (LoadWindow.rate)`);
    env.RATE = String(window.rate);
  }
  const k6 = window.k6 ?? {};
  if (k6.preAllocatedVUs !== undefined) env.PRE_ALLOCATED_VUS = String(k6.preAllocatedVUs);
  if (k6.maxVUs !== undefined) env.MAX_VUS = String(k6.maxVUs);
  if (k6.rampS !== undefined) env.RAMP = String(k6.rampS);
  if (k6.startRatePerS !== undefined) env.START_RATE = String(k6.startRatePerS);
  if (k6.thresholds !== undefined) env.THRESHOLDS = JSON.stringify(k6.thresholds);
  return env;
}

/** argv after the k6 binary. */
export function k6Args(window: K6Window, plan: K6InstancePlan): string[] {
  const args = [
    'run',
    '--quiet', // no progress bar
    '--no-color',
    '--no-usage-report', // k6 would otherwise report usage to Grafana Labs
    '--address',
    '', // no REST API: N instances would fight over localhost:6565
    '--include-system-env-vars=false', // __ENV holds only what -e passes
    '--out',
    `csv=${plan.csvPath}`,
  ];
  for (const [key, value] of Object.entries(scriptEnv(window, plan.summaryPath))) args.push('-e', `${key}=${value}`);
  args.push(...executionSegmentArgs(plan.index, plan.count));
  const rw = window.k6?.prometheusRw;
  if (rw !== undefined) {
    args.push('--out', 'experimental-prometheus-rw');
    args.push('--tag', `testid=${window.k6?.testId ?? 'jobbench'}`);
    // One series per k6 process: two processes writing the same series would overwrite each other.
    // Same tag name as k6-operator gives its runner pods, so that queries work on both.
    args.push('--tag', `instance_id=${plan.index}`);
  }
  args.push(plan.scriptPath);
  return args;
}

/**
 * The environment of the k6 process: a minimal one, since k6 reads K6_* variables as options (a stray
 * K6_DURATION in the caller's shell would change the run), plus the remote-write settings.
 */
export function k6ProcessEnv(window: K6Window, parentEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'])
    if (parentEnv[key] !== undefined) env[key] = parentEnv[key];
  // The per-request output's timestamps in ms (default: whole seconds): the per-second timeline is
  // placed against the window's start with them (k6-csv.ts).
  env.K6_CSV_TIME_FORMAT = 'unix_milli';
  const rw = window.k6?.prometheusRw;
  if (rw !== undefined) {
    env.K6_PROMETHEUS_RW_SERVER_URL = rw;
    env.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM = 'true';
    env.K6_PROMETHEUS_RW_PUSH_INTERVAL = '1s'; // default 5 s: too coarse for short windows and live panels
  }
  return env;
}
