/**
 * The per-leaf kernel of the fast TreeSHAP: exact Shapley contributions of one leaf, given which of
 * the leaf's path features the row agrees with.
 *
 * Derivation. Path-dependent TreeSHAP explains v(S) = Σ_leaves v_l(S), where for a leaf of value c
 * whose root→leaf path tests the d distinct features U (in order of first appearance: position p):
 *
 *   v_l(S) = c · Π_{p ∈ U} ( p ∈ S ? o_p : z_p )
 *
 * - z_p, the "zero fraction": product of cover(child on the path) / cover(node) over the path's
 *   splits on feature p (the share of training data that went this way) — depends on the tree only;
 * - o_p ∈ {0, 1}, the "one fraction": 1 iff the row itself follows every split on p along the path.
 *   Call p hot when o_p = 1 and cold otherwise; H is the set of hot positions, h = |H|.
 *
 * Shapley values are additive over leaves, and features outside U are null players of v_l, so each
 * leaf is a d-player game. With W_d(s) = s!(d − s − 1)!/d! and e_k(·) the elementary symmetric
 * polynomials, and Z = c · Π_{p ∉ H} z_p:
 *
 *   cold p:  φ_p = −Z · Σ_{k=0..h}   W_d(h − k)     · e_k(z_H)          (the same for every cold p)
 *   hot  p:  φ_p =  Z · (1 − z_p) · Σ_{k=0..h−1} W_d(h − 1 − k) · e_k(z_{H∖p})
 *
 * (v(S ∪ p) − v(S) vanishes unless S ⊆ H, and summing Π_{H∖S} z over the S ⊆ H of one size is an
 * e_k.) e(z_{H∖p}) comes from e(z_H) by dividing out (1 + z_p·x), forward: e'_k = e_k − z_p·e'_{k−1};
 * every step multiplies the carried error by z_p ≤ 1, so it does not grow. Cost O(d + h²) per leaf,
 * against O(d²) per leaf plus O(depth) per node for the recursive algorithm, and with no division,
 * so zero-cover paths (z_p = 0) need no special case.
 *
 * The positions' features and zero fractions depend on the tree only and H on the row only; this is
 * what lets `shap-plan.ts` tabulate the kernel over every H for shallow leaves.
 */

/** Largest number of distinct features on one leaf's path that the kernel (and a 32-bit H) handles. */
export const MAX_LEAF_FEATURES = 30;

const WEIGHT_STRIDE = MAX_LEAF_FEATURES + 1;

/**
 * SHAPLEY_WEIGHTS[d · 31 + s] = W_d(s) = s!(d − s − 1)!/d! = 1 / (d · C(d − 1, s)) for 0 ≤ s < d ≤ 30.
 * The binomials are integers below 2^53, so each weight is one correctly rounded division.
 */
const SHAPLEY_WEIGHTS: Float64Array = (() => {
  const w = new Float64Array(WEIGHT_STRIDE * WEIGHT_STRIDE);
  const binom = new Float64Array(WEIGHT_STRIDE); // row n − 1 of Pascal's triangle, updated in place
  binom[0] = 1;
  for (let d = 1; d <= MAX_LEAF_FEATURES; d++) {
    // binom holds C(d − 1, ·) here.
    for (let s = 0; s < d; s++) w[d * WEIGHT_STRIDE + s] = 1 / (d * binom[s]!);
    for (let s = d; s >= 1; s--) binom[s] = binom[s]! + binom[s - 1]!;
  }
  return w;
})();

/**
 * Writes the leaf's contribution to each of its d path positions: out[outOffset + p] = φ_p.
 * Kernel: no checks; 1 ≤ d ≤ MAX_LEAF_FEATURES.
 *
 * @param d           number of distinct features on the path
 * @param zero        IN  zero fraction of position p at zero[zeroOffset + p]
 * @param hot         bit p set iff the row follows every split on position p's feature (bits ≥ d ignored)
 * @param value       leaf value c
 * @param out         OUT d contributions, overwritten
 * @param poly        scratch, length ≥ d + 1 (holds e_0..e_h)
 */
export function leafShapley(
  d: number,
  zero: Float64Array,
  zeroOffset: number,
  hot: number,
  value: number,
  out: Float64Array,
  outOffset: number,
  poly: Float64Array,
): void {
  // Positions are visited by scanning set bits rather than testing each bit: which positions are
  // hot changes from leaf to leaf, so a per-position branch is mispredicted about half the time,
  // and that, not arithmetic, dominated the kernel's cost.
  const weights = SHAPLEY_WEIGHTS;
  const wBase = d * WEIGHT_STRIDE;
  const all = (1 << d) - 1; // d ≤ 30
  const hotBits = hot & all;
  let scale = value; // becomes Z = c · Π_cold z
  for (let bits = ~hot & all; bits !== 0; bits &= bits - 1) scale *= zero[zeroOffset + 31 - Math.clz32(bits & -bits)]!;
  let h = 0;
  poly[0] = 1;
  for (let bits = hotBits; bits !== 0; bits &= bits - 1) {
    const z = zero[zeroOffset + 31 - Math.clz32(bits & -bits)]!;
    h++;
    poly[h] = 0;
    for (let k = h; k >= 1; k--) poly[k] = poly[k]! + z * poly[k - 1]!;
  }
  if (h < d) {
    let sum = 0;
    for (let k = 0; k <= h; k++) sum += weights[wBase + h - k]! * poly[k]!;
    const coldValue = -scale * sum;
    for (let p = 0; p < d; p++) out[outOffset + p] = coldValue; // hot positions are overwritten below
  }
  for (let bits = hotBits; bits !== 0; bits &= bits - 1) {
    const p = 31 - Math.clz32(bits & -bits);
    const z = zero[zeroOffset + p]!;
    let reduced = 1; // e'_0
    let sum = weights[wBase + h - 1]!;
    for (let k = 1; k < h; k++) {
      reduced = poly[k]! - z * reduced;
      sum += weights[wBase + h - 1 - k]! * reduced;
    }
    out[outOffset + p] = scale * (1 - z) * sum;
  }
}
