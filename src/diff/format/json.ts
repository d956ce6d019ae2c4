import type { Diff } from '../index.ts';
import { changeKinds } from '../types.ts';
import { describe } from './describe.ts';

/** Every change as data, with its one-line summary; counts per kind first. */
export function formatJson(diff: Diff): string {
  const byKind = Object.fromEntries(
    changeKinds.map((kind) => {
      const ofKind = diff.changes.filter((change) => change.kind === kind);
      return [kind, { changes: ofKind.length, breaking: ofKind.filter((change) => change.breaking).length }];
    }),
  );
  const summary = {
    changes: diff.changes.length,
    breaking: diff.changes.filter((change) => change.breaking).length,
    securityReview: diff.changes.filter((change) => change.securityReview).length,
    byKind,
  };
  const changes = diff.changes.map((change) => ({ ...change, summary: describe(change) }));
  return `${JSON.stringify({ base: diff.base, head: diff.head, summary, changes }, null, 2)}\n`;
}
