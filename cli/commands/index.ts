import type { Command } from '../command.ts';

/** Every command, loaded lazily so that `jobbench --help` stays fast. Add one line per command. */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  db: () => import('./db.ts').then((m) => m.command),
  serve: () => import('./serve.ts').then((m) => m.command),
  run: () => import('./run.ts').then((m) => m.command),
  report: () => import('./report.ts').then((m) => m.command),
  compare: () => import('./compare.ts').then((m) => m.command),
  adr: () => import('./adr.ts').then((m) => m.command),
  sweep: () => import('./sweep.ts').then((m) => m.command),
  capacity: () => import('./capacity.ts').then((m) => m.command),
  gate: () => import('./gate.ts').then((m) => m.command),
  list: () => import('./list.ts').then((m) => m.command),
};
