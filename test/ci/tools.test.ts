import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findTool,
  localToolPath,
  REPO_DIR,
  TOOL_NAMES,
  TOOLS,
  ToolNotFoundError,
  toolVersion,
} from '../../bench/host/tool-bin.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobbench-tools-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(name: string, output: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho '${output}'\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.each(TOOL_NAMES)('findTool(%s)', (tool) => {
  const { binary, envVar, setup } = TOOLS[tool];
  const fake = fakeBinary(binary, 'v0.0.0');

  it(`prefers ${envVar}, then PATH`, () => {
    expect(findTool(tool, { [envVar]: fake, PATH: '/nowhere' })).toBe(fake);
    expect(findTool(tool, { PATH: `/nowhere:${dir}` })).toBe(fake);
  });

  it(`refuses a ${envVar} that points nowhere, saying how to install it`, () => {
    const lookup = () => findTool(tool, { [envVar]: join(dir, 'missing'), PATH: dir });
    expect(lookup).toThrow(ToolNotFoundError);
    expect(lookup).toThrow(`${envVar}=${join(dir, 'missing')} is not an executable file`);
    expect(lookup).toThrow(setup);
  });

  it('falls back to .bin of the repository, or explains how to get it', () => {
    try {
      expect(findTool(tool, { PATH: '/nowhere' })).toBe(localToolPath(tool));
    } catch (err) {
      expect(err).toMatchObject({ tool, message: expect.stringContaining(setup) });
    }
  });
});

describe('toolVersion', () => {
  it.each([
    ['k6', 'k6 v1.8.1 (go1.26.8, linux/amd64)', 'v1.8.1'],
    ['toxiproxy', 'toxiproxy-server version 2.5.0', 'v2.5.0'],
    [
      'actionlint',
      'v1.7.12\ninstalled by building from source\nbuilt with go1.26.8 compiler for linux/amd64',
      'v1.7.12',
    ],
    ['toxiproxy', 'toxiproxy-server version git', undefined],
  ] as const)('reads %s from %j', (tool, output, version) => {
    expect(toolVersion(tool, fakeBinary(`v-${tool}-${version}`, output))).toBe(version);
  });

  it('is undefined when the binary cannot run', () => {
    expect(toolVersion('k6', join(dir, 'missing'))).toBeUndefined();
  });
});

describe('scripts/setup-tools.sh', () => {
  const script = readFileSync(join(REPO_DIR, 'scripts', 'setup-tools.sh'), 'utf8');
  // A copy in an empty checkout: its .bin is empty, whatever the real one holds.
  const fakeRepo = join(dir, 'repo');
  mkdirSync(join(fakeRepo, 'scripts'), { recursive: true });
  for (const f of ['setup-tools.sh', 'setup-k6.sh'])
    copyFileSync(join(REPO_DIR, 'scripts', f), join(fakeRepo, 'scripts', f));
  const run = (file: string, args: string[], env: Record<string, string> = {}) =>
    spawnSync('bash', [join(fakeRepo, 'scripts', file), ...args], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', ...env },
      timeout: 30_000,
    });

  it('pins the same versions as bench/host/tool-bin.ts', () => {
    const table = /declare -A VERSION=\(([^)]*)\)/.exec(script)?.[1] ?? '';
    const pinned = Object.fromEntries([...table.matchAll(/\[([\w-]+)\]=(\S+)/g)].map((m) => [m[1], m[2]]));
    expect(pinned).toEqual(Object.fromEntries(TOOL_NAMES.map((t) => [t, TOOLS[t].version])));
  });

  it('refuses an unknown tool with exit 2, naming the known ones', () => {
    const r = run('setup-tools.sh', ['k7']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown tool "k7"; known: k6 toxiproxy actionlint');
  });

  it('without Go: exits 1 saying what to install, or 0 with --optional', () => {
    const strict = run('setup-tools.sh', ['toxiproxy', 'actionlint'], { GO: '/nonexistent/go' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('toxiproxy v2.5.0 is built from source with `go install`, which needs Go >= 1.17');
    expect(strict.stderr).toContain('actionlint v1.7.12');
    expect(strict.stderr).toContain('TOXIPROXY_BIN=/path/to/toxiproxy-server');
    const optional = run('setup-tools.sh', ['--optional', 'toxiproxy'], { GO: '/nonexistent/go' });
    expect(optional.status).toBe(0);
    expect(optional.stderr).toContain('continuing without toxiproxy (their tests will skip)');
  });

  it('setup-k6.sh installs k6 through it', () => {
    const r = run('setup-k6.sh', ['--optional'], { GO: '/nonexistent/go' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('k6 v1.8.1 is built from source');
    expect(r.stderr).not.toContain('toxiproxy v2.5.0');
  });

  it('skips a tool whose installed version matches, without needing Go', () => {
    const bin = join(fakeRepo, '.bin');
    mkdirSync(bin, { recursive: true });
    const stub = (name: string, out: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\necho '${out}'\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub('toxiproxy-server', 'toxiproxy-server version 2.5.0');
    stub('toxiproxy-cli', 'toxiproxy-cli version 2.5.0');
    const r = run('setup-tools.sh', ['toxiproxy'], { GO: '/nonexistent/go' });
    expect(r.stdout).toContain(`toxiproxy v2.5.0 already installed: ${join(bin, 'toxiproxy-server')}`);
    expect(r.status).toBe(0);
    stub('toxiproxy-server', 'toxiproxy-server version 2.4.0'); // an older build is rebuilt
    expect(run('setup-tools.sh', ['toxiproxy'], { GO: '/nonexistent/go' }).status).toBe(1);
  });
});
