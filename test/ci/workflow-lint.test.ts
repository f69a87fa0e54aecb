import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { locateTool, REPO_DIR } from '../../bench/host/tool-bin.ts';

const WORKFLOW = join(REPO_DIR, '.github', 'workflows', 'perf-gate.yml');
const text = readFileSync(WORKFLOW, 'utf8');

const actionlint = locateTool('actionlint', process.env);
if ('missing' in actionlint) console.warn(`[actionlint tests skipped] ${actionlint.missing}`);

function lint(file: string): { code: number | null; output: string } {
  if (!('bin' in actionlint)) throw new Error('unreachable: skipped without actionlint');
  const r = spawnSync(actionlint.bin, ['-no-color', '-oneline', file], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Breakages a careless edit could make, each caught by a different actionlint rule. */
const BROKEN = [
  {
    breakage: 'a misspelt job key',
    from: '    runs-on: ubuntu-latest',
    to: '    runs_on: ubuntu-latest',
    finds: /unexpected key "runs_on"/,
  },
  {
    breakage: 'an untrusted expression inline in a script',
    from: '--base "origin/${BASE_REF}"',
    to: '--base "origin/${{ github.head_ref }}"',
    finds: /"github\.head_ref" is potentially untrusted/,
  },
  {
    breakage: 'an input the action does not have',
    from: 'fetch-depth: 0',
    to: 'fetch_depth: 0',
    finds: /input "fetch_depth" is not defined in action "actions\/checkout@v6"/,
  },
  {
    breakage: 'a step id that does not exist',
    from: 'steps.tools-cache.outputs',
    to: 'steps.tool-cache.outputs',
    finds: /property "tool-cache" is not defined/,
  },
] as const;

describe.skipIf('missing' in actionlint)('the perf-gate workflow under actionlint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-actionlint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes', () => {
    expect(lint(WORKFLOW)).toEqual({ code: 0, output: '' });
  });

  it.each(BROKEN)('fails a copy with $breakage', ({ from, to, finds }) => {
    const broken = text.replace(from, to);
    expect(broken, `the workflow no longer contains ${JSON.stringify(from)}: update this test`).not.toBe(text);
    const workflows = join(dir, to.replace(/\W+/g, '-'), '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    writeFileSync(join(workflows, 'perf-gate.yml'), broken);
    const r = lint(join(workflows, 'perf-gate.yml'));
    expect(r.code).toBe(1);
    expect(r.output).toMatch(finds);
  });
});

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  name?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

describe('the perf-gate workflow', () => {
  const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const using = (action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));

  it('runs on pull requests, with the full history and Node 20 with the npm cache', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(using('actions/checkout')?.with).toMatchObject({ 'fetch-depth': 0 });
    expect(using('actions/setup-node')?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
    expect(steps.some((s) => s.run === 'npm ci')).toBe(true);
  });

  it('pins every action by its major tag', () => {
    for (const s of steps.filter((x) => x.uses)) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('runs the gate against the base branch, which reaches the script through env only', () => {
    const gate = steps.find((s) => s.run?.includes('jobbench gate'))!;
    expect(gate.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect(gate.run).toContain('--base "origin/${BASE_REF}" --out perf-gate');
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
  });

  it('writes the step summary and uploads the results even when the gate fails', () => {
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'))!;
    expect(summary.run).toContain('cat perf-gate/summary.md >> "$GITHUB_STEP_SUMMARY"');
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(uploads.map((s) => s.with?.path)).toEqual(['perf-gate/', 'perf-gate/**/*.html']);
    for (const s of [summary, ...uploads]) expect(s.if).toBe('always()');
  });
});
