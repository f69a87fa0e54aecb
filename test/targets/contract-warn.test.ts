import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeContract } from '../../bench/targets/contract-probe.ts';
import { checkExternalTargets } from '../../bench/targets/external.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench } from './cli.ts';

/** A job as "your own API" has it: the contract's fields plus one of its own. */
const job = (id: number) => ({
  id: String(id),
  title: 'Backend engineer',
  company: 'Acme',
  location: 'Lyon',
  contract: 'full-time',
  remote: false,
  salaryMin: null,
  salaryMax: null,
  tags: [],
  description: 'x',
  postedAt: '2026-01-01T00:00:00.000Z',
  slug: `job-${id}`, // not in the contract
});

/**
 * A hand-started API that differs from the contract where get-job does not look: plain-text error
 * bodies, no GET /jobs/stats, no search route, an extra field. `brokenGet` makes GET /jobs/:id answer
 * 500: then the scenario's own route does not answer as it expects.
 */
function startApi(brokenGet = false): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const m = /^\/jobs\/(\d+)$/.exec(req.url ?? '');
    if (req.url === '/health') {
      res.setHeader('content-type', 'application/json');
      res.end('{"status":"ok"}');
    } else if (m && !brokenGet && Number(m[1]) >= 1 && Number(m[1]) <= 100) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(job(Number(m[1]))));
    } else {
      res.statusCode = brokenGet && m ? 500 : 404;
      res.end('nope');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

let db: TestDatabase;
let mine: { server: Server; url: string };
let broken: { server: Server; url: string };
let out: string;

beforeAll(async () => {
  db = await createTestDatabase({ jobs: 10 });
  mine = await startApi();
  broken = await startApi(true);
  out = await mkdtemp(join(tmpdir(), 'jobbench-contract-warn-'));
});
afterAll(async () => {
  for (const s of [mine, broken]) await new Promise((resolve) => s?.server.close(resolve));
  await db?.drop();
  await rm(out, { recursive: true, force: true });
});

describe('--contract warn: your own API as a target', () => {
  it('finds the differences but nothing that blocks get-job', async () => {
    const report = await probeContract(mine.url, ['get-job']);
    expect(report.ok).toBe(false);
    expect(report.blocking).toEqual([]);
    expect(report.problems.some((p) => p.startsWith('GET /jobs/stats: status 404'))).toBe(true);
    expect(report.jobsTotal).toBeNull();
  });

  it('is refused by default and measured with warn, its differences listed and the id range left to --jobs', async () => {
    const target = { label: 'mine', url: mine.url };
    const strict = await checkExternalTargets([target], ['get-job']);
    expect(strict.ok).toBe(false);
    if (!strict.ok) expect(strict.message).toContain('--contract warn');
    const warn = await checkExternalTargets([target], ['get-job'], 'warn');
    expect(warn.ok).toBe(true);
    if (warn.ok) {
      expect(warn.differences['mine']!.some((d) => d.includes('GET /jobs/stats'))).toBe(true);
      expect(warn.withoutStats).toEqual(['mine']);
      expect(warn.jobsTotal).toBeNull();
    }
  });

  it('still refuses a target whose scenario routes do not answer as the scenario expects', async () => {
    const warn = await checkExternalTargets([{ label: 'broken', url: broken.url }], ['get-job'], 'warn');
    expect(warn.ok).toBe(false);
    if (!warn.ok) expect(warn.message).toMatch(/GET \/jobs\/1 .*status 500, the scenarios expect 200/);
  });

  it('asks for --jobs without GET /jobs/stats (exit 2), then measures and reports the differences', async () => {
    const base = ['run', '--target', `mine=${mine.url}`, '--contract', 'warn', '--no-seed', '--scenarios', 'get-job'];
    const noJobs = await jobbench([...base, '-q'], db.url);
    expect(noJobs.code).toBe(2);
    expect(noJobs.stderr).toContain('give --jobs N');
    const tiny = ['--jobs', '100', '--rounds', '1', '--duration', '1', '--warmup', '0', '--connections', '2'];
    const run = await jobbench([...base, ...tiny, '--no-ceilings', '--out', out, '-q'], db.url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Contract differences');
    expect(md).toMatch(/\*\*mine\*\* \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(md).toContain('field "slug" is not in the contract');
  }, 300_000); // two CLI processes, one a 1 s run: slow on a busy machine
});
