import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { amtoolFindings } from '../check/amtool.ts';
import { lintDashboards } from '../check/dashboard-lint.ts';
import { embeddedRuleFindings } from '../check/embedded-rules.ts';
import { kubernetesFindings } from '../check/kubernetes/index.ts';
import { knownSeries } from '../check/known-series.ts';
import { promqlFindings } from '../check/promql-lint.ts';
import { promtoolFindings, scrapeConfigFindings } from '../check/promtool.ts';
import { missingTools, missingToolsMessage } from '../check/tools.ts';
import { typeErrors } from '../check/typecheck.ts';
import { GeneratedTreeError, parseGeneratedTree } from '../reader/index.ts';
import { DefinitionErrors } from '../load/errors.ts';
import { loadPlatform } from '../load/load.ts';
import { checkDrift, formatDrift, hasDrift } from '../output/drift.ts';
import type { FileSet } from '../output/fileset.ts';
import { writeFileSet } from '../output/write.ts';
import { build, generatedDir } from './generate.ts';
import { liveCheckOptions, liveOptions, runLiveCheck } from './check-live.ts';
import { defineCommand, orUsage } from './command.ts';

/**
 * `check`: type-check, compile, parse every expression, run the real validators on what the
 * definitions compile to, and report a stale generated/. Returns every finding.
 */
export async function check(root: string): Promise<string[]> {
  const findings = await typeErrors(root);
  let files: FileSet;
  try {
    files = await build(root);
  } catch (error) {
    // The type errors name the line of a mistake that loading also rejects: report both.
    if (error instanceof DefinitionErrors) return [...findings, error.message];
    throw error;
  }
  findings.push(...promqlFindings(files));
  // Definitions are already imported by build(): loading again only re-validates them.
  findings.push(...lintDashboards(files, knownSeries(await loadPlatform(root), files)));
  const missing = await missingTools();
  if (missing.length > 0) findings.push(missingToolsMessage(missing));
  else findings.push(...(await validate(files)));
  const drift = await checkDrift(generatedDir(root), files);
  if (hasDrift(drift)) findings.push(`generated/ is out of date:\n${formatDrift(drift)}`);
  return findings;
}

/** promtool (rules, tests, scrape configs), amtool and the targets' schemas on the freshly compiled files, so a stale generated/ cannot hide a broken compile. */
async function validate(files: FileSet): Promise<string[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-check-'));
  try {
    await writeFileSet(path.join(scratch, 'generated'), files);
    return [
      ...(await promtoolFindings(path.join(scratch, 'generated'), files)),
      ...(await scrapeConfigFindings(files)),
      ...(await amtoolFindings(path.join(scratch, 'generated'), files)),
      ...(await targetFindings(files, path.join(scratch, 'embedded'))),
    ];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The targets' objects against their upstream schemas, and the rule groups they embed through promtool. */
async function targetFindings(files: FileSet, scratch: string): Promise<string[]> {
  try {
    // Only the targets' folders: the rest is validated above, and parsing it again costs time.
    const targets = new Map([...files].filter(([file]) => /^(kubernetes|mimir)\//.test(file)));
    const tree = parseGeneratedTree(targets, 'the compiled definitions');
    return [...(await kubernetesFindings(tree)), ...(await embeddedRuleFindings(tree, scratch))];
  } catch (error) {
    if (error instanceof GeneratedTreeError) return [...error.problems];
    throw error;
  }
}

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'type-check, compile and validate with promtool, amtool, the dashboard lint and the Kubernetes schemas',
  synopsis:
    '[--prometheus URL [--prometheus-header NAME=VALUE …] [--fail-on error|warning] [--format text|json|github|gitlab] [--series-budget SERIES]]',
  details:
    "Runs tsc on the definitions, parses every PromQL expression, runs promtool check rules --lint-fatal, promtool test rules, promtool check config (scrape jobs), amtool check-config and the route tests, lints every dashboard, validates the targets' Kubernetes objects against the upstream CRD schemas and reports a stale generated/. Exit 1 on any finding. With --prometheus, also checks the definitions against the running server and points each finding at the definition line that fixes it (docs/guides/live-check.md).",
  options: liveCheckOptions,
  async run({ values }, { root, out, err }) {
    const live = orUsage(liveOptions(values));
    const findings = await check(root);
    if (live) return runLiveCheck({ root, out, err }, live, findings);
    for (const finding of findings) err(`${finding}\n`);
    if (findings.length === 0) out('check passed\n');
    return findings.length === 0 ? 0 : 1;
  },
});
