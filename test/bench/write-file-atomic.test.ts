import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../bench/results/write-file-atomic.ts';

const dir = mkdtempSync(join(tmpdir(), 'jobbench-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODULE = new URL('../../bench/results/write-file-atomic.ts', import.meta.url).href;

describe('writeFileAtomic', () => {
  it('writes the whole file, and replaces an existing one', async () => {
    const path = join(dir, 'plain.json');
    await writeFileAtomic(path, '{"a":1}\n');
    await writeFileAtomic(path, '{"a":2}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dir).filter((n) => n.startsWith('.plain.json.'))).toEqual([]);
  });

  it('gives the file the mode asked for, whatever the umask', async () => {
    const path = join(dir, 'secret.json');
    await writeFileAtomic(path, 'password', { mode: 0o600 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never lets a reader see part of a file', { timeout: 60_000 }, async () => {
    const path = join(dir, 'big.txt');
    const versions = ['a', 'b'].map((c) => c.repeat(2 * 1024 * 1024)); // 2 MiB: many write() calls each
    await writeFileAtomic(path, versions[0]!);
    // The writer alternates versions until the reader has seen both (or gives up after 2,000 writes):
    // every read must be one whole version, and both must have been read while writes went on.
    const seen = new Set<string>();
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 2_000 && seen.size < 2; i++) await writeFileAtomic(path, versions[i % 2]!);
      writing = false;
    })();
    while (writing) {
      const text = await readFile(path, 'utf8');
      expect(versions.includes(text), `read ${text.length} bytes starting "${text.slice(0, 1)}"`).toBe(true);
      seen.add(text[0]!);
    }
    await writer;
    expect([...seen].sort()).toEqual(['a', 'b']);
  });

  it('leaves the old file intact, and no temporary file, when the data fails half-way', async () => {
    const path = join(dir, 'failing.txt');
    writeFileSync(path, 'old');
    async function* chunks() {
      yield 'new '.repeat(10_000);
      throw new Error('the producer failed');
    }
    await expect(writeFileAtomic(path, chunks())).rejects.toThrow('the producer failed');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.startsWith('.failing.txt.'))).toEqual([]);
  });

  it('leaves the old file intact when the writing process is killed mid-write', { timeout: 30_000 }, async () => {
    const path = join(dir, 'killed.txt');
    writeFileSync(path, 'old');
    // The child writes half of its data, says so, then hangs until it is killed with SIGKILL.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(MODULE)};
      setInterval(() => {}, 1000);
      async function* chunks() {
        yield 'new '.repeat(100_000);
        process.stdout.write('half\\n');
        await new Promise(() => {});
      }
      await writeFileAtomic(${JSON.stringify(path)}, chunks());
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (c: Buffer) => c.toString().includes('half') && resolve());
      child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before half-way: ${stderr}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(path, 'utf8')).toBe('old');
  });
});
