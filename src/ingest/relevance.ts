/**
 * Relevance score (cor_score): mutual information between a column and the target, normalised by
 * the target's entropy and damped for high-cardinality columns (spec §2.3, GUI manual).
 */

/**
 * I(X;Y) / H(Y) from a sparse contingency table. `xCodes[k]`, `yCodes[k]` identify cell k and
 * `counts[k]` is its count (all three the same length). Returns 0 when H(Y) = 0. In [0, 1].
 */
export function normalizedMutualInformation(xCodes: ArrayLike<number>, yCodes: ArrayLike<number>, counts: ArrayLike<number>): number {
  const nCells = counts.length;
  const xTotals = new Map<number, number>();
  const yTotals = new Map<number, number>();
  let total = 0;
  for (let k = 0; k < nCells; k++) {
    const c = counts[k]!;
    total += c;
    xTotals.set(xCodes[k]!, (xTotals.get(xCodes[k]!) ?? 0) + c);
    yTotals.set(yCodes[k]!, (yTotals.get(yCodes[k]!) ?? 0) + c);
  }
  if (total === 0) return 0;
  let hY = 0;
  for (const c of yTotals.values()) {
    const p = c / total;
    hY -= p * Math.log(p);
  }
  if (hY <= 0) return 0;
  let mi = 0;
  for (let k = 0; k < nCells; k++) {
    const c = counts[k]!;
    if (c === 0) continue;
    const pxy = c / total;
    mi += pxy * Math.log((c * total) / (xTotals.get(xCodes[k]!)! * yTotals.get(yCodes[k]!)!));
  }
  return Math.min(1, Math.max(0, mi / hY));
}

/**
 * Damping for categorical columns: an ID-like column explains any target perfectly in sample and
 * nothing out of sample, so scale by (1 − unique/non-missing). Binned numeric columns are not damped.
 */
export function uniqueRatioDamping(uniqueCount: number, nonMissingCount: number): number {
  if (nonMissingCount <= 0) return 0;
  return Math.max(0, 1 - uniqueCount / nonMissingCount);
}
