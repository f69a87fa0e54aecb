import type { KindSection } from '../types.ts';
import { analyzeAdr, type AdrAnalysis, type AdrPathMap, type AdrStackAnalysis } from './analyze.ts';
import { mapsHtml, mapsMarkdown, mapsTerminal } from './map-section.ts';
import { countVerdicts, headlinePath } from './conclusion.ts';
import { stacksOf, type AdrDesign, type AdrResources } from './design.ts';
import { ADR_STACKS } from './stacks.ts';
import { ABSOLUTE_VERDICT_TEXT, VERDICTS } from './verdict.ts';
import { roundsIntervalText } from '../../stats/interval-text.ts';
import { TERMINAL_WIDTH, wrapText } from '../../report/text-table.ts';
import { evidenceGrid, markdownGrid, pathGrid, resourcesGrid, seriesLabel, textGrid } from './grids.ts';

/** The ADR section of report.md and of the terminal output: pure, from the stored analysis alone. */

export function verdictRule(factor: number): string {
  return (
    `The ADR writes its numbers as "~v"; we read "~v" as "within a factor of ${factor} of v", the band [v/${factor}, ${factor}v]. ` +
    'A measured value is the median over rounds with its interval: a 95% percentile-bootstrap interval from 5 rounds, the range of the rounds with 3 or 4 ' +
    '(a bootstrap of 3 medians is their min … max, about 75% coverage). A claimed gain is **confirmed** when the whole ' +
    'interval lies inside the band, **refuted** when the whole interval lies outside it, and **inconclusive** when the interval straddles ' +
    'an edge of the band, when there is no interval (fewer than 3 rounds), when the interval is the range of 3 or 4 rounds (a range supports ' +
    'no verdict; the reason still says where it lies), or when the measurement is invalid (an open-model window that ' +
    'dropped iterations). An absolute row (the ADR\'s "~20 ms" vs ours) is **near the estimate** or **far from the estimate** by the same rule: ' +
    "it says whether this machine lands near the ADR's guess, not whether the ADR's decision was right. " +
    `Absolute rows compare the ADR's sync estimate with the sync baseline and its async estimate with each async adapter; ` +
    'gain rows apply the same rule to the ratio async ÷ sync baseline (the geometric mean of per-round ratios, rounds paired by number; a t interval from 5 rounds, their range below): "-60%" is the ratio 0.4, ' +
    `band 0.2 to 0.8 (-80% to -20%); "+400%" is 5, band 2.5 to 10 (+150% to +900%); "+900%" is 10, band 5 to 20.`
  );
}

function methodLines(d: AdrDesign): string[] {
  const lines = [
    `- **Targets**: ${d.adapters.map((a) => `${a.name} (${a.role})`).join(', ')}; gains are measured against **${d.baseline}**: ${ADR_STACKS[stacksOf(d)[0]!.stack].baselineHow}. ${d.rounds} interleaved rounds (targets rotated each round${(d.stacks?.length ?? 0) > 0 ? '; with --stack both, the two stacks in one interleaving' : ''}).`,
    `- **Paths**: ${d.paths.join(', ')} (the ADR validated insertion, search and statistics; mixed is 70% search, 20% get-job, 8% create, 2% stats).`,
  ];
  if (d.latency.model === 'open') {
    const rates = Object.entries(d.latency.ratesPerS)
      .map(([p, r]) => `${p} ${r} req/s`)
      .join(', ');
    lines.push(
      `- **Latency at a fixed arrival rate**: k6 constant-arrival-rate (open model: requests keep arriving on schedule even when the server stalls), ${rates}. ${d.latency.rateRule}`,
    );
  } else {
    lines.push(
      `- **Latency at a fixed arrival rate: not measured as such.** ${d.latency.why}. Instead: autocannon closed model at ${d.latency.connections} connections (light load). A closed model waits for each response before sending the next request, so a stalling server is offered less load: its latency looks better than users would see (coordinated omission).`,
    );
  }
  lines.push(
    "- **Same data for every window**: after each window of a path that inserts jobs (create, mixed) and after each capacity search on one, the rows above the seeded ids are deleted and the table vacuumed, so no adapter reads a table grown by another's inserts.",
  );
  lines.push(
    `- **Closed-model load**: autocannon, ${d.closedConnections} connections kept busy; gives throughput (rounds with errors ≥ 1% are left out), latency under load, event-loop max delay and server CPU per request.`,
  );
  if (d.dbLatenciesMs)
    lines.push(
      `- **Database latency** (the map's rows): +${d.dbLatenciesMs.join(', +')} ms per round trip between each target and PostgreSQL, through a Toxiproxy proxy per setting (a downstream latency toxic: one L per round trip; +0 goes through a proxy too). Concurrency (the map's columns): ${(d.connections ?? [d.closedConnections]).join(', ')} connections.`,
    );
  if (d.servers) lines.push(`- **Servers**: ${d.servers}.`);
  if ('skipped' in d.capacity) lines.push(`- **Max connections**: not measured (${d.capacity.skipped}).`);
  else {
    const c = d.capacity;
    lines.push(
      `- **Max connections**: capacity search on ${c.scenario} (bench/capacity): from ${c.startConnections} connections, doubling, then bisecting to ${Math.round(c.resolution * 100)}%, up to ${c.maxConnections}; a level holds when errors < ${c.slo.maxErrorRate * 100}% and p99 ≤ ${c.slo.p99Ms} ms (the SLO we chose: the ADR names none); a fresh server per level${c.poolFill === 'open' ? ' (FastAPI targets open their whole pool before answering, so that no window pays for new connections)' : ' (pools opened lazily: a window may pay for new connections)'}, ${c.windowS.warmupS} s warm-up + ${c.windowS.durationS} s measured; one search per adapter per round.`,
    );
  }
  return lines;
}

const INVALID_NOTE =
  'Rows marked "(invalid*)": k6 dropped iterations in this window or in the baseline\'s (it could not start requests on schedule, so latencies understate what users would see); such rows are inconclusive whatever their numbers.';

const LIMITS = [
  'The machine has 2 cores, shared by the load generator (autocannon or k6), the API server and PostgreSQL. Every adapter suffers the same contention, which is why comparisons are ratios within one run; but the absolute numbers hold only for this machine, and a server with its own cores would show higher throughput for the async adapters (which can keep PostgreSQL busy while Node works) than here.',
  "The ADR's system was Python (FastAPI, psycopg2, asyncpg, SQLAlchemy); this one is Node (Fastify, pg-native, pg, postgres.js, Kysely). What is tested is the mechanism the ADR relied on (a blocking driver inside an event-loop server vs a non-blocking one), not Python's numbers.",
  "pg-sync blocks its event loop on each query, so one process uses one connection; in benchmark runs it runs as N worker processes (N = --pool-max by default), so both sides hold the same number of DB connections, the Node analogue of sync workers. The FastAPI stack (--stack fastapi) measures the ADR's own case: `def` endpoints in Starlette's thread pool over a SQLAlchemy pool. The resources table above says, per side, how many connections, processes and threads each had.",
  "Max connections depends on the SLO chosen: by Little's law, connections held ≈ throughput × latency budget, so it mostly follows throughput. Short windows on a shared machine make it noisy.",
  'Windows are short (seconds), so rare stalls (GC, checkpoints) are under-sampled; p99 over a few thousand requests is itself uncertain, which the intervals over rounds only partly capture.',
];

/** The analysis of one stack, shaped like a whole one (what the renderers below read). */
function stackView(analysis: AdrAnalysis, s: AdrStackAnalysis): StackView {
  const names = new Set(s.design.adapters.map((a) => a.name));
  return {
    ...analysis,
    design: s.design,
    table: s.table,
    conclusion: s.conclusion,
    capacity: analysis.capacity.filter((c) => names.has(c.adapter)),
    resources: s.resources,
    ...(s.maps ? { maps: s.maps } : {}),
  };
}

type StackView = AdrAnalysis & { resources?: AdrResources[]; maps?: AdrPathMap[] };

/** The `## ADR-003` section appended to report.md: one per stack (--stack both puts both in one report). */
export function renderAdrMarkdown(analysis: AdrAnalysis): string {
  const stacks = analysis.stacks ?? [];
  if (stacks.length === 0) return renderOneMarkdown(analysis);
  const note = analysis.design.stackNote ? `\n\n${analysis.design.stackNote}\n` : '';
  return stacks.map((s) => renderOneMarkdown(stackView(analysis, s), stacks.length > 1)).join('\n') + note;
}

function renderOneMarkdown(analysis: StackView, several = false): string {
  const { design, table } = analysis;
  const stack = stacksOf(design)[0]!.stack;
  const head = headlinePath(design);
  const others = design.paths.filter((p) => p !== head);
  const parts = [
    `## ADR-003 checked${design.stacks ? ` on the ${stack} stack` : ''}: estimated vs measured`,
    ...(design.stacks
      ? [
          `**Stack**: ${ADR_STACKS[stack].title}.${several ? ' The other stack was measured in the same interleaved rounds; its section follows or precedes this one.' : ''}`,
        ]
      : []),
    'ADR-003 moved a job API from a synchronous PostgreSQL driver to an async one on **estimated, never measured** numbers ("Benchmarks à valider avec tests de charge réels"). This section puts, row by row, the ADR\'s estimate, our measured value with its interval (named in the table\'s header), and a verdict.',
    `**Conclusion.** ${analysis.conclusion}`,
    ...mapsMarkdown(analysis.maps),
    `### Path: ${head}`,
    markdownGrid(pathGrid(analysis, head, true)),
  ];
  if (table.rows.some((r) => r.invalid || r.gain?.invalid)) parts.push(INVALID_NOTE);
  for (const path of others) parts.push(`### Path: ${path}`, markdownGrid(pathGrid(analysis, path, false)));
  parts.push(
    '### What the blocking does: event loop and CPU (closed-model load)',
    markdownGrid(evidenceGrid(analysis, design.paths)),
  );
  if (analysis.resources)
    parts.push(
      '### Resources per side (closed-model windows)',
      'Every target gets the same pool size and the same data; this is what each held while measured: backends in `pg_stat_activity` by its `application_name`, and its processes and threads from /proc.',
      markdownGrid(resourcesGrid(analysis.resources)),
    );
  const gains = countVerdicts(table.rows.filter((r) => r.gain).map((r) => r.gain!.judgement));
  const absolutes = countVerdicts(table.rows.map((r) => r.judgement));
  parts.push(
    `Verdict counts: claimed gains ${VERDICTS.map((v) => `${gains[v]} ${v}`).join(', ')}; absolute estimates ${VERDICTS.map((v) => `${absolutes[v]} ${ABSOLUTE_VERDICT_TEXT[v]}`).join(', ')}.`,
  );
  parts.push('### How the verdicts are decided', verdictRule(table.toleranceFactor));
  const reasons = table.rows.map(
    (r) =>
      `- ${r.path} · ${seriesLabel(r.series, design, r.path)} · ${r.adapter}: estimate: ${ABSOLUTE_VERDICT_TEXT[r.judgement.verdict]} (${r.judgement.why})${r.gain ? `; gain ${r.gain.judgement.verdict} (${r.gain.judgement.why})` : ''}${r.notes.length ? `. Notes: ${r.notes.join('; ')}` : ''}`,
  );
  parts.push(`<details><summary>Why each verdict</summary>\n\n${reasons.join('\n')}\n\n</details>`);
  parts.push('### How it was measured', methodLines(design).join('\n'));
  if (analysis.capacity.length > 0) {
    const lines = analysis.capacity.map(
      (c) =>
        `- ${c.adapter}, round ${c.round}: held ${c.heldConnections ?? 'none'}. ${c.why}${c.levels.length ? `; levels ${c.levels.map((l) => `${l.connections}${l.held ? '✓' : '✗'} ${l.p99Ms.toFixed(1)} ms`).join(', ')}` : ''}${c.error ? `; error: ${c.error}` : ''}`,
    );
    parts.push(
      `<details><summary>Capacity searches (connections, held ✓ or not ✗, p99)</summary>\n\n${lines.join('\n')}\n\n</details>`,
    );
  }
  const limits = stack === 'node' ? [...LIMITS] : [LIMITS[0]!, ADR_STACKS[stack].limit, ...LIMITS.slice(3)];
  const load = design.loadAverage1m;
  if (load)
    limits.push(
      `The machine's 1-minute load average was ${load.start.toFixed(1)} when the run started and ${load.end.toFixed(1)} when it ended: a value above the core count means other work was competing with this run for the CPU, which widens every interval.`,
    );
  parts.push('### Limits of this test', limits.map((l) => `- ${l}`).join('\n'));
  return parts.join('\n\n') + '\n';
}

/** The ADR table as the terminal shows it after the run: per stack, the headline path, the evidence, the conclusion. */
export function renderAdrTerminal(analysis: AdrAnalysis, width: number = TERMINAL_WIDTH): string {
  const stacks = analysis.stacks ?? [];
  if (stacks.length === 0) return renderOneTerminal(analysis, width);
  return stacks
    .map(
      (s) =>
        `${analysis.design.stacks ? `== ${s.stack} stack ==\n\n` : ''}${renderOneTerminal(stackView(analysis, s), width)}`,
    )
    .join('\n\n');
}

/** The last line of `jobbench adr`: the claimed gains' verdicts, per stack. */
export function adrSummary(analysis: AdrAnalysis): string {
  const stacks = (analysis.stacks ?? []).map((s) => ({ name: `${s.stack} stack`, table: s.table }));
  const parts = (stacks.length > 0 ? stacks : [{ name: '', table: analysis.table }]).map(({ name, table }) => {
    const gains = countVerdicts(table.rows.filter((r) => r.gain).map((r) => r.gain!.judgement));
    return `${name ? `${name}: ` : ''}claimed gains ${VERDICTS.map((v) => `${gains[v]} ${v}`).join(', ')}`;
  });
  // One line that fits the terminal (120 columns): the pointer to report.md goes first when it would not.
  const line = `ADR-003: ${parts.join('; ')}`;
  const withPointer = `${line} (every path: report.md)`;
  return withPointer.length <= TERMINAL_WIDTH ? withPointer : line;
}

function renderOneTerminal(analysis: StackView, width: number): string {
  const { design, table } = analysis;
  const head = headlinePath(design);
  const gains = countVerdicts(table.rows.filter((r) => r.gain).map((r) => r.gain!.judgement));
  return [
    wrapText(
      `ADR-003 checked · path ${head} · ${design.rounds} rounds · estimate "~v" read as v÷${table.toleranceFactor} to v×${table.toleranceFactor}; verdict from the ${roundsIntervalText(design.rounds)}`,
      width,
      2,
    ),
    textGrid(pathGrid(analysis, head, true), width),
    ...(table.rows.some((r) => (r.invalid || r.gain?.invalid) && r.path === head)
      ? [wrapText(INVALID_NOTE, width)]
      : []),
    'event loop and CPU under closed-model load',
    textGrid(evidenceGrid(analysis, [head]), width),
    ...(analysis.resources ? ['resources per side', textGrid(resourcesGrid(analysis.resources), width)] : []),
    wrapText(
      `claimed gains over all paths: ${VERDICTS.map((v) => `${gains[v]} ${v}`).join(', ')} (every path's table is in report.md)`,
      width,
      2,
    ),
    wrapText(`Conclusion: ${analysis.conclusion}`, width, 2),
    ...mapsTerminal(analysis.maps, width),
  ].join('\n\n');
}

/** The ADR table is rebuilt from the stored design, cells and searches: the current verdict rules apply. */
export const adrSection: KindSection<AdrAnalysis> = {
  key: 'adr',
  read: (results, stored) =>
    stored.design ? analyzeAdr(stored.design, results.cells, stored.capacity ?? [], stored.dbTime ?? []) : stored,
  markdown: renderAdrMarkdown,
  terminal: renderAdrTerminal,
  html: (analysis) => mapsHtml((analysis.stacks ?? []).flatMap((s) => s.maps ?? [])),
  summary: adrSummary,
};
