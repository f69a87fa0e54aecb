import { HarnessError } from '../../shared/harness-errors.ts';
import type { ProvisionedDb } from './types.ts';

// Pinned: results must say which server they ran against.
export const DOCKER_POSTGRES_IMAGE = 'postgres:17.6-alpine';

/** A throwaway PostgreSQL container through testcontainers, for users with a Docker engine. */
export async function startDocker(): Promise<ProvisionedDb> {
  let PostgreSqlContainer;
  try {
    ({ PostgreSqlContainer } = await import('@testcontainers/postgresql'));
  } catch {
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_TOOL_MISSING',
      '--db docker needs the dev dependency @testcontainers/postgresql: run `npm install` (not --omit=dev)',
    );
  }
  let container;
  try {
    container = await new PostgreSqlContainer(DOCKER_POSTGRES_IMAGE)
      .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'shared_preload_libraries=pg_stat_statements'])
      .start();
  } catch (err) {
    throw new HarnessError(
      'JOBBENCH_CLI_ERR_DB_START',
      `--db docker: no Docker engine answered (${(err as Error).message.split('\n')[0]}); use DATABASE_URL or the embedded database instead`,
      { cause: err },
    );
  }
  return {
    url: container.getConnectionUri(),
    kind: 'docker',
    started: true,
    stop: async () => void (await container.stop()),
  };
}

/** True when a Docker engine answers; the docker tests skip with a reason otherwise. */
export async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
