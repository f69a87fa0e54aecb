import { describe, expect, it } from 'vitest';
import { matchCells, pairedRounds } from '../../bench/compare/identity.ts';
import { usableRound } from '../../bench/results/validity.ts';
import { summarizeCell } from '../../bench/stats/summarize.ts';
import { judgeStatuses } from '../../bench/window/validity.ts';
import { makeCell, makeRound } from '../support/results.ts';

const judge = (statusCodes: Record<string, number>, how: Partial<Parameters<typeof judgeStatuses>[1]> = {}) => {
  const requests = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return judgeStatuses(makeRound({ requests, statusCodes, non2xx: requests - (statusCodes['200'] ?? 0) }), {
    scenario: 'get-job',
    shedding: false,
    faulted: false,
    ...how,
  }).validity!;
};

describe('a window judged on its statuses (DESIGN.md rule 12)', () => {
  it.each<{
    name: string;
    codes: Record<string, number>;
    how: Partial<Parameters<typeof judgeStatuses>[1]>;
    unexpected: Record<string, number> | undefined;
    invalid: boolean;
  }>([
    { name: 'all 200 on get-job', codes: { '200': 100 }, how: {}, unexpected: undefined, invalid: false },
    // wrk without its response() callback: two classes, not codes (bench/runners/wrk/parse.ts)
    {
      name: "wrk's <400 on get-job",
      codes: { '<400': 100, '>399': 0 },
      how: {},
      unexpected: undefined,
      invalid: false,
    },
    {
      name: "wrk's >399 among <400: a 4xx or a 5xx, errors, not invalid",
      codes: { '<400': 90, '>399': 10 },
      how: {},
      unexpected: { '>399': 10 },
      invalid: false,
    },
    {
      name: "wrk's >399 only: it did not serve",
      codes: { '>399': 100 },
      how: {},
      unexpected: { '>399': 100 },
      invalid: true,
    },
    {
      name: '404s on ids that should exist',
      codes: { '200': 90, '404': 10 },
      how: {},
      unexpected: { '404': 10 },
      invalid: true,
    },
    {
      name: 'a 400 (the contract differs)',
      codes: { '200': 99, '400': 1 },
      how: {},
      unexpected: { '400': 1 },
      invalid: true,
    },
    {
      name: 'a few 503s: the target under load',
      codes: { '200': 95, '503': 5 },
      how: {},
      unexpected: { '503': 5 },
      invalid: false,
    },
    { name: 'only 503s: it did not serve', codes: { '503': 100 }, how: {}, unexpected: { '503': 100 }, invalid: true },
    {
      name: '503s expected with shedding on',
      codes: { '200': 50, '503': 50 },
      how: { shedding: true },
      unexpected: undefined,
      invalid: false,
    },
    {
      name: 'create answers 201',
      codes: { '201': 100 },
      how: { scenario: 'create' },
      unexpected: undefined,
      invalid: false,
    },
    {
      name: 'create answering 200 is unexpected',
      codes: { '200': 100 },
      how: { scenario: 'create' },
      unexpected: { '200': 100 },
      invalid: true,
    },
    {
      name: 'a faulted window is not judged on statuses',
      codes: { '200': 10, '404': 90 },
      how: { faulted: true },
      unexpected: undefined,
      invalid: false,
    },
  ])('$name', ({ codes, how, unexpected, invalid }) => {
    const v = judge(codes, how);
    expect(v.unexpectedStatuses).toEqual(unexpected);
    expect(v.invalid !== undefined).toBe(invalid);
  });

  it('names the count, the share and what it means', () => {
    expect(judge({ '200': 90, '404': 10 }).invalid).toMatch(
      /^10 × 404 \(10\.0%\) of 100 responses: the data or the contract/,
    );
  });

  it('keeps what the machine probe found', () => {
    const round = makeRound({ validity: { foreignCpuPercent: 42, thresholdPercent: 10, disturbed: true } });
    const v = judgeStatuses(round, { scenario: 'get-job', shedding: false, faulted: false }).validity!;
    expect(v).toMatchObject({ foreignCpuPercent: 42, disturbed: true });
    expect(usableRound({ validity: v })).toBe(false);
  });
});

describe('unusable windows are kept in the file and out of the estimates', () => {
  const disturbed = { foreignCpuPercent: 80, thresholdPercent: 10, disturbed: true };
  const clean = { foreignCpuPercent: 1, thresholdPercent: 10, disturbed: false };

  it('the summary leaves out disturbed and invalid rounds and counts them', () => {
    const rounds = [
      makeRound({ round: 1, requestsPerSec: 100, validity: clean }),
      makeRound({ round: 2, requestsPerSec: 10, validity: disturbed }),
      makeRound({ round: 3, requestsPerSec: 102, validity: { ...clean, invalid: '404s' } }),
      makeRound({ round: 4, requestsPerSec: 104 }), // a file before validity: usable
    ];
    const s = summarizeCell(rounds);
    expect(s.rounds).toBe(2);
    expect(s.requestsPerSec.median).toBe(102);
    expect(s.unusableRounds).toEqual({ invalid: 1, disturbed: 1 });
  });

  it('with no usable round, the estimates are over every round and say so', () => {
    const s = summarizeCell([
      makeRound({ round: 1, validity: disturbed }),
      makeRound({ round: 2, validity: disturbed }),
    ]);
    expect(s.rounds).toBe(2);
    expect(s.unusableRounds).toEqual({ invalid: 0, disturbed: 2 });
  });

  it('a round pair is compared only when both of its windows can be used', () => {
    const rounds = (bad: number) =>
      [1, 2, 3, 4].map((round) => makeRound({ round, validity: round === bad ? disturbed : clean }));
    const base = makeCell({ side: 'base', rounds: rounds(2) });
    const head = makeCell({ side: 'head', rounds: rounds(3) });
    const [pair] = matchCells([base], [head]).pairs;
    expect(pairedRounds(pair!).base.map((r) => r.round)).toEqual([1, 4]);
  });
});
