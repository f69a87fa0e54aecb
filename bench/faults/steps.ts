import { faultSpanMs, type Fault } from './schedule.ts';
import { toxics, type ToxiproxyClient } from './toxiproxy.ts';
import type { DbPower } from '../db/types.ts';

/** How long a point `reset` keeps its reset_peer toxic: every connection that sends in that time is reset. */
export const RESET_HOLD_MS = 250;

export interface FaultTools {
  proxy?: { client: ToxiproxyClient; name: string }; // between the target and PostgreSQL
  database?: DbPower; // stop and start the same server (embedded)
  killServer: () => void;
}

/** One logged action of a fault. */
export interface FaultStep {
  action: string; // as the window's fault log says it: "proxy disabled"
  run: () => Promise<void> | void;
}

/**
 * What one fault does: `on` at its start; `off` (which also undoes `on` if the window ends first) at
 * its end, right after `on` completes (a restart), or RESET_HOLD_MS after its start (a reset); a fault
 * without `off` (server-kill) clears with `on` itself.
 */
export interface FaultSteps {
  on: FaultStep;
  off?: FaultStep & { at: 'end' | 'after-on' | 'after-hold' };
}

const toxicName = (fault: Fault) => `jobbench-${fault.kind}-${faultSpanMs(fault).startMs}`;

/** The steps of each kind of fault, with the tools a run has; a missing tool fails the step (logged), not the run. */
export function stepsOf(fault: Fault, tools: FaultTools): FaultSteps {
  const proxy = () => {
    if (!tools.proxy) throw new Error('no Toxiproxy in this run');
    return tools.proxy;
  };
  const database = () => {
    if (!tools.database) throw new Error('this database cannot be restarted by jobbench');
    return tools.database;
  };
  const removeToxic = async () => proxy().client.removeToxic(proxy().name, toxicName(fault));
  switch (fault.kind) {
    case 'db-restart':
      return {
        on: { action: 'db stopped', run: () => database().pause() },
        off: { action: 'db started', run: () => database().resume(), at: 'after-on' },
      };
    case 'server-kill':
      return { on: { action: 'server killed', run: tools.killServer } };
    case 'db-down':
      return {
        on: { action: 'proxy disabled', run: async () => void (await proxy().client.setEnabled(proxy().name, false)) },
        off: {
          action: 'proxy enabled',
          run: async () => void (await proxy().client.setEnabled(proxy().name, true)),
          at: 'end',
        },
      };
    case 'latency':
      return {
        on: {
          action: `latency ${fault.latencyMs} ms on`,
          run: async () =>
            void (await proxy().client.addToxic(
              proxy().name,
              toxics.latency({ latencyMs: fault.latencyMs, name: toxicName(fault) }),
            )),
        },
        off: { action: 'latency off', run: removeToxic, at: 'end' },
      };
    case 'reset':
      return {
        on: {
          action: 'connections reset',
          run: async () =>
            void (await proxy().client.addToxic(
              proxy().name,
              toxics.resetPeer({ afterMs: 0, stream: 'upstream', name: toxicName(fault) }),
            )),
        },
        off: { action: 'reset over', run: removeToxic, at: 'after-hold' },
      };
  }
}
