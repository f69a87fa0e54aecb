import { cpus } from 'node:os';
import type { MachineContext } from './recommend.ts';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '']);

/**
 * What the HikariCP rule of thumb needs: the cores of the DATABASE server (os.cpus() is only right
 * when PostgreSQL runs on this machine: embedded, a local container, or a loopback URL) and the
 * effective spindles, which HikariCP counts as 0 when the active data set is cached: a seeded data set
 * of this size fits in memory many times over.
 */
export function machineContext(databaseUrl: string, jobs: number): MachineContext {
  let host = '';
  try {
    host = new URL(databaseUrl).hostname;
  } catch {
    // a malformed URL would have failed long before; treat it as remote
    host = 'unknown';
  }
  const local = LOCAL_HOSTS.has(host) || host.startsWith('/');
  const spindlesWhy = `the seeded data set (${jobs.toLocaleString('en-US')} jobs) is cached in memory, so HikariCP counts 0 effective spindles`;
  if (!local)
    return { cores: null, spindles: 0, coresWhy: `the database is on ${host}, not this machine`, spindlesWhy };
  return {
    cores: cpus().length,
    spindles: 0,
    coresWhy: `${cpus().length} cores from os.cpus() of this machine, which runs the database`,
    spindlesWhy,
  };
}
