import type { CallgrindProfile } from './callgrind-file.ts';

/**
 * What a counted window holds besides the request path's own work, and leaves out of its figure:
 * V8 compiling (one-time work, placed by when a function crosses a tier-up budget) and V8 collecting
 * garbage (placed by when the young generation fills: one scavenge more or less in a window of 200
 * requests moved get-job by ~1.7%). Both are shown apart. In A/A starts of one build (2026-12-07,
 * docs/readme/gate.md "What the count leaves out") search's whole count moved up to 3.8% between starts,
 * by its compiling alone (92,000–177,000 instructions/request), and get-job's 1.8–2.2%, by its
 * scavenges; without both, 0.1–0.4%.
 */

/**
 * V8's runtime entries into its compilers (lazy compilation, Sparkplug, TurboFan, on-stack replacement)
 * and its deoptimizer: called from JavaScript or builtins, never from one another.
 */
const COMPILE =
  /^v8::internal::Runtime_(Compile\w*|InstallBaselineCode|BytecodeBudgetInterrupt\w*|NotifyDeoptimized|HealOptimizedCodeSlot|FunctionFirstExecution)\(/;

/**
 * The collector's entry from an allocation that did not fit: a scavenge or a mark-compact, all of it.
 * Lazy sweeping on allocation (Sweeper::) is left in the count: leaving it out widened A/A ranges.
 */
const GC = /^v8::internal::Heap::CollectGarbage\(/;

/**
 * The pattern parseCallgrind takes to record calls into these entries from outside them. Only entries:
 * the compilers' inner functions are also reached through std::function and other frames outside any
 * pattern, which would count them twice. A collection inside a compile is counted in both (rare).
 */
export const WINDOW_DEPENDENT = new RegExp(`${COMPILE.source}|${GC.source}`);

export interface WindowDependent {
  compileIr: number; // V8 compiling and deoptimizing inside the window
  gcIr: number; // V8 collecting garbage inside the window
}

/** Splits a profile's recorded entries (parsed with WINDOW_DEPENDENT) into compiling and collecting. */
export function windowDependent(profile: CallgrindProfile): WindowDependent {
  let compileIr = 0;
  let gcIr = 0;
  for (const [name, ir] of profile.entryIr) {
    if (COMPILE.test(name)) compileIr += ir;
    else gcIr += ir;
  }
  return { compileIr, gcIr };
}

/**
 * V8's lazy sweeping: after a mark-compact, the pages it left are swept when an allocation needs room,
 * inside whichever window comes next. It stays in the figure (a call edge cannot tell a sweep reached
 * from an allocation from one reached inside a collection, which is already left out, so leaving it out
 * subtracted some of it twice and widened A/A ranges), and is read apart here so that a verdict it alone
 * decides is not given (verdict.ts). In an A/A gate on 2026-12-07 (gate-calibration-2026-12-07e, aa-26)
 * base's get-job window held a mark-compact and ~2,200 instructions/request of this; head's none; the
 * figure read −0.50%, "improved". The inclusive cost of every call, inside collections too: an upper bound.
 */
const SWEEP = /^v8::internal::Sweeper::RawSweep\(/;

/** Instructions of the window spent sweeping (SWEEP), all callers. */
export function sweepingIr(profile: CallgrindProfile): number {
  let ir = 0;
  for (const [name, cost] of profile.functions) if (SWEEP.test(name)) ir += cost.inclusiveIr;
  return ir;
}
