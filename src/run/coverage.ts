import { analyzeCoverage } from '../coverage/analyze.ts';
import { formatCoverage, type CoverageFormat } from '../coverage/format.ts';
import { loadPlatform } from '../load/load.ts';

/** `coverage`: the report, and how many signals are missing (for `--fail-on missing`). */
export async function coverage(root: string, format: CoverageFormat): Promise<{ output: string; missing: number }> {
  const report = analyzeCoverage(await loadPlatform(root));
  return { output: formatCoverage(report, format), missing: report.totals.missing };
}
