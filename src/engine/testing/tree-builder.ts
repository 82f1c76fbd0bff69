/**
 * Test helpers: build flat `Tree`s from a readable nested description.
 *
 * Numbering follows the layout a grower would naturally emit: internal nodes in pre-order (root = 0),
 * leaves numbered left to right. Internal covers are the sums of their children's covers, so the
 * trees are consistent for TreeSHAP unless a test overrides a cover on purpose.
 *
 * @example
 * // x0 <= 0.5 ? (x1 in {2, 5} ? 1 : 2) : 3, missing x0 goes right
 * buildTree({
 *   feature: 0, threshold: 0.5,
 *   left: { feature: 1, categories: [2, 5], missingGoesLeft: true, left: { leaf: 1, cover: 10 }, right: { leaf: 2, cover: 30 } },
 *   right: { leaf: 3, cover: 60 },
 * });
 */
import type { Tree } from '../tree/tree.js';

export interface LeafSpec {
  readonly leaf: number;
  /** Default 1. */
  readonly cover?: number;
}

export interface SplitSpec {
  readonly feature: number;
  /** Numeric split: left iff value <= threshold. */
  readonly threshold?: number;
  /** Categorical split: these codes go left. Exactly one of threshold / categories is given. */
  readonly categories?: readonly number[];
  /** Default false. */
  readonly missingGoesLeft?: boolean;
  /** Default 0. */
  readonly gain?: number;
  /** Default: left cover + right cover. */
  readonly cover?: number;
  readonly left: TreeSpec;
  readonly right: TreeSpec;
}

export type TreeSpec = LeafSpec | SplitSpec;

const isLeaf = (spec: TreeSpec): spec is LeafSpec => 'leaf' in spec;

function countNodes(spec: TreeSpec): { nInternal: number; nLeaves: number } {
  if (isLeaf(spec)) return { nInternal: 0, nLeaves: 1 };
  const l = countNodes(spec.left);
  const r = countNodes(spec.right);
  return { nInternal: l.nInternal + r.nInternal + 1, nLeaves: l.nLeaves + r.nLeaves };
}

/** Builds a flat Tree from a nested spec. */
export function buildTree(spec: TreeSpec): Tree {
  const { nInternal, nLeaves } = countNodes(spec);
  const splitFeature = new Int32Array(nInternal);
  const threshold = new Float64Array(nInternal);
  const missingGoesLeft = new Uint8Array(nInternal);
  const isCategorical = new Uint8Array(nInternal);
  const leftChild = new Int32Array(nInternal);
  const rightChild = new Int32Array(nInternal);
  const splitGain = new Float64Array(nInternal);
  const internalCover = new Float64Array(nInternal);
  const leafValue = new Float64Array(nLeaves);
  const leafCover = new Float64Array(nLeaves);
  const catWords: number[][] = [];
  let nextInternal = 0;
  let nextLeaf = 0;

  // Returns the child encoding of the subtree (≥ 0 internal, ~leaf) and its cover.
  const visit = (s: TreeSpec): { ref: number; cover: number } => {
    if (isLeaf(s)) {
      const leafIdx = nextLeaf++;
      leafValue[leafIdx] = s.leaf;
      leafCover[leafIdx] = s.cover ?? 1;
      return { ref: ~leafIdx, cover: leafCover[leafIdx]! };
    }
    const node = nextInternal++;
    splitFeature[node] = s.feature;
    missingGoesLeft[node] = s.missingGoesLeft === true ? 1 : 0;
    splitGain[node] = s.gain ?? 0;
    if (s.categories !== undefined) {
      isCategorical[node] = 1;
      let maxCode = -1;
      for (const c of s.categories) maxCode = Math.max(maxCode, c);
      const words = new Array<number>((maxCode >> 5) + 1).fill(0);
      for (const c of s.categories) words[c >> 5] = (words[c >> 5]! | (1 << (c & 31))) >>> 0;
      catWords[node] = words;
    } else {
      threshold[node] = s.threshold ?? 0;
      catWords[node] = [];
    }
    const l = visit(s.left);
    const r = visit(s.right);
    leftChild[node] = l.ref;
    rightChild[node] = r.ref;
    internalCover[node] = s.cover ?? l.cover + r.cover;
    return { ref: node, cover: internalCover[node]! };
  };
  visit(spec);

  const catOffset = new Int32Array(nInternal + 1);
  for (let i = 0; i < nInternal; i++) catOffset[i + 1] = catOffset[i]! + catWords[i]!.length;
  const catBits = new Uint32Array(catOffset[nInternal]!);
  for (let i = 0; i < nInternal; i++) catBits.set(catWords[i]!, catOffset[i]!);

  return {
    nInternal,
    nLeaves,
    splitFeature,
    threshold,
    missingGoesLeft,
    isCategorical,
    leftChild,
    rightChild,
    splitGain,
    internalCover,
    catOffset,
    catBits,
    leafValue,
    leafCover,
  };
}

/** Depth of the deepest leaf (0 for a single-leaf tree). */
export function treeDepth(tree: Tree): number {
  if (tree.nInternal === 0) return 0;
  const walk = (node: number): number => (node < 0 ? 0 : 1 + Math.max(walk(tree.leftChild[node]!), walk(tree.rightChild[node]!)));
  return walk(0);
}
