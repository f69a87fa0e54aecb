import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FD_OVERHEAD, fdsNeeded, maxConnectionsForFds, parseFdLimit } from '../../bench/host/fd-limit.ts';

const FD_LIMIT_MODULE = fileURLToPath(new URL('../../bench/host/fd-limit.ts', import.meta.url));

describe('parseFdLimit', () => {
  it.each([
    { line: 'Max open files            1024                 524288               files', soft: 1024, hard: 524288 },
    {
      line: 'Max open files            unlimited            unlimited            files',
      soft: Infinity,
      hard: Infinity,
    },
  ])('$line', ({ line, soft, hard }) => {
    expect(
      parseFdLimit(`Limit                     Soft Limit           Hard Limit           Units\n${line}\n`),
    ).toEqual({ soft, hard });
  });

  it('rejects text without the line', () => {
    expect(() => parseFdLimit('Max processes 10 10 processes')).toThrow();
  });
});

describe('descriptor budget', () => {
  it.each([
    { soft: 1024, poolMax: 10, connections: 1024 - 10 - FD_OVERHEAD },
    { soft: 100, poolMax: 10, connections: 0 },
    { soft: Infinity, poolMax: 10, connections: Number.MAX_SAFE_INTEGER },
  ])(
    'a soft limit of $soft with a pool of $poolMax leaves room for $connections connections',
    ({ soft, poolMax, connections }) => {
      expect(maxConnectionsForFds(soft, poolMax)).toBe(connections);
      if (Number.isFinite(soft) && connections > 0) expect(fdsNeeded(connections, poolMax)).toBe(soft);
    },
  );
});

describe('ensureFdLimit in a process with a low limit', () => {
  it('raises the limit where allowed, or says the fd limit, not the server, stops the search', () => {
    // A child whose hard limit is 600: raising past it needs CAP_SYS_RESOURCE.
    const script = `import('${FD_LIMIT_MODULE}').then((m) => console.log(JSON.stringify(m.ensureFdLimit(5000, 10))))`;
    const out = execFileSync('sh', ['-c', `ulimit -n 600 && exec "${process.execPath}" --import tsx -e "${script}"`], {
      encoding: 'utf8',
    });
    const report = JSON.parse(out) as { after: { soft: number }; maxConnections: number; note: string; wanted: number };
    expect(report.wanted).toBe(fdsNeeded(5000, 10));
    if (report.after.soft >= report.wanted) {
      expect(report.note).toMatch(/raised from 600/);
    } else {
      expect(report.maxConnections).toBe(maxConnectionsForFds(report.after.soft, 10));
      expect(report.note).toContain('limited by the fd limit, not the server');
      expect(report.note).toContain(`ulimit -n ${report.wanted}`);
    }
  });
});
