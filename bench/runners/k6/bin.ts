import { findTool, localToolPath, TOOLS, toolMissingHelp, toolVersion } from '../../host/tool-bin.ts';

// k6's lookup is the generic one of bench/host/tool-bin.ts; these names stay for the k6 runner's callers.
export { REPO_DIR, ToolNotFoundError as K6NotFoundError } from '../../host/tool-bin.ts';

/** The k6 release the harness is tested with; scripts/setup-tools.sh installs the same. */
export const K6_VERSION = TOOLS.k6.version;

/** Where `npm run setup:k6` puts k6 (gitignored). */
export const LOCAL_K6 = localToolPath('k6');

export const K6_MISSING_HELP = toolMissingHelp('k6');

/**
 * The k6 binary: K6_BIN (must exist when set: a typo should not silently fall back to another k6),
 * then PATH, then <repo>/.bin/k6. `env` is the process environment, passed in by the caller.
 */
export function findK6(env: NodeJS.ProcessEnv): string {
  return findTool('k6', env);
}

/** The version k6 reports ("v1.8.1"), or undefined when it cannot be run. */
export function k6Version(bin: string): string | undefined {
  return toolVersion('k6', bin);
}
