import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** True when `path` is a file this process may execute. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `binary` in the directories of a PATH string, like `which`. */
export function findOnPath(binary: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, binary);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** An explicit override (e.g. $WRK_BIN) when it is executable, else the binary on PATH. */
export function findBinary(binary: string, override: string | undefined, pathEnv: string | undefined) {
  if (override && isExecutable(override)) return override;
  return findOnPath(binary, pathEnv);
}
