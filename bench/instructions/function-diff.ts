import type { FunctionChange } from '../results/instructions.ts';
import type { CallgrindProfile } from './callgrind-file.ts';

/** Functions at ≥ this share of the total inclusive cost are the event loop's frames: every change shows in them. */
const FRAME_SHARE = 0.9;

/** Costs per request, averaged over a side's starts (each profile covers `requests` requests). */
export function meanPerRequest(profiles: readonly CallgrindProfile[], requests: number) {
  const out = new Map<string, { self: number; inclusive: number }>();
  const k = profiles.length * requests;
  for (const p of profiles) {
    for (const [name, c] of p.functions) {
      const o = out.get(name) ?? { self: 0, inclusive: 0 };
      o.self += c.selfIr / k;
      o.inclusive += c.inclusiveIr / k;
      out.set(name, o);
    }
  }
  const totalIr = profiles.reduce((s, p) => s + p.totalIr, 0) / k;
  return { totalIr, functions: out };
}

type Mean = ReturnType<typeof meanPerRequest>;

/**
 * The functions whose cost per request changed most between base and head: by |Δ self| (where the work
 * is), and by |Δ inclusive| (who called it), leaving out functions whose inclusive cost is not a
 * cost (mutually recursive V8 call builtins exceed the total) or is the whole program (event-loop frames).
 */
export function functionChanges(base: Mean, head: Mean, top: number) {
  const names = new Set([...base.functions.keys(), ...head.functions.keys()]);
  const rows: FunctionChange[] = [...names].map((name) => {
    const b = base.functions.get(name) ?? { self: 0, inclusive: 0 };
    const h = head.functions.get(name) ?? { self: 0, inclusive: 0 };
    return {
      name,
      baseSelfIr: round(b.self),
      headSelfIr: round(h.self),
      baseInclusiveIr: round(b.inclusive),
      headInclusiveIr: round(h.inclusive),
    };
  });
  const dSelf = (r: FunctionChange) => Math.abs(r.headSelfIr - r.baseSelfIr);
  const dInc = (r: FunctionChange) => Math.abs(r.headInclusiveIr - r.baseInclusiveIr);
  const isFrame = (r: FunctionChange) =>
    r.baseInclusiveIr >= FRAME_SHARE * base.totalIr || r.headInclusiveIr >= FRAME_SHARE * head.totalIr;
  return {
    bySelf: rows
      .filter((r) => dSelf(r) > 0)
      .sort((a, b) => dSelf(b) - dSelf(a))
      .slice(0, top),
    byInclusive: rows
      .filter((r) => dInc(r) > 0 && !isFrame(r))
      .sort((a, b) => dInc(b) - dInc(a))
      .slice(0, top),
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
