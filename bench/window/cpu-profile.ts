/**
 * Self time per function from a V8 .cpuprofile (what Chrome DevTools and speedscope open). Pure.
 *
 * A profile is a call tree (`nodes`, each with a callFrame and children) and a sample stream: `samples[i]`
 * is the node on top of the stack at sample i, `timeDeltas[i]` the µs since the previous sample (the first
 * from `startTime`). As DevTools does, sample i lasts until sample i+1 (the last until `endTime`), and
 * that time is the self time of its node. Nodes of the same function (same name, script and line, reached
 * by different paths) are summed. "(idle)", "(program)" and "(garbage collector)" are kept: they matter.
 */
import type { SelfTime } from '../results/cpu.ts';

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number; // µs
  endTime: number; // µs
  samples: number[];
  timeDeltas: number[]; // µs
}

export function selfTimes(profile: CpuProfile): { sampledMs: number; functions: SelfTime[] } {
  const byNode = new Map<number, number>(); // node id -> self µs
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  for (let i = 0; i < profile.samples.length; i++) {
    const next = i + 1 < times.length ? times[i + 1]! : profile.endTime;
    const us = Math.max(0, next - times[i]!);
    byNode.set(profile.samples[i]!, (byNode.get(profile.samples[i]!) ?? 0) + us);
  }
  const byFunction = new Map<string, { functionName: string; url: string; line: number; us: number }>();
  let totalUs = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (us === 0) continue;
    totalUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const line = lineNumber >= 0 ? lineNumber + 1 : 0; // V8 lines are 0-based
    const key = `${functionName}\u0000${url}\u0000${line}`;
    const entry = byFunction.get(key) ?? { functionName: functionName || '(anonymous)', url, line, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const functions = [...byFunction.values()]
    .sort((a, b) => b.us - a.us || a.functionName.localeCompare(b.functionName))
    .map((f) => ({
      functionName: f.functionName,
      url: f.url,
      line: f.line,
      selfMs: Math.round(f.us) / 1000,
      selfPercent: totalUs > 0 ? Math.round((f.us / totalUs) * 1000) / 10 : 0,
    }));
  return { sampledMs: Math.round(totalUs) / 1000, functions };
}

/** The `top` functions by self time, with paths shortened to what follows node_modules/ or the repo. */
export function topSelfTimes(profile: CpuProfile, top = 10): { sampledMs: number; top: SelfTime[] } {
  const { sampledMs, functions } = selfTimes(profile);
  return { sampledMs, top: functions.slice(0, top).map((f) => ({ ...f, url: shortUrl(f.url) })) };
}

export function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const m = /\/(src|shared|bench)\/.*$/.exec(url);
  return m ? m[0].slice(1) : url.replace(/^file:\/\//, '');
}
