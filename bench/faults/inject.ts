import type { DbPower } from '../db/types.ts';
import { faultSpanMs, type Fault, type FaultSchedule } from './schedule.ts';
import { toxics, type ToxiproxyClient } from './toxiproxy.ts';

/**
 * Applies a fault schedule during one measured window, at offsets from the moment the load generator
 * started (RunHooks.onStart): Toxiproxy for the network faults, the database's power switch for
 * restarts, SIGKILL for the server. Every action is logged with the offset it actually happened at;
 * a failed action is logged with its reason and never throws (the window goes on and records it).
 */

/** How long a point `reset` keeps its reset_peer toxic: every connection that sends in that time is reset. */
export const RESET_HOLD_MS = 250;

export interface FaultTools {
  proxy?: { client: ToxiproxyClient; name: string }; // between the target and PostgreSQL
  database?: DbPower; // stop and start the same server (embedded)
  killServer: () => void;
}

export interface FaultEvent {
  spec: string;
  action: string; // "db stopped", "db started", "proxy disabled", "latency 50 ms on", "server killed", …
  atMs: number; // from the start of the measured load
  error?: string;
}

export interface RunningFaults {
  readonly events: FaultEvent[];
  /** Cancels what has not happened yet, waits for actions in flight, undoes what is still applied. */
  settle(): Promise<void>;
}

const toxicName = (fault: Fault) => `jobbench-${fault.kind}-${faultSpanMs(fault).startMs}`;

export function startFaults(schedule: FaultSchedule, tools: FaultTools): RunningFaults {
  const t0 = performance.now();
  const events: FaultEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const undo = new Map<string, () => Promise<void>>(); // what to do if the window ends with the fault on

  const act = (fault: Fault, action: string, fn: () => Promise<void> | void): Promise<void> => {
    const p = (async () => {
      try {
        await fn();
        events.push({ spec: fault.spec, action, atMs: Math.round(performance.now() - t0) });
      } catch (err) {
        events.push({
          spec: fault.spec,
          action,
          atMs: Math.round(performance.now() - t0),
          error: (err as Error).message,
        });
      }
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };
  let settled = false;
  const at = (ms: number, fn: () => void) => {
    if (settled) return;
    const timer = setTimeout(() => (timers.delete(timer), fn()), Math.max(0, ms - (performance.now() - t0)));
    timers.add(timer);
  };
  const proxy = () => {
    if (!tools.proxy) throw new Error('no Toxiproxy in this run');
    return tools.proxy;
  };
  const database = () => {
    if (!tools.database) throw new Error('this database cannot be restarted by jobbench');
    return tools.database;
  };

  for (const fault of schedule.faults) {
    const { startMs, endMs } = faultSpanMs(fault);
    const name = toxicName(fault);
    switch (fault.kind) {
      case 'db-restart':
        at(
          startMs,
          () =>
            void act(
              fault,
              'db stopped',
              () => (undo.set(fault.spec, () => database().resume()), database().pause()),
            ).then(() =>
              act(fault, 'db started', async () => {
                await database().resume();
                undo.delete(fault.spec);
              }),
            ),
        );
        break;
      case 'server-kill':
        at(startMs, () => void act(fault, 'server killed', tools.killServer));
        break;
      case 'db-down': {
        const enable = async () => void (await proxy().client.setEnabled(proxy().name, true));
        at(
          startMs,
          () =>
            void act(fault, 'proxy disabled', async () => {
              undo.set(fault.spec, enable);
              await proxy().client.setEnabled(proxy().name, false);
            }),
        );
        at(
          endMs,
          () =>
            void act(fault, 'proxy enabled', async () => {
              await enable();
              undo.delete(fault.spec);
            }),
        );
        break;
      }
      case 'latency': {
        const remove = async () => proxy().client.removeToxic(proxy().name, name);
        at(
          startMs,
          () =>
            void act(fault, `latency ${fault.latencyMs} ms on`, async () => {
              undo.set(fault.spec, remove);
              await proxy().client.addToxic(proxy().name, toxics.latency({ latencyMs: fault.latencyMs, name }));
            }),
        );
        at(
          endMs,
          () =>
            void act(fault, 'latency off', async () => {
              await remove();
              undo.delete(fault.spec);
            }),
        );
        break;
      }
      case 'reset': {
        const remove = async () => proxy().client.removeToxic(proxy().name, name);
        at(
          startMs,
          () =>
            void act(fault, 'connections reset', async () => {
              undo.set(fault.spec, remove);
              await proxy().client.addToxic(proxy().name, toxics.resetPeer({ afterMs: 0, stream: 'upstream', name }));
            }).then(() =>
              at(
                startMs + RESET_HOLD_MS,
                () =>
                  void act(fault, 'reset over', async () => {
                    await remove();
                    undo.delete(fault.spec);
                  }),
              ),
            ),
        );
        break;
      }
    }
  }

  return {
    events,
    async settle() {
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      for (const [spec, fn] of undo) {
        await fn().then(
          () => events.push({ spec, action: 'undone after the window', atMs: Math.round(performance.now() - t0) }),
          (err: Error) =>
            events.push({
              spec,
              action: 'undo after the window',
              atMs: Math.round(performance.now() - t0),
              error: err.message,
            }),
        );
      }
      undo.clear();
    },
  };
}

/** When the last fault of a schedule clears, in ms from the start of the window (for time to recover). */
export function clearedAtMs(schedule: FaultSchedule): number {
  return schedule.faults.reduce((max, f) => Math.max(max, faultSpanMs(f).endMs), 0);
}
