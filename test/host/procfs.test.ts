/**
 * The one /proc reader: the stat parser on the lines that break naive parsers, the clock-tick unit
 * against the system's, and process trees of real processes. Correctness only, never timing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLOCK_TICKS_PER_S,
  commOf,
  machineBusyUs,
  parseProcStat,
  processCpuUs,
  processRssBytes,
  processTree,
  processTreePids,
  readProcStat,
  startTicksOf,
} from '../../bench/host/procfs.ts';

// Fields 3..22 of a real line (cat's own), with utime 250, stime 50, reaped children's cutime 30 and
// cstime 20, 7 threads, start time 143143.
const TAIL = 'S 32308 32300 18085 0 -1 4194304 99 0 0 0 250 50 30 20 20 0 7 0 143143 3133440 380';

describe('parseProcStat', () => {
  it.each([
    ['a plain name', `42 (node) ${TAIL}`, 'node'],
    ['a name with spaces', `42 (tmux: server) ${TAIL}`, 'tmux: server'],
    ['a name with parentheses and a space after one', `42 (a) b (c)) ${TAIL}`, 'a) b (c)'],
  ])('reads %s', (_, line, comm) => {
    expect(parseProcStat(line + '\n')).toEqual({
      pid: 42,
      comm,
      state: 'S',
      ppid: 32308,
      pgrp: 32300,
      cpuUs: ((250 + 50) * 1e6) / CLOCK_TICKS_PER_S,
      reapedChildrenCpuUs: ((30 + 20) * 1e6) / CLOCK_TICKS_PER_S,
      threads: 7,
      startTicks: 143143,
    });
  });

  it.each(['', 'not a stat line', '42 (node)'])('refuses %j', (line) => {
    expect(() => parseProcStat(line)).toThrow(/not a \/proc\/<pid>\/stat line/);
  });
});

describe('the clock-tick unit', () => {
  it('is what the system says (getconf CLK_TCK)', () => {
    expect(Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())).toBe(CLOCK_TICKS_PER_S);
  });
});

describe('processes of this machine', () => {
  let parent: ChildProcess;
  beforeAll(async () => {
    // A shell with two sleeping children: a tree of three.
    parent = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    await new Promise((r) => parent.once('spawn', r));
    for (let i = 0; i < 100 && processTreePids(parent.pid!).length < 3; i++)
      await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => {
    for (const pid of processTreePids(parent.pid!).reverse()) process.kill(pid, 'SIGKILL');
  });

  it('reads this process: its pid, parent, name and start time', () => {
    const self = readProcStat(process.pid)!;
    expect(self.pid).toBe(process.pid);
    expect(self.ppid).toBe(process.ppid);
    expect(readProcStat('self')!.startTicks).toBe(self.startTicks);
    expect(startTicksOf(process.pid)).toBe(self.startTicks);
    expect(self.threads).toBeGreaterThan(1); // node runs worker threads beside the main one
    expect(processRssBytes(process.pid)! % 1024).toBe(0); // VmRSS is in kB
    expect(processRssBytes(process.pid)).toBeGreaterThan(0);
  });

  it('lists a tree root first, each member with its parent in the tree', () => {
    const tree = processTree(parent.pid!);
    expect(tree.map((s) => s.comm)).toEqual(['sh', 'sleep', 'sleep']);
    expect(tree[0]!.pid).toBe(parent.pid);
    for (const child of tree.slice(1)) expect(child.ppid).toBe(parent.pid);
    expect(commOf(tree[1]!.pid)).toBe('sleep');
  });

  it('gives null, or nothing, for a process that is gone', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    expect(readProcStat(gone.pid!)).toBeNull();
    expect(processCpuUs(gone.pid!)).toBeNull();
    expect(processRssBytes(gone.pid!)).toBeNull();
    expect(processTreePids(gone.pid!)).toEqual([]);
  });

  it('counts this process CPU and the machine busy time in µs of whole ticks', () => {
    const tick = 1e6 / CLOCK_TICKS_PER_S;
    expect(processCpuUs(process.pid)! % tick).toBe(0);
    expect(processCpuUs(process.pid)).toBeGreaterThan(0);
    expect(machineBusyUs() % tick).toBe(0);
  });
});
