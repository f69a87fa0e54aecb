import { describe, expect, it } from 'vitest';
import {
  authFileLine,
  parsePgBouncerVersion,
  pgbouncerIni,
  supportsPreparedStatements,
} from '../../bench/pgbouncer/config.ts';

const base = {
  listenPort: 6432,
  upstreamHost: '127.0.0.1',
  upstreamPort: 5432,
  user: 'postgres',
  authFile: '/tmp/x/userlist.txt',
  poolSize: 64,
  maxClientConn: 10_000,
  statementTimeoutMs: 5000,
};

describe('pgbouncerIni', () => {
  it('pools by transaction, forwards any database, and sets statement_timeout on server connections', () => {
    const ini = pgbouncerIni({ ...base, password: null });
    expect(ini).toContain('pool_mode = transaction');
    expect(ini).toContain("* = host=127.0.0.1 port=5432 connect_query='SET statement_timeout = 5000'");
    expect(ini).toContain('ignore_startup_parameters = extra_float_digits, statement_timeout, options');
    expect(ini).toMatch(/^default_pool_size = 64$/m);
    expect(ini).toMatch(/^max_client_conn = 10000$/m);
    expect(ini).toMatch(/^listen_addr = 127\.0\.0\.1$/m);
  });

  it.each([
    { password: null, authType: 'trust' },
    { password: 's3cret', authType: 'scram-sha-256' },
  ])('uses auth_type $authType when the upstream password is $password', ({ password, authType }) => {
    expect(pgbouncerIni({ ...base, password })).toMatch(new RegExp(`^auth_type = ${authType}$`, 'm'));
  });
});

describe('authFileLine', () => {
  it.each([
    { user: 'postgres', password: null, expected: '"postgres" ""\n' },
    { user: 'postgres', password: 'a"b', expected: '"postgres" "a""b"\n' },
  ])('$user / $password', ({ user, password, expected }) => {
    expect(authFileLine(user, password)).toBe(expected);
  });
});

describe('PgBouncer versions and prepared statements', () => {
  it.each([
    { text: 'PgBouncer 1.18.0\nlibevent 2.1.12-stable', version: [1, 18, 0], prepared: false },
    { text: 'PgBouncer 1.21.0', version: [1, 21, 0], prepared: true },
    { text: 'PgBouncer 1.24', version: [1, 24, 0], prepared: true },
    { text: 'PgBouncer 2.0.1', version: [2, 0, 1], prepared: true },
    { text: 'something else', version: null, prepared: false },
  ])('$text', ({ text, version, prepared }) => {
    const parsed = parsePgBouncerVersion(text);
    expect(parsed).toEqual(version);
    expect(supportsPreparedStatements(parsed)).toBe(prepared);
  });
});
