import { platformHealthName } from '../../model/health.ts';
import type { EmittedRuleFile } from '../../model/emitted.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Platform, Sourced } from '../../model/platform.ts';
import { remediationOutcomesName } from '../../model/playbook-services.ts';
import type { Service } from '../../model/service.ts';
import { compareBytes, mergeFileSets, type FileSet } from '../../output/fileset.ts';
import { generatedHeader, toYaml } from '../../output/serialize.ts';
import { withDashboardLinks } from './dashboard-links.ts';
import { healthGroup, healthInput, type HealthInput } from './health.ts';
import { baselineRuleFilePath, baselineTestFilePath, ruleFilePath, testFilePath } from './paths.ts';
import { remediationGroup } from './remediation-outcomes.ts';
import { ruleGroupFiles, type RenderedGroup } from './rule-groups.ts';
import type { RuleGroup } from './rules.ts';
import { baselineGroupName, serviceRuleGroups } from './service-rules.ts';
import { healthTestFile } from './promtool-cases/health-tests.ts';
import { remediationTestFile } from './promtool-cases/remediation-tests.ts';
import { serviceTestFile } from './promtool-cases/test-file.ts';
import { shapeTestFiles } from './promtool-cases/slo-wiring.ts';
import { shapeDaysTestFilePath, shapeRuleFilePath, shapeRuleGroups, shapeTestFilePath, sloShape, type SloShape } from './slo-shape.ts';

/** One rule file with its promtool test files (by path); the tests are built only when written. */
interface RuleFile extends EmittedRuleFile {
  readonly groups: readonly (RuleGroup | RenderedGroup)[];
  readonly rulePath: string;
  readonly tests: () => ReadonlyArray<readonly [string, object]>;
}

/**
 * One rule file and one promtool test file per service (and a pair for its baseline alerts,
 * see paths.ts), plus the platform health score's and the remediation outcomes'; and per SLO
 * shape (slo-shape.ts) the exemplar's recording rules with their wiring tests.
 */
export function compilePrometheus(platform: Platform): FileSet {
  return mergeFileSets(
    ...platform.services.map((service) => prometheusServiceFiles(platform.config, service)),
    healthScoreFiles(healthFilesInput(platform)),
    prometheusPlatformFiles(platform),
  );
}

/** A service's rule and test files: they read the config and that service only. */
export function prometheusServiceFiles(config: PlatformConfig, service: Service & Sourced): FileSet {
  return renderRuleFiles(serviceRuleFiles(config, service));
}

/** What the health score's files are built from: every service's definition file and `HealthInput`. */
export interface HealthFilesInput {
  readonly sources: readonly string[];
  readonly services: readonly HealthInput[];
}

export const healthFilesInput = (platform: Platform): HealthFilesInput => ({
  sources: platform.services.map((service) => service.source),
  services: platform.services.map(healthInput),
});

/** How a caller renders the health score's files: `healthScoreFiles`, or a cache of it (cache/compiled-files.ts). */
export type HealthCompiler = (input: HealthFilesInput) => FileSet;

/**
 * The other files that read more than one service (the health score's are `healthScoreFiles`):
 * the rule groups', the remediation outcomes', the SLO shapes'.
 */
export function prometheusPlatformFiles(platform: Platform): FileSet {
  const files = renderRuleFiles(otherPlatformRuleFiles(platform));
  for (const { shape, sources } of sloShapes(platform)) {
    const header = generatedHeader(sources);
    files.set(shapeRuleFilePath(shape), toYaml({ groups: shapeRuleGroups(platform.config, shape) }, header));
    const paths = { raw: shapeTestFilePath(shape), days: shapeDaysTestFilePath(shape) };
    for (const [path, tests] of shapeTestFiles(shape, paths)) files.set(path, toYaml(tests, header));
  }
  return files;
}

function renderRuleFiles(ruleFiles: readonly RuleFile[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of ruleFiles) {
    const header = generatedHeader([...file.sources]);
    files.set(file.rulePath, toYaml({ groups: file.groups }, header));
    for (const [path, tests] of file.tests()) files.set(path, toYaml(tests, header));
  }
  return files;
}

/** Every SLO shape of the platform, with the definition files of the SLOs that have it. */
function sloShapes(platform: Platform): { shape: SloShape; sources: string[] }[] {
  const found = new Map<string, { shape: SloShape; sources: Set<string> }>();
  for (const service of platform.services) {
    for (const slo of service.slos ?? []) {
      const shape = sloShape(slo);
      const entry = found.get(shape.key) ?? { shape, sources: new Set<string>() };
      entry.sources.add(service.source);
      found.set(shape.key, entry);
    }
  }
  return [...found.values()]
    .sort((a, b) => compareBytes(a.shape.key, b.shape.key))
    .map(({ shape, sources }) => ({ shape, sources: [...sources].sort(compareBytes) }));
}

/**
 * The groups of every rule file compilePrometheus writes, as data, by file name: what
 * compile/index.ts hands to the targets that re-package rules (PrometheusRule, Mimir).
 */
export function prometheusRuleFiles(platform: Platform): EmittedRuleFile[] {
  return ruleFiles(platform)
    .map(({ name, sources, groups, service }): EmittedRuleFile => ({ name, sources, groups, ...(service && { service }) }))
    .sort((a, b) => compareBytes(a.name, b.name));
}

function ruleFiles(platform: Platform): RuleFile[] {
  return [
    ...platform.services.flatMap((service) => serviceRuleFiles(platform.config, service)),
    ...healthRuleFiles(healthFilesInput(platform)),
    ...otherPlatformRuleFiles(platform),
  ];
}

/**
 * The health score's rule file: every service's components and score. None without services:
 * the platform's score would average series nothing records (a project of imported rules only).
 */
function healthRuleFiles({ sources, services }: HealthFilesInput): RuleFile[] {
  if (services.length === 0) return [];
  return [
    {
      name: platformHealthName,
      sources,
      groups: [healthGroup(services)],
      rulePath: ruleFilePath(platformHealthName),
      tests: () => [[testFilePath(platformHealthName), healthTestFile(services)]],
    },
  ];
}

/** The health score's files last rendered, and the key of all they were rendered from. */
let lastHealth: { key: string; files: ReadonlyMap<string, string> } | undefined;

/**
 * The health score's files (megabytes at a thousand services): rendered again only when what
 * they read of the services changed, so that generate --watch, after a service's edit that
 * leaves its alerts' names and severities alone, does not write them out again.
 */
export function healthScoreFiles(input: HealthFilesInput): FileSet {
  const key = JSON.stringify([input.sources, input.services]);
  if (lastHealth?.key !== key) lastHealth = { key, files: renderRuleFiles(healthRuleFiles(input)) };
  return lastHealth.files;
}

/** The rule files that read more than one service, but the health score's. */
function otherPlatformRuleFiles(platform: Platform): RuleFile[] {
  const files: RuleFile[] = [];
  for (const file of ruleGroupFiles(platform)) {
    files.push({
      ...file,
      tests: () => {
        const tests = file.tests();
        return tests ? [[file.testPath, tests]] : [];
      },
    });
  }
  if (platform.playbooks.length > 0) {
    const remediation = remediationGroup(platform);
    files.push({
      name: remediationOutcomesName,
      sources: [platform.config.source, ...platform.playbooks.map((playbook) => playbook.source)],
      groups: [remediation],
      rulePath: ruleFilePath(remediationOutcomesName),
      tests: () => [[testFilePath(remediationOutcomesName), remediationTestFile(remediation)]],
    });
  }
  return files;
}

/** A service's rule file, and its baseline alerts' file when it has any. */
function serviceRuleFiles(config: PlatformConfig, service: Service & Sourced): RuleFile[] {
  const groups = withDashboardLinks(config, service, serviceRuleGroups(config, service));
  const baseline = groups.filter((group) => group.name === baselineGroupName(service));
  const main = groups.filter((group) => group.name !== baselineGroupName(service));
  const file = (name: string, part: RuleGroup[], rulePath: string, testPath: string): RuleFile => ({
    name,
    service: service.name,
    sources: [service.source],
    groups: part,
    rulePath,
    tests: () => [[testPath, serviceTestFile(service, part, rulePath)]],
  });
  return [
    file(service.name, main, ruleFilePath(service.name), testFilePath(service.name)),
    ...(baseline.length > 0
      ? [file(`${service.name}.baseline`, baseline, baselineRuleFilePath(service.name), baselineTestFilePath(service.name))]
      : []),
  ];
}
