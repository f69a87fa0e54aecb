import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseThresholdsConfig, ThresholdsError, type Thresholds } from '../bench/compare/thresholds.ts';

/**
 * Finds and reads the thresholds config for `jobbench compare` (and the gate): `--config FILE`, else
 * `jobbench.config.json` in the working directory, else the `jobbench` key of its package.json.
 * The parsed object is validated by bench/compare/thresholds.ts; any problem is a ThresholdsError (exit 2).
 */
export const CONFIG_FILE_NAME = 'jobbench.config.json';

/** The outputs and thresholds of a comparison: the same flags for `jobbench compare` and `jobbench gate`. */
export const COMPARE_OUTPUT_FLAGS = {
  markdown: { type: 'string' },
  junit: { type: 'string' },
  bmf: { type: 'string' },
  'github-benchmark': { type: 'string' },
  html: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

type ConfigPart = Pick<Thresholds, 'config' | 'scenarios' | 'source'>;

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ThresholdsError(`config file ${path} ${code === 'ENOENT' ? 'not found' : `cannot be read (${code})`}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ThresholdsError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function fromPackageJson(data: unknown, path: string): ConfigPart | undefined {
  const section = (data as { jobbench?: unknown } | null)?.jobbench;
  return section === undefined ? undefined : parseThresholdsConfig(section, `${path}#jobbench`);
}

export async function readThresholdsConfig(
  explicitPath: string | undefined,
  cwd = process.cwd(),
): Promise<ConfigPart | undefined> {
  if (explicitPath !== undefined) {
    const data = await readJson(explicitPath);
    if (basename(explicitPath) === 'package.json')
      return fromPackageJson(data, explicitPath) ?? { config: {}, scenarios: {}, source: explicitPath };
    return parseThresholdsConfig(data, explicitPath);
  }
  const own = join(cwd, CONFIG_FILE_NAME);
  if (existsSync(own)) return parseThresholdsConfig(await readJson(own), own);
  const pkg = join(cwd, 'package.json');
  if (existsSync(pkg)) return fromPackageJson(await readJson(pkg), pkg);
  return undefined;
}
