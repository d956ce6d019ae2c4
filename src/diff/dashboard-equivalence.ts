import { normalDashboard } from '../reader/dashboard-normal.ts';
import type { DashboardFile, Panel } from '../reader/index.ts';
import { pairPanels, panelTitle } from './dashboards.ts';
import { sameValue } from './labels.ts';

// Two spellings of one dashboard compared as Grafana reads them (src/reader/dashboard-normal.ts):
// every field of the dashboard, of its rows and of its panels, the panels paired as `diff`
// pairs them. What import proves of each dashboard it writes.

type Json = Record<string, unknown>;

/** One field that differs: where (`panel 3 "CPU"`, `row "Network"`, or the dashboard itself) and its path. */
export interface Difference {
  readonly where: string;
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The paths at which two JSON values differ, lists compared item by item when their lengths agree. */
export function fieldDifferences(before: unknown, after: unknown, path = ''): { field: string; before: unknown; after: unknown }[] {
  if (sameValue(before, after)) return [];
  const at = (key: string | number): string =>
    typeof key === 'number'
      ? `${path}[${key}]`
      : /^[A-Za-z_$][\w$]*$/.test(key)
        ? path
          ? `${path}.${key}`
          : key
        : `${path}[${JSON.stringify(key)}]`;
  // A whole object on one side only: each of its fields, so the message names the field.
  if (isObject(before) && after === undefined) return fieldDifferences(before, {}, path);
  if (before === undefined && isObject(after)) return fieldDifferences({}, after, path);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldDifferences(before[key], after[key], at(key)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length)
    return before.flatMap((item, index) => fieldDifferences(item, after[index], at(index)));
  return [{ field: path || '(whole)', before, after }];
}

/** Rows and panels of a normalized dashboard in file order; collapsed rows' panels after their row. */
function entries(dashboard: Json): { row: boolean; json: Json }[] {
  const panels = Array.isArray(dashboard.panels) ? dashboard.panels.filter(isObject) : [];
  return panels.flatMap((panel) => {
    const children = Array.isArray(panel.panels) ? panel.panels.filter(isObject) : [];
    if (panel.type !== 'row') return [{ row: false, json: panel }];
    const { panels: _panels, ...row } = panel;
    return [{ row: true, json: row }, ...children.map((json) => ({ row: false, json }))];
  });
}

const describe = (panel: Panel): string => `panel ${panel.id ?? '?'} "${panelTitle(panel)}"`;

/**
 * Every difference between `original` and `generated` as Grafana reads them: the dashboard's
 * fields, its rows in order, its panels paired by row and title (then id), their order, and
 * every field of each pair. Empty when they are the same dashboard.
 */
export function dashboardDifferences(original: DashboardFile, generated: DashboardFile): Difference[] {
  const [before, after] = [normalDashboard(original.json as Json), normalDashboard(generated.json as Json)];
  const { panels: _before, ...beforeRest } = before;
  const { panels: _after, ...afterRest } = after;
  const differences: Difference[] = fieldDifferences(beforeRest, afterRest).map((each) => ({ where: 'dashboard', ...each }));
  const [oldEntries, newEntries] = [entries(before), entries(after)];
  const rows = (list: { row: boolean; json: Json }[]) => list.filter((each) => each.row).map((each) => each.json);
  const [oldRows, newRows] = [rows(oldEntries), rows(newEntries)];
  for (let index = 0; index < Math.max(oldRows.length, newRows.length); index += 1) {
    const where = `row "${String((oldRows[index] ?? newRows[index])!.title ?? '')}"`;
    differences.push(...fieldDifferences(oldRows[index], newRows[index]).map((each) => ({ where, ...each })));
  }
  // The reader's panels are the entries that are not rows, in the same order.
  const normal = (file: DashboardFile, list: { row: boolean; json: Json }[]) => {
    const panels = list.filter((each) => !each.row);
    return new Map(file.panels.map((panel, index) => [panel, panels[index]?.json ?? {}]));
  };
  const [oldNormal, newNormal] = [normal(original, oldEntries), normal(generated, newEntries)];
  const paired = pairPanels(original, generated);
  for (const { panel } of paired.removed)
    differences.push({ where: describe(panel), field: '(panel)', before: panelTitle(panel), after: null });
  for (const { panel } of paired.added)
    differences.push({ where: describe(panel), field: '(panel)', before: null, after: panelTitle(panel) });
  const order = (pairs: typeof paired.pairs, side: 0 | 1, panels: readonly Panel[]) =>
    pairs.map((pair) => pair[side].panel).sort((a, b) => panels.indexOf(a) - panels.indexOf(b));
  const [oldOrder, newOrder] = [order(paired.pairs, 0, original.panels), order(paired.pairs, 1, generated.panels)];
  const partner = new Map(paired.pairs.map(([was, is]) => [was.panel, is.panel]));
  const moved = oldOrder.findIndex((panel, index) => partner.get(panel) !== newOrder[index]);
  if (moved >= 0)
    differences.push({
      where: describe(oldOrder[moved]!),
      field: '(order)',
      before: moved,
      after: newOrder.indexOf(partner.get(oldOrder[moved]!)!),
    });
  for (const [{ panel: was }, { panel: is }] of paired.pairs) {
    const where = describe(was);
    differences.push(...fieldDifferences(oldNormal.get(was), newNormal.get(is)).map((each) => ({ where, ...each })));
  }
  return differences;
}

const shown = (value: unknown): string => {
  const text = value === undefined ? 'left out' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** `alertmanager-overview › panel 3 "Alerts" › fieldConfig.defaults.unit: "short" → "bytes"`. */
export const formatDifference = (uid: string, difference: Difference): string =>
  `${uid} › ${difference.where} › ${difference.field}: ${shown(difference.before)} → ${shown(difference.after)}`;
