/**
 * What a window's probes share: the target and its evidence plan, one counted HTTP client per probe,
 * and the window's one PostgreSQL connection (bench/window/sampler-db.ts).
 */
import type { Tool } from '../results/types.ts';
import type { WindowLoad } from './load.ts';
import { evidencePlan } from '../targets/kinds.ts';
import type { Target, TargetSpec } from '../targets/spec.ts';
import type { Probe, ProbeContext } from './probe.ts';
import { openSamplerDb } from './sampler-db.ts';
import { serverRequests } from './server-requests.ts';

export function openWindowContext(args: {
  round: number;
  target: Target;
  spec: TargetSpec;
  load: WindowLoad;
  tool: Tool;
  /** Where the probes read PostgreSQL (the target's database; a gate side's own). */
  databaseUrl: string;
}) {
  const db = openSamplerDb(args.databaseUrl);
  const requests = serverRequests(args.target.baseUrl);
  const shared: Omit<ProbeContext, 'server'> = {
    round: args.round,
    target: args.target,
    spec: args.spec,
    load: args.load,
    tool: args.tool,
    evidence: evidencePlan(args.spec),
    db,
    requests,
  };
  return {
    db,
    requests,
    /** A probe's view: its requests to the server are counted under its name. */
    contextFor: (probe: Probe): ProbeContext => ({ ...shared, server: requests.as(probe.name) }),
    close: () => db.close(),
  };
}
