import { describe, expect, it } from 'vitest';
import {
  defaultThresholds,
  parseThresholdsConfig,
  resolveThresholds,
  thresholdFor,
  ThresholdsError,
} from '../../bench/compare/thresholds.ts';

describe('thresholds', () => {
  it('defaults to the metric table', () => {
    const t = defaultThresholds();
    expect(t.defaults).toEqual({
      requestsPerSec: 5,
      latencyP50Us: 10,
      latencyP99Us: 10,
      serverCpuUsPerRequest: 5,
      errorShare: 0,
      serverRssBytes: 10,
      queriesPerRequest: 0,
      dbCallsPerRequest: 0,
      dbRowsPerRequest: 2,
      dbSharedBlocksPerRequest: 2,
      dbTempBlocksPerRequest: 0,
    });
  });

  it.each([
    { name: 'an empty object', data: {} },
    { name: 'other keys beside gate', data: { other: 1, gate: { profile: 'gate' } } },
    { name: 'ids and aliases', data: { gate: { thresholds: { requestsPerSec: 3, p99: 20 } } } },
    { name: 'per-scenario overrides', data: { gate: { thresholds: { scenarios: { search: { p99: 25 } } } } } },
  ])('accepts $name', ({ data }) => {
    expect(() => parseThresholdsConfig(data, 'jobbench.config.json')).not.toThrow();
  });

  it.each([
    {
      name: 'an unknown metric',
      data: { gate: { thresholds: { p77: 3 } } },
      message: /gate\.thresholds\.p77 is not a metric/,
    },
    {
      name: 'a negative threshold',
      data: { gate: { thresholds: { p99: -1 } } },
      message: /gate\.thresholds\.p99 must be >= 0/,
    },
    {
      name: 'a string threshold',
      data: { gate: { thresholds: { cpu: '5%' } } },
      message: /gate\.thresholds\.cpu must be number/,
    },
    {
      name: 'an unknown metric in a scenario',
      data: { gate: { thresholds: { scenarios: { search: { latency: 3 } } } } },
      message: /scenarios\.search\.latency is not a metric/,
    },
    { name: 'thresholds not an object', data: { gate: { thresholds: 5 } }, message: /gate\.thresholds must be object/ },
  ])('rejects $name with a message naming the field and the file', ({ data, message }) => {
    expect(() => parseThresholdsConfig(data, 'x.json')).toThrow(ThresholdsError);
    expect(() => parseThresholdsConfig(data, 'x.json')).toThrow(message);
    expect(() => parseThresholdsConfig(data, 'x.json')).toThrow(/^x\.json: invalid jobbench config/);
  });

  it('merges defaults < config < scenario override < flags', () => {
    const config = parseThresholdsConfig(
      { gate: { thresholds: { p99: 20, cpu: 8, scenarios: { search: { p99: 30, rps: 2 } } } } },
      'c.json',
    );
    const t = resolveThresholds(config, ['cpu=3']);
    expect(thresholdFor(t, 'get-job', 'latencyP99Us')).toBe(20); // config
    expect(thresholdFor(t, 'search', 'latencyP99Us')).toBe(30); // scenario override
    expect(thresholdFor(t, 'search', 'requestsPerSec')).toBe(2);
    expect(thresholdFor(t, 'get-job', 'requestsPerSec')).toBe(5); // default
    expect(thresholdFor(t, 'search', 'serverCpuUsPerRequest')).toBe(3); // flag beats config
  });

  it.each(['p99', 'p99=', 'p99=abc', 'nope=3', 'p99=-2', 'p99=5000'])('rejects the flag --threshold %s', (raw) => {
    expect(() => resolveThresholds({}, [raw])).toThrow(ThresholdsError);
  });

  it('accepts a trailing % in a flag', () => {
    expect(resolveThresholds({}, ['p50=12.5%']).flags).toEqual({ latencyP50Us: 12.5 });
  });
});
