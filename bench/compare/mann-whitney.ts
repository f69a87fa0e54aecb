/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test, computed as R's `wilcox.test(x, y)` does:
 * the exact distribution of U when both samples have fewer than 50 values and there are no ties,
 * otherwise the normal approximation with tie correction and continuity correction (R's default
 * `correct = TRUE`). `u` is R's W: the number of pairs (x_i, y_j) with x_i > y_j, ties counting ½.
 */

export interface RankTest {
  u: number;
  pValue: number; // two-sided
  method: 'exact' | 'normal';
}

const EXACT_MAX_N = 50; // R's limit for the exact distribution

/** Midranks (1-based) of the pooled values, and the sizes of the tie groups. */
function rank(values: readonly number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const midrank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = midrank;
    tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/**
 * counts[u] = number of arrangements of m x's and n y's with statistic u (out of C(m+n, m)), by the
 * recurrence f(m, n, u) = f(m−1, n, u−n) + f(m, n−1, u). Doubles hold C(98, 49) ≈ 2.5e28 with ~16
 * significant digits, plenty for a p-value.
 */
function exactCounts(m: number, n: number): number[] {
  // table[j][u] for the current i (x's placed), j = y's placed.
  let prev: number[][] = Array.from({ length: n + 1 }, () => [1]); // i = 0: only u = 0
  for (let i = 1; i <= m; i++) {
    const cur: number[][] = [];
    for (let j = 0; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // The largest value is an x (it beats all j y's): f(i−1, j, u − j).
      const fromX = prev[j]!;
      for (let u = j; u < size; u++) row[u]! += fromX[u - j] ?? 0;
      // The largest value is a y: f(i, j−1, u).
      if (j > 0) {
        const fromY = cur[j - 1]!;
        for (let u = 0; u < fromY.length; u++) row[u]! += fromY[u]!;
      }
      cur.push(row);
    }
    prev = cur;
  }
  return prev[n]!;
}

/** Standard normal upper tail P(Z > z). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Complementary error function; Numerical Recipes' erfcc (fractional error < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function mannWhitney(x: readonly number[], y: readonly number[]): RankTest {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitney: both samples need at least one value');
  const { ranks, tieSizes } = rank([...x, ...y]);
  const rankSumX = ranks.slice(0, m).reduce((a, b) => a + b, 0);
  const u = rankSumX - (m * (m + 1)) / 2;
  const hasTies = tieSizes.some((t) => t > 1);

  if (!hasTies && m < EXACT_MAX_N && n < EXACT_MAX_N) {
    const counts = exactCounts(m, n);
    const total = counts.reduce((a, b) => a + b, 0);
    const cdf = (q: number) => counts.slice(0, Math.floor(q) + 1).reduce((a, b) => a + b, 0) / total;
    // R: p = 2 · P(U ≥ u) above the centre, 2 · P(U ≤ u) below it, capped at 1.
    const p = u > (m * n) / 2 ? 1 - cdf(u - 1) : cdf(u);
    return { u, pValue: Math.min(1, 2 * p), method: 'exact' };
  }

  const N = m + n;
  const tieTerm = tieSizes.reduce((acc, t) => acc + (t ** 3 - t), 0) / (N * (N - 1));
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm));
  if (sigma === 0) return { u, pValue: 1, method: 'normal' }; // every value equal: no evidence of a shift
  const d = u - (m * n) / 2;
  const z = (d - Math.sign(d) * 0.5) / sigma;
  return { u, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))), method: 'normal' };
}
