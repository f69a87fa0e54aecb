import { parseArgs } from 'node:util';
import { UsageError, type Options } from './command.ts';

/** node:util parseArgs, with errors turned into UsageError (exit 2) and --help always accepted. */
export function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

/** A whole number within [min, max], or a UsageError naming the flag. */
export function intFlag(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${flag} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** A positive number (decimals allowed) within [min, max]. */
export function numFlag(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${raw}"`);
  if (n < min || n > max) throw new UsageError(`--${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** One value of a closed set, or the default when the flag is absent. */
export function enumFlag<T extends string>(flag: string, raw: string | undefined, valid: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!(valid as readonly string[]).includes(raw))
    throw new UsageError(`--${flag}: unknown value "${raw}"; valid: ${valid.join(', ')}`);
  return raw as T;
}

/** A comma-separated list whose items must all be in `valid`. */
export function listFlag<T extends string>(
  flag: string,
  raw: string | undefined,
  valid: readonly T[],
): T[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one value; valid: ${valid.join(', ')}`);
  for (const item of items) {
    if (!(valid as readonly string[]).includes(item))
      throw new UsageError(`--${flag}: unknown value "${item}"; valid: ${valid.join(', ')}`);
  }
  return [...new Set(items)] as T[];
}

/** A comma-separated list of whole numbers. */
export function intListFlag(flag: string, raw: string | undefined, min: number, max: number): number[] | undefined {
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag} needs at least one number`);
  return items.map((s) => intFlag(flag, s, min, max)!);
}
