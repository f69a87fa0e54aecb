import type { TestProject } from 'vitest/node';
import { provisionDatabase } from '../../bench/db/provision.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string; // an admin connection: tests create their own databases from it
    databaseKind: string;
  }
}

/**
 * One PostgreSQL for the whole suite: DATABASE_URL when set, else an embedded one started here and
 * stopped at the end. Each test file then makes its own database (test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  const db = await provisionDatabase({ databaseUrl: process.env.DATABASE_URL });
  project.provide('databaseUrl', db.url);
  project.provide('databaseKind', db.kind);
  return async () => {
    await db.stop();
  };
}
