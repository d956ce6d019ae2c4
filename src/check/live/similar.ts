// "Did you mean": the names closest to a misspelt one, by edit distance.

/** Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Up to `count` candidates close enough to `wanted` to be what was meant (a few edits, or up to
 * 40 % of the longer name: `node_cpu_seconds` → `node_cpu_seconds_total`), closest first.
 */
export function closest(wanted: string, candidates: Iterable<string>, count = 3): string[] {
  const found: { name: string; distance: number }[] = [];
  for (const name of candidates) {
    if (name === wanted) continue;
    const limit = Math.max(3, Math.floor(0.4 * Math.max(name.length, wanted.length)));
    const distance = editDistance(wanted, name, limit);
    if (distance <= limit) found.push({ name, distance });
  }
  return found
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .slice(0, count)
    .map((each) => each.name);
}

/** Every candidate, the closest to `wanted` first (then in order): the values a reader scans for the one meant. */
export function byCloseness(wanted: string, candidates: readonly string[]): string[] {
  const distance = new Map(candidates.map((name) => [name, editDistance(wanted, name)]));
  return [...candidates].sort((a, b) => distance.get(a)! - distance.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
}
