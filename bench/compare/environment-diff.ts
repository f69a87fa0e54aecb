import type { Environment } from '../results/types.ts';

/**
 * What differs between the environments of two results files. The machine fields decide whether the
 * comparison is advisory: the same commit has measured 6× apart on two machines of one kind
 * (DESIGN.md "How we measure" 9), so absolute differences between machines are not evidence.
 */
export const ENVIRONMENT_FIELDS = [
  { id: 'cpuModel', label: 'CPU model', machine: true },
  { id: 'cpus', label: 'cores', machine: true },
  { id: 'memoryBytes', label: 'memory (bytes)', machine: true },
  { id: 'os', label: 'kernel/OS', machine: true },
  { id: 'node', label: 'Node.js', machine: false },
  { id: 'postgres', label: 'PostgreSQL', machine: false },
  { id: 'drivers', label: 'drivers', machine: false },
  { id: 'gitCommit', label: 'git commit', machine: false },
] as const;
export type EnvironmentFieldId = (typeof ENVIRONMENT_FIELDS)[number]['id'];

export interface EnvironmentDifference {
  field: EnvironmentFieldId | `drivers.${string}`;
  label: string;
  base: string;
  head: string;
  machine: boolean;
}

export interface EnvironmentDiff {
  sameRun: boolean; // both sides from one gate run: one environment, nothing can differ
  differences: EnvironmentDifference[];
  machineDiffers: boolean;
  advisory: boolean; // verdicts are advisory: the machines differ
  note: string | null; // what a reader must know, one or two sentences
}

export const ADVISORY_NOTE =
  'The two files come from different machines: absolute differences are not evidence of a change, and these verdicts are advisory. Measure both revisions in one run (jobbench gate) for a verdict that counts.';
export const SEPARATE_RUNS_NOTE =
  'The two files come from separate runs on the same machine: drift between the runs is not controlled (a gate interleaves both sides in one run).';

const text = (v: unknown) => (v === null || v === undefined ? '–' : String(v));

export function diffEnvironments(base: Environment, head: Environment, sameRun = false): EnvironmentDiff {
  const differences: EnvironmentDifference[] = [];
  for (const f of ENVIRONMENT_FIELDS) {
    if (f.id === 'drivers') {
      const names = [...new Set([...Object.keys(base.drivers), ...Object.keys(head.drivers)])].sort();
      for (const name of names) {
        if (base.drivers[name] !== head.drivers[name])
          differences.push({
            field: `drivers.${name}`,
            label: `driver ${name}`,
            base: text(base.drivers[name]),
            head: text(head.drivers[name]),
            machine: false,
          });
      }
    } else if (base[f.id] !== head[f.id]) {
      differences.push({
        field: f.id,
        label: f.label,
        base: text(base[f.id]),
        head: text(head[f.id]),
        machine: f.machine,
      });
    }
  }
  const machineDiffers = !sameRun && differences.some((d) => d.machine);
  return {
    sameRun,
    differences: sameRun ? [] : differences,
    machineDiffers,
    advisory: machineDiffers,
    note: sameRun ? null : machineDiffers ? ADVISORY_NOTE : SEPARATE_RUNS_NOTE,
  };
}
