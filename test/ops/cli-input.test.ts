import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../scenarios/profiles.ts';
import { COMMANDS } from '../../cli/commands/index.ts';
import { runCli } from '../cli/support.ts';

const DOCS = fileURLToPath(new URL('../../docs/readme', import.meta.url));

describe('sweep and capacity reject bad input with exit code 2, before starting anything', () => {
  it.each([
    { args: ['sweep', '--via', 'sidecar'], message: '--via must be direct, pgbouncer or both' },
    { args: ['capacity', '--via', 'direct,sidecar'], message: '--via must be direct, pgbouncer or both' },
    { args: ['sweep', '--pool-max', '4'], message: 'give the pool sizes with --pool' },
    { args: ['sweep', '--pool', '0,4'], message: '--pool must be between 1' },
    { args: ['sweep', '--peak-share', '1.5'], message: '--peak-share must be between' },
    { args: ['sweep', '--pgbouncer-pool', '8'], message: '--pgbouncer-pool needs --via pgbouncer' },
    { args: ['sweep', '--rate', '100'], message: '--rate needs --tool k6' },
    { args: ['capacity', '--scenarios', 'get-job'], message: '--scenarios and --connections do not apply' },
    { args: ['capacity', '--scenario', 'nope'], message: 'unknown value "nope"' },
    {
      args: ['capacity', '--start', '64', '--max-connections', '8'],
      message: '--start 64 is above --max-connections 8',
    },
    { args: ['capacity', '--tool', 'k6'], message: 'capacity runs autocannon (a closed model' },
    { args: ['run', '--sample-interval', '0'], message: '--sample-interval must be between 0.1 and 3600, got 0' },
  ])('$args', async ({ args, message }) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each(Object.keys(COMMANDS))('%s --help documents every option its parser takes', async (name) => {
    const command = await COMMANDS[name]!();
    const flags = Object.keys(command.options).map((o) => `--${o}`);
    expect(flags.length, 'the command declares its options').toBeGreaterThan(0);
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(command.help))).toEqual([]);
  });

  // docs/ in step with the parsers too: a newcomer reads the docs, not only --help.
  const docs = readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => readFileSync(join(DOCS, f), 'utf8'))
    .join('\n');

  it.each(Object.keys(COMMANDS))('%s: docs/readme documents every option its parser takes', async (name) => {
    const command = await COMMANDS[name]!();
    const flags = Object.keys(command.options).map((o) => `--${o}`);
    expect(flags.filter((flag) => !new RegExp(`${flag}(?![\\w-])`).test(docs))).toEqual([]);
  });

  it('README and docs/readme/run.md name every profile', () => {
    const readme = readFileSync(join(DOCS, '../../README.md'), 'utf8');
    const run = readFileSync(join(DOCS, 'run.md'), 'utf8');
    for (const profile of Object.keys(PROFILES)) {
      expect(readme, `README: ${profile}`).toMatch(new RegExp(`\`${profile}\``));
      expect(run, `run.md: ${profile}`).toMatch(new RegExp(`\`${profile}\``));
    }
  });
});

describe('an error line carries its stable code', () => {
  it('prints "jobbench <command>: <CODE>: <message>" on one line, exit 2', async () => {
    const result = await runCli(['run', '--rounds', 'zero']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^jobbench run: JOBBENCH_CLI_ERR_USAGE: --rounds /);
  });

  it('with --json, also as JSON on stdout', async () => {
    const result = await runCli(['run', '--rounds', 'zero', '--json']);
    expect(result.code).toBe(2);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; exitCode: number } };
    expect(error).toMatchObject({ code: 'JOBBENCH_CLI_ERR_USAGE', exitCode: 2 });
    expect(error.message).toMatch(/^--rounds /);
  });
});

describe("--help says each command's own defaults, not inherited ones", () => {
  it('gate: profile gate and adapters pg-pool, never "default quick" or "default: all"', async () => {
    const { help } = await COMMANDS.gate!();
    expect(help).toMatch(/--profile NAME .*; default gate/);
    expect(help).toMatch(/--adapters a,b .*\(default: pg-pool\)/);
    expect(help).not.toMatch(/default quick|default: all/);
  });

  it('adr: 5 rounds without --profile', async () => {
    const { help } = await COMMANDS.adr!();
    expect(help).toMatch(/--rounds N .*default: 5 \(with --profile: its own\)/);
  });
});
