/**
 * deploy/k8s: the ConfigMap recipe bundles a script k6 runs as the operator's pods would (env from
 * the pod, one execution segment per pod), the per-pod sample files merge into one histogram, and the
 * TestRun manifest only sets variables the script reads. No cluster here: the operator itself is not run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionSegmentArgs } from '../../bench/runners/k6/args.ts';
import { REPO_DIR } from '../../bench/runners/k6/bin.ts';
import { mergeSampleFiles } from '../../bench/runners/k6/merge-samples.ts';
import { runK6Process } from '../../bench/runners/k6/process.ts';
import { K6_ENV } from '../../scenarios/k6/config.ts';
import { decodeHistogram } from '../../bench/stats/histogram.ts';
import { JOBS, K6_BIN, startApi, type Api } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'k6-k8s-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const testRun = readFileSync(join(REPO_DIR, 'deploy/k8s/testrun.yaml'), 'utf8');

describe('deploy/k8s/testrun.yaml', () => {
  it('runs several pods of the ConfigMap script built by make-configmap.sh', () => {
    expect(Number(/^\s+parallelism: (\d+)/m.exec(testRun)?.[1])).toBeGreaterThan(1);
    expect(testRun).toMatch(/configMap:\n\s+name: jobbench-k6\n\s+file: jobbench.js/);
  });

  it('sets only variables the script reads, and remote write with native histograms and a testid', () => {
    const names = [...testRun.matchAll(/- \{ name: (\w+), value: ([^}]+) \}/g)].map((m) => m[1]!);
    const scriptVars = names.filter((n) => !n.startsWith('K6_'));
    expect(scriptVars.length).toBeGreaterThan(0);
    for (const n of scriptVars) expect(Object.keys(K6_ENV), n).toContain(n);
    expect(names).toEqual(
      expect.arrayContaining([
        'SCENARIO',
        'BASE_URL',
        'K6_PROMETHEUS_RW_SERVER_URL',
        'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM',
      ]),
    );
    expect(testRun).toMatch(/--out experimental-prometheus-rw/);
    expect(testRun).toMatch(/--tag testid=/);
  });
});

describe.skipIf(!K6_BIN)('deploy/k8s/make-configmap.sh (real k6)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
    execFileSync('bash', [join(REPO_DIR, 'deploy/k8s/make-configmap.sh'), dir], { stdio: 'pipe' });
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
  });

  it('writes a ConfigMap whose jobbench.js key is the bundled script', () => {
    const bundle = readFileSync(join(dir, 'jobbench.js'), 'utf8');
    const configMap = readFileSync(join(dir, 'configmap.yaml'), 'utf8');
    expect(bundle).not.toMatch(/from ['"]\.\.?\//); // no relative imports left: one flat file
    expect(configMap).toMatch(/^kind: ConfigMap$/m);
    const body = configMap.slice(configMap.indexOf('  jobbench.js: |\n') + '  jobbench.js: |\n'.length);
    expect(
      body
        .split('\n')
        .map((l) => l.replace(/^ {4}/, ''))
        .join('\n')
        .trimEnd(),
    ).toBe(bundle.trimEnd());
  });

  it('runs as 2 operator-style pods (env from the pod, one segment each) whose samples merge exactly', async () => {
    const podEnv = {
      PATH: process.env.PATH,
      SCENARIO: 'mixed',
      BASE_URL: api.target.baseUrl,
      RATE: '40',
      DURATION: '2',
      JOB_COUNT: String(JOBS),
    };
    const files = [0, 1].map((i) => join(dir, `samples-${i}.csv`));
    const results = await Promise.all(
      [0, 1].map((i) =>
        runK6Process(
          K6_BIN!,
          [
            'run',
            '--quiet',
            '--no-usage-report',
            '--address',
            '',
            ...executionSegmentArgs(i, 2),
            '--out',
            `csv=${files[i]}`,
            '--tag',
            `instance_id=${i}`,
            join(dir, 'jobbench.js'),
          ],
          podEnv,
        ),
      ),
    );
    for (const r of results) expect(r.exitCode, r.stderrTail.join('\n')).toBe(0);
    const parts = await Promise.all(files.map((f) => mergeSampleFiles([f])));
    const merged = await mergeSampleFiles(files);
    expect(merged.files).toBe(2);
    expect(merged.requests).toBe(parts[0]!.requests + parts[1]!.requests);
    expect(decodeHistogram(merged.histogram).totalCount).toBe(merged.requests);
    expect(Math.abs(merged.requests + merged.errors - 80)).toBeLessThanOrEqual(2); // 40/s × 2 s, one iteration per segment
    expect(merged.latencyUs.p50).toBeLessThanOrEqual(merged.latencyUs.p99);
  });
});
