import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../bench/report/html.ts';
import { fixture } from './html-support.ts';

const BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/results-small.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'jobbench-html-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jobbench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('jobbench report writes report.html', () => {
  it('beside results.json, next to report.md, and says where', async () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    copyFileSync(FIXTURE, join(run, 'results.json'));
    const { code, stderr } = await jobbench(['report', join(run, 'results.json')]);
    expect(code).toBe(0);
    expect(stderr).toContain(`html report written to ${join(run, 'report.html')}`);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toBe(renderHtml(fixture()));
  });

  it('beside the --out file, and names it in --json', async () => {
    const out = join(dir, 'elsewhere', 'r.md');
    const { code, stdout } = await jobbench(['report', FIXTURE, '--json', '--out', out]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { htmlReportPath: string }).htmlReportPath).toBe(join(dir, 'elsewhere', 'r.html'));
    expect(readFileSync(join(dir, 'elsewhere', 'r.html'), 'utf8')).toContain('<!doctype html>');
  });
});
