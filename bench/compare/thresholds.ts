import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { COMPARE_METRICS, findMetric, type MetricId } from './metrics.ts';

/**
 * Practical thresholds, in percent of the base, per metric and per scenario. Sources, later wins:
 * the metric table's defaults < the config file's `gate.thresholds` < its `gate.thresholds.scenarios.<name>`
 * < `--threshold metric=PCT` flags (a flag applies to every scenario). Config files are
 * `jobbench.config.json` or `package.json#jobbench`; the CLI reads them, this file only validates.
 */
export type ThresholdsPct = Partial<Record<MetricId, number>>;

export interface Thresholds {
  defaults: Record<MetricId, number>;
  config: ThresholdsPct;
  scenarios: Record<string, ThresholdsPct>;
  flags: ThresholdsPct;
  source: string | null; // the config file read, for messages and reports
}

/** A config file or flag that cannot be used; the CLI exits 2 with the message. */
export class ThresholdsError extends Error {
  override name = 'ThresholdsError';
}

const MAX_PCT = 1000;
const metricNames = COMPARE_METRICS.flatMap((m) => [m.id, m.alias]);
const pct = { type: 'number', minimum: 0, maximum: MAX_PCT };
const perMetric = Object.fromEntries(metricNames.map((name) => [name, pct]));

export const THRESHOLDS_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'jobbench config (the part compare and gate read)',
  type: 'object',
  properties: {
    gate: {
      type: 'object',
      properties: {
        thresholds: {
          type: 'object',
          properties: {
            ...perMetric,
            scenarios: {
              type: 'object',
              additionalProperties: { type: 'object', properties: perMetric, additionalProperties: false },
            },
          },
          additionalProperties: false,
        },
      },
    },
  },
} as const;

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(THRESHOLDS_CONFIG_SCHEMA);

function describe(err: ErrorObject): string {
  const at = err.instancePath.split('/').slice(1).join('.') || '(root)';
  if (err.keyword === 'additionalProperties') {
    const key = (err.params as { additionalProperty: string }).additionalProperty;
    return `${at}.${key} is not a metric (valid: ${COMPARE_METRICS.map((m) => `${m.id} or ${m.alias}`).join(', ')}${at.endsWith('thresholds') ? ', scenarios' : ''})`;
  }
  return `${at} ${err.message}`;
}

function normalize(raw: Record<string, unknown> | undefined): ThresholdsPct {
  const out: ThresholdsPct = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const metric = findMetric(name);
    if (metric && typeof value === 'number') out[metric.id] = value;
  }
  return out;
}

export function defaultThresholds(): Thresholds {
  const defaults = Object.fromEntries(COMPARE_METRICS.map((m) => [m.id, m.thresholdPct])) as Record<MetricId, number>;
  return { defaults, config: {}, scenarios: {}, flags: {}, source: null };
}

/** Validates a parsed config object (the file, or package.json's `jobbench` value); `source` names it. */
export function parseThresholdsConfig(
  data: unknown,
  source: string,
): Pick<Thresholds, 'config' | 'scenarios' | 'source'> {
  if (!validate(data)) {
    const problems = [...new Set((validate.errors ?? []).map(describe))];
    throw new ThresholdsError(`${source}: invalid jobbench config: ${problems.join('; ')}`);
  }
  const thresholds = (data as { gate?: { thresholds?: Record<string, unknown> } }).gate?.thresholds ?? {};
  const { scenarios = {}, ...global } = thresholds as { scenarios?: Record<string, Record<string, unknown>> };
  return {
    config: normalize(global),
    scenarios: Object.fromEntries(Object.entries(scenarios).map(([name, t]) => [name, normalize(t)])),
    source,
  };
}

/** `--threshold p99=15` / `requestsPerSec=3.5` → { metric, pct }. */
export function parseThresholdFlag(raw: string): { metric: MetricId; pct: number } {
  const m = /^([A-Za-z0-9]+)=(.+)$/.exec(raw.trim());
  if (!m) throw new ThresholdsError(`--threshold must look like metric=PCT (e.g. p99=15), got "${raw}"`);
  const metric = findMetric(m[1]!);
  if (!metric)
    throw new ThresholdsError(
      `--threshold: unknown metric "${m[1]}"; valid: ${COMPARE_METRICS.map((x) => `${x.id} (${x.alias})`).join(', ')}`,
    );
  const value = Number(m[2]!.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > MAX_PCT)
    throw new ThresholdsError(`--threshold ${metric.alias}: PCT must be a number from 0 to ${MAX_PCT}, got "${m[2]}"`);
  return { metric: metric.id, pct: value };
}

/** Merges the sources: defaults < config file < flags. */
export function resolveThresholds(
  config: Partial<Pick<Thresholds, 'config' | 'scenarios' | 'source'>> = {},
  flags: readonly string[] = [],
): Thresholds {
  const parsed: ThresholdsPct = {};
  for (const raw of flags) {
    const { metric, pct } = parseThresholdFlag(raw);
    parsed[metric] = pct;
  }
  return { ...defaultThresholds(), ...config, flags: parsed };
}

/** The threshold (%) that applies to one scenario's metric. */
export function thresholdFor(t: Thresholds, scenario: string, metric: MetricId): number {
  return t.flags[metric] ?? t.scenarios[scenario]?.[metric] ?? t.config[metric] ?? t.defaults[metric];
}
