/**
 * Instructions per request of the API process (DESIGN.md "How we measure" 11): callgrind's count over a
 * fixed, seeded request sequence after a warm-up, per scenario and side, one figure per server start.
 * Stored by the gate in results.extra.gate.instructions; counted by bench/instructions/.
 */
import { Type, type Static } from '@sinclair/typebox';
import { count, nonEmpty, nonNegative, oneOf, positiveInt } from './schema-kit.ts';

/** How the window was cut out of the process's life: callgrind_control (vgdb, needs ptrace) zeroes and dumps. */
export const INSTRUCTION_METHODS = ['callgrind_control'] as const;

/**
 * One side's count of one scenario: instructions per request, one value per server start. With
 * `compileIrPerRequest` and `gcIrPerRequest` (since 2026-12-07) `irPerRequest` leaves out V8 compiling
 * and collecting garbage inside the window (bench/instructions/jit.ts), which those two hold per start;
 * without them (older files) `irPerRequest` is the whole count.
 */
export const SideCountSchema = Type.Object({
  irPerRequest: Type.Array(nonNegative), // per start, in start order
  compileIrPerRequest: Type.Optional(Type.Array(nonNegative)), // per start: V8 compiling, left out of irPerRequest
  gcIrPerRequest: Type.Optional(Type.Array(nonNegative)), // per start: V8 collecting garbage, left out too
  sweepIrPerRequest: Type.Optional(Type.Array(nonNegative)), // per start: lazy sweeping, part of irPerRequest (since 2026-12-08)
  medianIrPerRequest: nonNegative,
  minIrPerRequest: nonNegative,
  maxIrPerRequest: nonNegative,
});
export type SideCount = Static<typeof SideCountSchema>;

/** A function's cost per request (mean over starts) on each side: self, and self + callees. */
export const FunctionChangeSchema = Type.Object({
  name: nonEmpty, // C++ symbol, V8 builtin, or a JS function named through the perf map ("getById src/adapters/pg-pool.ts:1:503")
  baseSelfIr: nonNegative,
  headSelfIr: nonNegative,
  baseInclusiveIr: nonNegative,
  headInclusiveIr: nonNegative,
});
export type FunctionChange = Static<typeof FunctionChangeSchema>;

export const ScenarioInstructionsSchema = Type.Object({
  scenario: nonEmpty,
  base: SideCountSchema,
  head: SideCountSchema,
  /** The functions whose cost per request changed most, by |Δ self|, then by |Δ inclusive| (call chains above them). */
  bySelf: Type.Array(FunctionChangeSchema),
  byInclusive: Type.Array(FunctionChangeSchema),
});
export type ScenarioInstructions = Static<typeof ScenarioInstructionsSchema>;

export const InstructionsSchema = Type.Union([
  Type.Object({
    status: Type.Literal('counted'),
    method: oneOf(INSTRUCTION_METHODS),
    adapter: nonEmpty,
    starts: positiveInt, // per side, base and head interleaved (counted side by side)
    warmupRequests: count,
    requests: positiveInt, // counted, per scenario and start
    seed: Type.Integer(),
    valgrind: Type.String(), // `valgrind --version`
    scenarios: Type.Array(ScenarioInstructionsSchema),
  }),
  Type.Object({ status: Type.Literal('unavailable'), reason: nonEmpty }),
]);
export type Instructions = Static<typeof InstructionsSchema>;
