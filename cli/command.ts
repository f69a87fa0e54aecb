import type { ParseArgsConfig } from 'node:util';
import { HarnessError } from '../shared/harness-errors.ts';

/** A parser's flags (node:util parseArgs options). */
export type Options = NonNullable<ParseArgsConfig['options']>;

/** The shape of every CLI command module (cli/commands/<name>.ts). */
export interface Command {
  name: string;
  summary: string; // one line, shown by `jobbench --help`
  help: string; // full text, shown by `jobbench <name> --help`
  subcommands?: readonly string[]; // e.g. db: up, status, down; errors then read `jobbench db up: …`
  /** Every flag the command's parser takes (all subcommands'): --help and docs/ are checked against it. */
  options: Options;
  run(argv: string[]): Promise<number>; // exit code: 0 ok, 1 gate/SLO failed, 2 bad input or invalid run
}

/** Thrown for bad CLI input (JOBBENCH_CLI_ERR_USAGE); main prints the message and the usage hint and exits 2. */
export class UsageError extends HarnessError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('JOBBENCH_CLI_ERR_USAGE', message, options);
    this.name = 'UsageError';
  }
}

export const EXIT = { ok: 0, gateFailed: 1, badInput: 2 } as const;
