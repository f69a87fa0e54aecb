import { HarnessError } from '../shared/harness-errors.ts';
import { ADAPTER_NAMES, isAdapterName, type AdapterName } from './adapters/registry.ts';

/** Defaults in one place, units in names or comments. */
export const DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  adapter: 'pg-pool' as AdapterName,
  poolMax: 10,
  connectTimeoutMs: 2_000, // 2 s: acquire timeout; past it a request gets 503
  idleTimeoutMs: 30_000, // 30 s
  statementTimeoutMs: 5_000, // 5 s
  bodyLimitBytes: 64 * 1024, // 64 KiB: a job is a few KiB at most
  metrics: true,
  logLevel: 'warn',
  prepare: true, // named prepared statements (postgres.js); off behind PgBouncer in transaction mode
  pipeline: true, // pipelining onto busy connections (postgres.js); off behind PgBouncer in transaction mode
  migrate: true, // migrate at start-up; off behind PgBouncer (its session advisory lock needs a session)
  injectCpuUs: 0, // fault injection (gate calibration): µs of busy-wait per request; 0 = no hook at all
  injectQueries: 0, // fault injection: extra `SELECT 1` per request that touches the database
  injectWork: 0, // fault injection: iterations of a fixed integer loop per request (same instructions every time)
  counting: false, // instruction counting (bench/instructions): no timer-driven work (event-loop monitor, default metrics)
  shed: false, // load shedding (@fastify/under-pressure): off, so that a benchmark sees the whole queue
  shedMaxDelayMs: 200, // 200 ms: event-loop delay past which requests are turned away with 503 when shed is on
  profiler: false, // POST /internal/profile/{start,stop} (V8 CPU profiles for jobbench run --cpu-profile)
} as const;

export interface Config {
  databaseUrl: string | undefined; // external PostgreSQL; undefined means embedded
  host: string;
  port: number;
  adapter: AdapterName;
  poolMax: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  statementTimeoutMs: number;
  bodyLimitBytes: number;
  metrics: boolean;
  logLevel: string;
  prepare: boolean;
  pipeline: boolean;
  migrate: boolean;
  injectCpuUs: number;
  injectQueries: number;
  injectWork: number;
  counting: boolean;
  shed: boolean;
  shedMaxDelayMs: number;
  profiler: boolean;
}

/** An invalid setting (JOBBENCH_CLI_ERR_CONFIG): the CLI prints it and exits 2. */
export class ConfigError extends HarnessError {
  constructor(message: string) {
    super('JOBBENCH_CLI_ERR_CONFIG', message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function int(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${raw}"`);
}

/**
 * The one place that reads the environment: validate, apply defaults, freeze.
 * `overrides` are CLI flags (strings as typed), which win over the environment.
 */
export function readConfig(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<keyof Config, string>> = {},
): Readonly<Config> {
  const pick = (key: keyof Config, envName: string): string | undefined => overrides[key] ?? env[envName];
  const adapter = pick('adapter', 'JOBBENCH_ADAPTER');
  if (adapter !== undefined && adapter !== '' && !isAdapterName(adapter)) {
    throw new ConfigError(`unknown adapter "${adapter}"; valid adapters: ${ADAPTER_NAMES.join(', ')}`);
  }
  const logLevel = pick('logLevel', 'JOBBENCH_LOG_LEVEL');
  if (logLevel !== undefined && logLevel !== '' && !LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const databaseUrl = pick('databaseUrl', 'DATABASE_URL');
  if (databaseUrl !== undefined && databaseUrl !== '' && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const config: Config = {
    databaseUrl: databaseUrl || undefined,
    host: pick('host', 'HOST') || DEFAULTS.host,
    port: int('port', pick('port', 'PORT'), 0, 65535) ?? DEFAULTS.port,
    adapter: (adapter || DEFAULTS.adapter) as AdapterName,
    poolMax: int('pool max', pick('poolMax', 'JOBBENCH_POOL_MAX'), 1, 10_000) ?? DEFAULTS.poolMax,
    connectTimeoutMs:
      int('connect timeout (ms)', pick('connectTimeoutMs', 'JOBBENCH_CONNECT_TIMEOUT_MS'), 1, 600_000) ??
      DEFAULTS.connectTimeoutMs,
    idleTimeoutMs:
      int('idle timeout (ms)', pick('idleTimeoutMs', 'JOBBENCH_IDLE_TIMEOUT_MS'), 1, 3_600_000) ??
      DEFAULTS.idleTimeoutMs,
    statementTimeoutMs:
      int('statement timeout (ms)', pick('statementTimeoutMs', 'JOBBENCH_STATEMENT_TIMEOUT_MS'), 1, 3_600_000) ??
      DEFAULTS.statementTimeoutMs,
    bodyLimitBytes:
      int('body limit (bytes)', pick('bodyLimitBytes', 'JOBBENCH_BODY_LIMIT_BYTES'), 1024, 10 * 1024 * 1024) ??
      DEFAULTS.bodyLimitBytes,
    metrics: bool('metrics', pick('metrics', 'JOBBENCH_METRICS')) ?? DEFAULTS.metrics,
    logLevel: logLevel || DEFAULTS.logLevel,
    prepare: bool('prepare', pick('prepare', 'JOBBENCH_PREPARE')) ?? DEFAULTS.prepare,
    pipeline: bool('pipeline', pick('pipeline', 'JOBBENCH_PIPELINE')) ?? DEFAULTS.pipeline,
    migrate: bool('migrate', pick('migrate', 'JOBBENCH_MIGRATE')) ?? DEFAULTS.migrate,
    injectCpuUs:
      int('JOBBENCH_INJECT_CPU_US', pick('injectCpuUs', 'JOBBENCH_INJECT_CPU_US'), 0, 1_000_000) ??
      DEFAULTS.injectCpuUs,
    injectQueries:
      int('JOBBENCH_INJECT_QUERIES', pick('injectQueries', 'JOBBENCH_INJECT_QUERIES'), 0, 100) ??
      DEFAULTS.injectQueries,
    injectWork:
      int('JOBBENCH_INJECT_WORK', pick('injectWork', 'JOBBENCH_INJECT_WORK'), 0, 1_000_000_000) ?? DEFAULTS.injectWork,
    counting: bool('JOBBENCH_COUNTING', pick('counting', 'JOBBENCH_COUNTING')) ?? DEFAULTS.counting,
    shed: bool('shed', pick('shed', 'JOBBENCH_SHED')) ?? DEFAULTS.shed,
    shedMaxDelayMs:
      int('shed max delay (ms)', pick('shedMaxDelayMs', 'JOBBENCH_SHED_MAX_DELAY_MS'), 1, 60_000) ??
      DEFAULTS.shedMaxDelayMs,
    profiler: bool('profiler', pick('profiler', 'JOBBENCH_PROFILER')) ?? DEFAULTS.profiler,
  };
  return Object.freeze(config);
}

/** Replaces the password in a connection URL, for logs, output and results. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
