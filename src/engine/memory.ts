/**
 * Memory held by a loaded model and what was prepared for it, for sizing caches of loaded models.
 */

/** A flat allowance per JS object or array (header and a few properties); an estimate. */
const OBJECT_BYTES = 48;

/**
 * Bytes held by everything reachable from `roots`: each typed array's underlying buffer counted once
 * (SHAP plans and layouts are views into shared buffers), strings at two bytes per code unit, and a
 * flat allowance per object, array and map. Engine caches kept in WeakMaps are not reachable from a
 * model: pass them as roots (see `preparedExplanations`, `preparedRowForest`).
 */
export function reachableBytes(roots: readonly unknown[]): number {
  const seen = new Set<object>();
  const buffers = new Set<ArrayBufferLike>();
  let bytes = 0;
  const stack: unknown[] = [...roots];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      bytes += 2 * v.length;
      continue;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (!buffers.has(v.buffer)) {
        buffers.add(v.buffer);
        bytes += v.buffer.byteLength;
      }
      continue;
    }
    bytes += OBJECT_BYTES;
    if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
    } else if (Array.isArray(v)) {
      bytes += 8 * v.length;
      for (const x of v) stack.push(x);
    } else {
      for (const x of Object.values(v)) stack.push(x);
    }
  }
  return bytes;
}
