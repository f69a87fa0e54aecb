/** The metrics module: what src/app.ts and src/server.ts import. */
export { createMetrics, type Metrics, type MetricsOptions } from './create-metrics.ts';
export { registerMetrics } from './register-metrics.ts';
export { instrumentRepository, errorClass } from './instrument-repository.ts';
export * from './names.ts';
