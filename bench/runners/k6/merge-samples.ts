/**
 * Merges the per-request CSV files of several k6 processes (e.g. the runner pods of a k6-operator
 * TestRun, gathered with kubectl cp) into one set of counts and one µs histogram: the same numbers the
 * local k6 runner computes. Usage:
 *
 *   npx tsx bench/runners/k6/merge-samples.ts samples-0.csv samples-1.csv ...
 *
 * prints JSON on stdout: requests, statusCodes, errors, timeouts, non2xx, bytes, iterations,
 * droppedIterations, latencyUs { p50 … max }, histogram (encoded; mergeable with results files).
 */
import { fileURLToPath } from 'node:url';
import type { LatencyUs } from '../../results/types.ts';
import { encodeHistogram, percentilesUs } from '../../stats/histogram.ts';
import { readK6Csv, type K6SampleCounts } from './csv.ts';
import { mergeCounts } from './merge.ts';

export interface MergedSamples extends Omit<K6SampleCounts, 'histogram' | 'admittedHistogram'> {
  files: number;
  latencyUs: LatencyUs;
  histogram: string;
  admittedHistogram: string; // every status but 503 (runners/types.ts isAdmittedStatus)
}

export async function mergeSampleFiles(paths: readonly string[]): Promise<MergedSamples> {
  const parts: K6SampleCounts[] = [];
  for (const path of paths) parts.push(await readK6Csv(path)); // one at a time: each may be large
  const { histogram, admittedHistogram, ...counts } = mergeCounts(parts);
  return {
    files: paths.length,
    ...counts,
    latencyUs: percentilesUs(histogram),
    histogram: encodeHistogram(histogram),
    admittedHistogram: encodeHistogram(admittedHistogram),
  };
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help')) {
    process.stderr.write(
      'Usage: npx tsx bench/runners/k6/merge-samples.ts FILE.csv [FILE.csv ...]\n(k6 --out csv=FILE files; prints merged counts and µs percentiles as JSON)\n',
    );
    return argv.length === 0 ? 2 : 0;
  }
  try {
    process.stdout.write(JSON.stringify(await mergeSampleFiles(argv), null, 2) + '\n');
    return 0;
  } catch (err) {
    process.stderr.write(`k6-merge-samples: ${(err as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = await main(process.argv.slice(2));
