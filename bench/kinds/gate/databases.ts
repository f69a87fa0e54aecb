import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { redactUrl } from '../../../src/config.ts';
import { HarnessError, oneLine } from '../../../shared/harness-errors.ts';
import { onShutdown } from '../../host/lifecycle.ts';
import type { Side } from '../../results/types.ts';
import { HARNESS_CONNECTIONS } from '../../../shared/application-names.ts';

/**
 * Each side of a gate gets its own database on the one PostgreSQL server of the run: a change may add
 * or drop an index, so each side runs on its own schema, migrated by ITS checkout's migrations
 * (src/db/migrate.ts imported from that checkout; tsx is registered in this process), and both are
 * seeded alike by the head's seeder. They are dropped again on every exit path.
 */

type Migrate = (url: string) => Promise<string[]>;
type Seed = (url: string, o: { jobs: number; seed: number }) => Promise<unknown>;

async function importFrom<T>(root: string, file: string, name: string): Promise<T> {
  const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
  if (typeof mod[name] !== 'function') throw new Error(`${file} of ${root} exports no ${name}()`);
  return mod[name] as T;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// Autovacuum off on every table of the side's schema: equal data must mean equal pages touched per request
// (pg_stat_statements' shared blocks), and a vacuum or analyze landing in one side's window would change that.
const AUTOVACUUM_OFF = `DO $$ DECLARE t record; BEGIN
  FOR t IN SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE 'ALTER TABLE ' || t.name || ' SET (autovacuum_enabled = false)';
  END LOOP; END $$`;

/** Both sides alike after loading: visibility map and hint bits set, statistics fresh, then nothing in the background. */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: HARNESS_CONNECTIONS.gate });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    await client.query(AUTOVACUUM_OFF);
  } finally {
    await client.end();
  }
}

export interface SideDatabase {
  side: Side;
  url: string;
  migrations: string[]; // applied by that side's migrate()
}

export async function prepareSideDatabases(opts: {
  serverUrl: string; // the run's prepared database: the server the sides' databases are created on
  sides: readonly { side: Side; root: string }[];
  headRoot: string;
  jobs: number;
  seed: number;
  log: (line: string) => void;
}): Promise<{ databases: SideDatabase[]; drop: () => Promise<void> }> {
  const own = decodeURIComponent(new URL(opts.serverUrl).pathname.slice(1)) || 'postgres';
  const names = opts.sides.map((s) => `${own.slice(0, 30)}_gate${process.pid}_${s.side}`);
  // Through the run's database, else the maintenance database (the run's may be gone by cleanup time).
  const admin = async (sql: string) => {
    for (const url of [opts.serverUrl, withDatabase(opts.serverUrl, 'postgres')]) {
      const client = new pg.Client({ connectionString: url, application_name: HARNESS_CONNECTIONS.gate });
      try {
        await client.connect();
      } catch (err) {
        if (url !== opts.serverUrl) throw err;
        continue;
      }
      try {
        return await client.query(sql);
      } finally {
        await client.end();
      }
    }
  };
  const dropAll = async () => {
    for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  };
  let dropped: Promise<void> | undefined;
  const drop = () => (dropped ??= (unregister(), dropAll()));
  const unregister = onShutdown('gate databases', drop);
  const databases: SideDatabase[] = [];
  try {
    const seed = await importFrom<Seed>(opts.headRoot, 'src/db/seed.ts', 'seed');
    for (const [i, { side, root }] of opts.sides.entries()) {
      const url = withDatabase(opts.serverUrl, names[i]!);
      await admin(`DROP DATABASE IF EXISTS "${names[i]}" WITH (FORCE)`);
      await admin(`CREATE DATABASE "${names[i]}"`);
      const migrations = await (await importFrom<Migrate>(root, 'src/db/migrate.ts', 'migrate'))(url);
      opts.log(`${side} database ${redactUrl(url)}: ${migrations.length} migrations of its own checkout applied`);
      await seed(url, { jobs: opts.jobs, seed: opts.seed });
      await settle(url);
      databases.push({ side, url, migrations });
    }
    opts.log(
      `both sides seeded alike: ${opts.jobs} jobs (seed ${opts.seed}, the head's seeder), then VACUUM ANALYZE; autovacuum off on their tables`,
    );
    return { databases, drop };
  } catch (err) {
    await drop();
    throw new HarnessError('JOBBENCH_CLI_ERR_GATE_CHECKOUT', `cannot prepare the gate's databases: ${oneLine(err)}`, {
      cause: err,
    });
  }
}
