import type { DashboardFile, GeneratedTree, Panel } from '../reader/index.ts';
import { pairBy } from './labels.ts';
import { soleSource, type Change } from './types.ts';

// Dashboards by uid; panels by row and title (ids are positions: adding a panel renumbers the
// ones after it), then by id for the panels left, which is how a renamed panel is found.

const byUid = new WeakMap<GeneratedTree, Map<string, DashboardFile>>();

function dashboards(tree: GeneratedTree): Map<string, DashboardFile> {
  let found = byUid.get(tree);
  if (!found) {
    found = new Map(tree.dashboards.map((dashboard) => [dashboard.uid, dashboard]));
    byUid.set(tree, found);
  }
  return found;
}

export const panelTitle = (panel: Panel): string => (panel.row ? `${panel.row} / ${panel.title}` : panel.title);

/** Panels keyed by row and title, a repeated title numbered in order. */
function keyed(panels: readonly Panel[]): { key: string; panel: Panel }[] {
  const seen = new Map<string, number>();
  return panels.map((panel) => {
    const title = panelTitle(panel);
    const count = (seen.get(title) ?? 0) + 1;
    seen.set(title, count);
    return { key: count === 1 ? title : `${title} #${count}`, panel };
  });
}

export function diffDashboards(base: GeneratedTree, head: GeneratedTree): Change[] {
  const changes: Change[] = [];
  const before = dashboards(base);
  const after = dashboards(head);
  for (const [uid, old] of before) {
    const now = after.get(uid);
    const common = { kind: 'dashboard' as const, file: (now ?? old).path, source: soleSource((now ?? old).sources) };
    if (!now) {
      changes.push({ ...common, action: 'removed', object: uid, before: { title: old.title, panels: old.panels.length }, breaking: false });
      continue;
    }
    if (old.title !== now.title)
      changes.push({ ...common, action: 'changed', object: uid, field: 'title', before: old.title, after: now.title, breaking: false });
    changes.push(...panelChanges(uid, old, now, common));
  }
  for (const [uid, dashboard] of after) {
    if (before.has(uid)) continue;
    changes.push({
      kind: 'dashboard',
      action: 'added',
      object: uid,
      after: { title: dashboard.title, panels: dashboard.panels.length },
      file: dashboard.path,
      source: soleSource(dashboard.sources),
      breaking: false,
    });
  }
  return changes;
}

/** The panels of two versions of a dashboard paired by row and title, then by id; those left are removed and added. */
export function pairPanels(old: Pick<DashboardFile, 'panels'>, now: Pick<DashboardFile, 'panels'>) {
  const byTitle = pairBy(keyed(old.panels), keyed(now.panels), (each) => each.key);
  const byId = pairBy(byTitle.removed, byTitle.added, (each) => String(each.panel.id));
  return { pairs: [...byTitle.pairs, ...byId.pairs], removed: byId.removed, added: byId.added };
}

/** For each dashboard in both trees, the head id of each base panel id: links to panels compare through it. */
export function panelIds(base: GeneratedTree, head: GeneratedTree): Map<string, Map<number, number>> {
  const ids = new Map<string, Map<number, number>>();
  for (const [uid, old] of dashboards(base)) {
    const now = dashboards(head).get(uid);
    if (!now) continue;
    const pairs = pairPanels(old, now).pairs.filter(([was, is]) => was.panel.id !== undefined && is.panel.id !== undefined);
    ids.set(uid, new Map(pairs.map(([was, is]) => [was.panel.id!, is.panel.id!])));
  }
  return ids;
}

function panelChanges(uid: string, old: DashboardFile, now: DashboardFile, common: Pick<Change, 'kind' | 'file' | 'source'>): Change[] {
  const paired = pairPanels(old, now);
  const changes: Change[] = [];
  const object = (panel: Panel): string => `${uid} › panel ${panel.id ?? '?'} "${panelTitle(panel)}"`;
  const summary = (panel: Panel) => ({ title: panelTitle(panel), queries: panel.targets.map((target) => target.expr) });
  for (const [{ panel: was }, { panel: is }] of paired.pairs) {
    const at = { ...common, object: object(is), anchors: [is.title, uid] };
    if (panelTitle(was) !== panelTitle(is))
      changes.push({ ...at, action: 'changed', field: 'title', before: panelTitle(was), after: panelTitle(is), breaking: false });
    const queries = (panel: Panel) => new Map(panel.targets.map((target) => [target.refId, target.expr]));
    const [before, after] = [queries(was), queries(is)];
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((refId) => before.get(refId) !== after.get(refId));
    if (changed.length > 0) {
      const pick = (map: Map<string, string>) => Object.fromEntries(changed.map((refId) => [refId, map.get(refId) ?? null]));
      changes.push({ ...at, action: 'changed', field: 'queries', before: pick(before), after: pick(after), breaking: false });
    }
  }
  for (const { panel } of paired.removed)
    changes.push({ ...common, action: 'removed', object: object(panel), before: summary(panel), breaking: false });
  for (const { panel } of paired.added)
    changes.push({
      ...common,
      action: 'added',
      object: object(panel),
      after: summary(panel),
      anchors: [panel.title, uid],
      breaking: false,
    });
  return changes;
}
