import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This checkout's `jobbench` entry point. */
export const JOBBENCH_BIN = fileURLToPath(new URL('../../bin/jobbench.js', import.meta.url));

export interface ServeArgsSpec {
  root?: string; // the checkout whose bin/jobbench.js serves; this one when left out
  adapter: string;
  port: number;
  poolMax?: number;
  metrics?: 'on' | 'off';
  logLevel?: string;
  workers?: number;
}

/**
 * Node's arguments for `jobbench serve` on 127.0.0.1 against the DATABASE_URL of its environment
 * (`--db external`): every server the harness and its scripts start is started with these.
 */
export function serveArgs(s: ServeArgsSpec): string[] {
  return [
    s.root === undefined ? JOBBENCH_BIN : join(s.root, 'bin', 'jobbench.js'),
    'serve',
    ...['--adapter', s.adapter, '--port', String(s.port), '--host', '127.0.0.1'],
    ...(s.poolMax === undefined ? [] : ['--pool-max', String(s.poolMax)]),
    ...(s.metrics === undefined ? [] : ['--metrics', s.metrics]),
    ...['--db', 'external'],
    ...(s.logLevel === undefined ? [] : ['--log-level', s.logLevel]),
    ...(s.workers !== undefined && s.workers > 1 ? ['--workers', String(s.workers)] : []),
  ];
}
