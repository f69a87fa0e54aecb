import { ADAPTERS, isAdapterName } from '../../src/adapters/registry.ts';
import type { Cell } from '../results/types.ts';
import type { TargetSpec } from './spec.ts';
import { FASTAPI_TARGETS, isFastapiTargetName } from './fastapi-targets.ts';
import type { TargetStyle } from './styles.ts';
import { targetApplicationName } from '../../shared/application-names.ts';

/**
 * The kinds of target: anything that serves the job API contract (docs/readme/api.md). Each row says
 * who starts it and which server-side evidence it can give (DESIGN.md, rule 7); `start` is in
 * bench/targets/start.ts (it imports the launchers). Consumers enumerate this table.
 */
export const TARGET_KINDS = {
  node: {
    what: 'a Node adapter, served by `jobbench serve` as a child process',
    started: true,
    process: '/proc of the `jobbench serve` process tree (one process, or the primary and its `--workers`)',
    eventLoop: true, // /internal/process: event-loop delay and pool gauges
  },
  fastapi: {
    what: 'a FastAPI target (targets/fastapi, ADR-003 stack) under uvicorn, started by jobbench',
    started: true,
    process: '/proc, summed over the uvicorn process tree (supervisor and workers)',
    eventLoop: false,
  },
  external: {
    what: 'a URL that jobbench does not start (--target label=URL)',
    started: false,
    process: null, // n/a: not our process, maybe not even on this machine
    eventLoop: false,
  },
} as const satisfies Record<string, { what: string; started: boolean; process: string | null; eventLoop: boolean }>;

export type TargetKindName = keyof typeof TARGET_KINDS;
export const TARGET_KIND_NAMES = Object.keys(TARGET_KINDS) as TargetKindName[];

export const NO_PROCESS_EVIDENCE = 'n/a: external target';

/** The kind of a spec (absent: node, as every spec was before target kinds). */
export function kindOf(spec: Pick<TargetSpec, 'kind'>): TargetKindName {
  return spec.kind === undefined || spec.kind === 'revision' ? 'node' : spec.kind;
}

/** The kind a started target's name belongs to: Node adapter or FastAPI target; null for anything else. */
export function startedKindOf(name: string): 'node' | 'fastapi' | null {
  if (isAdapterName(name)) return 'node';
  if (isFastapiTargetName(name)) return 'fastapi';
  return null;
}

/**
 * A started target's endpoint style (bench/targets/styles.ts); null for an external target. A Node
 * adapter is async or sync (pg-sync, the sync baseline: blocking per process, but with one process per
 * connection by default, bench/target-workers.ts); a FastAPI target's style is its row's.
 */
export function styleOf(name: string): TargetStyle | null {
  if (isAdapterName(name)) return ADAPTERS[name].async ? 'async' : 'sync';
  if (isFastapiTargetName(name)) return FASTAPI_TARGETS[name].style;
  return null;
}

/** How the sampler reads a target's evidence during a window. */
export interface EvidencePlan {
  /** null: no process evidence, with this reason */
  process: { tree: boolean } | { na: string };
  /** Backends counted in pg_stat_activity: by application_name, or every client backend of the database but the harness's. */
  backends: { applicationName: string } | { allButHarness: true };
  eventLoop: boolean;
}

export function evidencePlan(spec: TargetSpec): EvidencePlan {
  const eventLoop = TARGET_KINDS[kindOf(spec)].eventLoop;
  if (spec.kind !== 'external')
    return { process: { tree: true }, backends: { applicationName: targetApplicationName(spec.adapter) }, eventLoop };
  return {
    process: { na: NO_PROCESS_EVIDENCE },
    backends: spec.applicationName ? { applicationName: spec.applicationName } : { allButHarness: true },
    eventLoop,
  };
}

/** What the results say about where a cell's evidence came from (Cell.evidence). */
export function evidenceDescription(spec: TargetSpec): { process: string; dbBackends: string } {
  const plan = evidencePlan(spec);
  return {
    process: 'na' in plan.process ? plan.process.na : TARGET_KINDS[kindOf(spec)].process!,
    dbBackends:
      'applicationName' in plan.backends
        ? `pg_stat_activity where application_name = '${plan.backends.applicationName}'`
        : "pg_stat_activity: every client backend of DATABASE_URL's database but the harness's own (give ,app=NAME to count one application)",
  };
}

/** The fields a cell carries about its target (absent for a Node target: results files before target kinds read alike). */
export function targetCellFields(
  spec: TargetSpec,
): Pick<Cell, 'targetKind' | 'targetUrl' | 'evidence' | 'contractDifferences'> {
  const kind = kindOf(spec);
  return {
    ...(kind === 'node' ? {} : { targetKind: kind }),
    ...(spec.kind === 'external' ? { targetUrl: spec.url } : {}),
    ...(spec.kind === 'external' && spec.contractDifferences?.length
      ? { contractDifferences: spec.contractDifferences }
      : {}),
    evidence: evidenceDescription(spec),
  };
}
