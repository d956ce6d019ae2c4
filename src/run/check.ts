import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { amtoolFindings } from '../check/amtool.ts';
import { lintDashboards } from '../check/dashboard-lint.ts';
import { knownSeries } from '../check/known-series.ts';
import { promqlFindings } from '../check/promql-lint.ts';
import { promtoolFindings, scrapeConfigFindings } from '../check/promtool.ts';
import { typeErrors } from '../check/typecheck.ts';
import { loadPlatform } from '../load/load.ts';
import { checkDrift, formatDrift, hasDrift } from '../output/drift.ts';
import { writeFileSet } from '../output/write.ts';
import { build, generatedDir } from './generate.ts';

/**
 * `check`: type-check, compile, parse every expression, run the real validators on what the
 * definitions compile to, and report a stale generated/. Returns every finding.
 */
export async function check(root: string): Promise<string[]> {
  const findings = await typeErrors(root);
  const files = await build(root);
  findings.push(...promqlFindings(files));
  // Definitions are already imported by build(): loading again only re-validates them.
  findings.push(...lintDashboards(files, knownSeries(await loadPlatform(root), files)));
  // Validate the freshly compiled files, so a stale generated/ cannot hide a broken compile.
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-check-'));
  try {
    await writeFileSet(path.join(scratch, 'generated'), files);
    findings.push(...(await promtoolFindings(path.join(scratch, 'generated'), files)));
    findings.push(...(await scrapeConfigFindings(files)));
    findings.push(...(await amtoolFindings(path.join(scratch, 'generated'), files)));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const drift = await checkDrift(generatedDir(root), files);
  if (hasDrift(drift)) findings.push(`generated/ is out of date:\n${formatDrift(drift)}`);
  return findings;
}
