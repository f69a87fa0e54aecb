/**
 * Same role, same shape (STYLE.md habit 13): every file in bench/window/probes/ exports one factory,
 * `<file name in camelCase>Probe`, whose probe is named after its file and has start and stop.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../bench/window/probes/', import.meta.url);
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const camel = (kebab: string) => kebab.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe('the probe files', () => {
  it('are there', () => expect(FILES.length).toBeGreaterThanOrEqual(10));

  it.each(FILES)('%s exports a factory of a Probe named after the file', async (file) => {
    const name = file.replace(/\.ts$/, '');
    const module = (await import(new URL(file, DIR).href)) as Record<string, unknown>;
    const factory = module[`${camel(name)}Probe`];
    expect(typeof factory).toBe('function');
    // Factories only capture their arguments: nothing starts before start().
    const probe = (factory as (...args: unknown[]) => Record<string, unknown>)();
    expect(probe.name).toBe(name);
    expect(typeof probe.start).toBe('function');
    expect(typeof probe.stop).toBe('function');
  });
});
