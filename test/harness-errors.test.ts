import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/command.ts';
import { ResultsFileError } from '../bench/results/io.ts';
import { K6RunError } from '../bench/runners/k6/runner.ts';
import { K6NotFoundError } from '../bench/runners/k6/bin.ts';
import { ConfigError } from '../src/config.ts';
import { ServerStartError } from '../src/server.ts';
import { HARNESS_ERRORS, HARNESS_ERROR_CODES, HarnessError, oneLine } from '../shared/harness-errors.ts';

// As test/errors.test.ts does for the API: the CLI's catalogue and its documentation cannot drift.
const DOC = new URL('../docs/readme/errors.md', import.meta.url);

function documentedErrors(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\|\s*`(JOBBENCH_CLI_ERR_[A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*\S/.exec(line);
    if (m) {
      expect(rows.has(m[1]!), `${m[1]} is documented twice`).toBe(false);
      rows.set(m[1]!, Number(m[2]));
    }
  }
  return rows;
}

describe('the CLI and harness error catalogue', () => {
  const documented = documentedErrors();

  it.each(HARNESS_ERROR_CODES)('documents %s with its exit code and when it happens', (code) => {
    expect(documented.get(code), `${code} is missing from "Exit codes and error codes" in docs/readme/errors.md`).toBe(
      HARNESS_ERRORS[code].exitCode,
    );
  });

  it('documents no code that the catalogue does not have', () => {
    expect([...documented.keys()].filter((code) => !Object.hasOwn(HARNESS_ERRORS, code))).toEqual([]);
  });

  it('uses stable JOBBENCH_CLI_ERR_ codes, each with a message and a documented exit code (2: bad input or invalid run)', () => {
    for (const [code, { exitCode, message }] of Object.entries(HARNESS_ERRORS)) {
      expect(code).toMatch(/^JOBBENCH_CLI_ERR_[A-Z0-9_]+$/);
      expect(message.length).toBeGreaterThan(0);
      expect(exitCode).toBe(2);
    }
  });

  it.each([
    ['UsageError', new UsageError('x'), 'JOBBENCH_CLI_ERR_USAGE'],
    ['ConfigError', new ConfigError('x'), 'JOBBENCH_CLI_ERR_CONFIG'],
    ['ResultsFileError', new ResultsFileError('r.json', 'x'), 'JOBBENCH_CLI_ERR_RESULTS_FILE'],
    ['K6RunError', new K6RunError('x'), 'JOBBENCH_CLI_ERR_K6'],
    ['ToolNotFoundError', new K6NotFoundError('k6', 'x'), 'JOBBENCH_CLI_ERR_TOOL_MISSING'],
    ['ServerStartError', new ServerStartError('x'), 'JOBBENCH_CLI_ERR_SERVER_START'],
  ] as const)('%s is a catalogued error with its code and exit code', (name, err, code) => {
    expect(err).toBeInstanceOf(HarnessError);
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(HARNESS_ERRORS[code].exitCode);
  });

  it('puts a multi-line or empty-message cause on one line', () => {
    expect(oneLine(new Error('initdb failed:\n  line 1\n  line 2'))).toBe('initdb failed: | line 1 | line 2');
    const aggregate = new AggregateError(
      [new Error('connect ECONNREFUSED ::1:1'), new Error('connect ECONNREFUSED 127.0.0.1:1')],
      '',
    );
    expect(oneLine(aggregate)).toBe('connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1');
  });
});
