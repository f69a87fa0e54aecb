import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/results-small.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jobbench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jobbench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('jobbench report', () => {
  it('re-renders the tables and writes report.md beside results.json', async () => {
    const run = join(dir, 'run-ok');
    mkdirSync(run);
    copyFileSync(FIXTURE, join(run, 'results.json'));
    const { code, stdout, stderr } = await jobbench(['report', join(run, 'results.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('req/s vs slowest');
    expect(stderr).toContain(join(run, 'report.md'));
    expect(readFileSync(join(run, 'report.md'), 'utf8')).toContain('## How to read this');
  });

  it('prints the tables as JSON with --json and honours --out', async () => {
    const out = join(dir, 'elsewhere', 'r.md');
    const { code, stdout } = await jobbench(['report', FIXTURE, '--json', '--out', out]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as { tables: unknown[]; reportPath: string };
    expect(parsed.tables.length).toBeGreaterThan(0);
    expect(parsed.reportPath).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  it.each([
    {
      name: 'a truncated file',
      content: () => readFileSync(FIXTURE, 'utf8').slice(0, 1500),
      message: /not valid JSON \(truncated or corrupted\?\)/,
    },
    {
      name: 'a file that breaks the schema',
      content: () => JSON.stringify({ ...JSON.parse(readFileSync(FIXTURE, 'utf8')), cells: [{ adapter: 'pg-pool' }] }),
      message: /cells\[0\]\.scenario is missing/,
    },
    {
      name: 'a round without its p99',
      content: () => {
        const r = JSON.parse(readFileSync(FIXTURE, 'utf8'));
        delete r.cells[0].rounds[1].latencyUs.p99;
        return JSON.stringify(r);
      },
      message:
        /a-round-without-its-p99\.json does not match the results schema:\n {2}cells\[0\]\.rounds\[1\]\.latencyUs\.p99 is missing\n$/,
    },
    { name: 'an empty file', content: () => '', message: /is empty/ },
  ])('exits 2 with a clear message for $name', async ({ name, content, message }) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(path, content());
    const { code, stdout, stderr } = await jobbench(['report', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('exits 2 for a missing file', async () => {
    const { code, stderr } = await jobbench(['report', join(dir, 'missing.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing\.json not found/);
  });

  it('exits 2 without a file argument', async () => {
    const { code, stderr } = await jobbench(['report']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected one results file');
  });
});
