import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarnessError } from '../../shared/harness-errors.ts';
import { findOnPath, isExecutable } from './which.ts';

/**
 * The external tools jobbench runs, each pinned to the release it is tested with. scripts/setup-tools.sh
 * builds the same versions into <repo>/.bin/ with `go install`: keep the two tables in step.
 */
export const TOOLS = {
  k6: {
    version: 'v1.8.1',
    binary: 'k6',
    envVar: 'K6_BIN',
    versionArgs: ['version'], // "k6 v1.8.1 (go1.26.8, linux/amd64)"
    setup: 'npm run setup:k6',
    minGo: '1.25',
    elsewhere: 'https://grafana.com/docs/k6/latest/set-up/install-k6/',
  },
  toxiproxy: {
    version: 'v2.5.0',
    binary: 'toxiproxy-server',
    envVar: 'TOXIPROXY_BIN',
    versionArgs: ['-version'], // "toxiproxy-server version 2.5.0"
    setup: 'bash scripts/setup-tools.sh toxiproxy',
    minGo: '1.17',
    elsewhere: 'https://github.com/Shopify/toxiproxy/releases',
  },
  actionlint: {
    version: 'v1.7.12',
    binary: 'actionlint',
    envVar: 'ACTIONLINT_BIN',
    versionArgs: ['-version'], // "v1.7.12\ninstalled by building from source\n…"
    setup: 'bash scripts/setup-tools.sh actionlint',
    minGo: '1.25',
    elsewhere: 'https://github.com/rhysd/actionlint/blob/main/docs/install.md',
  },
} as const;

export type ToolName = keyof typeof TOOLS;
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[];

export const REPO_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Where scripts/setup-tools.sh installs the tools (gitignored). */
export const LOCAL_BIN_DIR = join(REPO_DIR, '.bin');

export function localToolPath(tool: ToolName): string {
  return join(LOCAL_BIN_DIR, TOOLS[tool].binary);
}

/** Thrown when a tool cannot be found; the message says where jobbench looked and how to install it. */
/** A pinned tool that is not installed (JOBBENCH_CLI_ERR_TOOL_MISSING, exit 2): the message says how to install it. */
export class ToolNotFoundError extends HarnessError {
  constructor(
    readonly tool: ToolName,
    message: string,
  ) {
    super('JOBBENCH_CLI_ERR_TOOL_MISSING', message);
    this.name = 'ToolNotFoundError';
  }
}

export function toolMissingHelp(tool: ToolName): string {
  const { binary, envVar, version, setup, minGo, elsewhere } = TOOLS[tool];
  return [
    `${binary} not found. jobbench looks for it in $${envVar}, then on PATH, then in .bin/${binary} of the repository.`,
    `Install the pinned version (${version}, built with Go >= ${minGo}) with:  ${setup}`,
    `or install ${tool} yourself (${elsewhere}) and set ${envVar}=/path/to/${binary}.`,
  ].join('\n');
}

/**
 * A tool's binary: its env override (which must exist when set: a typo should not silently fall back
 * to another build), then PATH, then <repo>/.bin/. `env` is the process environment, passed in by the
 * caller (only the configuration reader touches process.env).
 */
export function findTool(tool: ToolName, env: NodeJS.ProcessEnv): string {
  const { binary, envVar } = TOOLS[tool];
  const explicit = env[envVar];
  if (explicit !== undefined && explicit !== '') {
    if (isExecutable(explicit)) return explicit;
    throw new ToolNotFoundError(tool, `${envVar}=${explicit} is not an executable file.\n${toolMissingHelp(tool)}`);
  }
  const onPath = findOnPath(binary, env.PATH);
  if (onPath) return onPath;
  const local = localToolPath(tool);
  if (isExecutable(local)) return local;
  throw new ToolNotFoundError(tool, toolMissingHelp(tool));
}

/** The tool's binary, or the reason it is missing (tests skip with it). */
export function locateTool(tool: ToolName, env: NodeJS.ProcessEnv): { bin: string } | { missing: string } {
  try {
    return { bin: findTool(tool, env) };
  } catch (err) {
    if (err instanceof ToolNotFoundError) return { missing: err.message };
    throw err;
  }
}

/** The version the binary reports, normalised to "v1.2.3", or undefined when it cannot be run. */
export function toolVersion(tool: ToolName, bin: string): string | undefined {
  try {
    const out = execFileSync(bin, [...TOOLS[tool].versionArgs], { encoding: 'utf8', timeout: 10_000 });
    const found = /\bv?(\d+\.\d+\.\d+[\w.+-]*)/.exec(out)?.[1];
    return found === undefined ? undefined : `v${found}`;
  } catch {
    return undefined;
  }
}
