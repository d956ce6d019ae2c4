// "Did you mean" for a name that is not one of the known names, else the known names themselves.

/** Edits (insert, delete, replace, swap two neighbours) between two strings. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known names closest to `name`, nearest first, within `limit` edits (default a third of its
 * length, at least 2; a metric name missing its `_total` or `_bytes` wants more).
 */
export function closest(name: string, known: Iterable<string>, count = 3, limit = Math.max(2, Math.floor(name.length / 3))): string[] {
  return [...new Set(known)]
    .filter((candidate) => Math.abs(candidate.length - name.length) <= limit)
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

/** Every candidate, the closest to `wanted` first (then in order): the values a reader scans for the one meant. */
export function byCloseness(wanted: string, candidates: readonly string[]): string[] {
  const distance = new Map(candidates.map((candidate) => [candidate, editDistance(wanted, candidate)]));
  return [...candidates].sort((a, b) => distance.get(a)! - distance.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

/** ` (did you mean "database"?)`, else ` (known: a, b, c)` (at most ten), else ` (none is defined)`. */
export function suggestion(name: string, known: Iterable<string>): string {
  const names = [...new Set(known)].sort();
  const near = closest(name, names);
  if (near.length > 0) return ` (did you mean ${near.map((each) => `"${each}"`).join(' or ')}?)`;
  if (names.length === 0) return ' (none is defined)';
  return ` (known: ${names.slice(0, 10).join(', ')}${names.length > 10 ? `, and ${names.length - 10} more` : ''})`;
}
