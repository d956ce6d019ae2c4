import type { Labels } from '../reader/index.ts';

/** `{service="api",team="platform"}`, labels sorted: a key that ignores label order. */
export function labelKey(labels: Labels): string {
  return `{${Object.keys(labels)
    .sort()
    .map((label) => `${label}=${JSON.stringify(labels[label])}`)
    .join(',')}}`;
}

export function without(labels: Labels, ...names: string[]): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([label]) => !names.includes(label)));
}

/** Deep equality of JSON-like values, key order ignored (the one the dashboard comparison uses). */
export { equal as sameValue } from '../reader/equal.ts';

/** Items of two lists paired by key, then the unpaired ones of each side, all in list order. */
export function pairBy<T>(base: readonly T[], head: readonly T[], key: (item: T) => string): { pairs: [T, T][]; removed: T[]; added: T[] } {
  const heads = new Map<string, T>();
  for (const item of head) if (!heads.has(key(item))) heads.set(key(item), item);
  const pairs: [T, T][] = [];
  const removed: T[] = [];
  const paired = new Set<T>();
  for (const item of base) {
    const match = heads.get(key(item));
    if (match && !paired.has(match)) {
      pairs.push([item, match]);
      paired.add(match);
    } else removed.push(item);
  }
  return { pairs, removed, added: head.filter((item) => !paired.has(item)) };
}
