import { Kysely, PostgresDialect, sql, type ExpressionBuilder } from 'kysely';
import { jsonBuildObject } from 'kysely/helpers/postgres';
import type { JobFilters, PageRequest } from '../domain/job.ts';
import type { DbConfig, JobRepository } from '../domain/job-repository.ts';
import { JobbenchError } from '../errors.ts';
import { mapped } from './db-errors.ts';
import { createPgPool } from './pg-pool-options.ts';
import type { Database } from './kysely-schema.ts';
import { toJob, toPage, toStats } from './sql.ts';

/**
 * Kysely over its own pg Pool (the same settings as pg-pool). Every statement is built with the query
 * builder, as Kysely users write them; `sql` appears only for what the builder cannot say (a string
 * literal argument, the text[] cast). The builder's output is equivalent to the shared SQL of sql.ts,
 * and the contract suite checks that results, ordering and errors are identical.
 */
export function createKyselyRepository(config: DbConfig) {
  const pool = createPgPool(config);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });

  // Kysely reaches pool.connect() only after a few awaits, and destroy() drops its pool reference: a query
  // issued just before close() would fail with a TypeError instead of finishing. So close() waits for the
  // queries in flight, and calls made once it has begun reject at once, as the port requires.
  let closing = false;
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  async function run<T>(work: () => Promise<T>): Promise<T> {
    if (closing) throw new JobbenchError('JOBBENCH_ERR_DB_UNAVAILABLE');
    inFlight += 1;
    try {
      return await mapped(work());
    } finally {
      inFlight -= 1;
      if (inFlight === 0) onDrained?.();
    }
  }

  return {
    async create(input) {
      const row = await run(() =>
        db
          .insertInto('jobs')
          .values((eb) => ({
            title: input.title,
            company: input.company,
            location: input.location,
            contract: input.contract,
            remote: input.remote,
            salary_min: input.salaryMin,
            salary_max: input.salaryMax,
            tags: input.tags,
            description: input.description,
            posted_at: postedAtMs(eb, input.postedAt),
          }))
          .returning(jobColumns)
          .executeTakeFirstOrThrow(),
      );
      return toJob(row);
    },
    async getById(id) {
      const row = await run(() => db.selectFrom('jobs').select(jobColumns).where('id', '=', id).executeTakeFirst());
      return row ? toJob(row) : null;
    },
    async search(filters, page) {
      const rows = await run(() => searchQuery(db, filters, page).execute());
      return toPage(rows, page.limit);
    },
    async stats() {
      const row = await run(() => statsQuery(db).executeTakeFirstOrThrow());
      return toStats(row);
    },
    async ping() {
      await run(() => db.selectNoFrom((eb) => eb.lit(1).as('one')).execute());
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      closing = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (onDrained = resolve));
      await db.destroy(); // ends the pool
    },
  } satisfies JobRepository;
}

type JobsEb = ExpressionBuilder<Database, 'jobs'>;

/** The columns of a Job under the names toJob reads (sql.ts JOB_COLUMNS). */
function jobColumns(eb: JobsEb) {
  return [
    eb.cast<string>('id', 'text').as('id'),
    'title',
    'company',
    'location',
    'contract',
    'remote',
    'salary_min as salaryMin',
    'salary_max as salaryMax',
    'tags',
    'description',
    'posted_at as postedAt',
  ] as const;
}

/** date_trunc('milliseconds', coalesce($postedAt::timestamptz, now())): see INSERT_JOB in sql.ts for why. */
function postedAtMs(eb: JobsEb, postedAt: string | undefined) {
  const given = eb.cast<string | null>(eb.val(postedAt ?? null), 'timestamptz');
  return eb.fn<string>('date_trunc', [sql.lit('milliseconds'), eb.fn.coalesce(given, eb.fn<string>('now'))]);
}

/** Newest first, limit + 1 rows (toPage learns from the extra row whether a next page exists). */
function searchQuery(db: Kysely<Database>, filters: JobFilters, page: PageRequest) {
  let query = db.selectFrom('jobs').select(jobColumns);
  const { q, location, company, contract, remote, salaryMin, tags } = filters;
  if (q !== undefined)
    query = query.where((eb) =>
      eb('search', '@@', eb.fn<string>('websearch_to_tsquery', [sql.lit('english'), eb.val(q)])),
    );
  if (location !== undefined) query = query.where('location', '=', location);
  if (company !== undefined) query = query.where('company', '=', company);
  if (contract !== undefined) query = query.where('contract', '=', contract);
  if (remote !== undefined) query = query.where('remote', '=', remote);
  if (salaryMin !== undefined)
    query = query.where((eb) => eb('salary_max', '>=', eb.cast<number>(eb.val(salaryMin), 'integer')));
  // eb.val keeps the array one parameter; a bare array would become a list ($1, $2, ...).
  if (tags !== undefined && tags.length > 0)
    query = query.where((eb) => eb('tags', '@>', eb.cast<string[]>(eb.val(tags), sql`text[]`)));
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple('posted_at', 'id'),
        '<',
        eb.tuple(eb.cast<Date>(eb.val(after.postedAt), 'timestamptz'), eb.cast<string>(eb.val(after.id), 'bigint')),
      ),
    );
  }
  return query
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
}

/** All aggregates in one statement, the same shape as STATS in sql.ts. */
function statsQuery(db: Kysely<Database>) {
  const int = (eb: ExpressionBuilder<any, any>, e: Parameters<typeof eb.cast>[0]) => eb.cast<number>(e, 'integer');
  return db
    .with('totals', (qc) =>
      qc
        .selectFrom('jobs')
        .select((eb) => [
          int(eb, eb.fn.countAll()).as('total'),
          int(eb, eb.fn.countAll().filterWhere('remote', '=', eb.lit(true))).as('remote'),
          eb.cast<number | null>(eb.fn('round', [eb.fn.avg('salary_min'), eb.lit(2)]), 'float8').as('avgSalaryMin'),
          eb.cast<number | null>(eb.fn('round', [eb.fn.avg('salary_max'), eb.lit(2)]), 'float8').as('avgSalaryMax'),
        ]),
    )
    .with('by_contract', (qc) =>
      qc
        .selectFrom((sub) =>
          sub
            .selectFrom('jobs')
            .select((eb) => ['contract', int(eb, eb.fn.countAll()).as('n')])
            .groupBy('contract')
            .as('c'),
        )
        .select((eb) =>
          eb.fn
            .coalesce(
              eb.fn<Record<string, number>>('json_object_agg', ['c.contract', 'c.n']),
              eb.cast(sql.lit('{}'), 'json'),
            )
            .as('byContract'),
        ),
    )
    .with('top_locations', (qc) =>
      qc
        .selectFrom((sub) =>
          sub
            .selectFrom('jobs')
            .select((eb) => ['location', int(eb, eb.fn.countAll()).as('n')])
            .groupBy('location')
            .orderBy('n', 'desc')
            .orderBy('location')
            .limit(10)
            .as('l'),
        )
        .select((eb) =>
          eb.fn
            .coalesce(
              eb.fn
                .agg<{ location: string; count: number }[]>('json_agg', [
                  jsonBuildObject({ location: eb.ref('l.location'), count: eb.ref('l.n') }),
                ])
                .orderBy('l.n', 'desc')
                .orderBy('l.location'),
              eb.cast(sql.lit('[]'), 'json'),
            )
            .as('topLocations'),
        ),
    )
    .selectFrom(['totals', 'by_contract', 'top_locations'])
    .selectAll();
}
