/**
 * What `--cpus` and `--cpu-profile` add to a measured window: the server pinned (and its affinity read
 * back with the generator's and PostgreSQL's), and the server's V8 CPU profile written beside results.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { affinityOf, pinTree } from './affinity.ts';
import { topSelfTimes, type CpuProfile } from './profile.ts';
import type { CpuPlacement, WindowCpu, WindowProfile } from './types.ts';

/** The run's placement as applied: which roles were pinned and, for PostgreSQL, its postmaster. */
export interface AppliedPlacement extends CpuPlacement {
  postmasterPid?: number; // set when db was pinned
  dbNote?: string; // why db was not pinned
}

export function pinServer(serverPid: number, placement: AppliedPlacement | undefined): void {
  if (placement?.server) pinTree(serverPid, placement.server);
}

export function affinityReadBack(serverPid: number, placement: AppliedPlacement | undefined): WindowCpu['affinity'] {
  if (!placement) return undefined;
  let db: string | null = null;
  try {
    if (placement.postmasterPid !== undefined) db = affinityOf(placement.postmasterPid);
  } catch {
    db = null;
  }
  return { server: affinityOf(serverPid), generator: affinityOf('self'), db };
}

export interface ProfileSettings {
  dir: string; // the results folder; profiles go to <dir>/profiles/
}

async function post(url: string): Promise<Response> {
  const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

export async function startProfile(baseUrl: string): Promise<void> {
  await post(`${baseUrl}/internal/profile/start`);
}

/** Stops the server's profiler, writes the .cpuprofile and returns its summary (path relative to dir). */
export async function stopProfile(baseUrl: string, settings: ProfileSettings, name: string): Promise<WindowProfile> {
  const text = await (await post(`${baseUrl}/internal/profile/stop`)).text();
  const file = join('profiles', `${name.replace(/[^a-z0-9.-]+/gi, '_')}.cpuprofile`);
  await mkdir(join(settings.dir, 'profiles'), { recursive: true });
  await writeFile(join(settings.dir, file), text);
  const { sampledMs, top } = topSelfTimes(JSON.parse(text) as CpuProfile, 10);
  return { file, sampledMs, top };
}
