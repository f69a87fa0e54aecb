/**
 * The window's one PostgreSQL connection, shared by the probes that read the database (backends, their
 * CPU, pg_stat_statements). It connects when `connect()` is called, and again on the next query after it
 * was lost: a database restart or a dead connection mid-window is recorded as "sampler lost PostgreSQL:
 * …" and never becomes an unhandled 'error' that would kill the harness.
 */
import pg from 'pg';
import { HARNESS_CONNECTIONS } from '../../shared/application-names.ts';

/** The harness's own application_name for it (shared/application-names.ts: never counted as a target's backend). */
export const SAMPLER_APPLICATION_NAME = HARNESS_CONNECTIONS.sampler;
const CONNECT_TIMEOUT_MS = 1_000; // a query that cannot connect within 1 s is lost, not waited for

export interface SamplerDb {
  /** Runs one statement; a failure rejects, and one that lost the connection is also recorded as lost. */
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  /** Records a loss seen by a probe (a failed sample) and drops the connection: the next query reconnects. */
  lose(err: unknown): Promise<void>;
  /** Statements sent so far: the harness's own load on PostgreSQL. */
  queries(): number;
}

/** A database error the server sent about the statement itself (e.g. permission denied): the connection is fine. */
function statementError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  // SQLSTATE classes 08 (connection exception) and 57 (operator intervention: shutdown, restart) end the session.
  return err instanceof pg.DatabaseError && typeof code === 'string' && !/^(08|57)/.test(code);
}

export function openSamplerDb(databaseUrl: string) {
  const lost = new Set<string>();
  // The connection, or the attempt to make it: queries that come together share it, so that a
  // reconnection after a loss opens one connection, not one per probe.
  let current: Promise<pg.Client> | undefined;
  let queries = 0;
  const connect = (): Promise<pg.Client> => {
    const c = new pg.Client({
      connectionString: databaseUrl,
      application_name: SAMPLER_APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    c.on('error', (err) => {
      lost.add(`sampler lost PostgreSQL: ${err.message}`);
      if (current === attempt) current = undefined;
      void c.end().catch(() => {});
    });
    const attempt = c.connect().then(
      () => c,
      async (err: unknown) => {
        await c.end().catch(() => {});
        throw err;
      },
    );
    return attempt;
  };
  const client = (): Promise<pg.Client> => {
    if (!current) {
      const attempt = connect();
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = undefined; // the next query tries again
      });
    }
    return current;
  };
  const drop = async () => {
    const dead = current;
    current = undefined;
    await dead?.then((c) => c.end()).catch(() => {});
  };
  const db = {
    /** Connects now (the window's start: a database that cannot be reached fails the window). */
    async connect(): Promise<void> {
      await client();
    },
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
      queries++;
      try {
        return (await (await client()).query<R>(text, values)).rows;
      } catch (err) {
        if (!statementError(err)) await db.lose(err);
        throw err;
      }
    },
    async lose(err: unknown): Promise<void> {
      lost.add(`sampler lost PostgreSQL: ${(err as Error).message}`);
      await drop();
    },
    queries: () => queries,
    lost: (): string[] => [...lost],
    close: drop,
  };
  return db satisfies SamplerDb;
}
