import { FaultSpecError, type FaultErrorCode } from './errors.ts';

/**
 * Fault schedules as data: `--fault` specs such as `db-restart@5s`, `db-down@3s-8s`,
 * `latency=50ms@2s-6s`, `reset@4s`, `server-kill@5s` parsed into a frozen, validated schedule.
 * Times are offsets from the start of the measured window (the warm-up is never faulted).
 */
export const FAULT_KINDS = {
  'db-restart': {
    timing: 'point',
    needsProxy: false,
    value: null,
    example: 'db-restart@5s',
    does: 'restart PostgreSQL (stop and start by its provider)',
  },
  'db-down': {
    timing: 'window',
    needsProxy: true,
    value: null,
    example: 'db-down@3s-8s',
    does: 'cut the API off PostgreSQL (the proxy refuses and drops connections)',
  },
  latency: {
    timing: 'window',
    needsProxy: true,
    value: { field: 'latencyMs', unit: 'ms', min: 1, max: 60_000 },
    example: 'latency=50ms@2s-6s',
    does: 'delay every reply from PostgreSQL',
  },
  reset: {
    timing: 'point',
    needsProxy: true,
    value: null,
    example: 'reset@4s',
    does: 'reset every open connection to PostgreSQL (TCP RST)',
  },
  'server-kill': {
    timing: 'point',
    needsProxy: false,
    value: null,
    example: 'server-kill@5s',
    does: 'kill the API server (SIGKILL)',
  },
} as const satisfies Record<string, FaultKindInfo>;

interface FaultKindInfo {
  timing: 'point' | 'window'; // a point happens at one moment; a window holds from its start to its end
  needsProxy: boolean; // goes through Toxiproxy between the API and PostgreSQL
  value: { field: string; unit: 'ms'; min: number; max: number } | null;
  example: string; // for --help
  does: string;
}

export type FaultKind = keyof typeof FAULT_KINDS;
export const FAULT_KIND_NAMES = Object.keys(FAULT_KINDS) as FaultKind[];
type Info<K extends FaultKind> = (typeof FAULT_KINDS)[K];
type TimingOf<K extends FaultKind> = Info<K>['timing'] extends 'point'
  ? { atMs: number }
  : { startMs: number; endMs: number };
type ValueOf<K extends FaultKind> = Info<K>['value'] extends { field: infer F extends string }
  ? { readonly [P in F]: number }
  : unknown;

/** One scheduled fault; `spec` is the text it came from (for messages and the results file). */
export type Fault = { [K in FaultKind]: Readonly<{ kind: K; spec: string } & TimingOf<K>> & ValueOf<K> }[FaultKind];
export type PointFault = Extract<Fault, { atMs: number }>;
export type WindowFault = Extract<Fault, { startMs: number }>;

export interface FaultSchedule {
  readonly faults: readonly Fault[]; // sorted by start time
  readonly needsProxy: boolean; // true when any fault goes through Toxiproxy
  readonly durationS: number; // the measured window it was validated against
}

export const EMPTY_SCHEDULE: FaultSchedule = Object.freeze({
  faults: Object.freeze([]),
  needsProxy: false,
  durationS: 0,
});

const TIME = String.raw`(\d+(?:\.\d+)?)(ms|s)`;
const SPEC_RE = new RegExp(String.raw`^([A-Za-z][\w-]*)(?:=([^@]*))?@${TIME}(?:-${TIME})?$`);
const VALUE_RE = new RegExp(`^${TIME}$`);

/** What a valid spec looks like, from the table: used in every error message and in --help. */
export function faultUsage(): string {
  const forms = FAULT_KIND_NAMES.map((kind) => {
    const { timing, value } = FAULT_KINDS[kind];
    const v = value ? `=<${value.unit}>${value.unit}` : '';
    return `${kind}${v}@${timing === 'point' ? '<t>' : '<from>-<to>'}`;
  });
  return `valid: ${forms.join(', ')} (times like 5s or 500ms from the start of the measured window)`;
}

/** One help line per fault kind, for `--help`. */
export function faultHelpLines(): string[] {
  return FAULT_KIND_NAMES.map((kind) => `  ${FAULT_KINDS[kind].example.padEnd(22)} ${FAULT_KINDS[kind].does}`);
}

function fail(code: FaultErrorCode, spec: string, why: string): never {
  throw new FaultSpecError(code, spec, `--fault "${spec}": ${why}; ${faultUsage()}`);
}

function toMs(amount: string, unit: string): number {
  return Math.round(Number(amount) * (unit === 's' ? 1000 : 1));
}

/** Parses one spec (no commas); validated on its own, not yet against the window or other faults. */
export function parseFault(spec: string): Fault {
  const m = SPEC_RE.exec(spec);
  if (!m) return fail('JOBBENCH_ERR_FAULT_SYNTAX', spec, 'not <kind>[=<value>]@<time>[-<time>]');
  const [, name, rawValue, a, aUnit, b, bUnit] = m as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
    string?,
    string?,
  ];
  if (!Object.hasOwn(FAULT_KINDS, name)) return fail('JOBBENCH_ERR_FAULT_KIND', spec, `unknown fault "${name}"`);
  const kind = name as FaultKind;
  const info: FaultKindInfo = FAULT_KINDS[kind];

  const fields: Record<string, number> = {};
  if (info.value === null) {
    if (rawValue !== undefined) fail('JOBBENCH_ERR_FAULT_VALUE', spec, `${kind} takes no value`);
  } else {
    const { field, unit, min, max } = info.value;
    const vm = rawValue === undefined ? null : VALUE_RE.exec(rawValue);
    if (!vm) return fail('JOBBENCH_ERR_FAULT_VALUE', spec, `${kind} needs a value such as ${kind}=50${unit}`);
    const valueMs = toMs(vm[1]!, vm[2]!);
    if (valueMs < min || valueMs > max)
      fail('JOBBENCH_ERR_FAULT_VALUE', spec, `${kind} must be ${min}-${max} ${unit}, got ${valueMs} ${unit}`);
    fields[field] = valueMs;
  }

  const startMs = toMs(a, aUnit);
  if (info.timing === 'point') {
    if (b !== undefined)
      fail('JOBBENCH_ERR_FAULT_TIMING', spec, `${kind} happens at one moment (${kind}@<t>), not over a window`);
    return { kind, spec, atMs: startMs, ...fields } as Fault;
  }
  if (b === undefined)
    return fail('JOBBENCH_ERR_FAULT_TIMING', spec, `${kind} holds over a window (@<from>-<to>), not at one moment`);
  const endMs = toMs(b, bUnit!);
  if (endMs <= startMs)
    fail('JOBBENCH_ERR_FAULT_TIMING', spec, `the window ends (${endMs} ms) before it starts (${startMs} ms)`);
  return { kind, spec, startMs, endMs, ...fields } as Fault;
}

/** When a fault starts and when it clears, in ms from the start of the measured window (equal for a point). */
export function faultSpanMs(fault: Fault): { startMs: number; endMs: number } {
  return 'atMs' in fault ? { startMs: fault.atMs, endMs: fault.atMs } : { startMs: fault.startMs, endMs: fault.endMs };
}

/**
 * Parses `--fault` values (each may hold several specs separated by commas) into a frozen schedule
 * validated against the measured window: every fault starts at or after 0 and clears before the window
 * ends (so that recovery can be seen), and two faults of one kind do not overlap.
 */
export function parseFaultSchedule(values: string | readonly string[], measured: { durationS: number }): FaultSchedule {
  const specs = (typeof values === 'string' ? [values] : values)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const windowMs = measured.durationS * 1000;
  const faults = specs.map(parseFault).sort((x, y) => faultSpanMs(x).startMs - faultSpanMs(y).startMs);

  for (const fault of faults) {
    const { endMs } = faultSpanMs(fault);
    if (endMs >= windowMs) {
      fail(
        'JOBBENCH_ERR_FAULT_OUTSIDE_WINDOW',
        fault.spec,
        `clears at ${endMs / 1000} s, not before the measured window ends at ${measured.durationS} s`,
      );
    }
  }
  for (const [i, x] of faults.entries()) {
    const sx = faultSpanMs(x);
    for (const y of faults.slice(i + 1)) {
      const sy = faultSpanMs(y);
      // sorted by start: y starts at or after x; they overlap unless x has cleared by then (a point never overlaps a later point)
      const overlaps = sy.startMs < sx.endMs || sy.startMs === sx.startMs;
      if (x.kind === y.kind && overlaps) fail('JOBBENCH_ERR_FAULT_OVERLAP', y.spec, `overlaps "${x.spec}" (same kind)`);
    }
  }
  return Object.freeze({
    faults: Object.freeze(faults.map((f) => Object.freeze(f))),
    needsProxy: faults.some((f) => FAULT_KINDS[f.kind].needsProxy),
    durationS: measured.durationS,
  });
}
