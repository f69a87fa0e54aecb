/** The closed sets of the results file: `as const` tables, their types derived, enumerated by the schema. */

/** `running`: written after every completed window while the run goes on (a killed run leaves it so). */
export const RUN_STATUSES = ['complete', 'aborted', 'running'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TOOLS = ['autocannon', 'k6', 'wrk'] as const;
export type Tool = (typeof TOOLS)[number];

/** Which command produced the file; absent means a plain `jobbench run`. */
export const RESULT_KINDS = ['run', 'adr', 'sweep', 'capacity', 'gate'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];

export const VIAS = ['direct', 'pgbouncer'] as const;
export type Via = (typeof VIAS)[number];

/** Which revision a cell measured, in a gate run that holds both sides in one file (rounds interleaved). */
export const SIDES = ['base', 'head'] as const;
export type Side = (typeof SIDES)[number];

export const METRICS_MODES = ['on', 'off'] as const;
export type MetricsMode = (typeof METRICS_MODES)[number];

/** What served the cell (bench/targets/kinds.ts); absent: node (files before target kinds). */
export const CELL_TARGET_KINDS = ['node', 'fastapi', 'external'] as const;
export type CellTargetKind = (typeof CELL_TARGET_KINDS)[number];
