/** Normalized collections (zustand docs, Redux style): `byId` for lookups + `ids` for order. */
export interface Normalized<V> {
  readonly byId: Readonly<Record<string, V>>;
  readonly ids: readonly string[];
}

export function emptyNormalized<V>(): Normalized<V> {
  return { byId: {}, ids: [] };
}

/** Builds a collection from a list, ordered by `compare` (or the list's order). */
export function normalize<V>(list: readonly V[], idOf: (v: V) => string, compare?: (a: V, b: V) => number): Normalized<V> {
  const sorted = compare ? [...list].sort(compare) : list;
  const byId: Record<string, V> = {};
  for (const v of sorted) byId[idOf(v)] = v;
  return { byId, ids: sorted.map(idOf) };
}

/** Inserts or replaces one entry, keeping the order given by `compare` (appends when no compare). */
export function upsert<V>(
  collection: Normalized<V>,
  value: V,
  idOf: (v: V) => string,
  compare?: (a: V, b: V) => number,
): Normalized<V> {
  const id = idOf(value);
  const byId = { ...collection.byId, [id]: value };
  const exists = Object.hasOwn(collection.byId, id);
  if (!compare) return { byId, ids: exists ? collection.ids : [...collection.ids, id] };
  const others = exists ? collection.ids.filter((x) => x !== id) : [...collection.ids];
  const at = insertionIndex(others, (x) => {
    const other = byId[x];
    return other === undefined ? 0 : compare(value, other);
  });
  others.splice(at, 0, id);
  return { byId, ids: others };
}

export function remove<V>(collection: Normalized<V>, id: string): Normalized<V> {
  if (!Object.hasOwn(collection.byId, id)) return collection;
  const byId = { ...collection.byId };
  delete byId[id];
  return { byId, ids: collection.ids.filter((x) => x !== id) };
}

/** Binary search: first index whose entry sorts after the new value (`cmp(x) < 0` means value goes before x). */
export function insertionIndex(ids: readonly string[], cmp: (existing: string) => number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const id = ids[mid];
    if (id !== undefined && cmp(id) >= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function listOf<V>(collection: Normalized<V>): V[] {
  const out: V[] = [];
  for (const id of collection.ids) {
    const v = collection.byId[id];
    if (v !== undefined) out.push(v);
  }
  return out;
}
