import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../../src/config.ts';
import { injectedWorkSink, injectWork } from '../../src/http/inject-faults.ts';

// JOBBENCH_INJECT_WORK: a fixed loop of N iterations per request, the same work every time (what the
// gate's instructions-per-request calibration injects). Its instruction count is checked under callgrind
// in test/instructions/; here: the setting, and that each request runs exactly N iterations.

function lcg(x: number, n: number): number {
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

describe('JOBBENCH_INJECT_WORK', () => {
  it('is off by default and read from the environment', () => {
    expect(DEFAULTS.injectWork).toBe(0);
    expect(readConfig({}).injectWork).toBe(0);
    expect(readConfig({ JOBBENCH_INJECT_WORK: '5000' }).injectWork).toBe(5000);
  });

  it.each(['-1', '1.5', 'lots', '1000000001'])('refuses %s', (raw) => {
    expect(() => readConfig({ JOBBENCH_INJECT_WORK: raw })).toThrow(ConfigError);
  });

  it('runs exactly N iterations of the loop in every request', async () => {
    const app = Fastify();
    injectWork(app, 1234);
    app.get('/x', async () => ({ ok: true }));
    await app.ready();
    for (let i = 0; i < 3; i++) {
      const before = injectedWorkSink.value;
      expect((await app.inject('/x')).statusCode).toBe(200);
      expect(injectedWorkSink.value).toBe(lcg(before, 1234));
      expect(injectedWorkSink.value).not.toBe(before);
    }
    await app.close();
  });
});

describe('JOBBENCH_COUNTING', () => {
  it('is off by default, on when asked', () => {
    expect(readConfig({}).counting).toBe(false);
    expect(readConfig({ JOBBENCH_COUNTING: 'on' }).counting).toBe(true);
  });
});
