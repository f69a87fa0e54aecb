/**
 * `--cpu-profile`: the server's V8 CPU profile over the measured window (POST /internal/profile/start
 * and /stop, src/routes/profiler.ts), written beside results.json with its top self-time functions in
 * the Round. Two requests a window.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { topSelfTimes, type CpuProfile } from '../cpu-profile.ts';
import type { Probe, ProbeContext, ProbeReport } from '../probe.ts';

export interface ProfileSettings {
  dir: string; // the results folder; profiles go to <dir>/profiles/
}

const PROFILER_TIMEOUT_MS = 30_000;

async function post(ctx: ProbeContext, path: string): Promise<Response> {
  const res = await ctx.server.fetch(path, { method: 'POST', timeoutMs: PROFILER_TIMEOUT_MS });
  if (!res.ok) throw new Error(`${ctx.target.baseUrl}${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

export function profileProbe(settings: ProfileSettings): Probe {
  let ctx: ProbeContext | undefined;
  return {
    name: 'profile',
    async start(context) {
      ctx = context;
      await post(ctx, '/internal/profile/start');
    },
    // Always stopped and written, even when the load failed: the profiler must not run on.
    async stop(): Promise<ProbeReport> {
      const { round, spec, load } = ctx!;
      const text = await (await post(ctx!, '/internal/profile/stop')).text();
      const name = `r${round}-${spec.adapter}-${spec.metrics}-${load.scenario}-${load.connections}`;
      const file = join('profiles', `${name.replace(/[^a-z0-9.-]+/gi, '_')}.cpuprofile`);
      await mkdir(join(settings.dir, 'profiles'), { recursive: true });
      await writeFile(join(settings.dir, file), text);
      const { sampledMs, top } = topSelfTimes(JSON.parse(text) as CpuProfile, 10);
      return { round: { profile: { file, sampledMs, top } } };
    },
  };
}
