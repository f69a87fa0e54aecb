/**
 * Progress on stderr: one rewritten line on a terminal, plain lines elsewhere (CI logs).
 * Results never go here; they go to stdout and files.
 */
export interface Progress {
  update(line: string): void; // transient status
  log(line: string): void; // a line that stays
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  const tty = stream.isTTY === true;
  let shown = false;
  return {
    update(line) {
      if (quiet) return;
      if (tty) {
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
        shown = true;
      } else {
        stream.write(line + '\n');
      }
    },
    log(line) {
      if (quiet) return;
      if (tty && shown) stream.write('\r\x1b[2K');
      shown = false;
      stream.write(line + '\n');
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/** "2 min 05 s" / "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

/** "4 min 10 s", or "4 min 10 s to 9 min 00 s" when the most is more than the least. */
export function formatDurationRange(least: number, most = least): string {
  return Math.round(most) > Math.round(least)
    ? `${formatDuration(least)} to ${formatDuration(most)}`
    : formatDuration(least);
}

/**
 * A long measured window (a soak) would otherwise print nothing for minutes: every `everyS` seconds,
 * `line(secondsDone)` as a status update. Returns the stop function (call it when the window ends).
 */
export function windowTicker(progress: Progress, line: (doneS: number) => string, everyS = 30): () => void {
  const started = Date.now();
  const timer = setInterval(() => progress.update(line((Date.now() - started) / 1000)), everyS * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
