/**
 * What the parts of a run cost in wall-clock seconds beyond their windows, for the time-left estimate of
 * the progress line and for `--dry-run` (one source for both). Measured on the 2-core development
 * machine, quiet: `npm run bench` (36 windows of 1 + 3 s, 12 server starts) took 5 min 42 s on
 * 2026-12-07, of which the windows' own seconds were 2 min 24 s; most of the rest was forking the
 * autocannon worker twice per window (~1.3 s each), which is now kept from window to window.
 */
export const RUN_COSTS = {
  /**
   * Around each window: its probes start and stop, the server's figures are read, written rows restored,
   * results.json rewritten: 0.1–0.2 s measured with the kept autocannon worker (2026-12-07; 2.7 s when it
   * was forked for the warm-up and again for the window). autocannon runs whole seconds: a 1.5-s setting
   * runs 2 s.
   */
  betweenWindowsS: 0.5,
  serverStartS: 3,
  httpCeilingS: 6, // per tool: 3-s windows until the bare server is the bottleneck (one or two)
  dbCeilingS: 4, // per (scenario, database clients): a 3-s run of its own statements (the driver loop warms up 1 s)
  embeddedDbS: 20, // initdb, start and seed of the embedded PostgreSQL
} as const;
