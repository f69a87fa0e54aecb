import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResults, readResults, ResultsFileError, validateResults, writeResultsAtomic } from '../../bench/results/io.ts';
import type { Results } from '../../bench/results/types.ts';

const FIXTURE = new URL('../fixtures/results-small.json', import.meta.url);
const fixtureText = readFileSync(FIXTURE, 'utf8');
const fixture = (): Results => JSON.parse(fixtureText) as Results;
const dir = mkdtempSync(join(tmpdir(), 'jobbench-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WINDOW_CPU = {
  cores: 2,
  generatorThreads: 1,
  generatorPercent: 50,
  generatorUsPerRequest: 20,
  serverPercent: 80,
  dbPercent: null,
  dbNote: 'PostgreSQL not on this machine',
  machinePercent: 150,
  oursPercent: 130,
  generatorBound: false,
  machineSaturated: false,
};

/** A copy of the fixture with one change applied. */
function mutated(change: (r: any) => void): unknown {
  const r = fixture();
  change(r);
  return r;
}

describe('results schema', () => {
  it('accepts the fixture', () => {
    expect(validateResults(fixture())).toEqual([]);
  });

  it.each([
    { name: 'a k6 open-model cell', change: (r: any) => Object.assign(r.cells[0], { tool: 'k6', targetRate: 500, achievedRate: 498.2, droppedIterations: 3, sloPassed: false, invalidForLatency: true }) },
    { name: 'cells labelled, via pgbouncer, metrics off', change: (r: any) => Object.assign(r.cells[0], { label: 'pool 4', via: 'pgbouncer', metrics: 'off' }) },
    { name: 'a sweep with extra analysis', change: (r: any) => Object.assign(r, { kind: 'sweep', extra: { knee: { poolMax: 8 } } }) },
    { name: 'an aborted run with no cells', change: (r: any) => Object.assign(r, { status: 'aborted', cells: [] }) },
    { name: 'properties it does not know (a newer jobbench adds fields)', change: (r: any) => { Object.assign(r.cells[0].rounds[0], { addedLater: { any: 1 } }); Object.assign(r.cells[0], { addedLater: 1 }); } },
    { name: 'a fault window, with an event from before events had a duration', change: (r: any) => Object.assign(r.cells[0].rounds[0], { faultEvents: [{ spec: 'reset@1s', action: 'reset on', atMs: 1000 }], timeline: [{ startS: 0, total: 5, ok: 4, failed: 1, byResult: { '200': 4, ECONNRESET: 1 } }], resilience: { requestsTotal: 5, requestsFailed: 1, requestsNoAnswer: 0, firstFailedMs: 1000, lastFailedMs: 1000, errorWindowMs: 0, timeToRecoverMs: null } }) },
    { name: 'window CPU, a profile and RSS over time', change: (r: any) => Object.assign(r.cells[0].rounds[0], { cpu: WINDOW_CPU, profile: { file: 'profiles/r1.cpuprofile', sampledMs: 900, top: [{ functionName: '(idle)', url: '', line: 0, selfMs: 800, selfPercent: 88.9 }] }, rssOverTime: { bucketS: 60, points: [{ atS: 0, harnessRssBytes: 1e8, serverRssBytes: null }] } }) },
    { name: 'a running run with its progress', change: (r: any) => Object.assign(r, { status: 'running', progress: { windowsDone: 3, windowsPlanned: null, stage: 'phase 1/3' } }) },
    { name: 'no pool gauge and no git commit', change: (r: any) => { r.cells[0].rounds[0].poolWaitingMax = null; r.environment.gitCommit = null; } },
    { name: 'n<3 estimates', change: (r: any) => { r.cells[0].summary.requestsPerSec.ci95 = null; } },
  ])('accepts $name', ({ change }) => {
    expect(validateResults(mutated(change))).toEqual([]);
  });

  it.each([
    { name: 'a missing runId', change: (r: any) => delete r.runId, field: 'runId is missing' },
    { name: 'an unknown status', change: (r: any) => { r.status = 'done'; }, field: 'status must be equal to one of the allowed values' },
    { name: 'a string count', change: (r: any) => { r.cells[0].rounds[0].requests = '5'; }, field: 'cells[0].rounds[0].requests must be integer' },
    { name: 'a missing p99', change: (r: any) => delete r.cells[1].rounds[2].latencyUs.p99, field: 'cells[1].rounds[2].latencyUs.p99 is missing' },
    { name: 'a NaN written as null', change: (r: any) => { r.cells[0].rounds[0].requestsPerSec = null; }, field: 'cells[0].rounds[0].requestsPerSec must be number' },
    { name: 'a three-number interval', change: (r: any) => { r.cells[0].summary.requestsPerSec.ci95 = [1, 2, 3]; }, field: 'cells[0].summary.requestsPerSec.ci95' },
    { name: 'an unknown tool', change: (r: any) => { r.cells[0].tool = 'gatling'; }, field: 'cells[0].tool must be equal to one of the allowed values ("autocannon", "k6", "wrk")' },
    { name: 'an unknown via', change: (r: any) => { r.cells[0].via = 'tcp'; }, field: 'cells[0].via' },
    { name: 'a non-ISO start time', change: (r: any) => { r.startedAt = 'yesterday'; }, field: 'startedAt must match pattern' },
    { name: 'a missing environment field', change: (r: any) => delete r.environment.postgres, field: 'environment.postgres is missing' },
    { name: 'a missing summary', change: (r: any) => delete r.cells[2].summary, field: 'cells[2].summary is missing' },
    { name: 'an unknown kind', change: (r: any) => { r.kind = 'soak'; }, field: 'kind must be equal to one of the allowed values ("run", "adr", "sweep", "capacity", "gate")' },
    { name: 'a fault event without its time', change: (r: any) => { r.cells[0].rounds[0].faultEvents = [{ spec: 'reset@1s', action: 'reset on' }]; }, field: 'cells[0].rounds[0].faultEvents[0].atMs is missing' },
    { name: 'window CPU with a null server share', change: (r: any) => { r.cells[0].rounds[0].cpu = { ...WINDOW_CPU, serverPercent: null }; }, field: 'cells[0].rounds[0].cpu.serverPercent must be number' },
    { name: 'an RSS series of 0 s buckets', change: (r: any) => { r.cells[0].rounds[0].rssOverTime = { bucketS: 0, points: [] }; }, field: 'cells[0].rounds[0].rssOverTime.bucketS must be > 0' },
    { name: 'a progress with a field it does not know', change: (r: any) => { r.progress = { windowsDone: 1, windowsPlanned: 2, eta: 'soon' }; }, field: 'progress must NOT have additional properties' },
  ])('rejects $name, naming the field', ({ change, field }) => {
    const problems = validateResults(mutated(change));
    expect(problems.join('\n')).toContain(field);
  });
});

describe('parseResults / readResults', () => {
  it.each([
    { name: 'truncated JSON', text: fixtureText.slice(0, 2000), message: 'is not valid JSON (truncated or corrupted?)' },
    { name: 'an empty file', text: '', message: 'is empty' },
    { name: 'a JSON array', text: '[]', message: 'expected a JSON object' },
    { name: 'another schema version', text: JSON.stringify({ ...fixture(), schemaVersion: 2 }), message: 'schemaVersion 2; this jobbench reads version 1' },
    { name: 'a schema violation', text: JSON.stringify(mutated((r: any) => delete r.cells[0].adapter)), message: 'cells[0].adapter is missing' },
  ])('throws ResultsFileError for $name', ({ text, message }) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, text);
    expect(() => parseResults(text, path)).toThrow(ResultsFileError);
    expect(() => parseResults(text, path)).toThrow(message);
    return expect(readResults(path)).rejects.toThrow(message);
  });

  it('says when the file is missing', async () => {
    await expect(readResults(join(dir, 'nope.json'))).rejects.toThrow(/results file .*nope\.json not found/);
  });

  it('reads the fixture', async () => {
    const results = await readResults(FIXTURE.pathname);
    expect(results.cells.length).toBeGreaterThan(0);
  });
});

describe('writeResultsAtomic', () => {
  it('writes results.json that reads back equal, leaving no temporary file', async () => {
    const out = join(dir, 'run-1');
    const path = await writeResultsAtomic(out, fixture());
    expect(path).toBe(join(out, 'results.json'));
    expect(await readResults(path)).toEqual(fixture());
    expect(readdirSync(out)).toEqual(['results.json']);
  });

  it('refuses to write results that do not match the schema', async () => {
    const out = join(dir, 'run-2');
    await expect(writeResultsAtomic(out, mutated((r: any) => delete r.runId) as Results)).rejects.toThrow('runId is missing');
  });
});
