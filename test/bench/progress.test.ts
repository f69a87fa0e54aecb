/** Progress on stderr: plain lines off a terminal, and a ticker so a long window is never silent. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, windowTicker, type Progress } from '../../bench/host/progress.ts';

function captured(): { progress: Progress; lines: () => string[] } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream; // not a TTY: plain lines
  let text = '';
  (stream as unknown as PassThrough).on('data', (c: Buffer) => (text += c.toString()));
  return { progress: createProgress(stream), lines: () => text.split('\n').filter((l) => l !== '') };
}

describe('progress', () => {
  it('formats durations with units', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(125)).toBe('2 min 05 s');
    expect(formatDuration(-3)).toBe('0 s');
  });

  it('off a terminal, updates and logs are plain lines; quiet prints nothing', () => {
    const { progress, lines } = captured();
    progress.update('warming up');
    progress.log('12 req/s');
    expect(lines()).toEqual(['warming up', '12 req/s']);
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    const quiet = createProgress(stream as unknown as NodeJS.WriteStream, true);
    quiet.update('x');
    quiet.log('y');
    expect(text).toBe('');
  });

  it('a window ticker reports the seconds done until stopped, then stays silent', async () => {
    const { progress, lines } = captured();
    const stop = windowTicker(progress, (done) => `measuring: ${done.toFixed(1)} s done`, 0.05);
    await new Promise((r) => setTimeout(r, 180));
    stop();
    const ticks = lines();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((l) => /^measuring: \d+\.\d s done$/.test(l))).toBe(true);
    const seconds = ticks.map((l) => Number(/([\d.]+) s/.exec(l)![1]));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b)); // counts up
    await new Promise((r) => setTimeout(r, 120));
    expect(lines()).toHaveLength(ticks.length);
  });
});
