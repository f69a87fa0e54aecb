import { intFlag, intListFlag } from './args.ts';

/** --sync-workers and --think-time: the flags of a fair sync baseline and of concurrent users. */
export const USERS_FLAGS = {
  'sync-workers': { type: 'string' },
  'think-time': { type: 'string' },
} as const;

export const SYNC_WORKERS_HELP = `  --sync-workers N[,M] pg-sync worker processes (jobbench serve --workers N), each blocking on its own DB
                      connection; default --pool-max, so that pg-sync holds as many DB connections as the
                      async pools (1: the single blocking process; 1,10: both, as two targets)`;

export const THINK_TIME_HELP = `  --think-time MS     concurrent users (k6 only): each of --connections virtual users sends a request,
                      waits for the answer, sleeps MS milliseconds, repeats (k6 constant-vus with sleep);
                      the rate then follows: about users / (MS + latency). Recorded in every cell`;

export interface UsersOptions {
  syncWorkers?: number[];
  thinkTimeMs?: number;
}

export function readUsersOptions(values: { 'sync-workers'?: string; 'think-time'?: string }): UsersOptions {
  const syncWorkers = intListFlag('sync-workers', values['sync-workers'], 1, 256);
  const thinkTimeMs = intFlag('think-time', values['think-time'], 0, 600_000);
  return { ...(syncWorkers ? { syncWorkers } : {}), ...(thinkTimeMs === undefined ? {} : { thinkTimeMs }) };
}
