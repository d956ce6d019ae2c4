import { dashboardDifferences, formatDifference } from '../../diff/dashboard-equivalence.ts';
import { parseDashboard } from '../../reader/dashboards.ts';
import { FileProblems } from '../../reader/problems.ts';
import type { GeneratedTree } from '../../reader/types.ts';
import type { ProofPart } from '../importer.ts';
import type { ImportedDashboard } from './convert.ts';

// The proof of a dashboard import: each dashboard the project now generates, read back through
// the one reader of generated trees, compared with the original as Grafana reads both (the
// diff's pairing of panels, every field of each).

/** `10/10 dashboards equivalent (149 panels)`, one detail per difference: dashboard, panel, field, before → after. */
export function proveDashboards(imported: readonly ImportedDashboard[], tree: GeneratedTree): ProofPart {
  const details: string[] = [];
  let equivalent = 0;
  for (const dashboard of imported) {
    const generated = tree.dashboards.find((each) => each.uid === dashboard.uid);
    if (!generated) {
      details.push(`${dashboard.uid}: not generated (the dashboard of ${dashboard.origin})`);
      continue;
    }
    const original = parseDashboard(dashboard.origin, JSON.stringify(dashboard.original), new FileProblems(dashboard.origin));
    const differences = original ? dashboardDifferences({ ...original, sources: [] }, generated) : [];
    if (differences.length === 0) equivalent += 1;
    details.push(...differences.map((difference) => formatDifference(dashboard.uid, difference)));
  }
  const panels = imported.reduce((sum, dashboard) => sum + dashboard.panels, 0);
  return {
    summary: `${equivalent}/${imported.length} dashboards equivalent (${panels} panels)`,
    ok: equivalent === imported.length,
    details,
  };
}
