import type { LoadRunner, Tool } from './types.ts';

/** Load runners by tool, loaded lazily (k6's needs a binary that may be absent). */
export const RUNNERS: Record<Tool, () => Promise<LoadRunner>> = {
  autocannon: () => import('./autocannon/runner.ts').then((m) => m.autocannonRunner),
  k6: () => import('./k6/runner.ts').then((m) => m.k6Runner),
  wrk: () => import('./wrk/runner.ts').then((m) => m.wrkRunner),
};
