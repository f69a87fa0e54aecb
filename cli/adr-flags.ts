import { DEFAULT_RESOLUTION, DEFAULT_SLO } from '../bench/levels/search.ts';
import type { AdrInput } from '../bench/kinds/adr/plan.ts';
import { RUNNERS } from '../bench/runners/index.ts';
import type { LoadRunner } from '../bench/runners/types.ts';
import { SCENARIO_NAMES } from '../scenarios/catalog.ts';
import { enumFlag, intFlag, numFlag } from './args.ts';

export const ADR_DEFAULTS = {
  baseline: 'pg-sync',
  rateFraction: 0.5, // of the sync baseline's closed-model throughput: a rate it can sustain
  lightConnections: 4, // without k6: the light closed-model load that stands in for a fixed rate
  capacityScenario: 'mixed' as const,
  maxConnections: 4096, // past the ADR's "~2000" for async
  capacityStart: 16,
  capacityResolution: Math.max(DEFAULT_RESOLUTION, 0.25), // coarser than `jobbench capacity`: one search per adapter per round
} as const;

/** k6 through the runner registry, or why it cannot be used here. */
export async function loadK6(): Promise<{ runner: LoadRunner; version?: string } | { why: string }> {
  try {
    const runner = await RUNNERS.k6();
    const { findK6, k6Version } = await import('../bench/runners/k6/bin.ts');
    const version = k6Version(findK6(process.env));
    return { runner, ...(version ? { version } : {}) };
  } catch (err) {
    return { why: `k6 is not available: ${(err as Error).message.split('\n')[0]}` };
  }
}

/** Phase 3's settings from the flags, or why it is skipped. */
export function capacityFlags(
  values: Record<string, string | boolean | undefined>,
  rounds: number,
  window: { warmupS: number; durationS: number },
): AdrInput['capacity'] {
  if (values['no-capacity']) return { skipped: '--no-capacity' };
  const str = (k: string) => values[k] as string | undefined;
  return {
    scenario: enumFlag('capacity-scenario', str('capacity-scenario'), SCENARIO_NAMES, ADR_DEFAULTS.capacityScenario),
    slo: { ...DEFAULT_SLO, p99Ms: intFlag('slo-p99-ms', str('slo-p99-ms'), 1, 600_000) ?? DEFAULT_SLO.p99Ms },
    startConnections: intFlag('capacity-start', str('capacity-start'), 1, 100_000) ?? ADR_DEFAULTS.capacityStart,
    maxConnections: intFlag('max-connections', str('max-connections'), 1, 1_000_000) ?? ADR_DEFAULTS.maxConnections,
    resolution: numFlag('capacity-resolution', str('capacity-resolution'), 0.01, 1) ?? ADR_DEFAULTS.capacityResolution,
    rounds: intFlag('capacity-rounds', str('capacity-rounds'), 1, 1_000) ?? rounds,
    windowS: {
      warmupS: numFlag('capacity-warmup', str('capacity-warmup'), 0, 3_600) ?? window.warmupS,
      durationS: numFlag('capacity-duration', str('capacity-duration'), 0.5, 86_400) ?? window.durationS,
    },
    ...(str('think-time') === undefined ? {} : { thinkTimeMs: intFlag('think-time', str('think-time'), 0, 600_000)! }),
    poolFill: 'open',
  };
}
