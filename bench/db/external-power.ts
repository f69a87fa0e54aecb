import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactUrl } from '../../src/config.ts';
import { HarnessError, oneLine } from '../../shared/harness-errors.ts';
import { onExitSync, onShutdown } from '../host/lifecycle.ts';
import { withClient } from './client.ts';
import { planControl, type Command, type ExternalControl } from './external-control.ts';
import { gatherFacts } from './external-facts.ts';
import type { DbPower } from './types.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

/**
 * The power switch of an external PostgreSQL on this machine (`--allow-db-restart`): pg_ctlcluster or
 * pg_ctl, as planControl() decided. Whatever happens to the run (an error, Ctrl-C, a second Ctrl-C),
 * a server it stopped is started again: the user's database must never be left down by a benchmark.
 */

const COMMAND_TIMEOUT_MS = 90_000; // pg_ctl waits 60 s itself; past this the command is killed
const READY_TIMEOUT_MS = 60_000; // after start: until the server accepts a connection
const READY_POLL_MS = 200;

/** Only what a server needs: the harness's environment (DATABASE_URL, markers) must not leak into it. */
function serverEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

function runCommand({ file, args }: Command): Promise<void> {
  return new Promise((resolve, reject) => {
    // detached (a session of its own): the server it starts must not get the terminal's Ctrl-C, which
    // is the harness's to handle; cwd '/': the server's user may not enter the harness's folder.
    const child = spawn(file, args, {
      cwd: '/',
      env: serverEnv(),
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', (err) => (clearTimeout(timer), reject(err)));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${file} ${args.join(' ')} exited with ${code ?? signal}: ${oneLine(stderr.trim())}`));
    });
  });
}

async function accepts(url: string): Promise<boolean> {
  return withClient(url, { applicationName: HARNESS_CONNECTIONS.probe, connectTimeoutMs: 2_000 }, (c) =>
    c.query('SELECT 1'),
  ).then(
    () => true,
    () => false,
  );
}

/** Resolves once `url` accepts a connection; throws after READY_TIMEOUT_MS. */
async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await accepts(url))) {
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s of its start`);
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
}

export interface ExternalPower extends DbPower {
  controller: string;
  /** Starts the server again if this power switch left it stopped; then forgets the exit hooks. */
  release(): Promise<void>;
}

export function powerOf(url: string, control: ExternalControl): ExternalPower {
  let down = false; // set before a stop begins: a stop cut short still leaves the server to start
  const resume = async () => {
    if (!(await accepts(url))) await runCommand(control.start);
    await waitReady(url);
    down = false;
  };
  const ensureUp = async () => void (down ? await resume() : undefined);
  // A forced exit (second Ctrl-C, process.exit) skips async cleanups: start the server synchronously.
  // Stop first: a stop still in flight (its pg_ctl outlives this process) would otherwise win over the
  // start and leave the server down; stopping a stopped server just fails at once.
  const unregisterSync = onExitSync(() => {
    if (!down) return;
    const options = { cwd: '/', env: serverEnv(), stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS } as const;
    spawnSync(control.stop.file, control.stop.args, options);
    spawnSync(control.start.file, control.start.args, options);
  });
  const unregister = onShutdown(`restart external postgres (${control.controller})`, ensureUp);
  return {
    controller: control.controller,
    async pause() {
      down = true;
      await runCommand(control.stop);
    },
    resume,
    async release() {
      unregister();
      await ensureUp().finally(unregisterSync);
    },
  };
}

/**
 * The power switch of the external PostgreSQL at `url`, or a one-line JOBBENCH_CLI_ERR_FAULT with the
 * reason jobbench may not stop and start it (not on this machine, not a superuser, no pg_ctl, …).
 */
export async function externalPower(url: string): Promise<ExternalPower> {
  let planned: ReturnType<typeof planControl>;
  try {
    const facts = await gatherFacts(url);
    planned = planControl(facts, join(tmpdir(), `jobbench-pg_ctl-${facts.port}.log`));
  } catch (err) {
    planned = { refused: `its settings could not be read: ${oneLine(err)}` };
  }
  if ('refused' in planned)
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_FAULT',
      `--allow-db-restart: jobbench cannot stop and start the PostgreSQL at ${redactUrl(url)}: ${planned.refused}`,
    );
  return powerOf(url, planned);
}
