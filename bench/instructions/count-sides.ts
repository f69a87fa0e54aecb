import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import { oneLine } from '../../shared/harness-errors.ts';
import type { Instructions, SideCount } from '../results/instructions.ts';
import type { Side } from '../results/types.ts';
import { median } from '../stats/bootstrap.ts';
import type { CallgrindProfile } from './callgrind-file.ts';
import { valgrindAvailable, VALGRIND_INSTALL, type CountedServerSpec } from './callgrind-server.ts';
import { countOneStart, type CountSettings } from './count-start.ts';
import { functionChanges, meanPerRequest } from './function-diff.ts';

const run = promisify(execFile);

export interface CountPlan extends CountSettings {
  starts: number; // per side
  scenarios: readonly ScenarioName[];
  adapter: string;
  topFunctions: number; // rows kept per scenario in each function table
}

export type SideServer = Omit<CountedServerSpec, 'adapter' | 'name'>;

export function sideCount(
  values: readonly number[],
  apart?: { compile: readonly number[]; gc: readonly number[]; sweep?: readonly number[] },
): SideCount {
  const rounded = values.map((v) => Math.round(v));
  return {
    irPerRequest: rounded,
    ...(apart
      ? {
          compileIrPerRequest: apart.compile.map((v) => Math.round(v)),
          gcIrPerRequest: apart.gc.map((v) => Math.round(v)),
          ...(apart.sweep ? { sweepIrPerRequest: apart.sweep.map((v) => Math.round(v)) } : {}),
        }
      : {}),
    medianIrPerRequest: Math.round(median(values)),
    minIrPerRequest: Math.min(...rounded),
    maxIrPerRequest: Math.max(...rounded),
  };
}

/**
 * Instructions per request of base and head: `starts` server starts per side, base and head counted at
 * the same time (a count does not care about contention: that is its point), each start counting every
 * scenario in turn. Never throws for the count's own sake: without valgrind, or when a start fails, the
 * metric is "unavailable" with the reason, and the rest of the gate goes on.
 */
export async function countSides(
  plan: CountPlan,
  sides: Readonly<Record<Side, SideServer>>,
  log: (line: string) => void,
): Promise<Instructions> {
  if (!valgrindAvailable()) return { status: 'unavailable', reason: `valgrind is not installed: ${VALGRIND_INSTALL}` };
  const roots = [sides.base.root, sides.head.root];
  const profiles: Record<
    Side,
    Map<ScenarioName, { ir: number[]; compile: number[]; gc: number[]; sweep: number[]; profiles: CallgrindProfile[] }>
  > = {
    base: new Map(),
    head: new Map(),
  };
  try {
    const version = (await run('valgrind', ['--version'])).stdout.trim();
    for (let start = 1; start <= plan.starts; start++) {
      log(`instructions: start ${start}/${plan.starts}, base and head under callgrind`);
      const settled = await Promise.allSettled(
        (['base', 'head'] as const).map(async (side) => {
          const spec = {
            ...sides[side],
            adapter: plan.adapter,
            name: `jobbench serve --adapter ${plan.adapter} (${side})`,
            primeCache: start === 1,
          };
          for (const c of await countOneStart(spec, plan.scenarios, plan, roots)) {
            const s = profiles[side].get(c.scenario) ?? { ir: [], compile: [], gc: [], sweep: [], profiles: [] };
            s.ir.push(c.irPerRequest);
            s.compile.push(c.compileIrPerRequest);
            s.gc.push(c.gcIrPerRequest);
            s.sweep.push(c.sweepIrPerRequest);
            s.profiles.push(c.profile);
            profiles[side].set(c.scenario, s);
          }
        }),
      );
      // allSettled: both servers are stopped before a failure of either is reported
      for (const r of settled) if (r.status === 'rejected') throw r.reason;
    }
    return {
      status: 'counted',
      method: 'callgrind_control',
      adapter: plan.adapter,
      starts: plan.starts,
      warmupRequests: plan.warmupRequests,
      requests: plan.requests,
      seed: plan.seed,
      valgrind: version,
      scenarios: plan.scenarios.map((scenario) => {
        const b = profiles.base.get(scenario)!;
        const h = profiles.head.get(scenario)!;
        const changes = functionChanges(
          meanPerRequest(b.profiles, plan.requests),
          meanPerRequest(h.profiles, plan.requests),
          plan.topFunctions,
        );
        return { scenario, base: sideCount(b.ir, b), head: sideCount(h.ir, h), ...changes };
      }),
    };
  } catch (err) {
    return { status: 'unavailable', reason: `counting failed: ${oneLine(err)}` };
  }
}
