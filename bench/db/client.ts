import pg from 'pg';

/**
 * Opens one connection to `url`, runs `use` on it and closes it, whatever happens: the harness's short
 * questions to a database (its version, free connections, who holds the run lock, …). A backend that dies
 * after connect (a restart, a terminated session) emits 'error' on the client: listened to here, so it
 * rejects the query in flight instead of crashing the process. Connect and query errors reach the caller.
 */
export async function withClient<T>(
  url: string,
  options: { applicationName: string; connectTimeoutMs?: number },
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    application_name: options.applicationName,
    ...(options.connectTimeoutMs !== undefined && { connectionTimeoutMillis: options.connectTimeoutMs }),
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
