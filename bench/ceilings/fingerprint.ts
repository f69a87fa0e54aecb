/**
 * A machine fingerprint in about a second: numbers that explain why the same commit measures 6× apart
 * on two machines of one kind (a slow loopback, costly syscalls under a hypervisor, a slow core).
 */
import { execFile } from 'node:child_process';
import { fstatSync, openSync, closeSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { createRng } from '../../shared/prng.ts';
import type { MachineFingerprint } from '../results/ceilings.ts';

const PING_PONGS = 2_000; // after 200 discarded
const DD_BYTES = 200_000; // dd bs=1: one read + one write syscall per byte, 400,000 syscalls
const FSTAT_CALLS = 200_000;
const CORE_LOOP_MS = 300;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median round trip of one byte over 127.0.0.1 TCP (Nagle off), echo server in this process, µs. */
export async function loopbackRoundTripUs(count = PING_PONGS): Promise<number> {
  const server = createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const socket: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  try {
    await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
    const samplesUs: number[] = [];
    const one = Buffer.from([1]);
    for (let i = 0; i < count + 200; i++) {
      const t0 = process.hrtime.bigint();
      await new Promise<void>((r) => {
        socket.once('data', () => r());
        socket.write(one);
      });
      if (i >= 200) samplesUs.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return median(samplesUs);
  } finally {
    socket.destroy();
    await new Promise((r) => server.close(r));
  }
}

/** ns per syscall from dd's own timing ("… copied, 0.123 s"), or undefined when dd is absent. */
export function ddSyscallNs(bytes = DD_BYTES): Promise<number | undefined> {
  return new Promise((resolve) => {
    execFile(
      'dd',
      ['if=/dev/zero', 'of=/dev/null', 'bs=1', `count=${bytes}`],
      { env: { ...process.env, LC_ALL: 'C' } },
      (err, _stdout, stderr) => {
        const m = /copied, ([\d.e+-]+) s/.exec(stderr);
        resolve(err || !m ? undefined : (Number(m[1]) * 1e9) / (2 * bytes));
      },
    );
  });
}

/** ns per fs.fstatSync: a cheap syscall plus Node's binding. */
export function fstatSyscallNs(calls = FSTAT_CALLS): number {
  const fd = openSync('/dev/null', 'r');
  try {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fstatSync(fd);
    return Number(process.hrtime.bigint() - t0) / calls;
  } finally {
    closeSync(fd);
  }
}

/** PRNG steps per second of a fixed loop (shared/prng.ts mulberry32), single-threaded. */
export function singleCoreOpsPerSec(durationMs = CORE_LOOP_MS): number {
  const rng = createRng(1);
  let ops = 0;
  let sink = 0;
  const t0 = process.hrtime.bigint();
  const endNs = t0 + BigInt(durationMs * 1e6);
  let now = t0;
  while (now < endNs) {
    for (let i = 0; i < 10_000; i++) sink += rng.next();
    ops += 10_000;
    now = process.hrtime.bigint();
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
  return ops / (Number(now - t0) / 1e9);
}

export async function measureFingerprint(): Promise<MachineFingerprint> {
  const rttUs = await loopbackRoundTripUs();
  // Median of three: one dd or loop can land on a busy moment of a shared machine.
  const dd = [await ddSyscallNs(), await ddSyscallNs(), await ddSyscallNs()];
  const ddOk = dd.every((x) => x !== undefined);
  const syscallNs = ddOk ? median(dd as number[]) : median([fstatSyscallNs(), fstatSyscallNs(), fstatSyscallNs()]);
  const core = median([singleCoreOpsPerSec(), singleCoreOpsPerSec(), singleCoreOpsPerSec()]);
  return { loopbackRoundTripUs: rttUs, syscallNs, syscallProbe: ddOk ? 'dd' : 'fstat', singleCoreOpsPerSec: core };
}
