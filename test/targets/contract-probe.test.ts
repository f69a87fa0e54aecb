import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../bench/targets/spec.ts';
import { startTarget } from '../../bench/targets/start.ts';
import { probeContract, routesOf } from '../../bench/targets/contract-probe.ts';
import { HARNESS_ERRORS } from '../../shared/harness-errors.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { jobbench } from './cli.ts';

let db: TestDatabase;
let hello: Server;
let helloUrl: string;
let api: Target;

beforeAll(async () => {
  db = await createTestDatabase({ jobs: 50 });
  hello = createServer((_req, res) => res.end('hello')); // 200, text/plain: not a job API
  await new Promise<void>((resolve) => hello.listen(0, '127.0.0.1', resolve));
  helloUrl = `http://127.0.0.1:${(hello.address() as AddressInfo).port}`;
  api = await startTarget({ adapter: 'pg-pool', poolMax: 2, metrics: 'on', via: 'direct' }, db.url);
});
afterAll(async () => {
  await api?.stop();
  await new Promise((resolve) => hello?.close(resolve));
  await db?.drop();
});

describe('the contract probe at the start of a run', () => {
  it('probes the routes the scenarios use, and GET /jobs/stats always', () => {
    expect(routesOf(['get-job'])).toEqual(['GET /jobs/:id', 'GET /jobs/stats']);
    expect(routesOf(['mixed'])).toEqual(['GET /jobs/:id', 'GET /jobs', 'GET /jobs/stats', 'POST /jobs']);
  });

  it('accepts the reference API on every route and reads its job count', async () => {
    const report = await probeContract(api.baseUrl, ['mixed', 'health']);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.jobsTotal).toBe(50);
  });

  it('says what differs on a server that is not a job API', async () => {
    const report = await probeContract(helloUrl, ['search']);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain('GET /jobs?limit=1: content type "", expected application/json');
    expect(report.problems).toContain('GET /jobs?limit=1: body is not JSON: "hello"');
  });

  it('refuses such a --target with exit 2 and the differences, before measuring anything', async () => {
    const run = await jobbench(['run', '--target', `hello=${helloUrl}`, '--scenarios', 'get-job', '-q'], db.url);
    expect(run.code).toBe(HARNESS_ERRORS.JOBBENCH_CLI_ERR_CONTRACT.exitCode);
    expect(run.stderr).toContain(`hello (${helloUrl}) does not serve the job API contract`);
    expect(run.stderr).toContain('GET /jobs/stats: body is not JSON: "hello"');
  });

  it('rejects a malformed --target with exit 2', async () => {
    const run = await jobbench(['run', '--target', 'pg-pool=http://127.0.0.1:1', '-q'], db.url);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is the name of a target jobbench starts');
  });
});
