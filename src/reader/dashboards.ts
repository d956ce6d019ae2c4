import { z } from 'zod';
import type { FileProblems } from './problems.ts';
import type { DashboardFile, Panel, PanelTarget } from './types.ts';

// Grafana dashboard JSON: only what identifies dashboards, panels and their queries is typed;
// the whole JSON is kept for whoever uploads it.

const target = z.object({ refId: z.string().optional(), expr: z.string().optional() });
const panel = z.object({
  id: z.number().optional(),
  type: z.string().optional(),
  title: z.string().optional(),
  targets: z.array(target).nullish(),
  panels: z.array(z.unknown()).nullish(),
});
const dashboard = z.object({ uid: z.string().min(1), title: z.string(), panels: z.array(z.unknown()).nullish() }).catchall(z.unknown());

export function parseDashboard(path: string, content: string, problems: FileProblems): Omit<DashboardFile, 'sources'> | undefined {
  const json = problems.json(content);
  const read = json === undefined ? undefined : problems.parse(dashboard, json);
  if (!read) return undefined;
  const panels: Panel[] = [];
  let row: string | undefined;
  const visit = (value: unknown, at: readonly PropertyKey[], inRow: string | undefined): void => {
    const shape = problems.parse(panel, value, at);
    if (!shape) return;
    if (shape.type === 'row') {
      row = shape.title ?? '';
      // A collapsed row carries its panels inside it.
      (shape.panels ?? []).forEach((child, index) => {
        visit(child, [...at, 'panels', index], row);
      });
      return;
    }
    const targets: PanelTarget[] = (shape.targets ?? []).map((each, index) => ({
      refId: each.refId ?? String.fromCharCode(65 + index),
      expr: each.expr ?? '',
    }));
    panels.push({
      id: shape.id,
      type: shape.type ?? '',
      title: shape.title ?? '',
      row: inRow,
      targets,
      json: value as Record<string, unknown>,
    });
  };
  (read.panels ?? []).forEach((value, index) => {
    visit(value, ['panels', index], row);
  });
  return { path, uid: read.uid, title: read.title, panels, json: read };
}
