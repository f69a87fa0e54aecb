import { ensureSeededData } from '../db/seed-check.ts';
import type { Progress } from '../host/progress.ts';
import type { WindowSettings } from '../window/measure.ts';

/**
 * The seeded data, checked once per round and database before the round's first window on it (rows a
 * write left are removed): gives why it is not the run's data, and that round's windows fail with it.
 * Nothing is checked when the targets own their data (--no-seed).
 */
export function seededDataCheck(settings: WindowSettings, progress: Progress) {
  const checked = new Map<string, Promise<string | undefined>>();
  return (round: number, databaseUrl: string): Promise<string | undefined> => {
    if (settings.restoreSeed === false) return Promise.resolve(undefined);
    const key = `${round} ${databaseUrl}`;
    if (!checked.has(key))
      checked.set(
        key,
        ensureSeededData(databaseUrl, { jobs: settings.jobCount, seed: settings.seed }).then(
          (c) => {
            if (!c.ok) return c.reason;
            if (c.restored > 0) progress.log(`round ${round}: ${c.restored} rows a write left removed before it`);
            return undefined;
          },
          (err: Error) => `the seeded data could not be checked: ${err.message}`,
        ),
      );
    return checked.get(key)!;
  };
}
