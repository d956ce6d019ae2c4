import type { GeneratedTree } from '../reader/index.ts';
import { alertsOf, pairAlerts } from './alert-pairs.ts';
import { diffAlerts } from './alerts.ts';
import { diffDashboards } from './dashboards.ts';
import { diffPlaybooks } from './playbooks.ts';
import { diffRecordingRules } from './recording.ts';
import { diffRouting } from './routing.ts';
import { diffSlos } from './slos.ts';
import { changeKinds, type Change, type DiffBacktest, type DiffCost } from './types.ts';

export interface Diff {
  /** Labels of the two trees: `origin/main (1a2b3c4)`, `working tree`. */
  readonly base: string;
  readonly head: string;
  /** By kind (alerts, SLOs, recording rules, routing, dashboards, playbooks), then as found. */
  readonly changes: readonly Change[];
  /** With `--prometheus`: how often the changed alerts would have fired. */
  readonly backtest?: DiffBacktest;
  /** With `--prometheus`: what the added and changed rules read now. */
  readonly cost?: DiffCost;
}

/**
 * What changes between two generated trees for the people on call: pure, so the same trees
 * always give the same changes. Objects are paired by name, never by position.
 */
export function diffTrees(base: GeneratedTree, head: GeneratedTree): Diff {
  const pairs = pairAlerts(alertsOf(base), alertsOf(head));
  const slos = diffSlos(base, head);
  const changes = [
    ...diffAlerts(pairs, base, head, slos.changed),
    ...slos.changes,
    ...diffRecordingRules(base, head),
    ...diffRouting(pairs, base, head),
    ...diffDashboards(base, head),
    ...diffPlaybooks(base, head),
  ];
  const order = (change: Change): number => changeKinds.indexOf(change.kind);
  return { base: base.label, head: head.label, changes: changes.sort((a, b) => order(a) - order(b)) };
}

export type { Change, ChangeKind, ChangeAction, DiffBacktest, DiffCost } from './types.ts';
