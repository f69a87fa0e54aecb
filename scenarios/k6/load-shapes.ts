/**
 * Load shapes, defined once and reused by every k6 scenario (the quickpizza habit: a scenario *is* its
 * options). Plain data with no k6 imports, so Node tests and the runner can import it too.
 *
 * Closed model (constant-vus): N virtual users each send a request, wait for the answer, and send the
 * next one. The server's slowness slows the load down, so this measures throughput at a concurrency.
 * Open model (arrival-rate): requests start at a fixed rate whatever the server does, like real users;
 * this measures the latency users would see at that rate. k6 needs a free VU for every request in
 * flight; when none is left it drops the iteration (dropped_iterations), and the run is then invalid
 * for latency claims (DESIGN.md "How we measure" 5).
 */

export const EXECUTORS = ['constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate'] as const;
export type Executor = (typeof EXECUTORS)[number];

/** Executors that start requests at a rate (open model) rather than keeping N users busy. */
export const OPEN_MODEL_EXECUTORS: readonly Executor[] = ['constant-arrival-rate', 'ramping-arrival-rate'];

/**
 * Sizing of the VU pool of an arrival-rate executor, by Little's law (requests in flight = rate × latency).
 * Pre-allocate enough VUs for responses of up to 250 ms: k6 drops an iteration whenever no VU is free at
 * its start time and only then creates one (about 1 ms of CPU and 0.4 MB each, measured with k6 v1.8.1),
 * so a pool sized for the happy path drops iterations at the first hiccup of a shared machine.
 * Let k6 add VUs up to the in-flight count of 1 s responses and no further: past that the generator
 * would spend its CPU creating VUs, and a server that answers in over a second at this rate has
 * already failed any latency SLO.
 */
export const VU_SIZING = {
  preAllocatedLatencyS: 0.25, // 250 ms
  maxLatencyS: 1, // 1 s
  minPreAllocatedVUs: 10,
  minMaxVUs: 50, // a low rate of slow requests (stats) still needs a few VUs
  maxMaxVUs: 2_000, // each k6 VU costs about 0.4 MB and a goroutine
} as const;

export interface VuPool {
  preAllocatedVUs: number;
  maxVUs: number;
}

/** VU pool for a target rate in requests/s; explicit values win (a tiny maxVUs shows dropping on purpose). */
export function vuPoolForRate(ratePerS: number, explicit: Partial<VuPool> = {}): VuPool {
  const s = VU_SIZING;
  const maxVUs = explicit.maxVUs ?? Math.min(s.maxMaxVUs, Math.max(s.minMaxVUs, Math.ceil(ratePerS * s.maxLatencyS)));
  const pre = explicit.preAllocatedVUs ?? Math.max(s.minPreAllocatedVUs, Math.ceil(ratePerS * s.preAllocatedLatencyS));
  return { preAllocatedVUs: Math.min(pre, maxVUs), maxVUs };
}

/** What a shape needs; durations in seconds. */
export interface ShapeInput {
  executor: Executor;
  durationS: number;
  vus: number; // closed model
  ratePerS: number; // open model: target (for ramping: the rate reached and held)
  rampS: number; // ramping-arrival-rate: time to go from startRatePerS to ratePerS
  startRatePerS: number;
  timeoutS: number; // per request: in-flight requests get this long to finish at the end
  vuPool?: Partial<VuPool>;
}

/** The k6 scenario objects we produce (a subset of k6's own types in k6/options). */
interface ScenarioBase {
  gracefulStop: string;
}
export type K6Scenario =
  | (ScenarioBase & { executor: 'constant-vus'; vus: number; duration: string })
  | (ScenarioBase & VuPool & { executor: 'constant-arrival-rate'; rate: number; timeUnit: string; duration: string })
  | (ScenarioBase &
      VuPool & {
        executor: 'ramping-arrival-rate';
        startRate: number;
        timeUnit: string;
        stages: { target: number; duration: string }[];
      });

const seconds = (s: number): string => `${Math.round(s * 1000)}ms`;

/** The k6 scenario for a load shape. */
export function loadShape(input: ShapeInput): K6Scenario {
  // Requests in flight at the end get their own timeout to finish, then k6 interrupts them.
  const gracefulStop = seconds(input.timeoutS);
  switch (input.executor) {
    case 'constant-vus':
      return { executor: 'constant-vus', vus: input.vus, duration: seconds(input.durationS), gracefulStop };
    case 'constant-arrival-rate':
      return {
        executor: 'constant-arrival-rate',
        rate: input.ratePerS,
        timeUnit: '1s',
        duration: seconds(input.durationS),
        ...vuPoolForRate(input.ratePerS, input.vuPool),
        gracefulStop,
      };
    case 'ramping-arrival-rate': {
      // Ramp, then hold the target for the rest of the window: the hold is where the SLO is judged.
      const rampS = Math.min(input.rampS, input.durationS);
      const stages = [{ target: input.ratePerS, duration: seconds(rampS) }];
      if (input.durationS > rampS) stages.push({ target: input.ratePerS, duration: seconds(input.durationS - rampS) });
      return {
        executor: 'ramping-arrival-rate',
        startRate: input.startRatePerS,
        timeUnit: '1s',
        stages,
        ...vuPoolForRate(input.ratePerS, input.vuPool),
        gracefulStop,
      };
    }
  }
}

/** Requests a shape is planned to start (open model only): the integral of its rate over time. */
export function plannedIterations(input: ShapeInput): number | undefined {
  if (input.executor === 'constant-arrival-rate') return input.ratePerS * input.durationS;
  if (input.executor === 'ramping-arrival-rate') {
    const rampS = Math.min(input.rampS, input.durationS);
    return ((input.startRatePerS + input.ratePerS) / 2) * rampS + input.ratePerS * (input.durationS - rampS);
  }
  return undefined;
}
