/**
 * Deciding more than once. A caller that decides, adds rounds while the answer is `unknown`, and decides
 * again tests repeatedly on growing data. At a nominal 5% per look, the chance of at least one false
 * "different" when nothing changed grows with the looks: 8.3% with 2, 10.7% with 3, 14.2% with 5, 19.3%
 * with 10 (Armitage, McPherson & Rowe, "Repeated significance tests on accumulating data", J. R. Statist.
 * Soc. A 132(2), 1969; equally spaced looks, reproduced by simulation with 400,000 sequences each).
 *
 * The rule here: the caller fixes a cap of looks K before the first one, and each look tests at
 * alpha/K and builds its interval at 1 − alpha/K (Bonferroni). By the union bound the chance of any
 * false "different" over the K looks stays ≤ alpha, whatever the spacing of the looks, and ours are
 * unequal and data-driven (the next look comes after `pairsNeeded`, estimated from the observed sd).
 * Pocock's and O'Brien–Fleming's boundaries need the looks planned in advance (or, for Lan–DeMets
 * spending, the final number of pairs known), which a "stop as soon as it resolves" loop cannot promise.
 * The price is a little power: with K = 3 each look tests at 0.0167 where Pocock's constant for three
 * equally spaced looks is 0.0221 (Pocock, Biometrika 64(2), 1977). The same 1 − alpha/K interval decides
 * `same`, so stopping early for equivalence is no more eager than stopping for a difference.
 *
 * A gate that exhausts its looks without a decision says `unknown`: it never quietly takes the last
 * look's leaning as the verdict.
 */

/** The per-look significance level when at most `maxLooks` decisions are taken on growing data. */
export function alphaPerLook(alpha: number, maxLooks: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alphaPerLook: alpha must lie in (0, 1), got ${alpha}`);
  if (!Number.isInteger(maxLooks) || maxLooks < 1)
    throw new RangeError(`alphaPerLook: maxLooks must be a whole number ≥ 1, got ${maxLooks}`);
  return alpha / maxLooks;
}
