import { ADAPTER_NAMES, isAdapterName, type AdapterName } from '../../src/adapters/registry.ts';
import type { ScenarioName } from '../../scenarios/catalog.ts';
import type { TargetSpec } from './spec.ts';
import {
  FASTAPI_TARGETS,
  FASTAPI_TARGET_NAMES,
  isFastapiTargetName,
  type FastapiTargetName,
} from './fastapi-targets.ts';
import { findPython, pythonEnvironment, type PythonInterpreter } from './python.ts';

/** The closed set of targets jobbench starts by name: the Node adapters, then the FastAPI targets. */
export const STARTED_TARGET_NAMES = [...ADAPTER_NAMES, ...FASTAPI_TARGET_NAMES] as const;
export type StartedTargetName = AdapterName | FastapiTargetName;

/** A FastAPI target that can run here, with the interpreter that imports its modules. */
export interface FastapiChoice {
  name: FastapiTargetName;
  python: PythonInterpreter;
}

/** An API that jobbench does not start: `--target label=URL[,app=NAME]`. */
export interface ExternalTarget {
  label: string;
  url: string; // base URL, no trailing slash
  applicationName?: string; // its backends' application_name in pg_stat_activity
  contractDifferences?: string[]; // --contract warn: how it differs from the contract (measured anyway)
}

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Parses one `--target label=URL[,app=NAME]`; throws a message naming what is wrong. */
export function parseExternalTarget(raw: string): ExternalTarget {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new Error(`--target needs label=URL (e.g. mine=http://127.0.0.1:8000), got "${raw}"`);
  const label = raw.slice(0, eq);
  const [urlText, ...options] = raw.slice(eq + 1).split(',');
  if (!LABEL.test(label)) throw new Error(`--target ${raw}: the label must be letters, digits, ".", "_" or "-"`);
  if (isAdapterName(label) || isFastapiTargetName(label))
    throw new Error(`--target ${raw}: "${label}" is the name of a target jobbench starts; choose another label`);
  let url: URL;
  try {
    url = new URL(urlText!);
  } catch {
    throw new Error(`--target ${raw}: "${urlText}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`--target ${raw}: only http:// and https:// URLs are measured`);
  if (url.search || url.hash || url.username || url.password)
    throw new Error(`--target ${raw}: give the base URL only (no query, fragment or credentials)`);
  const target: ExternalTarget = { label, url: url.toString().replace(/\/+$/, '') };
  for (const option of options) {
    const m = /^app=(.+)$/.exec(option);
    if (!m) throw new Error(`--target ${raw}: unknown option "${option}" (valid: app=APPLICATION_NAME)`);
    target.applicationName = m[1]!;
  }
  return target;
}

/** Splits the FastAPI targets into those whose interpreter and modules are here and those that are not, with the reason. */
export async function availableFastapiTargets(
  names: readonly FastapiTargetName[],
  settings: { explicit: string | undefined; env: NodeJS.ProcessEnv },
): Promise<{ available: FastapiChoice[]; unavailable: { name: FastapiTargetName; reason: string }[] }> {
  const available: FastapiChoice[] = [];
  const unavailable: { name: FastapiTargetName; reason: string }[] = [];
  for (const name of names) {
    const probe = await findPython({ modules: FASTAPI_TARGETS[name].modules, label: name, ...settings });
    if (probe.ok) available.push({ name, python: probe.interpreter });
    else unavailable.push({ name, reason: probe.reason });
  }
  return { available, unavailable };
}

/** The interpreters and module versions of the FastAPI targets that run, for the results' environment. */
export function fastapiEnvironment(choices: readonly FastapiChoice[]): Record<string, string> {
  return Object.assign({}, ...choices.map((c) => pythonEnvironment(c.python))) as Record<string, string>;
}

/** Every target of a run as specs: Node adapters, FastAPI targets, external URLs, each probed at first start. */
export function targetSpecs(input: {
  adapters: readonly AdapterName[];
  fastapi?: readonly FastapiChoice[];
  external?: readonly ExternalTarget[];
  poolMax: number;
  metrics: 'on' | 'off';
  scenarios: readonly ScenarioName[];
  contract?: 'strict' | 'warn'; // --contract warn: external targets are probed leniently at start too
}): TargetSpec[] {
  const base = { poolMax: input.poolMax, metrics: input.metrics, via: 'direct' as const };
  return [
    ...input.adapters.map((adapter) => ({ ...base, adapter })),
    ...(input.fastapi ?? []).map((f) => ({
      ...base,
      adapter: f.name,
      kind: 'fastapi' as const,
      python: f.python.path,
      probeScenarios: input.scenarios,
    })),
    ...(input.external ?? []).map((e) => ({
      ...base,
      adapter: e.label,
      kind: 'external' as const,
      url: e.url,
      ...(e.applicationName ? { applicationName: e.applicationName } : {}),
      ...(input.contract === 'warn' ? { contract: 'warn' as const } : {}),
      ...(e.contractDifferences?.length ? { contractDifferences: e.contractDifferences } : {}),
      probeScenarios: input.scenarios,
    })),
  ];
}
