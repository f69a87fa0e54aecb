/**
 * --cpus and the ceilings: the bare node:http server of the HTTP ceiling is pinned to the server set
 * and each tool's ceiling records it; pgbench's CPU set is read back from its own pid. Every check reads
 * /proc/<pid>/status (Cpus_allowed_list) of the live process. Tiny windows: correctness, not speed.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPgbench, measureDbCeiling } from '../../bench/ceilings/db-ceiling.ts';
import { measureHttpCeilings } from '../../bench/ceilings/http-ceiling.ts';
import { affinityOf, parseCpuList } from '../../bench/host/affinity.ts';
import { commOf } from '../../bench/host/procfs.ts';
import { autocannonRunner } from '../../bench/runners/autocannon/runner.ts';
import type { LoadRunner } from '../../bench/runners/types.ts';
import { createWrkRunner, findWrk } from '../../bench/runners/wrk/runner.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { childrenWith } from '../support/process-tree.ts';

const HAS_TASKSET = spawnSync('taskset', ['--version']).status === 0;
const ALLOWED = parseCpuList(affinityOf('self'));
const LAST = String(ALLOWED[ALLOWED.length - 1]);
const WRK = findWrk();
const PGBENCH = findPgbench();
const JOBS = 200;

/** A runner that looks at the bare server's CPU set while it is loaded, then runs the real tool. */
function observing(runner: LoadRunner, seen: string[]): LoadRunner {
  return {
    tool: runner.tool,
    run: (window, signal) => {
      for (const pid of childrenWith('http.createServer')) seen.push(`${runner.tool}:${affinityOf(pid)}`);
      return runner.run(window, signal);
    },
  };
}

describe.skipIf(!HAS_TASKSET)('ceilings under --cpus (real taskset)', () => {
  it('pins the bare HTTP server to the server set, one ceiling per tool, affinity read back', async () => {
    const seen: string[] = [];
    const tools = [autocannonRunner, ...(WRK ? [createWrkRunner({ bin: WRK })] : [])];
    const ceilings = await measureHttpCeilings({
      runners: tools.map((r) => observing(r, seen)),
      connections: 2,
      durationS: 1,
      warmupS: 0,
      maxWorkers: 1, // one process per tool: the observer sees each tool once
      placement: { server: LAST },
    });
    expect(ceilings.map((c) => c.tool)).toEqual(tools.map((t) => t.tool));
    for (const c of ceilings) {
      expect(c.requests).toBeGreaterThan(0);
      expect(c.affinity).toEqual({ server: LAST, generator: affinityOf('self') });
    }
    expect(seen).toEqual(tools.map((t) => `${t.tool}:${LAST}`)); // the live server, from /proc
    expect(childrenWith('http.createServer')).toEqual([]); // and it is gone
  });

  it('records no affinity without --cpus', async () => {
    const [c] = await measureHttpCeilings({ runners: [autocannonRunner], connections: 1, durationS: 0.5, warmupS: 0 });
    expect(c!.affinity).toBeUndefined();
  });

  describe.skipIf(!PGBENCH)('pgbench', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ jobs: JOBS });
    });
    afterAll(async () => db?.drop());

    it("reads pgbench's CPU set back from its own pid (inherited from the harness: the generator set)", async () => {
      const read: { comm: string | undefined; cpus: string }[] = [];
      const c = await measureDbCeiling({
        databaseUrl: db.url,
        clients: 2,
        durationS: 1,
        jobCount: JOBS,
        readAffinity: (pid) => {
          read.push({ comm: commOf(pid), cpus: affinityOf(pid) });
          return { client: affinityOf(pid), db: null };
        },
      });
      expect(c.method).toBe('pgbench');
      expect(read).toEqual([{ comm: 'pgbench', cpus: affinityOf('self') }]);
      expect(c.affinity).toEqual({ client: affinityOf('self'), db: null });
    });
  });
});
