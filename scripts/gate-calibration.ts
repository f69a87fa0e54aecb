/**
 * Calibrates `jobbench gate` on this machine (issue 20, item 5), in parts that can be run and committed
 * one at a time:
 *   aa        N A/A gates (HEAD against the clean working tree): every "regressed" OR "improved" is false
 *   aa-load   the same with K busy loops beside each gate (a known foreign load, as on a shared CI runner)
 *   injected  JOBBENCH_INJECT_CPU_US levels (and JOBBENCH_INJECT_WORK levels where the server has it),
 *             N gates per level: the detection rate per cell and metric with its interval
 *   real      real regressions, N gates each: extra CPU, dropped search indexes, pool 10 → 2, one extra
 *             query, a JSON-path change of get-job (throwaway commits made here, removed again)
 * Writes results/reference/gate-calibration-<date>/<part>/{summary.json, summary.md} (aa: also the first
 * gate's results.json and report). False-alarm rates carry their one-sided 95% upper bound, detection
 * rates their 95% Clopper–Pearson interval (bench/stats/binomial.ts).
 *
 *   npx tsx scripts/gate-calibration.ts --part aa [--gates 30] [--out DIR] [--scratch DIR] [--with EARLIER/summary.json]
 *                                       [-- gate flags]
 *   npx tsx scripts/gate-calibration.ts --part aa-load [--gates 30] [--busy 2]
 *   npx tsx scripts/gate-calibration.ts --part injected [--gates 4] [--cpu-us 6,11,23] [--work N,M]
 *   npx tsx scripts/gate-calibration.ts --part real [--gates 2] [--only pool]
 *   npx tsx scripts/gate-calibration.ts --part aa --gates 1 -- --quick --scenarios get-job   # smoke
 *
 * Run it alone on a quiet machine with a clean working tree. `--scratch DIR` resumes: a gate whose
 * DIR/<name>/results.json is complete is read, not run again. A false alarm is investigated, never rerun away.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareGateRun, type Comparison } from '../bench/compare/compare.ts';
import { COMPARE_METRICS } from '../bench/compare/metrics.ts';
import { readResults } from '../bench/results/io.ts';
import { usableRound } from '../bench/results/validity.ts';
import { JOBBENCH_BIN } from '../bench/targets/serve-args.ts';
import { binomialUpperBound, clopperPearson } from '../bench/stats/binomial.ts';
import { scenarioVerdict } from '../bench/instructions/verdict.ts';
import type { Instructions } from '../bench/results/instructions.ts';
import type { Results } from '../bench/results/types.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const PARTS = ['aa', 'aa-load', 'injected', 'real'] as const;
type Part = (typeof PARTS)[number];

const { values, positionals } = parseArgs({
  options: {
    part: { type: 'string' },
    gates: { type: 'string' },
    busy: { type: 'string', default: '2' },
    'cpu-us': { type: 'string', default: '6,11,23' }, // ≈ 5%, 10%, 20% of get-job's ~113 µs of server CPU
    work: { type: 'string', default: '' },
    out: { type: 'string' },
    scratch: { type: 'string' },
    only: { type: 'string' }, // real: the regressions whose name contains this ("pool")
    with: { type: 'string', multiple: true }, // aa parts: earlier summary.json files to count together with this one
  },
  allowPositionals: true,
});
const part = values.part as Part;
if (!PARTS.includes(part)) throw new Error(`--part must be one of ${PARTS.join(', ')}`);
const gates = Number(values.gates ?? { aa: 30, 'aa-load': 30, injected: 4, real: 2 }[part]);
const extra = positionals; // passed to every gate (after --)
const today = new Date().toISOString().slice(0, 10);
const scratch = values.scratch ?? (await mkdtemp(join(tmpdir(), 'jobbench-gate-calibration-')));
process.stderr.write(`scratch: ${scratch} (resume with --scratch ${scratch})\n`);

interface GateRun {
  name: string;
  group: string; // the A/A set, the injected level or the real regression it belongs to
  exitCode: number;
  seconds: number;
  comparison: Comparison | null;
  resultsPath: string;
  /** Instructions per request per scenario: both sides' starts and the verdict (absent: not counted). */
  instructions?: Array<{
    scenario: string;
    base: number[];
    head: number[];
    changePct: number;
    verdict: string;
    /** V8's lazy sweeping per start (part of base/head), and the change without it where a side swept. */
    sweep?: { base: number[]; head: number[]; changeWithoutPct?: number; decides: boolean };
  }>;
  /** How disturbed the gate's windows were (absent: it did not complete). */
  windows?: WindowsSeen;
  loadAvgAtStart?: number; // the machine's 1-minute load average when the gate started (absent: resumed)
}

interface WindowsSeen {
  /** Per scenario: head's highest peak server RSS over its rounds ÷ base's (the figure the RSS verdict compares). */
  peakRssRatio: Record<string, number | null>;
  kept: number; // windows in the results file (both sides, every cell)
  remeasured: number; // measured again because the first attempt was disturbed
  leftOut: number; // still disturbed or invalid: out of the timed verdicts
  maxForeignCpuPercent: number | null; // most CPU other processes took in any attempt, % of one core
}

/** The gate's windows: how many were measured again after a disturbance, and the worst foreign CPU seen. */
function windowsOf(results: Results): WindowsSeen {
  const rounds = results.cells.flatMap((c) => c.rounds);
  const foreign = rounds.flatMap((r) =>
    [r.validity?.foreignCpuPercent, r.validity?.remeasuredAfter?.foreignCpuPercent].filter(
      (v): v is number => typeof v === 'number',
    ),
  );
  const peak = (side: string, scenario: string) =>
    Math.max(
      ...results.cells
        .filter((c) => c.side === side && c.scenario === scenario)
        .flatMap((c) => c.rounds.map((r) => r.serverRssBytes ?? 0)),
    );
  const scenarios = [...new Set(results.cells.map((c) => c.scenario))];
  return {
    peakRssRatio: Object.fromEntries(
      scenarios.map((s) => {
        const b = peak('base', s);
        return [s, b > 0 ? Math.round((peak('head', s) / b) * 1000) / 1000 : null];
      }),
    ),
    kept: rounds.length,
    remeasured: rounds.filter((r) => r.validity?.remeasuredAfter !== undefined).length,
    leftOut: rounds.filter((r) => !usableRound(r)).length,
    maxForeignCpuPercent: foreign.length ? Math.round(Math.max(...foreign) * 10) / 10 : null,
  };
}

/** The gate's instruction counts and their verdicts, from its results file (the scratch is removed at the end). */
function instructionsOf(results: Results): GateRun['instructions'] {
  const i = (results.extra?.gate as { instructions?: { counts: Instructions; thresholdPct: number } } | undefined)
    ?.instructions;
  if (!i || i.counts.status !== 'counted') return undefined;
  return i.counts.scenarios.map((sc) => {
    const v = scenarioVerdict(sc, i.thresholdPct);
    return {
      scenario: sc.scenario,
      base: sc.base.irPerRequest,
      head: sc.head.irPerRequest,
      changePct: v.changePct,
      verdict: v.verdict,
      ...(sc.base.sweepIrPerRequest && sc.head.sweepIrPerRequest
        ? {
            sweep: {
              base: sc.base.sweepIrPerRequest,
              head: sc.head.sweepIrPerRequest,
              ...(v.changeWithoutSweepingPct !== undefined ? { changeWithoutPct: v.changeWithoutSweepingPct } : {}),
              decides: v.sweepingDecides,
            },
          }
        : {}),
    };
  });
}

function busyLoops(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function runGate(name: string, group: string, args: string[], busy = 0): Promise<GateRun> {
  const out = join(scratch, name);
  const resultsPath = join(out, 'results.json');
  try {
    const results = await readResults(resultsPath);
    if (results.status === 'complete') {
      const comparison = compareGateRun(results);
      const seconds = Math.round((Date.parse(results.finishedAt!) - Date.parse(results.startedAt)) / 1000);
      const instructions = instructionsOf(results);
      return {
        name,
        group,
        exitCode: comparison.passed ? 0 : 1,
        seconds,
        comparison,
        resultsPath,
        windows: windowsOf(results),
        ...(instructions ? { instructions } : {}),
      };
    }
  } catch {
    // not run yet
  }
  const all = ['gate', ...args, ...extra, '--out', out, '--quiet'];
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] jobbench ${all.join(' ')}\n`);
  const loadAvgAtStart = Math.round(loadavg()[0]! * 100) / 100;
  const loops = busyLoops(busy);
  const started = Date.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [JOBBENCH_BIN, ...all], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', (c) => resolve(c ?? 2));
  });
  for (const loop of loops) loop.kill('SIGKILL');
  const seconds = Math.round((Date.now() - started) / 1000);
  let comparison: Comparison | null = null;
  let instructions: GateRun['instructions'];
  let windows: WindowsSeen | undefined;
  try {
    const results = await readResults(resultsPath);
    comparison = compareGateRun(results);
    instructions = instructionsOf(results);
    windows = windowsOf(results);
  } catch {
    // the gate did not complete: counted as failed to run
  }
  const counted = (instructions ?? []).map((x) => `${x.scenario} ${x.changePct.toFixed(2)}% ${x.verdict}`).join(', ');
  const seen = windows ? `; windows measured again ${windows.remeasured}, left out ${windows.leftOut}` : '';
  process.stderr.write(
    `  exit ${code} in ${seconds} s: ${comparison?.headline ?? 'no comparison'}${counted ? `; instructions: ${counted}` : ''}${seen}\n`,
  );
  return {
    name,
    group,
    exitCode: code,
    seconds,
    comparison,
    resultsPath,
    loadAvgAtStart,
    ...(windows ? { windows } : {}),
    ...(instructions ? { instructions } : {}),
  };
}

/** A throwaway commit on top of HEAD with `edit` applied to one file; removed from any branch (kept by sha). */
async function throwawayCommit(file: string, edit: (text: string) => string, message: string): Promise<string> {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  const git = (cwd: string, ...a: string[]) => execFileSync('git', a, { cwd, encoding: 'utf8' }).trim();
  git(REPO, 'worktree', 'add', '--detach', dir, 'HEAD');
  try {
    const path = join(dir, file);
    const before = await readFile(path, 'utf8').catch(() => '');
    const after = edit(before);
    if (after === before) throw new Error(`${message}: the edit of ${file} changed nothing (has the file moved?)`);
    await writeFile(path, after);
    git(dir, 'add', file);
    git(dir, '-c', 'user.name=calibration', '-c', 'user.email=calibration@jobbench', 'commit', '-q', '-m', message);
    return git(dir, 'rev-parse', 'HEAD');
  } finally {
    git(REPO, 'worktree', 'remove', '--force', dir);
  }
}

const DROP_SEARCH_INDEXES = ['keyset', 'search', 'tags', 'location', 'company', 'contract', 'salary']
  .map((i) => `DROP INDEX jobs_${i}_idx;`)
  .join('\n');
const GET_JOB_RETURN = "if (!job) throw new JobbenchError('JOBBENCH_ERR_NOT_FOUND');\n      return job;";

async function plannedGates(): Promise<{ name: string; group: string; args: string[]; busy?: number }[]> {
  const n = Array.from({ length: gates }, (_, i) => i + 1);
  if (part === 'aa') return n.map((i) => ({ name: `aa-${i}`, group: 'A/A', args: ['--base', 'HEAD'] }));
  if (part === 'aa-load') {
    const busy = Number(values.busy);
    return n.map((i) => ({ name: `aa-load-${i}`, group: `A/A, ${busy} busy loops`, args: ['--base', 'HEAD'], busy }));
  }
  const levels = (raw: string, env: string, unit: string) =>
    raw
      .split(',')
      .filter(Boolean)
      .flatMap((v) =>
        n.map((i) => ({
          name: `${env}-${v}-${i}`,
          group: `${env}=${v} ${unit}`,
          args: ['--base', 'HEAD', '--head-env', `${env}=${v}`],
        })),
      );
  if (part === 'injected')
    return [
      ...levels(values['cpu-us']!, 'JOBBENCH_INJECT_CPU_US', 'µs/request'),
      ...levels(values.work!, 'JOBBENCH_INJECT_WORK', 'iterations/request'),
    ];
  const dropIndexes = await throwawayCommit(
    'src/db/migrations/999_drop_search_indexes.sql',
    () => `${DROP_SEARCH_INDEXES}\n`,
    'calibration: drop the search indexes',
  );
  const jsonPath = await throwawayCommit(
    'src/routes/jobs.ts',
    (t) =>
      t.replace(
        GET_JOB_RETURN,
        GET_JOB_RETURN.replace('return job;', 'return JSON.parse(JSON.stringify(job)) as typeof job;'),
      ),
    'calibration: get-job copies its job through JSON once more',
  );
  const real = [
    { group: 'extra CPU (JOBBENCH_INJECT_CPU_US=50)', args: ['--head-env', 'JOBBENCH_INJECT_CPU_US=50'] },
    { group: 'search indexes dropped', args: ['--head', dropIndexes] },
    // On a loopback database (~0.1 ms a round trip) 2 connections serve as much as 10 (07c: no slower);
    // 2 ms a round trip, a database in the next rack or zone, makes the pool the limit it is in production.
    { group: 'pool 10 → 2, database +2 ms', args: ['--head-pool-max', '2', '--db-latency', '2'] },
    { group: 'one extra query (JOBBENCH_INJECT_QUERIES=1)', args: ['--head-env', 'JOBBENCH_INJECT_QUERIES=1'] },
    { group: 'get-job JSON path: one more copy', args: ['--head', jsonPath] },
  ];
  return real.flatMap((r, k) =>
    (values.only !== undefined && !r.group.includes(values.only) ? [] : n).map((i) => ({
      name: `real-${k + 1}-${i}`,
      group: r.group,
      args: ['--base', 'HEAD', ...r.args],
    })),
  );
}

const dir = join(values.out ?? join(REPO, 'results', 'reference', `gate-calibration-${today}`), part);
// A resumed gate is read back from its results file; the load at its start is only in an earlier summary.
const earlierLoads = new Map<string, number | null>(
  await readFile(join(dir, 'summary.json'), 'utf8')
    .then((t) => (JSON.parse(t) as { machine?: { gate: string; loadAvgAtStart: number | null }[] }).machine ?? [])
    .then((m) => m.map((g) => [g.gate, g.loadAvgAtStart] as const))
    .catch(() => []),
);
const runs: GateRun[] = [];
for (const g of await plannedGates()) {
  const run = await runGate(g.name, g.group, g.args, g.busy ?? 0);
  const load = run.loadAvgAtStart ?? earlierLoads.get(g.name);
  runs.push(typeof load === 'number' ? { ...run, loadAvgAtStart: load } : run);
}

/** The gate's verdicts: every cell × metric of its comparison, and its instruction verdicts (one per scenario). */
const INSTRUCTIONS = { id: 'instructionsPerRequest', label: 'instructions/request' } as const;
const JUDGED = [...COMPARE_METRICS.map(({ id, label }) => ({ id: id as string, label })), INSTRUCTIONS];
const rowsOf = (r: GateRun) => [
  ...(r.comparison?.groups.flatMap((g) =>
    g.cells.flatMap((c) => c.metrics.map((m) => ({ cell: c.title, m: { ...m, metric: m.metric as string } }))),
  ) ?? []),
  ...(r.instructions ?? []).map((x) => ({
    cell: `${x.scenario} (callgrind)`,
    m: { metric: INSTRUCTIONS.id as string, label: INSTRUCTIONS.label, verdict: x.verdict, changePct: x.changePct },
  })),
];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const changeText = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}%`);

function falseAlarms(set: GateRun[]) {
  const done = set.filter((r) => r.comparison);
  const isWrong = (m: { verdict: string }) => m.verdict === 'regressed' || m.verdict === 'improved';
  const rows = new Map(done.map((r) => [r, rowsOf(r)]));
  const perMetric = JUDGED.map(({ id, label }) => {
    const verdicts = done.flatMap((r) => rows.get(r)!.filter(({ m }) => m.metric === id && m.verdict !== 'n/a'));
    const wrong = verdicts.filter(({ m }) => isWrong(m));
    return {
      metric: id,
      label,
      verdicts: verdicts.length,
      regressed: wrong.filter(({ m }) => m.verdict === 'regressed').length,
      improved: wrong.filter(({ m }) => m.verdict === 'improved').length,
      upper95: verdicts.length ? binomialUpperBound(wrong.length, verdicts.length) : null,
      cells: wrong.map(({ cell, m }) => `${cell}: ${m.verdict} ${changeText(m.changePct)}`),
    };
  });
  const wrongGates = done.filter((r) => rows.get(r)!.some(({ m }) => isWrong(m)));
  return {
    gates: set.length,
    failedToRun: set.length - done.length,
    gatesWithFalseAlarm: wrongGates.map((r) => r.name),
    perGateUpper95: done.length ? binomialUpperBound(wrongGates.length, done.length) : null,
    exitCodes: set.map((r) => r.exitCode),
    perMetric,
  };
}

function detection(set: GateRun[]) {
  const keyed = new Map<string, { cell: string; metric: string; verdicts: string[]; changes: number[] }>();
  for (const r of set)
    for (const { cell, m } of rowsOf(r)) {
      if (m.verdict === 'n/a') continue;
      const k = `${cell} · ${m.label}`;
      const e = keyed.get(k) ?? { cell, metric: m.label, verdicts: [], changes: [] };
      e.verdicts.push(m.verdict);
      if (m.changePct !== null) e.changes.push(m.changePct);
      keyed.set(k, e);
    }
  return [...keyed.values()].map((e) => {
    const caught = e.verdicts.filter((v) => v === 'regressed').length;
    const sorted = [...e.changes].sort((a, b) => a - b);
    return {
      cell: e.cell,
      metric: e.metric,
      gates: e.verdicts.length,
      regressed: caught,
      ci95: clopperPearson(caught, e.verdicts.length),
      changePctRange: sorted.length ? [sorted[0]!, sorted.at(-1)!] : null,
    };
  });
}

type FalseAlarms = ReturnType<typeof falseAlarms>;

/** This part's A/A gates and earlier parts' (their summary.json) as one count, each source named. */
async function combinedFalseAlarms(files: string[]) {
  const sources: { source: string; date: string; set: FalseAlarms }[] = [
    { source: 'this part', date: new Date().toISOString().slice(0, 10), set: falseAlarms(runs) },
  ];
  for (const file of files) {
    const earlier = JSON.parse(await readFile(file, 'utf8')) as {
      date: string;
      groups: { falseAlarms?: FalseAlarms }[];
    };
    for (const g of earlier.groups)
      if (g.falseAlarms) sources.push({ source: file, date: earlier.date.slice(0, 10), set: g.falseAlarms });
  }
  const done = sources.reduce((n, s) => n + s.set.gates - s.set.failedToRun, 0);
  const wrong = sources.flatMap((s) => s.set.gatesWithFalseAlarm.map((g) => `${s.source}: ${g}`));
  return {
    sources: sources.map((s) => ({
      source: s.source,
      date: s.date,
      gates: s.set.gates,
      failedToRun: s.set.failedToRun,
    })),
    gates: done,
    gatesWithFalseAlarm: wrong,
    perGateUpper95: done ? binomialUpperBound(wrong.length, done) : null,
    perMetric: JUDGED.map(({ id, label }) => {
      const rows = sources.map((s) => s.set.perMetric.find((m) => m.metric === id));
      const verdicts = rows.reduce((n, m) => n + (m?.verdicts ?? 0), 0);
      const regressed = rows.reduce((n, m) => n + (m?.regressed ?? 0), 0);
      const improved = rows.reduce((n, m) => n + (m?.improved ?? 0), 0);
      return {
        metric: id,
        label,
        verdicts,
        regressed,
        improved,
        upper95: verdicts ? binomialUpperBound(regressed + improved, verdicts) : null,
      };
    }),
  };
}

const groups = [...new Set(runs.map((r) => r.group))];
const summary = {
  date: new Date().toISOString(),
  part,
  command: ['npx', 'tsx', 'scripts/gate-calibration.ts', ...process.argv.slice(2)].join(' '),
  gateFlags: extra,
  secondsPerGate: runs.map((r) => r.seconds),
  /** Per gate: the load when it started and how disturbed its windows were (DESIGN.md rule 12). */
  machine: runs.map((r) => ({
    gate: r.name,
    loadAvgAtStart: r.loadAvgAtStart ?? null,
    windows: r.windows ?? null,
  })),
  instructions: runs.map((r) => ({
    gate: r.name,
    group: r.group,
    exitCode: r.exitCode,
    scenarios: r.instructions ?? null,
  })),
  /** aa parts with --with: this part's gates and the earlier ones counted together (same gate rule). */
  combined: part.startsWith('aa') && values.with?.length ? await combinedFalseAlarms(values.with) : undefined,
  groups: groups.map((group) => {
    const set = runs.filter((r) => r.group === group);
    return part.startsWith('aa')
      ? { group, falseAlarms: falseAlarms(set) }
      : { group, exitCodes: set.map((r) => r.exitCode), detection: detection(set) };
  }),
};

const md: string[] = [
  `# Gate calibration, part ${part}, ${summary.date.slice(0, 10)}`,
  '',
  `Command: \`${summary.command}\`. Seconds per gate: ${summary.secondsPerGate.join(', ')}.`,
  '',
  '## The machine during each gate',
  '',
  'Windows: kept in the results file (both sides); measured again because other processes took more than',
  'the threshold of a core in the first attempt; left out of the timed verdicts (still disturbed or invalid).',
  '',
  "Peak RSS: head's highest peak server RSS over its rounds ÷ base's, per scenario (what the RSS verdict compares).",
  '',
  '| gate | load average at start | windows | measured again | left out | most foreign CPU seen (% of a core) | peak RSS head ÷ base |',
  '| :-- | --: | --: | --: | --: | --: | :-- |',
  ...summary.machine.map(
    (m) =>
      `| ${m.gate} | ${m.loadAvgAtStart ?? '–'} | ${m.windows?.kept ?? '–'} | ${m.windows?.remeasured ?? '–'} | ${m.windows?.leftOut ?? '–'} | ${m.windows?.maxForeignCpuPercent ?? '–'} | ${
        Object.entries(m.windows?.peakRssRatio ?? {})
          .map(([s, r]) => `${s} ${r ?? '–'}`)
          .join(', ') || '–'
      } |`,
  ),
  '',
];
md.push(
  '## Instructions per request, per gate',
  '',
  'Lazy sweeping: V8 sweeping after a mark-compact, part of the figure, base / head (bench/instructions/jit.ts);',
  'where it alone decides the verdict, the verdict is inconclusive and the change without it is given.',
  '',
  '| gate | exit | scenario | base starts | head starts | lazy sweeping | change of medians | verdict |',
  '| :-- | --: | :-- | :-- | :-- | :-- | --: | :-- |',
  ...summary.instructions.flatMap((g) =>
    (g.scenarios ?? []).map((x) => {
      const signed = (p: number) => `${p >= 0 ? '+' : '−'}${Math.abs(p).toFixed(2)}%`;
      const sweep = x.sweep ? `${x.sweep.base.join(', ')} / ${x.sweep.head.join(', ')}` : '–';
      const decided = x.sweep?.decides ? ` (sweeping decides: ${signed(x.sweep.changeWithoutPct!)} without)` : '';
      return `| ${g.gate} | ${g.exitCode} | ${x.scenario} | ${x.base.join(', ')} | ${x.head.join(', ')} | ${sweep} | ${signed(x.changePct)} | ${x.verdict}${decided} |`;
    }),
  ),
  '',
);
const c = summary.combined;
if (c) {
  md.push(
    '## All A/A gates counted together',
    '',
    `Sources: ${c.sources.map((s) => `${s.source} (${s.date}, ${s.gates} gates, ${s.failedToRun} failed to run)`).join('; ')}.`,
    '',
    `Gates with a false alarm: ${c.gatesWithFalseAlarm.length} of ${c.gates}` +
      `${c.perGateUpper95 === null ? '' : `, rate ≤ ${pct(c.perGateUpper95)} (one-sided 95% upper bound)`}` +
      `${c.gatesWithFalseAlarm.length ? ` (${c.gatesWithFalseAlarm.join('; ')})` : ''}.`,
    '',
    '| metric | verdicts | regressed | improved | rate ≤ (95% upper bound) |',
    '| :-- | --: | --: | --: | --: |',
    ...c.perMetric.map(
      (m) =>
        `| ${m.label} | ${m.verdicts} | ${m.regressed} | ${m.improved} | ${m.upper95 === null ? 'n/a' : pct(m.upper95)} |`,
    ),
    '',
  );
}
for (const g of summary.groups) {
  md.push(`## ${g.group}`, '');
  const f = g.falseAlarms;
  if (f) {
    const done = f.gates - f.failedToRun;
    md.push(
      `Gates with a false alarm (any cell × metric regressed or improved): ${f.gatesWithFalseAlarm.length} of ${done}` +
        `${f.perGateUpper95 === null ? '' : `, rate ≤ ${pct(f.perGateUpper95)} (one-sided 95% upper bound)`}; failed to run: ${f.failedToRun}; exit codes: ${f.exitCodes.join(' ')}.`,
      '',
      '| metric | verdicts | regressed | improved | rate ≤ (95% upper bound) | where |',
      '| :-- | --: | --: | --: | --: | :-- |',
      ...f.perMetric.map(
        (m) =>
          `| ${m.label} | ${m.verdicts} | ${m.regressed} | ${m.improved} | ${m.upper95 === null ? 'n/a' : pct(m.upper95)} | ${m.cells.join('; ') || '–'} |`,
      ),
      '',
    );
  } else {
    md.push(
      `Gate exit codes: ${(g.exitCodes ?? []).join(' ')}.`,
      '',
      '| cell | metric | regressed / gates | detection rate (95% CI, Clopper–Pearson) | measured change (range) |',
      '| :-- | :-- | --: | :-- | :-- |',
      ...(g.detection ?? []).map(
        (d) =>
          `| ${d.cell} | ${d.metric} | ${d.regressed} / ${d.gates} | ${pct(d.regressed / d.gates)} (${pct(d.ci95[0])} … ${pct(d.ci95[1])}) | ${d.changePctRange ? d.changePctRange.map(changeText).join(' … ') : '–'} |`,
      ),
      '',
    );
  }
}

await mkdir(dir, { recursive: true });
const representative = part === 'aa' ? runs.find((r) => r.comparison) : undefined;
if (representative) {
  await copyFile(representative.resultsPath, join(dir, 'results.json'));
  execFileSync(process.execPath, [JOBBENCH_BIN, 'report', join(dir, 'results.json')], { stdio: 'ignore' });
}
await writeFile(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
await writeFile(join(dir, 'summary.md'), md.join('\n'));
// A scratch given with --scratch is the caller's (to resume, or to keep the gate files): only our own temp one goes.
if (!values.scratch) await rm(scratch, { recursive: true, force: true });
process.stderr.write(`written: ${dir}/summary.{json,md}${representative ? ' and results.json with its report' : ''}\n`);
