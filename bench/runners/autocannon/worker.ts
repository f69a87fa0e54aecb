/**
 * The autocannon load generator, run in its own process (forked by runner.ts, kept between windows): load
 * is never generated inside the process being measured, nor inside the runner that samples the server.
 * Every response time (autocannon reports it in ms with ns resolution from process.hrtime) goes into
 * our µs HDR histogram: autocannon's own histogram keeps whole milliseconds.
 *
 * A setupRequest() hook makes autocannon rebuild the request for every request (RequestIterator
 * rebuildRequest: two Object.assign, header strings, Buffer.from, a hyperid). Scenarios whose single
 * request never varies (health, stats) get a static request instead, built once per connection; the
 * requests sent are the same. On /health (32 connections, 10 s × 3 interleaved, scripts/generator-cost.ts
 * on a shared 2-core machine) this took the worker from 103–116 to 74–92 µs CPU per request; plain
 * autocannon measured 66–69 and wrk 33–35. What is left over plain autocannon is the µs histogram and
 * the per-response listener, which are what we measure.
 */
import autocannon from 'autocannon';
import { SCENARIOS, nextRequest, type GeneratedRequest } from '../../../scenarios/catalog.ts';
import { createRng } from '../../../shared/prng.ts';
import { createLatencyHistogram, encodeHistogram, recordLatencyUs, type Histogram } from '../../stats/histogram.ts';
import { isAdmittedStatus, type LoadWindow, type WindowMeasurement } from '../types.ts';
import { fixedRequest } from '../fixed-request.ts';
import { createSecondCounter } from '../../faults/second-counts.ts';

function withBody(r: GeneratedRequest) {
  return {
    method: r.method,
    path: r.path,
    ...(r.body === undefined ? {} : { body: r.body, headers: { 'content-type': 'application/json' } }),
  };
}

/** Every response but the shed ones: `all` minus `shed`, both recorded with the same layout. */
function admittedOf(all: Histogram, shed: Histogram): Histogram {
  const admitted = createLatencyHistogram();
  admitted.add(all);
  admitted.subtract(shed);
  return admitted;
}

function measure(window: LoadWindow): Promise<WindowMeasurement> {
  const scenario = SCENARIOS[window.scenario];
  const rng = createRng(window.seed);
  const data = { jobCount: window.jobCount };
  const fixed = fixedRequest(scenario, data);
  const histogram = createLatencyHistogram();
  // The shed 503s apart (rare): admitted = all − shed at the end, not a second record per response.
  const shed = createLatencyHistogram();
  const statusCodes: Record<string, number> = {};
  let requests = 0;
  let bytes = 0;
  const cpuStart = process.cpuUsage();
  const startedNs = process.hrtime.bigint();
  const counter = createSecondCounter(); // per-second outcomes by status or error code (bench/faults/)
  const sinceStartMs = () => Number(process.hrtime.bigint() - startedNs) / 1e6;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: window.baseUrl,
        connections: window.connections,
        duration: window.durationS,
        timeout: window.timeoutS,
        pipelining: 1,
        requests: [
          fixed !== undefined
            ? withBody(fixed)
            : {
                setupRequest: (req: autocannon.Request) => {
                  const next = nextRequest(scenario, rng, data);
                  return { ...req, ...withBody(next) };
                },
              },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const cpu = process.cpuUsage(cpuStart);
        const durationS = Number(process.hrtime.bigint() - startedNs) / 1e9;
        // Sent but neither answered nor failed: beyond the requests in flight when the window closed
        // (at most one per connection), a request that got no answer at all.
        const answered = requests + result.errors;
        const noAnswer = Math.max(0, result.requests.sent - answered - window.connections);
        const non2xx = Object.entries(statusCodes).reduce(
          (n, [code, count]) => (code.startsWith('2') ? n : n + count),
          0,
        );
        resolve({
          durationS,
          requests,
          statusCodes,
          errors: result.errors, // autocannon counts timeouts among errors
          timeouts: result.timeouts,
          non2xx,
          bytes,
          histogram: encodeHistogram(histogram),
          ...(shed.totalCount > 0 ? { admittedHistogram: encodeHistogram(admittedOf(histogram, shed)) } : {}),
          generatorCpuUs: cpu.user + cpu.system,
          timeline: counter.finish(window.durationS, noAnswer),
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => {
      requests++;
      bytes += resBytes;
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      const latencyUs = Math.max(1, Math.round(responseTimeMs * 1000));
      recordLatencyUs(histogram, latencyUs);
      if (!isAdmittedStatus(statusCode)) recordLatencyUs(shed, latencyUs);
      counter.record(sinceStartMs(), statusCode);
    });
    // Connection errors (ECONNREFUSED, ECONNRESET) and timeouts: a request without a response.
    instance.on('reqError', (err: NodeJS.ErrnoException) =>
      counter.record(sinceStartMs(), err.code ?? (/timed out/.test(err.message) ? 'ETIMEDOUT' : 'error')),
    );
    process.send!({ type: 'started' });
    stopCurrent = () => instance.stop();
  });
}

/** Stops the window in progress (a 'stop' message: Ctrl-C in the runner). */
let stopCurrent: (() => void) | undefined;

// The runner is gone (killed, exited on a second Ctrl-C, or done and exiting): stop at once.
process.on('disconnect', () => process.exit(1));

// One window at a time, as many as the runner sends: the runner keeps this process between windows,
// because forking it (node, tsx, autocannon) took ~1.3 s of every window of 2 (2 forks per window).
process.on('message', (msg: { type: 'run'; window: LoadWindow } | { type: 'stop' }) => {
  if (msg.type === 'stop') return stopCurrent?.();
  measure(msg.window).then(
    (measurement) => {
      stopCurrent = undefined;
      process.send!({ type: 'result', measurement });
    },
    (err: Error) => process.send!({ type: 'error', message: err.message }, () => process.exit(1)),
  );
});
