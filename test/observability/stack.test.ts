import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../dashboards/build.ts';
import {
  API_PORT,
  compose,
  GRAFANA_DASHBOARDS_DIR,
  grafanaDatasources,
  IMAGES,
  PROMETHEUS_FEATURE_FLAGS,
  PROMETHEUS_PORT,
  prometheusConfig,
} from '../../dashboards/src/stack.ts';
import { K6_ENV } from '../../scenarios/k6/config.ts';
import { SCENARIOS } from '../../scenarios/catalog.ts';
import { ADAPTER_NAMES } from '../../src/adapters/registry.ts';
import { readConfig } from '../../src/config.ts';

/**
 * Static checks of docker-compose.yml and the Dockerfile: there is no Docker engine here. The compose
 * file is generated from dashboards/src/stack.ts (dashboards.test.ts checks the committed text is
 * that output, yaml.test.ts that the emitter round-trips through a YAML parser), so these checks
 * read the typed object.
 */
type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: readonly string[];
  environment?: Record<string, string>;
  volumes?: readonly string[];
  ports?: readonly string[];
  depends_on?: readonly string[] | Record<string, { condition: string }>;
  profiles?: readonly string[];
  healthcheck?: { test: readonly string[] };
};
const services = compose.services as unknown as Record<string, Service>;

const yamlParser = await import(['yaml'][0]!).then(
  (m: { parse: (text: string) => unknown }) => m,
  () => null,
);

/** `${NAME:-default}` -> default, as docker compose interpolates with NAME unset. */
function withDefaults(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

/** The environment variable names src/config.ts reads, found by giving readConfig an env that records reads. */
function envNamesReadByConfig(): Set<string> {
  const read = new Set<string>();
  readConfig(
    new Proxy({}, { get: (_t, name) => (typeof name === 'string' && read.add(name), undefined) }) as NodeJS.ProcessEnv,
  );
  return read;
}

const containerPort = (mapping: string) => Number(mapping.split(':').at(-1));

describe('docker-compose.yml', () => {
  it.skipIf(!yamlParser)('parses, and holds exactly the stack object', () => {
    expect(yamlParser!.parse(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(compose)),
    );
  });

  it('has postgres, api, prometheus, grafana, and k6 under a profile', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'api', 'prometheus', 'grafana', 'k6']));
    expect(services.k6!.profiles).toEqual(['k6']);
    for (const [name, s] of Object.entries(services)) if (name !== 'k6') expect(s.profiles, name).toBeUndefined();
  });

  it('pins every image to a version', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) {
        expect(s.image, name).toMatch(/:local$/); // built here from the Dockerfile
        continue;
      }
      expect(s.image, name).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?$/);
    }
    expect(Object.values(IMAGES).every((i) => !i.endsWith(':latest'))).toBe(true);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const mounts = Object.entries(services).flatMap(([name, s]) =>
      (s.volumes ?? []).map((v) => [name, v.split(':')[0]!] as const),
    );
    expect(mounts.length).toBeGreaterThan(0);
    for (const [name, source] of mounts) {
      expect(source.startsWith('./'), `${name}: ${source} is not a bind mount of the repository`).toBe(true);
      expect(existsSync(join(REPO_ROOT, source)), `${name}: ${source}`).toBe(true);
    }
  });

  it('builds the API from the Dockerfile in the repository', () => {
    for (const name of ['api', 'seed']) {
      const build = services[name]!.build!;
      expect(existsSync(join(REPO_ROOT, build.context, build.dockerfile)), name).toBe(true);
    }
  });

  it('gives the API only environment variables that src/config.ts reads, with valid values', () => {
    const known = envNamesReadByConfig();
    expect(known.has('DATABASE_URL')).toBe(true);
    for (const name of ['api', 'seed']) {
      const env = services[name]!.environment!;
      for (const key of Object.keys(env))
        expect(known.has(key), `${name}: ${key} is not read by src/config.ts`).toBe(true);
    }
    const env = Object.fromEntries(Object.entries(services.api!.environment!).map(([k, v]) => [k, withDefaults(v)]));
    const config = readConfig(env);
    expect(ADAPTER_NAMES).toContain(config.adapter);
    expect(config.metrics).toBe(true);
    expect(config.port).toBe(API_PORT);
    expect(services.api!.ports!.map(containerPort)).toEqual([config.port]);
    expect(services.api!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${config.port}/ready`);
  });

  it('points the API at the postgres service with its credentials, once postgres is healthy', () => {
    const pg = services.postgres!;
    const url = new URL(services.api!.environment!.DATABASE_URL!);
    expect(url.hostname).toBe('postgres');
    expect(url.port).toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(pg.environment!.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.environment!.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.environment!.POSTGRES_DB}`);
    expect(services.seed!.environment!.DATABASE_URL).toBe(services.api!.environment!.DATABASE_URL);
    expect(services.api!.depends_on).toMatchObject({
      postgres: { condition: 'service_healthy' },
      seed: { condition: 'service_completed_successfully' },
    });
    expect(pg.healthcheck!.test.join(' ')).toContain('pg_isready');
  });

  it('raises max_connections for the capacity tests', () => {
    const cmd = services.postgres!.command!.join(' ');
    const max = Number(/max_connections=(\d+)/.exec(cmd)?.[1]);
    expect(max).toBeGreaterThanOrEqual(500);
  });

  it('depends only on services that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const d of deps) expect(Object.keys(services), `${name} -> ${d}`).toContain(d);
    }
  });

  it('runs Prometheus with the remote-write receiver and native histograms, scraping the API port', () => {
    expect(services.prometheus!.command).toEqual(expect.arrayContaining([...PROMETHEUS_FEATURE_FLAGS]));
    expect(services.prometheus!.ports!.map(containerPort)).toEqual([PROMETHEUS_PORT]);
    const mounted = services.prometheus!.volumes!.find((v) => v.includes('/etc/prometheus/prometheus.yml'))!;
    expect(mounted.split(':')[0]).toBe('./dashboards/prometheus.yml');
    expect(JSON.stringify(prometheusConfig([`api:${API_PORT}`]))).toContain(
      `"api:${services.api!.ports!.map(containerPort)[0]}"`,
    );
  });

  it('provisions Grafana: anonymous viewers, the datasource at the prometheus service, the dashboards folder', () => {
    const g = services.grafana!;
    expect(g.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' });
    expect(JSON.stringify(grafanaDatasources)).toContain(`"url":"http://prometheus:${PROMETHEUS_PORT}"`);
    const targets = Object.fromEntries(g.volumes!.map((v) => [v.split(':')[1]!, v.split(':')[0]!]));
    expect(targets['/etc/grafana/provisioning/datasources']).toBe('./dashboards/provisioning/datasources');
    expect(targets['/etc/grafana/provisioning/dashboards']).toBe('./dashboards/provisioning/dashboards');
    expect(targets[GRAFANA_DASHBOARDS_DIR]).toBe('./dashboards/grafana');
    const home = g.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(existsSync(join(REPO_ROOT, 'dashboards/grafana', home.slice(GRAFANA_DASHBOARDS_DIR.length)))).toBe(true);
  });

  it('runs the repository k6 script with variables it reads, writing to Prometheus', () => {
    const k6 = services.k6!;
    const script = k6.command!.at(-1)!;
    const mounts = k6.volumes!.map((v) => v.split(':'));
    const mount = mounts.find(([, target]) => script.startsWith(`${target}/`));
    expect(mount, 'the script is inside a mounted folder').toBeDefined();
    expect(existsSync(join(REPO_ROOT, mount![0]!, script.slice(mount![1]!.length)))).toBe(true);
    // The script imports ../../src/...: src must sit beside scenarios in the container.
    expect(mounts.map(([, target]) => target)).toEqual(
      expect.arrayContaining(['/jobbench/scenarios', '/jobbench/src']),
    );
    for (const key of Object.keys(k6.environment!)) {
      if (!key.startsWith('K6_'))
        expect(Object.keys(K6_ENV), `k6: ${key} is not read by scenarios/k6/config.ts`).toContain(key);
    }
    expect(Object.keys(SCENARIOS)).toContain(withDefaults(k6.environment!.SCENARIO!));
    expect(k6.environment!.BASE_URL).toBe(`http://api:${API_PORT}`);
    expect(k6.environment!.K6_PROMETHEUS_RW_SERVER_URL).toBe(`http://prometheus:${PROMETHEUS_PORT}/api/v1/write`);
    expect(k6.environment!.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM).toBe('true');
    expect(k6.command).toEqual(expect.arrayContaining(['--out', 'experimental-prometheus-rw']));
    expect(k6.command!.some((a) => a.startsWith('testid='))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('starts from the pinned Node image', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toEqual([`FROM ${IMAGES.node}`]);
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    expect(IMAGES.node).toMatch(new RegExp(`^node:${nodeMajor}\\.`));
  });

  it('copies paths that exist and that .dockerignore does not exclude', () => {
    const sources = instructions.filter((l) => l.startsWith('COPY ')).flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src']));
    for (const s of sources) {
      expect(existsSync(join(REPO_ROOT, s)), s).toBe(true);
      expect(
        ignored.some((pattern) => s === pattern || s.startsWith(`${pattern}/`)),
        `${s} is in .dockerignore`,
      ).toBe(false);
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git', '.jobbench', 'results']));
  });

  it('serves on all interfaces of the container, on the port compose maps', () => {
    const cmd = JSON.parse(instructions.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    expect(cmd.slice(0, 3)).toEqual(['node', 'bin/jobbench.js', 'serve']);
    expect(cmd.join(' ')).toContain('--host 0.0.0.0');
    expect(existsSync(join(REPO_ROOT, cmd[1]!))).toBe(true);
    expect(statSync(join(REPO_ROOT, 'cli/commands/serve.ts')).isFile()).toBe(true);
    expect(instructions).toContain(`EXPOSE ${API_PORT}`);
    expect(instructions.some((l) => /^RUN npm ci --omit=dev/.test(l))).toBe(true);
    expect(instructions).toContain('USER node');
  });
});
