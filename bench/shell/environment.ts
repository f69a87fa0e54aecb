import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Environment } from '../results/types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Every package whose version can change a result: drivers, framework, load generators.
const MEASURED_PACKAGES = [
  'pg',
  'postgres',
  'kysely',
  'pg-native',
  'fastify',
  'autocannon',
  'prom-client',
  'hdr-histogram-js',
] as const;

function packageVersion(name: string): string | null {
  try {
    return JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')).version as string;
  } catch {
    return null;
  }
}

function gitCommit(): string | null {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return null;
  }
}

/** Where the numbers were made: they hold only for this machine (DESIGN.md, rule 8). */
export function describeEnvironment(postgresVersion: string, extraTools: Record<string, string> = {}): Environment {
  const drivers: Record<string, string> = {};
  for (const name of MEASURED_PACKAGES) {
    const v = packageVersion(name);
    if (v) drivers[name] = v;
  }
  Object.assign(drivers, extraTools);
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cpus: cpus().length,
    memoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
    postgres: postgresVersion,
    drivers,
    gitCommit: gitCommit(),
  };
}
