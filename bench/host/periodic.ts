/**
 * Runs `sample` now and then every `intervalMs`, never two at once (a slow sample skips the next tick
 * rather than piling up), and swallows a failed sample: a missed sample is not worth failing a window for.
 * `stop()` waits for a sample in flight, then takes one last sample, so the window's end is always seen.
 */
export async function samplePeriodically(
  intervalMs: number,
  sample: () => Promise<void>,
): Promise<{ stop(): Promise<void> }> {
  let inFlight: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    inFlight ??= sample()
      .catch(() => {})
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
  await tick();
  const timer = setInterval(() => void tick(), intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await tick();
    },
  };
}
