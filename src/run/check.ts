import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { amtoolFindings } from '../check/amtool.ts';
import type { ResultCache } from '../cache/result-cache.ts';
import { unchangedSince } from '../check/changed-since.ts';
import { lintPlatformDashboards } from '../check/dashboard-lint.ts';
import { cachedRuleFileFacts } from '../check/rule-files.ts';
import { embeddedRuleFindings } from '../check/embedded-rules.ts';
import { kubernetesFindings } from '../check/kubernetes/index.ts';
import { openSloFindings } from '../check/openslo.ts';
import { passedBefore, recordPass, type Prior, type ToolRun, type Verdict } from '../check/prior.ts';
import { promqlFindings } from '../check/promql-lint.ts';
import { promtoolFindings, scrapeConfigFindings } from '../check/promtool.ts';
import { ruleIntervalFindings } from '../check/rule-intervals.ts';
import { cachedSloShapeFindings } from '../check/slo-shapes.ts';
import { missingTools, missingToolsMessage, toolVersions } from '../check/tools.ts';
import { typeErrors } from '../check/typecheck.ts';
import { GeneratedTreeError, parseGeneratedTree } from '../reader/index.ts';
import { resolveRevision, RevisionError, type Revision } from '../reader/read.ts';
import { DefinitionErrors } from '../load/errors.ts';
import type { Platform } from '../model/platform.ts';
import { staleGenerated } from '../findings/catalog/check.ts';
import { findingLine } from '../findings/kind.ts';
import { checkDrift, formatDrift, hasDrift } from '../output/drift.ts';
import type { FileSet } from '../output/fileset.ts';
import { buildPlatform, generatedDir } from './generate.ts';
import { liveCheckOptions, liveOptions, runLiveCheck } from './check-live.ts';
import { cacheDirOf, cacheOptions, openCache } from './cache-options.ts';
import { defineCommand, orUsage, UsageError } from './command.ts';

export interface CheckOptions {
  /** Where passed verdicts are kept (absolute); `false` keeps none and reuses none. */
  readonly cacheDir?: string | false;
  /** A git revision whose committed generated/ passed a full check: files unchanged since are not run again. */
  readonly changedSince?: string;
}

/**
 * `check`: type-check, compile, parse every expression, run the real validators on what the
 * definitions compile to, and report a stale generated/. Returns every finding.
 */
export async function check(root: string, options: CheckOptions = {}): Promise<string[]> {
  // An unknown revision is a usage error: found before minutes of checking.
  const since = options.changedSince === undefined ? undefined : await resolveRevision(root, options.changedSince);
  // tsc is a process of its own: it runs while the definitions compile and the validators run.
  const types = typeErrors(root);
  const cache = await openCache(root, options.cacheDir);
  const built = await compiled(root, cache);
  // The type errors name the line of a mistake that loading also rejects: report both.
  if ('errors' in built) return [...(await types), built.errors.message];
  const [typeFindings, findings] = await Promise.all([types, checkCompiled(root, built, cache, since)]);
  return [...typeFindings, ...findings];
}

/** Every finding but the type errors on compiled definitions. */
async function checkCompiled(
  root: string,
  { platform, files }: { platform: Platform; files: FileSet },
  cache: ResultCache | undefined,
  since: Revision | undefined,
): Promise<string[]> {
  // The lints read the rule files' facts the cache holds (or parses them once for all the lints).
  await cachedRuleFileFacts(files, cache);
  const findings = [...lintFindings(platform, files), ...(await cachedSloShapeFindings(platform, files, cache))];
  const versions = await toolVersions();
  const missing = missingTools(versions);
  if (missing.length > 0) findings.push(missingToolsMessage(missing));
  else findings.push(...(await validate(files, platform, await priorPasses(root, files, versions, cache, since))));
  await cache?.sweep();
  const drift = await checkDrift(generatedDir(root), files);
  if (hasDrift(drift)) findings.push(`${findingLine(staleGenerated())}\n${formatDrift(drift)}`);
  return findings;
}

async function compiled(
  root: string,
  cache: ResultCache | undefined,
): Promise<{ platform: Platform; files: FileSet } | { errors: DefinitionErrors }> {
  try {
    return await buildPlatform(root, cache);
  } catch (error) {
    if (error instanceof DefinitionErrors) return { errors: error };
    throw error;
  }
}

/** Every expression parsed, every dashboard linted, rule intervals checked: checks of monforge's own, no tool needed. */
function lintFindings(platform: Platform, files: FileSet): string[] {
  return [
    ...promqlFindings(files),
    ...openSloFindings(files),
    ...lintPlatformDashboards(platform, files),
    ...ruleIntervalFindings(files, platform.config.evaluationInterval),
  ];
}

/** What the validators may skip. */
async function priorPasses(
  root: string,
  files: FileSet,
  versions: Prior['versions'],
  cache: ResultCache | undefined,
  since?: Revision,
): Promise<Prior> {
  return {
    versions,
    ...(cache && { cache }),
    ...(since && { unchanged: await unchangedSince(root, since, files) }),
  };
}

/** promtool (rules, tests, scrape configs), amtool and the targets' schemas on the freshly compiled files, so a stale generated/ cannot hide a broken compile. */
async function validate(files: FileSet, platform: Platform, prior: Prior): Promise<string[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-check-'));
  try {
    // At once: each keeps the cores busy while another waits on its last, longest file.
    const found = await Promise.all([
      promtoolFindings(path.join(scratch, 'generated'), files, prior, platform.services),
      scrapeConfigFindings(files, prior),
      amtoolFindings(path.join(scratch, 'generated'), files, prior),
      targetFindings(files, path.join(scratch, 'embedded'), prior),
    ]);
    return found.flat();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The targets' objects against their upstream schemas, and the rule groups they embed through promtool; skipped when the same files passed before. */
async function targetFindings(files: FileSet, scratch: string, prior: Prior): Promise<string[]> {
  // Only the targets' folders: the rest is validated above, and parsing it again costs time.
  const targets = new Map([...files].filter(([file]) => /^(kubernetes|mimir)\//.test(file)));
  const verdict: Verdict = { tool: 'promtool', command: ['check', 'rules', 'embedded', 'and schemas'], inputs: [...targets.keys()] };
  const run: ToolRun = { dir: scratch, files, prior };
  if (targets.size === 0 || (await passedBefore(verdict, run))) return [];
  try {
    const tree = parseGeneratedTree(targets, 'the compiled definitions');
    const findings = [...(await kubernetesFindings(tree)), ...(await embeddedRuleFindings(tree, scratch))];
    if (findings.length === 0) await recordPass(verdict, run);
    return findings;
  } catch (error) {
    if (error instanceof GeneratedTreeError) return [...error.problems];
    throw error;
  }
}

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'type-check, compile and validate with promtool, amtool, the dashboard lint, the Kubernetes schemas and OpenSLO',
  synopsis:
    '[--cache-dir DIR | --no-cache] [--changed-since REF] [--prometheus URL [--prometheus-header NAME=VALUE …] [--fail-on error|warning] [--format text|json|github|gitlab] [--series-budget SERIES]]',
  details:
    "Runs tsc on the definitions, parses every PromQL expression, runs promtool check rules --lint-fatal, promtool test rules, promtool check config (scrape jobs), amtool check-config and the route tests, lints every dashboard, checks that every rule group runs often enough for the groups that read it (promtool's unit tests ignore group intervals) and that every SLO's recording rules are those of the shape its wiring tests exercise, validates the targets' Kubernetes objects against the upstream CRD schemas and their OpenSLO objects against OpenSLO v1, and reports a stale generated/. Exit 1 on any finding.\n\nThe validators run batched over the cores. Services' test files that are the same up to the services' names run once for all, and each test group loads only the rules it reads (docs/guides/scaling.md). A verdict that passed is kept in a cache keyed by the bytes it depends on, the tool's version and monforge's version, so a later check runs promtool and amtool only on what changed.\n\nWith --prometheus, also checks the definitions against the running server and points each finding at the definition line that fixes it (docs/guides/live-check.md).",
  options: {
    ...cacheOptions('run every validator on every file and compile every service'),
    'changed-since': {
      type: 'string',
      value: 'REF',
      description: 'skip the validators on generated files unchanged since REF (its full check passed), for pull requests',
    },
    ...liveCheckOptions,
  },
  async run({ values }, { root, cwd, out, err }) {
    const cacheDir = cacheDirOf(values, cwd);
    const live = orUsage(liveOptions(values));
    let findings: string[];
    try {
      findings = await check(root, {
        ...(cacheDir !== undefined && { cacheDir }),
        ...(values['changed-since'] !== undefined && { changedSince: values['changed-since'] }),
      });
    } catch (error) {
      if (error instanceof RevisionError) throw new UsageError(`--changed-since: ${error.message}`);
      throw error;
    }
    if (live) return runLiveCheck({ root, out, err }, live, findings);
    for (const finding of findings) err(`${finding}\n`);
    if (findings.length === 0) out('check passed\n');
    return findings.length === 0 ? 0 : 1;
  },
});
