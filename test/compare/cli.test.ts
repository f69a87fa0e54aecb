import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Results } from '../../bench/results/types.ts';
import { runCli } from '../cli/support.ts';
import { makeGateRun, makeRun } from '../fixtures/make-compare-results.ts';

/** `node bin/jobbench.js compare …` as a child process: exit codes, messages, files written. */

const dir = mkdtempSync(join(tmpdir(), 'jobbench-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string) => join(dir, name);
const write = (name: string, data: Results | string) =>
  writeFileSync(path(name), typeof data === 'string' ? data : JSON.stringify(data));

beforeAll(() => {
  write('base.json', makeRun({ seed: 1, runId: 'base-run' }));
  write('same.json', makeRun({ seed: 1, runId: 'same-run' }));
  write('slow.json', makeRun({ seed: 2, runId: 'slow-run' }, { cpuFactor: 1.3 }));
  write('other-cells.json', makeRun({ adapters: ['kysely'], scenarios: { search: 5000 } }));
  write('gate.json', makeGateRun({ seed: 3, rounds: 10 }, {}, { cpuFactor: 1.3 }));
  const text = readFileSync(path('base.json'), 'utf8');
  write('truncated.json', text.slice(0, 2000));
  write('empty.json', '');
  write('invalid.json', JSON.stringify({ ...JSON.parse(text), cells: [{ adapter: 'pg-pool' }] }));
  write('bad-config.json', JSON.stringify({ gate: { thresholds: { p77: 1 } } }));
  write('loose-config.json', JSON.stringify({ gate: { thresholds: { cpu: 50 } } }));
});

describe('jobbench compare: bad input exits 2 with a clear one-line message', () => {
  it.each([
    { name: 'no files', args: () => [], message: /expected <base\.json> <head\.json>/ },
    { name: 'three files', args: () => [path('base.json'), path('same.json'), path('slow.json')], message: /expected/ },
    { name: 'a missing file', args: () => [path('base.json'), path('nope.json')], message: /nope\.json not found/ },
    {
      name: 'a truncated file',
      args: () => [path('truncated.json'), path('base.json')],
      message: /not valid JSON \(truncated/,
    },
    { name: 'an empty file', args: () => [path('base.json'), path('empty.json')], message: /empty\.json is empty/ },
    {
      name: 'a schema-invalid file',
      args: () => [path('base.json'), path('invalid.json')],
      message: /does not match the results schema:; cells\[0\]\.scenario is missing/,
    },
    {
      name: 'no common cell',
      args: () => [path('base.json'), path('other-cells.json')],
      message: /no cell is in both files/,
    },
    {
      name: 'a bad threshold',
      args: () => [path('base.json'), path('slow.json'), '--threshold', 'p99=lots'],
      message: /--threshold p99: PCT must be a number/,
    },
    {
      name: 'an unknown threshold metric',
      args: () => [path('base.json'), path('slow.json'), '--threshold', 'p77=3'],
      message: /unknown metric "p77"/,
    },
    {
      name: 'a bad config',
      args: () => [path('base.json'), path('slow.json'), '--config', path('bad-config.json')],
      message: /gate\.thresholds\.p77 is not a metric/,
    },
    {
      name: 'a missing config',
      args: () => [path('base.json'), path('slow.json'), '--config', path('none.json')],
      message: /config file .*none\.json not found/,
    },
    { name: 'one file without sides', args: () => [path('base.json')], message: /has no base\/head sides/ },
    {
      name: 'an unknown flag',
      args: () => [path('base.json'), path('slow.json'), '--nope'],
      message: /Unknown option '--nope'/,
    },
  ])('$name', async ({ args, message }) => {
    const { code, stdout, stderr } = await runCli(['compare', ...args()], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const first = stderr.split('\n')[0]!;
    expect(first).toMatch(/^jobbench compare: /);
    expect(first).toMatch(message);
  });
});

describe('jobbench compare: verdicts', () => {
  it('exits 0 for a run against the same measurements', async () => {
    const { code, stdout } = await runCli(['compare', path('base.json'), path('same.json')], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^PASS/);
  });

  it('exits 1 for a regression, names the cell, and writes every output', async () => {
    const gh = path('gh');
    const args = [
      '--junit',
      path('j.xml'),
      '--markdown',
      path('c.md'),
      '--bmf',
      path('b.json'),
      '--html',
      path('c.html'),
      '--github-benchmark',
      gh,
    ];
    const { code, stdout, stderr } = await runCli(['compare', path('base.json'), path('slow.json'), ...args], {
      cwd: dir,
    });
    expect(code).toBe(1);
    // wrapped to 120 columns; the verdict comes first and again as the last line
    expect(stdout.split('\n\n')[0]!.replace(/\n +/g, ' ')).toMatch(
      /^REGRESSED: .*pg-pool get-job server CPU\/request \+/,
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^REGRESSED: /);
    expect(Math.max(...stdout.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(120);
    for (const f of [
      'j.xml',
      'c.md',
      'b.json',
      'c.html',
      'gh/customBiggerIsBetter.json',
      'gh/customSmallerIsBetter.json',
    ])
      expect(existsSync(path(f))).toBe(true);
    expect(stderr).toContain(`written: ${path('j.xml')}`);
  });

  it('prints the model with --json', async () => {
    const { code, stdout } = await runCli(['compare', path('base.json'), path('slow.json'), '--json'], { cwd: dir });
    expect(code).toBe(1);
    const model = JSON.parse(stdout) as { passed: boolean; groups: unknown[]; regressions: { cell: string }[] };
    expect(model.passed).toBe(false);
    expect(model.regressions[0]!.cell).toMatch(/get-job/);
  });

  it('lets a threshold flag and a config file move the verdict (flags beat the config)', async () => {
    const loose = await runCli(
      ['compare', path('base.json'), path('slow.json'), '--config', path('loose-config.json')],
      { cwd: dir },
    );
    expect(loose.code).toBe(0);
    const flag = await runCli(
      ['compare', path('base.json'), path('slow.json'), '--config', path('loose-config.json'), '--threshold', 'cpu=5'],
      { cwd: dir },
    );
    expect(flag.code).toBe(1);
  });

  it('reads jobbench.config.json from the working directory', async () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(join(cwd, 'jobbench.config.json'), JSON.stringify({ gate: { thresholds: { cpu: 50 } } }));
    const { code } = await runCli(['compare', path('base.json'), path('slow.json')], { cwd });
    expect(code).toBe(0);
  });

  it('compares both sides of one gate file, rounds paired', async () => {
    const { code, stdout } = await runCli(['compare', path('gate.json')], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toContain('one run, rounds paired by number');
  });

  it('documents flags, examples and exit codes in --help', async () => {
    const { code, stdout } = await runCli(['compare', '--help']);
    expect(code).toBe(0);
    for (const text of ['--threshold', '--github-benchmark', 'Examples:', 'Exit codes: 0'])
      expect(stdout).toContain(text);
  });
});

describe('jobbench report with several files', () => {
  it('shows the runs side by side, each compared with the first', async () => {
    const { code, stdout } = await runCli(['report', path('base.json'), path('same.json'), path('slow.json')], {
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^3 runs side by side, each compared with base-run/);
    expect(stdout).toContain('slow-run (vs first)');
    expect(stdout).toMatch(/regressed/);
  });

  it('exits 2 when one of them is unreadable', async () => {
    const { code, stderr } = await runCli(['report', path('base.json'), path('truncated.json')], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/not valid JSON/);
  });
});
