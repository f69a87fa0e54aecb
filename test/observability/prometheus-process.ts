import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/host/free-port.ts';
import { PROMETHEUS_FEATURE_FLAGS, prometheusConfig } from '../../dashboards/src/stack.ts';
import { toYaml } from '../../dashboards/src/yaml.ts';

/** The `prometheus` binary on PATH (Debian package prometheus), or null. */
export const PROMETHEUS_BIN = (() => {
  const r = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'prometheus' : null;
})();

export interface PrometheusProcess {
  url: string;
  /** GET /api/v1/<path> with query parameters; throws unless status is "success". */
  api<T = unknown>(path: string, params: Record<string, string | string[]>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on a free port with a temporary data directory, scraping `targets` every
 * second with the configuration the stack ships (dashboards/src/stack.ts) and the same flags.
 */
export async function startPrometheus(targets: string[]): Promise<PrometheusProcess> {
  if (!PROMETHEUS_BIN) throw new Error('prometheus is not installed (Debian package prometheus)');
  const dir = mkdtempSync(join(tmpdir(), 'jobbench-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, toYaml(prometheusConfig(targets)));
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...PROMETHEUS_FEATURE_FLAGS,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })());

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited with ${child.exitCode}: ${log.trim().split('\n').slice(-5).join('\n')}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 30 s: ${log.trim().split('\n').slice(-5).join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    stop,
    async api<T>(path: string, params: Record<string, string | string[]>): Promise<T> {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const item of [v].flat()) body.append(k, item);
      const res = await fetch(`${url}/api/v1/${path}?${body}`);
      const json = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
      if (json.status !== 'success')
        throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${json.errorType}: ${json.error}`);
      return json.data;
    },
  };
}
