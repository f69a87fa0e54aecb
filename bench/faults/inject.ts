import type { FaultEvent } from '../results/faults.ts';
import { faultSpanMs, type Fault, type FaultSchedule } from './schedule.ts';
import { RESET_HOLD_MS, stepsOf, type FaultStep, type FaultTools } from './steps.ts';

/**
 * Applies a fault schedule during one measured window, at offsets from the moment the load generator
 * started (RunHooks.onStart): Toxiproxy for the network faults, the database's power switch for
 * restarts, SIGKILL for the server. Every action is logged with the offset it actually happened at;
 * a failed action is logged with its reason and never throws (the window goes on and records it).
 */

export interface RunningFaults {
  readonly events: FaultEvent[];
  /** Cancels what has not happened yet, waits for actions in flight, undoes what is still applied. */
  settle(): Promise<void>;
}

export function startFaults(schedule: FaultSchedule, tools: FaultTools): RunningFaults {
  const t0 = performance.now();
  const events: FaultEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const undo = new Map<string, () => Promise<void> | void>(); // what to do if the window ends with the fault on
  let settled = false;

  const act = (fault: Fault, step: FaultStep, clears: boolean): Promise<void> => {
    const p = (async () => {
      const begin = performance.now();
      const event: FaultEvent = { spec: fault.spec, action: step.action, atMs: Math.round(begin - t0), tookMs: 0 };
      if (fault.kind === 'db-restart' && tools.database) event.via = tools.database.controller;
      try {
        await step.run();
      } catch (err) {
        event.error = (err as Error).message;
      }
      event.tookMs = Math.round(performance.now() - begin);
      if (clears) event.clears = true;
      events.push(event);
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  const at = (ms: number, fn: () => void) => {
    if (settled) return;
    const timer = setTimeout(() => (timers.delete(timer), fn()), Math.max(0, ms - (performance.now() - t0)));
    timers.add(timer);
  };

  for (const fault of schedule.faults) {
    const { startMs, endMs } = faultSpanMs(fault);
    const { on, off } = stepsOf(fault, tools);
    const clear = off && {
      ...off,
      run: async () => {
        await off.run();
        undo.delete(fault.spec);
      },
    };
    const turnOn = () => {
      if (off) undo.set(fault.spec, off.run);
      return act(fault, on, off === undefined);
    };
    if (!clear) at(startMs, () => void turnOn());
    else if (clear.at === 'end') {
      at(startMs, () => void turnOn());
      at(endMs, () => void act(fault, clear, true));
    } else if (clear.at === 'after-on') at(startMs, () => void turnOn().then(() => act(fault, clear, true)));
    else at(startMs, () => void turnOn().then(() => at(startMs + RESET_HOLD_MS, () => void act(fault, clear, true))));
  }

  return {
    events,
    async settle() {
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      for (const [spec, fn] of undo) {
        await Promise.resolve()
          .then(fn)
          .then(
            () =>
              events.push({
                spec,
                action: 'undone after the window',
                atMs: Math.round(performance.now() - t0),
                tookMs: 0,
              }),
            (err: Error) =>
              events.push({
                spec,
                action: 'undo after the window',
                atMs: Math.round(performance.now() - t0),
                tookMs: 0,
                error: err.message,
              }),
          );
      }
      undo.clear();
    },
  };
}

/**
 * When the last fault actually cleared, in ms from the start of the window (time to recover counts
 * from here): the end of each fault's clearing action (a restarted database accepting connections
 * again, the proxy re-enabled), else the schedule's time for a fault whose clearing was not logged.
 */
export function clearedAtMs(schedule: FaultSchedule, events: readonly FaultEvent[] = []): number {
  return schedule.faults.reduce((max, f) => {
    const done = events.filter((e) => e.spec === f.spec && e.clears && !e.error).map((e) => e.atMs + (e.tookMs ?? 0));
    return Math.max(max, done.length > 0 ? Math.max(...done) : faultSpanMs(f).endMs);
  }, 0);
}
