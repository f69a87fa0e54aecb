import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../../shared/harness-errors.ts';

/** The k6 release the harness is tested with; scripts/setup-k6.sh installs the same. */
export const K6_VERSION = 'v1.8.1';

export const REPO_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Where `npm run setup:k6` puts k6 (gitignored). */
export const LOCAL_K6 = join(REPO_DIR, '.bin', 'k6');

export const K6_MISSING_HELP = [
  'k6 not found. jobbench looks for it in $K6_BIN, then on PATH, then in .bin/k6 of the repository.',
  `Install the pinned version (${K6_VERSION}, built with Go >= 1.25) with:  npm run setup:k6`,
  'or install k6 yourself (https://grafana.com/docs/k6/latest/set-up/install-k6/) and set K6_BIN=/path/to/k6.',
].join('\n');

/** No usable k6 (JOBBENCH_CLI_ERR_TOOL_MISSING): the message says how to install one. */
export class K6NotFoundError extends HarnessError {
  constructor(message: string) {
    super('JOBBENCH_CLI_ERR_TOOL_MISSING', message);
    this.name = 'K6NotFoundError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The k6 binary: K6_BIN (must exist when set: a typo should not silently fall back to another k6),
 * then PATH, then <repo>/.bin/k6. `env` is the process environment, passed in by the caller.
 */
export function findK6(env: NodeJS.ProcessEnv): string {
  const explicit = env.K6_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new K6NotFoundError(`K6_BIN=${explicit} is not an executable file.\n${K6_MISSING_HELP}`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  if (isExecutable(LOCAL_K6)) return LOCAL_K6;
  throw new K6NotFoundError(K6_MISSING_HELP);
}

/** The version k6 reports ("v1.8.1"), or undefined when it cannot be run. */
export function k6Version(bin: string): string | undefined {
  try {
    const out = execFileSync(bin, ['version'], { encoding: 'utf8', timeout: 10_000 });
    return /k6 (v\d+\.\d+\.\d+\S*)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}
