/** PromQL fragments shared by the dashboards, so that every panel filters and groups alike. */

/** `metric{adapter=~"$adapter",extra...}`: every API-side query honours the adapter variable. */
export function sel(metric: string, extra = '', variable = 'adapter'): string {
  return `${metric}{${variable}=~"$${variable}"${extra ? `,${extra}` : ''}}`;
}

/** Per-second rate over Grafana's $__rate_interval (at least 4 scrape intervals). */
export function rate(selector: string): string {
  return `rate(${selector}[$__rate_interval])`;
}

/** A quantile of a classic histogram (`_bucket` series with `le`), grouped by `by`. */
export function quantile(q: number, metric: string, by: string, extra = ''): string {
  return `histogram_quantile(${q}, sum by (${by}, le) (${rate(sel(`${metric}_bucket`, extra))}))`;
}

/**
 * `numerator` with 0 wherever `denominator` has a series: a selector that matched nothing (no
 * 5xx yet) would otherwise leave the panel empty, which reads as "broken", not as "none".
 */
export function orZero(numerator: string, denominator: string): string {
  return `(${numerator} or ${denominator} * 0)`;
}

/** Grafana's built-in interval variables, with the values the tests substitute. */
export const GRAFANA_INTERVALS = ['$__rate_interval', '$__interval', '$__range'] as const;

/**
 * Substitutes template variables the way Grafana does for a Prometheus data source: a regex
 * matcher gets the selected values joined by `|`. Used by the tests that run every panel's query
 * against a real Prometheus (test/observability/promql.test.ts, and the k6 tests for the k6 panels).
 */
export function expandExpr(expr: string, values: Record<string, string | string[]>): string {
  return expr.replace(/\$(__[a-z_]+|[a-z][a-z0-9_]*)/gi, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value given for ${whole} in: ${expr}`);
    return Array.isArray(value) ? value.join('|') : value;
  });
}
