/**
 * What every k6 sample carries. Plain code with no k6 imports: the harness (bench/runners/k6-*.ts)
 * reads the same tags from k6's per-request output.
 */
import type { GeneratedRequest } from '../catalog.ts';

/**
 * The only system tags k6 attaches. The default set includes `url`, one distinct value per job id:
 * unbounded cardinality in Prometheus and bytes on every line of the per-request output.
 */
export const SYSTEM_TAGS = ['status', 'method', 'name', 'error_code', 'expected_response', 'scenario'] as const;

/**
 * Printed to k6's log (stderr) when the measured window starts (end of setup) and ends (teardown): the
 * harness reads k6's CPU time and the wall clock at these two points, which leaves out k6's start-up
 * (compiling the script, creating VUs) and its summary.
 */
export const WINDOW_MARKERS = { start: 'jobbench:window-start', end: 'jobbench:window-end' } as const;

/**
 * A low-cardinality request name ("GET /jobs/:id"), set as the k6 `name` tag: the raw URL would give
 * one time series per job id in Prometheus.
 */
export function routeName(req: GeneratedRequest): string {
  const path = req.path.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:id');
  return `${req.method} ${path}`;
}
