import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HarnessError, oneLine } from '../../../shared/harness-errors.ts';
import { onShutdown } from '../../host/lifecycle.ts';

const run = promisify(execFile);

/** The checkout this jobbench runs from: the head when --head is not given (the working tree). */
export const OWN_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Where the gate's temporary worktrees go (gitignored, like all run scratch). */
export const GATE_SCRATCH = join(OWN_ROOT, '.jobbench', 'gate');

export interface Revision {
  ref: string; // as given, or "working tree"
  commit: string | null; // full sha; null for the working tree
}

/** `git rev-parse --verify <ref>^{commit}`: the commit a ref names, or JOBBENCH_CLI_ERR_GIT_REF (exit 2). */
export async function resolveRef(ref: string, cwd = OWN_ROOT): Promise<Revision> {
  if (ref === '' || ref.startsWith('-')) throw new HarnessError('JOBBENCH_CLI_ERR_GIT_REF', `not a git ref: "${ref}"`);
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
    return { ref, commit: stdout.trim() };
  } catch {
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_GIT_REF',
      `git ref "${ref}" does not name a commit here (git rev-parse --verify ${ref}^{commit} failed; for a branch of a remote, fetch it first)`,
    );
  }
}

/** The working tree's own HEAD commit (recorded as the head side's base point), or null outside git. */
export async function ownHead(cwd = OWN_ROOT): Promise<string | null> {
  return run('git', ['rev-parse', 'HEAD'], { cwd }).then(
    (r) => r.stdout.trim(),
    () => null,
  );
}

const fail = (what: string, err: unknown) =>
  new HarnessError(
    'JOBBENCH_CLI_ERR_GATE_CHECKOUT',
    `${what}: ${oneLine((err as { stderr?: string }).stderr || err)}`,
    {
      cause: err,
    },
  );

/**
 * Checks `commit` out into a temporary detached worktree under .jobbench/gate/ and installs it: its
 * node_modules is a symlink to `headRoot`'s when package-lock.json is byte-identical, else `npm ci`
 * runs there. The worktree is removed on every exit path (normal, error, Ctrl-C) through onShutdown.
 */
export async function checkoutRevision(
  commit: string,
  name: string,
  headRoot: string,
  log: (line: string) => void,
): Promise<{ root: string; installed: 'symlink' | 'npm ci'; remove: () => Promise<void> }> {
  await mkdir(GATE_SCRATCH, { recursive: true });
  const root = join(GATE_SCRATCH, `${name}-${commit.slice(0, 12)}-${process.pid}`);
  try {
    await run('git', ['worktree', 'add', '--detach', '--force', root, commit], { cwd: OWN_ROOT });
  } catch (err) {
    throw fail(`git worktree add ${commit.slice(0, 12)} failed`, err);
  }
  let removed: Promise<void> | undefined;
  const remove = () =>
    (removed ??= (async () => {
      unregister();
      await run('git', ['worktree', 'remove', '--force', root], { cwd: OWN_ROOT }).catch(() => {});
      await rm(root, { recursive: true, force: true });
      await run('git', ['worktree', 'prune'], { cwd: OWN_ROOT }).catch(() => {});
    })());
  const unregister = onShutdown(`gate worktree ${name}`, remove);
  try {
    const lock = async (dir: string) => readFile(join(dir, 'package-lock.json')).catch(() => null);
    const [own, theirs] = await Promise.all([lock(root), lock(headRoot)]);
    const headModules = join(headRoot, 'node_modules');
    if (own && theirs && own.equals(theirs) && existsSync(headModules)) {
      await symlink(headModules, join(root, 'node_modules'), 'dir');
      log(`${name} ${commit.slice(0, 12)}: same package-lock.json as the head, node_modules reused (symlink)`);
      return { root, installed: 'symlink', remove };
    }
    log(`${name} ${commit.slice(0, 12)}: package-lock.json differs from the head's: npm ci in its worktree…`);
    await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { root, installed: 'npm ci', remove };
  } catch (err) {
    await remove();
    throw fail(`cannot install ${name} ${commit.slice(0, 12)}`, err);
  }
}
