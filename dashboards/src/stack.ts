import { DEFAULTS } from '../../src/config.ts';
import { METRICS_PATH } from '../../src/metrics/names.ts';
import { DATASOURCE } from './grafana.ts';
import type { YamlValue } from './yaml.ts';

/**
 * The docker-compose stack and the Prometheus and Grafana configuration, as data. build.ts writes
 * them as YAML; test/observability/stack.test.ts checks them against the repository (mounted files
 * exist, env names are the ones src/config.ts reads, ports agree).
 */

/** Every image pinned to a version: a stack that changes under you cannot be compared run to run. */
export const IMAGES = {
  node: 'node:20.20.2-bookworm-slim', // the Dockerfile's FROM; the test checks they agree
  postgres: 'postgres:17.5',
  prometheus: 'prom/prometheus:v2.55.1', // last 2.x: same flags as the 2.42 the tests run
  grafana: 'grafana/grafana:11.6.0',
  k6: 'grafana/k6:1.8.1', // the version scripts/setup-k6.sh builds
} as const;

export const API_PORT = DEFAULTS.port;
export const PROMETHEUS_PORT = 9090;
export const GRAFANA_HOST_PORT = 3001; // 3000 is the API's
export const SCRAPE_INTERVAL = '1s';
export const GRAFANA_DASHBOARDS_DIR = '/var/lib/grafana/dashboards/jobbench';
const K6_WORKDIR = '/jobbench';

/** Flags the stack's Prometheus needs: k6 pushes by remote write, with native histograms. */
export const PROMETHEUS_FEATURE_FLAGS = [
  '--web.enable-remote-write-receiver',
  '--enable-feature=native-histograms',
] as const;

const DB = { user: 'jobbench', password: 'jobbench', name: 'jobbench' }; // local throwaway stack only
export const COMPOSE_DATABASE_URL = `postgresql://${DB.user}:${DB.password}@postgres:5432/${DB.name}`;

/** Scrapes the API every second: the dashboards' rate windows are 4 scrapes ($__rate_interval). */
export function prometheusConfig(apiTargets: string[]): YamlValue {
  return {
    global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_INTERVAL },
    scrape_configs: [
      {
        job_name: 'jobbench-api',
        metrics_path: METRICS_PATH,
        static_configs: [{ targets: apiTargets }],
      },
    ],
  };
}

export const grafanaDatasources: YamlValue = {
  apiVersion: 1,
  datasources: [
    {
      name: 'Prometheus',
      uid: DATASOURCE.uid, // pinned: every dashboard panel refers to it by this uid
      type: DATASOURCE.type,
      access: 'proxy',
      url: `http://prometheus:${PROMETHEUS_PORT}`,
      isDefault: true,
      editable: false,
      jsonData: { timeInterval: SCRAPE_INTERVAL, httpMethod: 'POST', prometheusType: 'Prometheus' },
    },
  ],
};

export const grafanaDashboardProvider: YamlValue = {
  apiVersion: 1,
  providers: [
    {
      name: 'jobbench',
      orgId: 1,
      folder: 'jobbench',
      type: 'file',
      disableDeletion: true,
      allowUiUpdates: false, // the JSON in git is the source; edit dashboards/src and rebuild
      updateIntervalSeconds: 30,
      options: { path: GRAFANA_DASHBOARDS_DIR, foldersFromFilesStructure: false },
    },
  ],
};

const apiEnvironment = {
  DATABASE_URL: COMPOSE_DATABASE_URL,
  JOBBENCH_ADAPTER: `\${JOBBENCH_ADAPTER:-${DEFAULTS.adapter}}`,
  JOBBENCH_POOL_MAX: `\${JOBBENCH_POOL_MAX:-${DEFAULTS.poolMax}}`,
  JOBBENCH_METRICS: 'on',
  JOBBENCH_LOG_LEVEL: DEFAULTS.logLevel,
  PORT: String(API_PORT),
};

export const compose = {
  name: 'jobbench',
  services: {
    postgres: {
      image: IMAGES.postgres,
      // max_connections raised for the capacity and pool-sweep tests; pg_stat_statements preloaded
      // so that queries per request can be measured (CREATE EXTENSION pg_stat_statements to use it).
      command: [
        'postgres',
        '-c',
        'max_connections=1000',
        '-c',
        'shared_buffers=256MB',
        '-c',
        'shared_preload_libraries=pg_stat_statements',
      ],
      shm_size: '256mb', // parallel queries use /dev/shm; Docker's default is 64 MB
      environment: { POSTGRES_USER: DB.user, POSTGRES_PASSWORD: DB.password, POSTGRES_DB: DB.name },
      healthcheck: {
        test: ['CMD-SHELL', `pg_isready -U ${DB.user} -d ${DB.name}`],
        interval: '2s',
        timeout: '3s',
        retries: 30,
      },
      ports: ['127.0.0.1:55432:5432'], // not 5432: a local PostgreSQL often holds it
    },
    seed: {
      image: 'jobbench-api:local',
      build: { context: '.', dockerfile: 'Dockerfile' },
      command: ['node', 'bin/jobbench.js', 'db', 'up', '--db', 'external', '--jobs', '${JOBBENCH_JOBS:-100000}'],
      environment: { DATABASE_URL: COMPOSE_DATABASE_URL },
      depends_on: { postgres: { condition: 'service_healthy' } },
      restart: 'no',
    },
    api: {
      image: 'jobbench-api:local',
      build: { context: '.', dockerfile: 'Dockerfile' },
      environment: apiEnvironment,
      depends_on: { postgres: { condition: 'service_healthy' }, seed: { condition: 'service_completed_successfully' } },
      ports: [`127.0.0.1:${API_PORT}:${API_PORT}`],
      healthcheck: {
        test: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${API_PORT}/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: '5s',
        timeout: '3s',
        retries: 12,
      },
    },
    prometheus: {
      image: IMAGES.prometheus,
      command: [
        '--config.file=/etc/prometheus/prometheus.yml',
        '--storage.tsdb.path=/prometheus',
        '--storage.tsdb.retention.time=2d',
        ...PROMETHEUS_FEATURE_FLAGS,
      ],
      volumes: ['./dashboards/prometheus.yml:/etc/prometheus/prometheus.yml:ro'],
      ports: [`127.0.0.1:${PROMETHEUS_PORT}:${PROMETHEUS_PORT}`],
    },
    grafana: {
      image: IMAGES.grafana,
      environment: {
        GF_AUTH_ANONYMOUS_ENABLED: 'true',
        GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer', // read-only without logging in; admin/admin to edit
        GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: `${GRAFANA_DASHBOARDS_DIR}/api.json`,
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
        GF_NEWS_NEWS_FEED_ENABLED: 'false',
      },
      volumes: [
        './dashboards/provisioning/datasources:/etc/grafana/provisioning/datasources:ro',
        './dashboards/provisioning/dashboards:/etc/grafana/provisioning/dashboards:ro',
        `./dashboards/grafana:${GRAFANA_DASHBOARDS_DIR}:ro`,
      ],
      depends_on: ['prometheus'],
      ports: [`127.0.0.1:${GRAFANA_HOST_PORT}:3000`],
    },
    k6: {
      image: IMAGES.k6,
      profiles: ['k6'], // `docker compose --profile k6 up`: only when you want load
      // The script imports scenarios/catalog.ts and src/db/*: both trees, at the same relative places.
      command: [
        'run',
        '--out',
        'experimental-prometheus-rw',
        '--tag',
        'testid=${K6_TESTID:-compose}',
        `${K6_WORKDIR}/scenarios/k6/jobbench.ts`,
      ],
      environment: {
        // Read by scenarios/k6/config.ts (k6 passes the container's environment to __ENV).
        BASE_URL: `http://api:${API_PORT}`,
        SCENARIO: '${K6_SCENARIO:-mixed}',
        RATE: '${K6_RATE:-200}', // open model: requests per second
        DURATION: '${K6_DURATION:-10m}',
        JOB_COUNT: '${JOBBENCH_JOBS:-100000}', // ids 1..N exist: the seed service loaded N jobs
        // k6's own options for its Prometheus remote-write output.
        K6_PROMETHEUS_RW_SERVER_URL: `http://prometheus:${PROMETHEUS_PORT}/api/v1/write`,
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
        K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
      },
      volumes: [`./scenarios:${K6_WORKDIR}/scenarios:ro`, `./src:${K6_WORKDIR}/src:ro`],
      depends_on: { api: { condition: 'service_healthy' }, prometheus: { condition: 'service_started' } },
    },
  },
} satisfies YamlValue;
