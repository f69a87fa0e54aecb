import { locateTool } from '../../bench/host/tool-bin.ts';
import { TERMINAL_WIDTH, wrapText } from '../../bench/report/text-table.ts';
import { findBinary, findOnPath } from '../../bench/host/which.ts';
import { findPgBouncer } from '../../bench/pgbouncer/start.ts';
import { FASTAPI_TARGET_NAMES } from '../../bench/targets/fastapi-targets.ts';
import { pythonSettings } from '../../bench/targets/python.ts';
import { availableFastapiTargets } from '../../bench/targets/select.ts';
import { SCENARIOS, SCENARIO_NAMES } from '../../scenarios/catalog.ts';
import { PROFILES, PROFILE_NAMES } from '../../scenarios/profiles.ts';
import { ADAPTER_NAMES, ADAPTERS, adapterAvailability } from '../../src/adapters/registry.ts';
import { parse } from '../args.ts';
import { EXIT, type Command, type Options } from '../command.ts';

const HELP = `Usage: jobbench list [--json]

What this machine can measure, without starting anything: the Node adapters and FastAPI targets with
whether each can run here (pg-sync needs pg-native built against libpq; the FastAPI targets need python3
with their modules, e.g. Debian's python3-fastapi, python3-uvicorn, python3-psycopg2, python3-asyncpg),
the scenarios, the load profiles with their windows (rounds × (warm-up + measured) seconds, and the
measured windows per target they add up to), and the external tools found (k6, wrk, toxiproxy,
valgrind, prometheus, pgbouncer) with the command or feature that needs each.

Options:
  --json       print the same as JSON on stdout
  -h, --help   show this help

Exit codes: 0 (a missing target or tool is information, not an error), 2 bad options.`;

const OPTIONS = { json: { type: 'boolean' } } as const satisfies Options;

/** What each external tool is for: a reader sees what they lose without it. */
const TOOL_USES = {
  k6: 'open-model latency (run --tool k6, adr phase 2, --think-time)',
  wrk: 'run --tool wrk',
  toxiproxy: 'faults (--fault)',
  valgrind: "the gate's instructions per request (callgrind)",
  prometheus: 'docker-compose monitoring only (dashboards/)',
  pgbouncer: 'sweep and capacity --via pgbouncer',
} as const;

function toolPath(tool: keyof typeof TOOL_USES): string | null {
  const env = process.env;
  switch (tool) {
    case 'k6':
    case 'toxiproxy': {
      const found = locateTool(tool, env);
      return 'bin' in found ? found.bin : null;
    }
    case 'wrk':
      return findBinary('wrk', env.WRK_BIN, env.PATH) ?? null;
    case 'pgbouncer':
      return findPgBouncer();
    default:
      return findOnPath(tool, env.PATH) ?? null;
  }
}

/** Seconds of measured windows (warm-up included) per target: rounds × scenarios × connection levels × window. */
function windowsPerTargetS(p: (typeof PROFILES)[keyof typeof PROFILES]): number {
  return p.rounds * p.scenarios.length * p.connections.length * (p.warmupS + p.durationS);
}

function duration(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}` : `${s} s`;
}

async function collect() {
  const adapters = await Promise.all(
    ADAPTER_NAMES.map(async (name) => ({
      name,
      style: ADAPTERS[name].async ? 'async' : 'sync',
      ...(await adapterAvailability(name)),
    })),
  );
  const { available, unavailable } = await availableFastapiTargets(FASTAPI_TARGET_NAMES, pythonSettings());
  const fastapi = FASTAPI_TARGET_NAMES.map((name) => {
    const missing = unavailable.find((u) => u.name === name);
    return missing
      ? { name, available: false, reason: missing.reason.split('\n')[0]! }
      : { name, available: true, python: available.find((a) => a.name === name)!.python };
  });
  const scenarios = SCENARIO_NAMES.map((name) => ({ name, description: SCENARIOS[name].description }));
  const profiles = PROFILE_NAMES.map((name) => {
    const p = PROFILES[name];
    return {
      name,
      description: p.description,
      rounds: p.rounds,
      warmupS: p.warmupS,
      durationS: p.durationS,
      scenarios: [...p.scenarios],
      connections: [...p.connections],
      windowsPerTargetS: windowsPerTargetS(p),
    };
  });
  const tools = (Object.keys(TOOL_USES) as (keyof typeof TOOL_USES)[]).map((name) => ({
    name,
    path: toolPath(name),
    use: TOOL_USES[name],
  }));
  return { adapters, fastapi, scenarios, profiles, tools };
}

function render(l: Awaited<ReturnType<typeof collect>>): string {
  const mark = (ok: boolean) => (ok ? 'yes' : 'no ');
  const lines = ['adapters (Node; style; runs here?)'];
  for (const a of l.adapters)
    lines.push(
      `  ${a.name.padEnd(24)} ${a.style.padEnd(5)}  ${mark(a.available)}${'reason' in a ? `  ${a.reason}` : ''}`,
    );
  lines.push('', 'FastAPI targets (python3; runs here?)');
  for (const f of l.fastapi)
    lines.push(`  ${f.name.padEnd(24)} ${mark(f.available)}${'reason' in f ? `  ${f.reason}` : ''}`);
  lines.push('', 'scenarios');
  for (const s of l.scenarios) lines.push(`  ${s.name.padEnd(24)} ${s.description}`);
  lines.push('', 'profiles (rounds × (warm-up + measured) s per window; measured windows per target)');
  for (const p of l.profiles)
    lines.push(
      wrapText(
        `  ${p.name.padEnd(9)} ${p.rounds} × (${p.warmupS} + ${p.durationS}) s · ${p.scenarios.length} scenario(s) × ${p.connections.length} load(s): ${duration(p.windowsPerTargetS)} per target — ${p.description}`,
        TERMINAL_WIDTH,
        12,
      ),
    );
  lines.push('  (plus each server start and, in run, the machine ceilings)');
  lines.push('', 'tools');
  for (const t of l.tools) lines.push(`  ${t.name.padEnd(11)} ${t.path ?? 'not found'}  — ${t.use}`);
  const runnable = l.adapters.filter((a) => a.available).length + l.fastapi.filter((f) => f.available).length;
  lines.push(
    '',
    `summary: ${runnable} of ${l.adapters.length + l.fastapi.length} targets can run here; tools found: ${
      l.tools
        .filter((t) => t.path)
        .map((t) => t.name)
        .join(', ') || 'none'
    }`,
  );
  return lines.join('\n') + '\n';
}

export const command: Command = {
  name: 'list',
  summary: 'List the adapters and FastAPI targets (and whether they run here), scenarios, profiles and tools',
  help: HELP,
  options: OPTIONS,
  async run(argv) {
    const { values } = parse(argv, OPTIONS);
    const list = await collect();
    process.stdout.write(values.json ? JSON.stringify(list, null, 2) + '\n' : render(list));
    return EXIT.ok;
  },
};
