/**
 * Calibrates `jobbench gate` on this machine (issue 11, "Calibration"): N A/A gates (the same build
 * against itself: every "regressed" is a false alarm), four injected regressions that the default
 * profile must detect, and a CPU sweep (the smallest CPU regression detected reliably). Writes
 * results/reference/gate-calibration-<date>/{results.json and report.md/html (the first A/A gate), summary.json,
 * summary.md}.
 *
 *   npx tsx scripts/gate-calibration.ts [--aa 10] [--sweep 25,50,100,200] [--sweep-gates 3]
 *        [--cpu-us 200] [--out DIR] [--scratch DIR] [-- extra gate flags, e.g. --rounds 4 --duration 1]
 *
 * Run it on a quiet machine with a clean working tree (the A/A gates compare HEAD with the working tree).
 * Each gate's results stay in the scratch folder (printed at the start) until the summary is written;
 * `--scratch DIR` resumes an interrupted calibration: a gate whose DIR/<name>/results.json is complete
 * is read, not run again.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compareGateRun, type Comparison } from '../bench/compare/compare.ts';
import { COMPARE_METRICS, type MetricId } from '../bench/compare/metrics.ts';
import { readResults } from '../bench/results/io.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(REPO, 'bin', 'jobbench.js');
// The indexes search uses (keyset order, full text, filters): (b) drops them in a throwaway commit.
const DROP_SEARCH_INDEXES = ['keyset', 'search', 'tags', 'location', 'company', 'contract', 'salary']
  .map((i) => `DROP INDEX jobs_${i}_idx;`)
  .join('\n');

const { values, positionals } = parseArgs({
  options: {
    aa: { type: 'string', default: '10' },
    sweep: { type: 'string', default: '25,50,100,200' },
    'sweep-gates': { type: 'string', default: '3' },
    'cpu-us': { type: 'string', default: '200' },
    out: { type: 'string' },
    scratch: { type: 'string' },
  },
  allowPositionals: true,
});
const extra = positionals; // passed to every gate (after --)

interface GateRun {
  name: string;
  args: string[];
  exitCode: number;
  seconds: number;
  comparison: Comparison | null;
  error?: string;
  resultsPath: string;
}

const scratch = values.scratch ?? (await mkdtemp(join(tmpdir(), 'jobbench-gate-calibration-')));
process.stderr.write(`scratch: ${scratch} (resume with --scratch ${scratch})\n`);

/** A gate of an interrupted calibration that finished: read again rather than run again. */
async function finishedBefore(name: string, args: string[]): Promise<GateRun | null> {
  const resultsPath = join(scratch, name, 'results.json');
  try {
    const results = await readResults(resultsPath);
    if (results.status !== 'complete') return null;
    const comparison = compareGateRun(results);
    const seconds = Math.round((Date.parse(results.finishedAt!) - Date.parse(results.startedAt)) / 1000);
    process.stderr.write(`${name}: finished before (${seconds} s): ${comparison.headline}\n`);
    return { name, args, exitCode: comparison.passed ? 0 : 1, seconds, comparison, resultsPath };
  } catch {
    return null;
  }
}

async function runGate(name: string, args: string[]): Promise<GateRun> {
  const before = await finishedBefore(name, args);
  if (before) return before;
  const out = join(scratch, name);
  const all = ['gate', ...args, ...extra, '--out', out, '--quiet'];
  const started = Date.now();
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] jobbench ${all.join(' ')}\n`);
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...all], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('close', (c) => resolve({ code: c ?? 2, stderr: err }));
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const resultsPath = join(out, 'results.json');
  try {
    const comparison = compareGateRun(await readResults(resultsPath));
    process.stderr.write(`  exit ${code} in ${seconds} s: ${comparison.headline}\n`);
    return { name, args, exitCode: code, seconds, comparison, resultsPath };
  } catch (err) {
    process.stderr.write(`  exit ${code} in ${seconds} s: no comparison (${stderr.trim().split('\n').pop()})\n`);
    return { name, args, exitCode: code, seconds, comparison: null, error: (err as Error).message, resultsPath };
  }
}

function throwawayCommit(): string {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  const git = (cwd: string, ...a: string[]) => execFileSync('git', a, { cwd, encoding: 'utf8' }).trim();
  git(REPO, 'worktree', 'add', '--detach', dir, 'HEAD');
  try {
    execFileSync('sh', ['-c', `cat > src/db/migrations/999_drop_search_indexes.sql`], {
      cwd: dir,
      input: DROP_SEARCH_INDEXES + '\n',
    });
    git(dir, 'add', 'src/db/migrations/999_drop_search_indexes.sql');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'calibration: drop the search indexes');
    return git(dir, 'rev-parse', 'HEAD');
  } finally {
    git(REPO, 'worktree', 'remove', '--force', dir);
  }
}

const rowsOf = (c: Comparison | null) =>
  c ? c.groups.flatMap((g) => g.cells.flatMap((cell) => cell.metrics.map((m) => ({ cell: cell.title, m })))) : [];

function detection(run: GateRun, metrics: MetricId[]) {
  return rowsOf(run.comparison)
    .filter(({ m }) => metrics.includes(m.metric))
    .map(({ cell, m }) => ({
      injected: run.name,
      cell,
      metric: m.metric,
      verdict: m.verdict,
      changePct: m.changePct === null ? null : Math.round(m.changePct * 10) / 10,
      ci95Pct: m.ratio?.ci95 ? m.ratio.ci95.map((r) => Math.round((r - 1) * 1000) / 10) : null,
      rounds: Math.min(m.baseRounds, m.headRounds),
      overall: run.comparison!.overall,
      exitCode: run.exitCode,
    }));
}

const aaCount = Number(values.aa);
const aa: GateRun[] = [];
for (let i = 1; i <= aaCount; i++) aa.push(await runGate(`aa-${i}`, ['--base', 'HEAD']));

const sha = throwawayCommit();
const injected = [
  {
    run: await runGate('a-cpu', ['--base', 'HEAD', '--head-env', `JOBBENCH_INJECT_CPU_US=${values['cpu-us']}`]),
    metrics: ['serverCpuUsPerRequest', 'requestsPerSec'] as MetricId[],
  },
  {
    run: await runGate('b-drop-search-indexes', ['--base', 'HEAD', '--head', sha]),
    metrics: ['latencyP50Us', 'requestsPerSec', 'queriesPerRequest'] as MetricId[],
  },
  {
    run: await runGate('c-pool-max-2', ['--base', 'HEAD', '--head-pool-max', '2']),
    metrics: ['requestsPerSec', 'latencyP99Us'] as MetricId[],
  },
  {
    run: await runGate('d-extra-query', ['--base', 'HEAD', '--head-env', 'JOBBENCH_INJECT_QUERIES=1']),
    metrics: ['queriesPerRequest'] as MetricId[],
  },
];

const sweep = [];
const sweepRuns: GateRun[] = [];
for (const us of values.sweep!.split(',').map(Number)) {
  const runs: GateRun[] = [];
  for (let i = 1; i <= Number(values['sweep-gates']); i++)
    runs.push(await runGate(`sweep-${us}us-${i}`, ['--base', 'HEAD', '--head-env', `JOBBENCH_INJECT_CPU_US=${us}`]));
  sweepRuns.push(...runs);
  const rows = runs.flatMap((r) => detection(r, ['serverCpuUsPerRequest']));
  const changes = rows
    .map((r) => r.changePct)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  sweep.push({
    injectCpuUs: us,
    gates: runs.length,
    cellChecks: rows.length,
    detected: rows.filter((r) => r.verdict === 'regressed').length,
    medianChangePct: changes.length ? changes[Math.floor(changes.length / 2)]! : null,
  });
}
const reliable = sweep.filter((s) => s.cellChecks > 0 && s.detected === s.cellChecks);
const smallest = reliable.length
  ? reliable.reduce((a, b) => ((a.medianChangePct ?? 1e9) < (b.medianChangePct ?? 1e9) ? a : b))
  : null;

const falseAlarms = COMPARE_METRICS.map(({ id, label }) => {
  const verdicts = aa.flatMap((r) => rowsOf(r.comparison).filter(({ m }) => m.metric === id && m.verdict !== 'n/a'));
  const regressed = verdicts.filter(({ m }) => m.verdict === 'regressed').length;
  return {
    metric: id,
    label,
    verdicts: verdicts.length,
    regressed,
    share: verdicts.length ? regressed / verdicts.length : null,
  };
});
const all = [...aa, ...injected.map((i) => i.run), ...sweepRuns];
const summary = {
  date: new Date().toISOString(),
  command: ['npx', 'tsx', 'scripts/gate-calibration.ts', ...process.argv.slice(2)].join(' '),
  gateFlags: extra,
  aa: {
    gates: aa.length,
    failedToRun: aa.filter((r) => !r.comparison).length,
    falseAlarms,
    exitCodes: aa.map((r) => r.exitCode),
  },
  detection: injected.flatMap((i) => detection(i.run, i.metrics)),
  injectedExitCodes: Object.fromEntries(injected.map((i) => [i.run.name, i.run.exitCode])),
  cpuSweep: sweep,
  smallestReliableCpuRegression: smallest && {
    injectCpuUs: smallest.injectCpuUs,
    medianChangePct: smallest.medianChangePct,
  },
  secondsPerGate: all.map((r) => r.seconds),
};

const pct = (n: number | null) => (n === null ? 'n/a' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}%`);
const md = [
  `# Gate calibration, ${summary.date.slice(0, 10)}`,
  '',
  `Command: \`${summary.command}\`. Gate seconds: ${summary.secondsPerGate.join(', ')}.`,
  '',
  `## A/A: ${aa.length} gates of the same build against itself (false alarms)`,
  '',
  '| metric | cell × metric verdicts | regressed (false alarms) | share |',
  '| :-- | --: | --: | --: |',
  ...falseAlarms.map(
    (f) =>
      `| ${f.label} | ${f.verdicts} | ${f.regressed} | ${f.share === null ? 'n/a' : `${(f.share * 100).toFixed(1)}%`} |`,
  ),
  '',
  '## Injected regressions',
  '',
  '| injected | cell | metric | verdict | change | 95% CI | rounds | gate exit |',
  '| :-- | :-- | :-- | :-- | --: | :-- | --: | --: |',
  ...summary.detection.map(
    (d) =>
      `| ${d.injected} | ${d.cell} | ${d.metric} | ${d.verdict} | ${pct(d.changePct)} | ${d.ci95Pct ? d.ci95Pct.map(pct).join(' … ') : '–'} | ${d.rounds} | ${d.exitCode} |`,
  ),
  '',
  '## CPU sweep (JOBBENCH_INJECT_CPU_US)',
  '',
  '| µs/request injected | gates | CPU/request checks | regressed | median measured change |',
  '| --: | --: | --: | --: | --: |',
  ...sweep.map(
    (s) => `| ${s.injectCpuUs} | ${s.gates} | ${s.cellChecks} | ${s.detected} | ${pct(s.medianChangePct)} |`,
  ),
  '',
  smallest
    ? `Smallest CPU regression detected in every gate and cell: ${pct(smallest.medianChangePct)} (${smallest.injectCpuUs} µs/request).`
    : 'No swept value was detected in every gate and cell.',
  '',
].join('\n');

const dir = values.out ?? join(REPO, 'results', 'reference', `gate-calibration-${summary.date.slice(0, 10)}`);
await mkdir(dir, { recursive: true });
const representative = aa.find((r) => r.comparison) ?? all.find((r) => r.comparison);
if (representative) {
  await copyFile(representative.resultsPath, join(dir, 'results.json'));
  // report.md and report.html of that gate beside it: the reference index links every run's report.md.
  execFileSync(process.execPath, [BIN, 'report', join(dir, 'results.json')], { stdio: 'ignore' });
}
await writeFile(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
await writeFile(join(dir, 'summary.md'), md);
await rm(scratch, { recursive: true, force: true });
process.stderr.write(`written: ${dir}/{results.json,report.md,report.html,summary.json,summary.md}\n`);
