/**
 * Value → position maps of a state's level and token lists, built once per list and reused by
 * every prediction call (an inference request must not rebuild a 20,000-word index).
 */
const indexCache = new WeakMap<readonly string[], Map<string, number>>();

export function cachedIndex(list: readonly string[]): Map<string, number> {
  let m = indexCache.get(list);
  if (m === undefined) {
    m = new Map(list.map((v, k) => [v, k]));
    indexCache.set(list, m);
  }
  return m;
}
