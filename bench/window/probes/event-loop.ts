/**
 * The server's event loop and pool gauges, from its GET /internal/process (src/routes/internal.ts): read
 * with ?reset=1 at the start (a new event-loop window), every SAMPLE_INTERVAL_MS for the pool's waiting
 * clients, and once more at the end for the event loop's max delay since the reset. The max delay needs
 * only the two ends; the periodic reads are for the pool gauge, a level that can rise and fall within
 * the window: 2 + one per SAMPLE_INTERVAL_MS requests a window. Targets without the route (FastAPI,
 * external) are not asked.
 */
import { samplePeriodically } from '../../host/periodic.ts';
import { SAMPLE_INTERVAL_MS, type Probe, type ProbeContext, type ProbeReport, type WindowEnd } from '../probe.ts';
import { INTERNAL_PROCESS_PATH } from '../../../src/routes/internal.ts';

interface InternalProcess {
  eventLoop: { maxDelayMs: number };
  poolStats: { total: number; idle: number; waiting: number } | null;
}

const READ_TIMEOUT_MS = 2_000;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

async function read(ctx: ProbeContext, reset: boolean): Promise<InternalProcess | null> {
  try {
    const res = await ctx.server.fetch(`${INTERNAL_PROCESS_PATH}${reset ? '?reset=1' : ''}`, {
      timeoutMs: READ_TIMEOUT_MS,
    });
    return res.ok ? ((await res.json()) as InternalProcess) : null;
  } catch {
    return null;
  }
}

export function eventLoopProbe(intervalMs = SAMPLE_INTERVAL_MS): Probe {
  let active = false;
  let sampling: { stop(): Promise<void> } | undefined;
  let latest: InternalProcess | null = null; // the last read, null when it failed
  let poolWaitingMax: number | null = null; // null: the driver exposes no pool gauge
  return {
    name: 'event-loop',
    async start(ctx) {
      active = ctx.evidence.eventLoop;
      if (!active) return;
      let first = true;
      sampling = await samplePeriodically(intervalMs, async () => {
        latest = await read(ctx, first);
        first = false;
        if (latest?.poolStats) poolWaitingMax = Math.max(poolWaitingMax ?? 0, latest.poolStats.waiting);
      });
    },
    async stop(end: WindowEnd): Promise<ProbeReport> {
      await sampling?.stop(); // the last read: the max delay since the reset
      if (!end.measurement) return {};
      if (!active) return { round: { eventLoopMaxDelayMs: null, poolWaitingMax: null } };
      const maxDelayMs = (latest as InternalProcess | null)?.eventLoop.maxDelayMs ?? 0;
      return { round: { eventLoopMaxDelayMs: round3(maxDelayMs), poolWaitingMax } };
    },
  };
}
