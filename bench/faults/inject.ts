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
  atMs: number; // when the action began, ms from the start of the measured load
  tookMs: number; // how long it took (a database shutdown under load: about a second)
  clears?: true; // this action ended the fault: time to recover counts from its end
  via?: string; // db-restart: what stopped and started the server ("pg_ctlcluster 15 main", "embedded postgres …")
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

  const act = (fault: Fault, action: string, fn: () => Promise<void> | void, clears = false): Promise<void> => {
    const p = (async () => {
      const begin = performance.now();
      const event: FaultEvent = { spec: fault.spec, action, atMs: Math.round(begin - t0), tookMs: 0 };
      if (fault.kind === 'db-restart' && tools.database) event.via = tools.database.controller;
      try {
        await fn();
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
              act(
                fault,
                'db started',
                async () => {
                  await database().resume();
                  undo.delete(fault.spec);
                },
                true,
              ),
            ),
        );
        break;
      case 'server-kill':
        at(startMs, () => void act(fault, 'server killed', tools.killServer, true));
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
            void act(
              fault,
              'proxy enabled',
              async () => {
                await enable();
                undo.delete(fault.spec);
              },
              true,
            ),
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
            void act(
              fault,
              'latency off',
              async () => {
                await remove();
                undo.delete(fault.spec);
              },
              true,
            ),
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
                  void act(
                    fault,
                    'reset over',
                    async () => {
                      await remove();
                      undo.delete(fault.spec);
                    },
                    true,
                  ),
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
    const done = events.filter((e) => e.spec === f.spec && e.clears && !e.error).map((e) => e.atMs + e.tookMs);
    return Math.max(max, done.length > 0 ? Math.max(...done) : faultSpanMs(f).endMs);
  }, 0);
}
