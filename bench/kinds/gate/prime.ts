import { freePort } from '../../host/free-port.ts';
import { primeTsxCache } from '../../instructions/callgrind-server.ts';
import { serveArgs } from '../../targets/serve-args.ts';

/**
 * Starts and stops each side's server once before the measured ones, for every adapter it will serve,
 * so that tsx's transpile cache holds that checkout's sources. Without it the side whose checkout is
 * new (the base's fresh worktree, usually) compiled them at start-up through tsx's esbuild service, a
 * child process that stayed in the server's process tree: that side's server counted 2 processes and
 * ~15 MiB more RSS in every round, and every A/A gate read "peak server RSS improved" (−12% to −15%,
 * head below base) on both cells (gate-calibration-2026-12-07b).
 */
export async function primeSideServers(
  sides: readonly { root: string; databaseUrl: string; env: Readonly<Record<string, string>> }[],
  adapters: readonly string[],
): Promise<void> {
  for (const side of sides)
    for (const adapter of adapters) {
      const port = await freePort();
      const args = serveArgs({ root: side.root, adapter, port, logLevel: 'warn' });
      const env = { ...process.env, ...side.env, DATABASE_URL: side.databaseUrl };
      await primeTsxCache(
        `jobbench serve --adapter ${adapter} (${side.root})`,
        args,
        env,
        `http://127.0.0.1:${port}/ready`,
      );
    }
}
