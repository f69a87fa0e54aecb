import { describe, expect, it } from 'vitest';
import { freePort } from '../../bench/host/free-port.ts';
import { runCli, withPassword } from './support.ts';

// Nothing listens on the port: every command that needs the database must say so on one line and exit 2.
const COMMANDS = [
  ['run', ['run', '--adapters', 'pg-pool', '--scenarios', 'get-job', '--rounds', '1', '--duration', '1', '-q']],
  ['serve', ['serve', '--adapter', 'pg-pool', '--port', '0']],
  ['db up', ['db', 'up', '--jobs', '10']],
] as const;

describe('a database that does not answer', () => {
  it.each(COMMANDS)('jobbench %s exits 2 with one line naming the redacted URL and the cause', async (name, args) => {
    const port = await freePort();
    const { url, password } = withPassword(`postgresql://postgres@127.0.0.1:${port}/nowhere`);
    const res = await runCli([...args], { env: { DATABASE_URL: url } });
    expect(res.code, res.stderr).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe(
      `jobbench ${name}: JOBBENCH_CLI_ERR_DB_UNREACHABLE: cannot reach the database at postgresql://postgres:***@127.0.0.1:${port}/nowhere: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(res.stderr).not.toMatch(/^\s+at /m); // no stack trace
    expect(res.stdout + res.stderr).not.toContain(password);
  });
});
