import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { decodeCursor, encodeCursor, isBigintId } from '../cursor.ts';
import type { JobFilters, NewJob } from '../domain/job.ts';
import type { JobRepository } from '../domain/job-repository.ts';
import { JobbenchError } from '../errors.ts';
import {
  ERROR_RESPONSES,
  JobIdParams,
  LIMITS,
  JobPageSchema,
  JobSchema,
  NewJobBody,
  NoQuery,
  SearchQuery,
  StatsSchema,
} from '../http/schemas.ts';

/** What the schema cannot say about a new job: the salary range, and postedAt at millisecond precision. */
export function toNewJob(body: NewJobBody): NewJob {
  const salaryMin = body.salaryMin ?? null;
  const salaryMax = body.salaryMax ?? null;
  if (salaryMin !== null && salaryMax !== null && salaryMin > salaryMax) {
    throw new JobbenchError('JOBBENCH_ERR_VALIDATION', 'body/salaryMin must be <= body/salaryMax');
  }
  return {
    title: body.title,
    company: body.company,
    location: body.location,
    contract: body.contract,
    remote: body.remote,
    salaryMin,
    salaryMax,
    tags: body.tags ?? [],
    description: body.description,
    // The keyset cursor holds milliseconds (a JS Date): storing microseconds would skip rows between pages.
    ...(body.postedAt !== undefined && { postedAt: new Date(body.postedAt).toISOString() }),
  };
}

export function toFilters(query: SearchQuery): JobFilters {
  const filters: JobFilters = {};
  if (query.q !== undefined) filters.q = query.q;
  if (query.location !== undefined) filters.location = query.location;
  if (query.company !== undefined) filters.company = query.company;
  if (query.contract !== undefined) filters.contract = query.contract;
  if (query.remote !== undefined) filters.remote = query.remote === 'true';
  if (query.salaryMin !== undefined) {
    const salaryMin = Number(query.salaryMin);
    if (salaryMin > LIMITS.salaryMax)
      throw new JobbenchError(
        'JOBBENCH_ERR_VALIDATION',
        `querystring/salaryMin must be a whole number from 0 to ${LIMITS.salaryMax}`,
      );
    filters.salaryMin = salaryMin;
  }
  if (query.tags !== undefined) filters.tags = [...new Set(query.tags.split(','))];
  return filters;
}

/** POST /jobs, GET /jobs/stats, GET /jobs/:id, GET /jobs. */
export const jobRoutes: FastifyPluginAsyncTypebox<{ repo: JobRepository }> = async (app, { repo }) => {
  app.post(
    '/jobs',
    { schema: { body: NewJobBody, querystring: NoQuery, response: { 201: JobSchema, ...ERROR_RESPONSES } } },
    async (request, reply) => {
      const job = await repo.create(toNewJob(request.body));
      return reply.code(201).header('location', `/jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '/jobs/stats',
    { schema: { querystring: NoQuery, response: { 200: StatsSchema, ...ERROR_RESPONSES } } },
    async () => repo.stats(),
  );

  app.get(
    '/jobs/:id',
    { schema: { params: JobIdParams, querystring: NoQuery, response: { 200: JobSchema, ...ERROR_RESPONSES } } },
    async (request) => {
      const { id } = request.params;
      if (!isBigintId(id))
        throw new JobbenchError('JOBBENCH_ERR_VALIDATION', 'params/id must be a positive integer that fits a bigint');
      const job = await repo.getById(id);
      if (!job) throw new JobbenchError('JOBBENCH_ERR_NOT_FOUND');
      return job;
    },
  );

  app.get(
    '/jobs',
    { schema: { querystring: SearchQuery, response: { 200: JobPageSchema, ...ERROR_RESPONSES } } },
    async (request) => {
      const { cursor } = request.query;
      const limit = request.query.limit === undefined ? LIMITS.pageDefault : Number(request.query.limit);
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const page = await repo.search(toFilters(request.query), after ? { limit, after } : { limit });
      return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
};
