import { redactUrl } from '../../src/config.ts';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';
import { HarnessError } from '../../shared/harness-errors.ts';
import { withClient } from './client.ts';

export const DB_WAIT_BUDGET_MS = 30_000; // a restart or a short outage; past it the window fails with the reason
const ATTEMPT_TIMEOUT_MS = 2_000;
const RETRY_MS = 1_000;

/**
 * Waits until PostgreSQL at `url` answers, for at most `budgetMs`: a server started while the database
 * is away for a few seconds (a restart, a failover) would otherwise exit at once and fail its window.
 * `onWait` hears every failed attempt (seconds waited so far, why) for the progress line; the first
 * attempt that answers returns at once. Past the budget: JOBBENCH_CLI_ERR_DB_UNREACHABLE.
 */
export async function waitForDatabase(
  url: string,
  options: { budgetMs?: number; onWait?: (waitedS: number, why: string) => void } = {},
): Promise<void> {
  const budgetMs = options.budgetMs ?? DB_WAIT_BUDGET_MS;
  const start = Date.now();
  for (;;) {
    try {
      await withClient(url, { applicationName: HARNESS_CONNECTIONS.probe, connectTimeoutMs: ATTEMPT_TIMEOUT_MS }, (c) =>
        c.query('SELECT 1'),
      );
      return;
    } catch (err) {
      const why = (err as Error).message || String(err);
      const waitedMs = Date.now() - start;
      if (waitedMs >= budgetMs)
        throw new HarnessError(
          'JOBBENCH_CLI_ERR_DB_UNREACHABLE',
          `the database at ${redactUrl(url)} did not answer within ${Math.round(budgetMs / 1000)} s: ${why}`,
        );
      options.onWait?.(Math.round(waitedMs / 1000), why);
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MS, budgetMs - waitedMs)));
    }
  }
}
