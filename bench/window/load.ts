import type { ScenarioName } from '../../scenarios/catalog.ts';

/**
 * The load of one window, as far as the window and its probes need it: the schedule's LoadSpec is one
 * (it adds the fault schedule, which the window is handed apart), so the window imports nothing above it.
 */
export interface WindowLoad {
  scenario: ScenarioName;
  connections: number;
  rate?: number; // open model (k6): requests/s
  thinkTimeMs?: number; // concurrent users (k6 constant-vus)
}
