/**
 * Names for JIT-compiled JavaScript. Callgrind sees V8's generated code as bare addresses
 * (`0x000000000d1bea80`); `node --perf-basic-prof` writes every code object it creates to
 * /tmp/perf-<pid>.map as `<start hex> <size hex> <name>` lines, so an address can be named after the fact.
 */

export interface PerfMapEntry {
  startAddr: number;
  sizeBytes: number;
  name: string;
}

/** A code range reused after GC appears twice: the later line (the newer code) wins. */
export function parsePerfMap(text: string): PerfMapEntry[] {
  const byStart = new Map<number, PerfMapEntry>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/i.exec(line);
    if (!m) continue;
    const entry = { startAddr: parseInt(m[1]!, 16), sizeBytes: parseInt(m[2]!, 16), name: m[3]! };
    byStart.set(entry.startAddr, entry);
  }
  return [...byStart.values()].sort((a, b) => a.startAddr - b.startAddr);
}

/**
 * `JS:*getById file:///tmp/x/src/adapters/pg-pool.ts:40:5` → `getById src/adapters/pg-pool.ts:40:5`:
 * the tier marker (~ interpreted, ^ baseline, + Maglev, * optimised) and the checkout's root go, so that
 * one function has one name in base and head (two checkouts, maybe two tiers).
 */
export function normaliseJsName(name: string, roots: readonly string[]): string {
  let n = name.replace(/^(JS|LazyCompile|Function|Script):/, '').replace(/^[~^+*]/, '');
  n = n.replace(/file:\/\//g, '');
  for (const root of roots) {
    const r = root.endsWith('/') ? root : `${root}/`;
    n = n.split(r).join('');
  }
  return n.trim() === '' ? '(anonymous)' : n.trim();
}

/** address → normalised name, or undefined when no entry covers it. Binary search over sorted entries. */
export function perfMapResolver(entries: readonly PerfMapEntry[], roots: readonly string[]) {
  return (addr: number): string | undefined => {
    let lo = 0;
    let hi = entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid]!.startAddr <= addr) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const e = entries[found]!;
    return addr < e.startAddr + e.sizeBytes ? normaliseJsName(e.name, roots) : undefined;
  };
}
