import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { HarnessError } from '../../shared/harness-errors.ts';
import { resultsJsonSchema } from './schema.ts';
import { writeFileAtomic } from './write-file-atomic.ts';
import { SCHEMA_VERSION, type Results } from './types.ts';

export const RESULTS_FILE_NAME = 'results.json';
const MAX_REPORTED_PROBLEMS = 5;

/** A results file that cannot be used: missing, not JSON, truncated, or not matching the schema. The CLI exits 2. */
export class ResultsFileError extends HarnessError {
  readonly path: string;
  readonly problems: string[];

  constructor(path: string, message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super('JOBBENCH_CLI_ERR_RESULTS_FILE', message, options);
    this.name = 'ResultsFileError';
    this.path = path;
    this.problems = problems;
  }
}

// Built from the TypeBox types (types.ts and its neighbours), not read from schema.json: one definition.
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(resultsJsonSchema());

/** "/cells/0/rounds/1/requestsPerSec" -> "cells[0].rounds[1].requestsPerSec" */
function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc === '' ? part : `${acc}.${part}`), '');
}

function describe(err: ErrorObject): string {
  const at = fieldName(err.instancePath);
  if (err.keyword === 'required') {
    const missing = (err.params as { missingProperty: string }).missingProperty;
    return `${at === '' ? missing : `${at}.${missing}`} is missing`;
  }
  if (err.keyword === 'enum') {
    return `${at || '(root)'} ${err.message} (${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  }
  return `${at || '(root)'} ${err.message}`;
}

/** Schema problems of a parsed results file, one readable line each (empty when valid). */
export function validateResults(data: unknown): string[] {
  if (validate(data)) return [];
  const lines = (validate.errors ?? [])
    // anyOf (`null` or a value) repeats its branches' errors; the branch errors already say what is wrong.
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    .map(describe);
  return [...new Set(lines)];
}

function schemaError(path: string, problems: string[]): ResultsFileError {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const more = problems.length > shown.length ? `\n  (and ${problems.length - shown.length} more)` : '';
  return new ResultsFileError(path, `${path} does not match the results schema:\n  ${shown.join('\n  ')}${more}`, problems);
}

/** Parses and validates results text; `path` only names the source in messages. */
export function parseResults(text: string, path: string): Results {
  if (text.trim() === '') throw new ResultsFileError(path, `${path} is empty (was the run interrupted before it wrote results?)`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(path, `${path} is not valid JSON (truncated or corrupted?): ${(err as Error).message}`, [], { cause: err });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ResultsFileError(path, `${path} is not a results file: expected a JSON object`);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== undefined && version !== SCHEMA_VERSION) {
    throw new ResultsFileError(path, `${path} has schemaVersion ${JSON.stringify(version)}; this jobbench reads version ${SCHEMA_VERSION}`);
  }
  const problems = validateResults(data);
  if (problems.length > 0) throw schemaError(path, problems);
  return data as Results;
}

/** Reads and validates a results file; throws ResultsFileError with a message a person can act on. */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory, not a results file' : `cannot be read (${code ?? (err as Error).message})`;
    throw new ResultsFileError(path, `results file ${path} ${why}`, [], { cause: err });
  }
  return parseResults(text, path);
}

/**
 * Validates, then writes `<dir>/results.json` atomically (temporary file, fsync, rename), so that a
 * reader never sees half a file even if the run is killed mid-write. Returns the file's path.
 */
export async function writeResultsAtomic(dir: string, results: Results): Promise<string> {
  const path = join(dir, RESULTS_FILE_NAME);
  const problems = validateResults(results);
  if (problems.length > 0) throw schemaError(path, problems);
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path, JSON.stringify(results, null, 2) + '\n');
  return path;
}
