import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import { OPTIONAL_PYTHON_MODULES, PYTHON_MODULE_PACKAGES } from './fastapi-targets.ts';
import { findOnPath, isExecutable } from '../host/which.ts';

const run = promisify(execFile);
const PROBE_TIMEOUT_MS = 15_000; // importing SQLAlchemy and FastAPI takes about a second on a cold cache
const DEBIAN_PYTHON = '/usr/bin/python3'; // where apt installs python3-* packages

/** An interpreter that imports every module a target needs, with what the results' environment records. */
export interface PythonInterpreter {
  path: string;
  version: string; // e.g. "3.11.2"
  modules: Record<string, string>; // module → version, for the required and the optional modules found
}

export type PythonProbe = { ok: true; interpreter: PythonInterpreter } | { ok: false; reason: string };

export interface FindPythonOptions {
  /** Modules the target imports (FASTAPI_TARGETS[name].modules). */
  modules: readonly string[];
  /** Used in the reason when nothing fits, e.g. "fastapi-asyncpg". */
  label: string;
  /** JOBBENCH_PYTHON: when set, the only interpreter tried. */
  explicit?: string | undefined;
  /** The environment whose PATH is searched and that the probes run in (a pyenv shim needs its own). */
  env?: NodeJS.ProcessEnv;
}

/** The edge: JOBBENCH_PYTHON and the environment, read from the process once, passed down from here. */
export function pythonSettings(env: NodeJS.ProcessEnv = process.env): {
  explicit: string | undefined;
  env: NodeJS.ProcessEnv;
} {
  return { explicit: env.JOBBENCH_PYTHON || undefined, env };
}

/** Candidates in order: JOBBENCH_PYTHON alone if set, else the first python3 on PATH, then /usr/bin/python3. */
export function pythonCandidates(explicit: string | undefined, pathEnv: string | undefined): string[] {
  if (explicit) return [explicit];
  const found: string[] = [];
  const onPath = findOnPath('python3', pathEnv);
  if (onPath) found.push(onPath);
  if (isExecutable(DEBIAN_PYTHON)) found.push(DEBIAN_PYTHON);
  // A pyenv shim and /usr/bin/python3 can be one file under two names: try each real file once.
  const seen = new Set<string>();
  return found.filter((p) => {
    const real = safeRealpath(p);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

// Prints {"version": ..., "modules": {name: version or null}}; a module that fails to import is null.
const PROBE = `
import importlib, json, sys
out = {"version": ".".join(map(str, sys.version_info[:3])), "modules": {}}
for name in sys.argv[1:]:
    try:
        m = importlib.import_module(name)
        v = getattr(m, "__version__", None)
        if v is None:
            from importlib import metadata
            try:
                v = metadata.version(name.replace("_", "-"))
            except Exception:
                v = "unknown"
        out["modules"][name] = str(v).split(" ")[0]
    except Exception:
        out["modules"][name] = None
print(json.dumps(out))
`;

interface ProbeResult {
  version: string;
  modules: Record<string, string | null>;
}

async function probe(
  python: string,
  modules: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProbeResult | { error: string }> {
  try {
    const { stdout } = await run(python, ['-c', PROBE, ...modules], {
      timeout: PROBE_TIMEOUT_MS,
      env: { ...env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    return JSON.parse(stdout) as ProbeResult;
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! };
  }
}

/**
 * The first candidate interpreter that imports every module in `modules`, or why none does, naming the
 * interpreter and the missing modules with the packages that provide them.
 */
export async function findPython(options: FindPythonOptions): Promise<PythonProbe> {
  const env = options.env ?? {};
  const candidates = pythonCandidates(options.explicit, env.PATH);
  if (candidates.length === 0) {
    const where = options.explicit
      ? `JOBBENCH_PYTHON=${options.explicit} is not executable`
      : 'no python3 on PATH nor at /usr/bin/python3';
    return { ok: false, reason: `${options.label}: ${where}: apt-get install python3 or set JOBBENCH_PYTHON` };
  }
  const failures: string[] = [];
  for (const path of candidates) {
    const result = await probe(path, [...options.modules, ...OPTIONAL_PYTHON_MODULES], env);
    if ('error' in result) {
      failures.push(`${path} does not run (${result.error})`);
      continue;
    }
    const missing = options.modules.filter((m) => !result.modules[m]);
    if (missing.length === 0) {
      const modules = Object.fromEntries(
        Object.entries(result.modules).filter((e): e is [string, string] => e[1] !== null),
      );
      return { ok: true, interpreter: { path, version: result.version, modules } };
    }
    failures.push(`${path} lacks ${missing.join(', ')}`);
    if (path === candidates[candidates.length - 1]) {
      const apt = missing.map((m) => PYTHON_MODULE_PACKAGES[m] ?? `python3-${m}`).join(' ');
      return {
        ok: false,
        reason: `${options.label}: ${failures.join('; ')}: apt-get install ${apt} or pip install -r targets/fastapi/requirements.txt`,
      };
    }
  }
  return {
    ok: false,
    reason: `${options.label}: ${failures.join('; ')}: set JOBBENCH_PYTHON to a python3 that imports ${options.modules.join(', ')}`,
  };
}

/** `python <version>` and `python:<module> <version>` entries for the results' environment (drivers). */
export function pythonEnvironment(interpreter: PythonInterpreter): Record<string, string> {
  const entries: Record<string, string> = { python: `${interpreter.version} (${interpreter.path})` };
  for (const [name, version] of Object.entries(interpreter.modules)) entries[`python:${name}`] = version;
  return entries;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
