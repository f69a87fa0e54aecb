import { FASTAPI_TARGETS, type FastapiTargetName } from '../../bench/targets/fastapi-targets.ts';
import { findPython, pythonSettings, type PythonProbe } from '../../bench/targets/python.ts';

/**
 * The interpreter probe of each FastAPI target, for a test file's skip decisions. One probe of every
 * module at once first (a burst of parallel probes on a busy 2-core machine can run past the probe's
 * timeout and skip a test for no reason); only when that fails, one target at a time, so that a machine
 * missing one driver still runs the others.
 */
export async function probeFastapiTargets(
  names: readonly FastapiTargetName[],
  extraModules: readonly string[] = [],
): Promise<Map<FastapiTargetName, PythonProbe>> {
  const settings = pythonSettings();
  const modules = (ns: readonly FastapiTargetName[]) => [
    ...new Set([...ns.flatMap((n) => FASTAPI_TARGETS[n].modules), ...extraModules]),
  ];
  const all = await findPython({ modules: modules(names), label: names.join(', '), ...settings });
  if (all.ok) return new Map(names.map((n) => [n, all]));
  const probes = new Map<FastapiTargetName, PythonProbe>();
  for (const name of names) probes.set(name, await findPython({ modules: modules([name]), label: name, ...settings }));
  return probes;
}
