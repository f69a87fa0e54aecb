import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Text, bytes, or chunks (so that a caller can stream a large file). */
export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) offset += (await handle.write(bytes, offset)).bytesWritten;
}

/**
 * Replaces `path` with `data` so that a reader sees either the old file or the whole new one, never
 * part of it, even if this process is killed mid-write: the data goes to a temporary file in the same
 * directory (rename is atomic only within one file system), is fsynced, then renamed over `path`.
 * `mode` (e.g. 0o600 for a file holding a password) is set before the file gets its name. The
 * directory must exist.
 */
export async function writeFileAtomic(path: string, data: AtomicData, options: { mode?: number } = {}): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', options.mode ?? 0o666);
  try {
    try {
      if (options.mode !== undefined) await handle.chmod(options.mode); // the umask may have narrowed it
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data, 'utf8');
      else
        for await (const chunk of data) await writeAll(handle, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  // The rename is durable only once the directory entry is on disk; best effort (not every file system allows it).
  const dirHandle = await open(dir, 'r').catch(() => undefined);
  await dirHandle
    ?.sync()
    .catch(() => {})
    .finally(() => dirHandle.close());
}
