/**
 * The recursive TreeSHAP algorithm: the reference twin of the fast planned kernels (shap-plan.ts,
 * row-shap.ts) and the fallback for trees they do not cover (tree-shap.ts dispatches).
 *
 * It is exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent
 * Individualized Feature Attribution for Tree Ensembles", Algorithm 2) over the flat Tree.
 *
 * The path-dependent value of a feature subset S is the tree's output when features in S follow
 * the row and every other split is averaged over both children weighted by cover (the training
 * weight that reached each child). The algorithm gets the exact Shapley values of that game in
 * O(leaves · depth²) per tree instead of O(2^features): walking root → leaf it keeps, for the
 * distinct features met so far, the fraction of "zero" paths (feature absent: cover ratio) and
 * "one" paths (feature present: 1 on the row's branch, 0 on the other), plus the permutation
 * weights of all subset sizes. A feature met twice on one path is first unwound (removed) and
 * re-extended with the product of its fractions, so each feature appears once in the path.
 *
 * Scratch layout: one buffer per field, split into one segment per recursion level ℓ = node depth,
 * segment ℓ holding ℓ + 1 path elements (the unique path can never be longer than the depth + 1):
 *
 *   level:    0 | 1   1 | 2   2   2 | 3   3   3   3 | ...
 *   offset:   0   1       3           6               (ℓ(ℓ+1)/2)
 *
 * so (D + 1)(D + 2)/2 elements cover trees of depth D. A child copies its parent's segment into its
 * own and extends it; the parent's segment stays intact for the sibling. The buffers are allocated
 * once per batch (`TreeShapScratch`); nothing is allocated per row or per node.
 *
 * Covers must be positive; a zero-cover node contributes nothing rather than producing NaN.
 */
import type { Tree } from '../tree/tree.js';
import { goesLeft } from '../predict/decision.js';
import { childFractions } from './cover.js';

/** Depth of the deepest leaf (0 for a single-leaf tree). Iterative, so any tree shape works. */
export function maxLeafDepth(tree: Tree): number {
  if (tree.nInternal === 0) return 0;
  // Each internal node is pushed once, so nInternal slots suffice.
  const stackNode = new Int32Array(tree.nInternal);
  const stackDepth = new Int32Array(tree.nInternal);
  let top = 1; // the root (node 0, depth 0) is already in slot 0
  let max = 0;
  while (top > 0) {
    top--;
    const node = stackNode[top]!;
    const depth = stackDepth[top]! + 1;
    const l = tree.leftChild[node]!;
    const r = tree.rightChild[node]!;
    if (l >= 0) {
      stackNode[top] = l;
      stackDepth[top++] = depth;
    } else if (depth > max) max = depth;
    if (r >= 0) {
      stackNode[top] = r;
      stackDepth[top++] = depth;
    } else if (depth > max) max = depth;
  }
  return max;
}

// Uses the same child fractions as the SHAP recursion, so that additivity holds to rounding even
// when a tree's covers do not add up exactly.
function expectedFrom(tree: Tree, fractions: Float64Array, node: number): number {
  if (node < 0) return tree.leafValue[~node]!;
  return (
    fractions[2 * node]! * expectedFrom(tree, fractions, tree.leftChild[node]!) +
    fractions[2 * node + 1]! * expectedFrom(tree, fractions, tree.rightChild[node]!)
  );
}

/**
 * The tree's output averaged over the training distribution, path-dependently: at every split the
 * two children are weighted by their share of the node's cover. It is the value of the empty
 * feature set, so SHAP values of a row sum to (prediction − this).
 */
export function treeExpectedValue(tree: Tree, fractions: Float64Array = childFractions(tree)): number {
  return tree.nInternal === 0 ? tree.leafValue[0]! : expectedFrom(tree, fractions, 0);
}

/**
 * Reusable TreeSHAP path buffers for trees up to `maxDepth` deep. Create once per batch (or once per
 * model in a serving process) and call `addTreeShap` per (row, tree).
 */
export class TreeShapScratch {
  readonly maxDepth: number;
  // One path element = (feature, zeroFraction, oneFraction, permutation weight), struct-of-arrays.
  readonly pathFeature: Int32Array;
  readonly pathZero: Float64Array;
  readonly pathOne: Float64Array;
  readonly pathWeight: Float64Array;
  /** reciprocal[j] = 1 / j for j in [1, maxDepth + 2]: the loops below multiply instead of divide. */
  readonly #reciprocal: Float64Array;

  // The tree, row and output of the current call; set by addTreeShap so the recursion passes only
  // numbers.
  #tree!: Tree;
  #fractions!: Float64Array;
  #rows!: Float64Array;
  #rowOffset = 0;
  #phi!: Float64Array;
  #phiOffset = 0;

  /** Bytes of its buffers. */
  get byteSize(): number {
    return this.pathFeature.byteLength + this.pathZero.byteLength + this.pathOne.byteLength + this.pathWeight.byteLength + this.#reciprocal.byteLength;
  }

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
    const size = ((maxDepth + 1) * (maxDepth + 2)) / 2;
    this.pathFeature = new Int32Array(size);
    this.pathZero = new Float64Array(size);
    this.pathOne = new Float64Array(size);
    this.pathWeight = new Float64Array(size);
    this.#reciprocal = new Float64Array(maxDepth + 3);
    for (let j = 1; j < maxDepth + 3; j++) this.#reciprocal[j] = 1 / j;
  }

  /**
   * Adds one tree's SHAP values for one row: phi[phiOffset + f] += φ_f for every feature f.
   * The expected value is not written (see `treeExpectedValue`). Kernel: no checks; the tree must
   * be at most `maxDepth` deep.
   *
   * @param fractions  the tree's childFractions (cover.ts)
   * @param rows       row-major feature values; the row starts at `rowOffset`
   * @param phi        contributions per feature (OUT, accumulated), starting at `phiOffset`
   */
  addTreeShap(tree: Tree, fractions: Float64Array, rows: Float64Array, rowOffset: number, phi: Float64Array, phiOffset: number): void {
    if (tree.nInternal === 0) return; // a constant tree moves no prediction away from its expectation
    this.#tree = tree;
    this.#fractions = fractions;
    this.#rows = rows;
    this.#rowOffset = rowOffset;
    this.#phi = phi;
    this.#phiOffset = phiOffset;
    // The root path element is a placeholder (feature -1) that carries the initial weight 1.
    this.#recurse(0, 0, 0, 0, 1, 1, -1);
  }

  /**
   * @param node            internal node index or ~leaf
   * @param level           depth of `node`; its segment starts at level(level+1)/2
   * @param uniqueDepth     index at which this call extends the path (= path length - 1 after it)
   * @param parentBase      segment of the caller, whose first `uniqueDepth` elements are copied
   */
  #recurse(node: number, level: number, uniqueDepth: number, parentBase: number, zeroFraction: number, oneFraction: number, featureIdx: number): void {
    const feature = this.pathFeature;
    const zero = this.pathZero;
    const one = this.pathOne;
    const weight = this.pathWeight;
    const base = (level * (level + 1)) / 2;
    for (let i = 0; i < uniqueDepth; i++) {
      feature[base + i] = feature[parentBase + i]!;
      zero[base + i] = zero[parentBase + i]!;
      one[base + i] = one[parentBase + i]!;
      weight[base + i] = weight[parentBase + i]!;
    }
    this.#extend(base, uniqueDepth, zeroFraction, oneFraction, featureIdx);

    const tree = this.#tree;
    if (node < 0) {
      this.#addLeaf(base, uniqueDepth, tree.leafValue[~node]!);
      return;
    }

    const splitFeature = tree.splitFeature[node]!;
    const left = tree.leftChild[node]!;
    const right = tree.rightChild[node]!;
    const toLeft = goesLeft(tree, node, this.#rows[this.#rowOffset + splitFeature]!);
    const hot = toLeft ? left : right;
    const cold = toLeft ? right : left;
    const leftZero = this.#fractions[2 * node]!;
    const rightZero = this.#fractions[2 * node + 1]!;
    const hotZero = toLeft ? leftZero : rightZero;
    const coldZero = toLeft ? rightZero : leftZero;

    // A feature already on the path is taken out and re-entered with the product of its fractions,
    // so that each feature is one player in the game however often it is split on.
    let incomingZero = 1;
    let incomingOne = 1;
    let depth = uniqueDepth;
    for (let k = 1; k <= depth; k++) {
      if (feature[base + k] === splitFeature) {
        incomingZero = zero[base + k]!;
        incomingOne = one[base + k]!;
        this.#unwind(base, depth, k);
        depth--;
        break;
      }
    }
    this.#recurse(hot, level + 1, depth + 1, base, hotZero * incomingZero, incomingOne, splitFeature);
    this.#recurse(cold, level + 1, depth + 1, base, coldZero * incomingZero, 0, splitFeature);
  }

  /**
   * Adds a leaf's share to φ for every feature on the path (elements 1..u; element 0 is the root
   * placeholder): φ_f += unwoundSum(f) · (one_f − zero_f) · value.
   *
   * Shortcut for "cold" elements (oneFraction = 0: the row left this path at one of the feature's
   * splits): their unwound sum is (u + 1)/zero · Σ_j w_j/(u − j), whose Σ is the same for all of
   * them, and zero then cancels from the contribution, which becomes −(u + 1) · Σ · value. So the
   * Σ is computed once per leaf instead of once per cold element. In the path-dependent algorithm
   * one-fractions are only ever 0 or 1, so every element is hot or cold.
   */
  #addLeaf(base: number, u: number, value: number): void {
    const feature = this.pathFeature;
    const zero = this.pathZero;
    const one = this.pathOne;
    const phi = this.#phi;
    const phiOffset = this.#phiOffset;
    let coldContribution = NaN; // computed on first use
    for (let i = 1; i <= u; i++) {
      const oneFraction = one[base + i]!;
      const zeroFraction = zero[base + i]!;
      let contribution: number;
      if (oneFraction !== 0) {
        contribution = this.#unwoundSumHot(base, u, oneFraction, zeroFraction) * (oneFraction - zeroFraction) * value;
      } else if (zeroFraction !== 0) {
        if (coldContribution !== coldContribution) {
          const weight = this.pathWeight;
          const recip = this.#reciprocal;
          let sum = 0;
          for (let j = u - 1; j >= 0; j--) sum += weight[base + j]! * recip[u - j]!;
          coldContribution = -(u + 1) * sum * value;
        }
        contribution = coldContribution;
      } else continue; // zero cover and off the row's path: no weight at all
      phi[phiOffset + feature[base + i]!]! += contribution;
    }
  }

  /** unwoundSum for an element with a non-zero one-fraction. */
  #unwoundSumHot(base: number, u: number, oneFraction: number, zeroFraction: number): number {
    const weight = this.pathWeight;
    const recip = this.#reciprocal;
    const scaleOne = (u + 1) / oneFraction;
    const scaleZero = zeroFraction * recip[u + 1]!;
    let nextOne = weight[base + u]!;
    let total = 0;
    for (let i = u - 1; i >= 0; i--) {
      const tmp = nextOne * scaleOne * recip[i + 1]!;
      total += tmp;
      nextOne = weight[base + i]! - tmp * scaleZero * (u - i);
    }
    return total;
  }

  /** Appends element (featureIdx, zeroFraction, oneFraction) at index u and updates the weights. */
  #extend(base: number, u: number, zeroFraction: number, oneFraction: number, featureIdx: number): void {
    const weight = this.pathWeight;
    this.pathFeature[base + u] = featureIdx;
    this.pathZero[base + u] = zeroFraction;
    this.pathOne[base + u] = oneFraction;
    weight[base + u] = u === 0 ? 1 : 0;
    const inv = 1 / (u + 1);
    for (let i = u - 1; i >= 0; i--) {
      weight[base + i + 1]! += oneFraction * weight[base + i]! * (i + 1) * inv;
      weight[base + i] = zeroFraction * weight[base + i]! * (u - i) * inv;
    }
  }

  /** Removes element k from the path of length u + 1, undoing its `extend` on the weights. */
  #unwind(base: number, u: number, k: number): void {
    const weight = this.pathWeight;
    const oneFraction = this.pathOne[base + k]!;
    const zeroFraction = this.pathZero[base + k]!;
    let nextOne = weight[base + u]!;
    for (let i = u - 1; i >= 0; i--) {
      if (oneFraction !== 0) {
        const tmp = weight[base + i]!;
        weight[base + i] = (nextOne * (u + 1)) / ((i + 1) * oneFraction);
        nextOne = tmp - (weight[base + i]! * zeroFraction * (u - i)) / (u + 1);
      } else if (zeroFraction !== 0) {
        weight[base + i] = (weight[base + i]! * (u + 1)) / (zeroFraction * (u - i));
      } else {
        weight[base + i] = 0; // both fractions 0: every weight on this path was already 0
      }
    }
    for (let i = k; i < u; i++) {
      this.pathFeature[base + i] = this.pathFeature[base + i + 1]!;
      this.pathZero[base + i] = this.pathZero[base + i + 1]!;
      this.pathOne[base + i] = this.pathOne[base + i + 1]!;
    }
  }
}
