import type { Diff } from '../index.ts';
import { changeKinds, type Change } from '../types.ts';
import { describe } from './describe.ts';

/** Keys in reading order; `anchors` only serve to find the line and are left out. */
const fieldOrder = [
  'kind',
  'action',
  'object',
  'field',
  'level',
  'before',
  'after',
  'unit',
  'breaking',
  'reason',
  'securityReview',
  'highlight',
  'source',
  'line',
  'file',
] as const satisfies readonly (keyof Change)[];

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
  const changes = diff.changes.map((change) => {
    const ordered: Record<string, unknown> = {};
    for (const key of fieldOrder) if (change[key] !== undefined) ordered[key] = change[key];
    return { ...ordered, summary: describe(change) };
  });
  return `${JSON.stringify({ base: diff.base, head: diff.head, summary, changes, ...(diff.backtest && { backtest: diff.backtest }), ...(diff.cost && { cost: diff.cost }) }, null, 2)}\n`;
}
