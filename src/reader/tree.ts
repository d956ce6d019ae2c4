import path from 'node:path';
import { alertmanagerPath } from '../compile/alertmanager/names.ts';
import { ruleFilePath } from '../compile/prometheus/paths.ts';
import { mimirRulesPath } from '../compile/mimir/index.ts';
import { playbooksPath } from '../compile/remediation/index.ts';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { parseAlertmanagerFile } from './alertmanager.ts';
import { parseDashboard } from './dashboards.ts';
import { parsePlaybooks } from './playbooks.ts';
import { FileProblems, GeneratedTreeError } from './problems.ts';
import { parseRuleFile } from './rules.ts';
import { parseKubernetesFile, parseMimirFile } from './targets.ts';
import {
  isAlerting,
  type AlertingRule,
  type DashboardFile,
  type GeneratedTree,
  type Located,
  type RecordingRule,
  type RuleFile,
} from './types.ts';

const rulesDir = `${path.posix.dirname(ruleFilePath('x'))}/`;
const dashboardsDir = 'grafana/dashboards/';

/**
 * Files parsed by the previous and the current call, by path and content: a diff reads two
 * trees that mostly share their files, and YAML parsing is most of the cost. Parsed objects
 * are immutable, so sharing them is safe; only the last tree's are kept.
 */
let parsed = { previous: new Map<string, Map<string, unknown>>(), current: new Map<string, Map<string, unknown>>() };

function cached<T>(
  file: string,
  content: string,
  parse: () => { result: T; problems: readonly string[] },
): { result: T; problems: readonly string[] } {
  const known = (parsed.current.get(file) ?? parsed.previous.get(file))?.get(content) as
    | { result: T; problems: readonly string[] }
    | undefined;
  const entry = known ?? parse();
  const byContent = parsed.current.get(file) ?? new Map<string, unknown>();
  parsed.current.set(file, byContent.set(content, entry));
  return entry;
}

/**
 * Parses a generated tree (relative path → content) into typed objects. Throws a
 * GeneratedTreeError listing every problem, each with its file and field.
 */
export function parseGeneratedTree(files: FileSet, label: string): GeneratedTree {
  parsed = { previous: parsed.current, current: new Map() };
  const problems: string[] = [];
  const within = <T>(file: string, read: (checker: FileProblems) => T): T => {
    const entry = cached(file, files.get(file)!, () => {
      const checker = new FileProblems(file);
      return { result: read(checker), problems: checker.list };
    });
    problems.push(...entry.problems);
    return entry.result;
  };
  const paths = sortedPaths(files);
  const ruleFiles = paths
    .filter((file) => file.startsWith(rulesDir) && /\.ya?ml$/.test(file))
    .map((file) => within(file, (checker) => parseRuleFile(file, files.get(file)!, checker)));
  const alertmanagerContent = files.get(alertmanagerPath);
  const alertmanager =
    alertmanagerContent === undefined
      ? undefined
      : within(alertmanagerPath, (checker) => parseAlertmanagerFile(alertmanagerPath, alertmanagerContent, checker));
  const playbookContent = files.get(playbooksPath);
  const playbooks =
    playbookContent === undefined ? undefined : within(playbooksPath, (checker) => parsePlaybooks(playbooksPath, playbookContent, checker));
  const sourcesByStem = new Map(ruleFiles.map((file) => [stem(file.path), file.sources]));
  const dashboards: DashboardFile[] = [];
  for (const file of paths.filter((each) => each.startsWith(dashboardsDir) && each.endsWith('.json'))) {
    const read = within(file, (checker) => parseDashboard(file, files.get(file)!, checker));
    // A service's dashboard (uid svc-<service>) comes from the definition file of its rule file; a
    // dashboard of defineDashboard is named by its uid, which may be a service's name.
    if (read) dashboards.push({ ...read, sources: read.uid.startsWith('svc-') ? (sourcesByStem.get(stem(file)) ?? []) : [] });
  }
  const uids = new Map<string, string>();
  for (const dashboard of dashboards) {
    const other = uids.get(dashboard.uid);
    if (other) problems.push(`${dashboard.path}: uid: "${dashboard.uid}" is also the uid of ${other}`);
    uids.set(dashboard.uid, dashboard.path);
  }
  const kubernetes = paths
    .filter((file) => file.startsWith('kubernetes/') && /\.ya?ml$/.test(file))
    .map((file) => within(file, (checker) => parseKubernetesFile(file, files.get(file)!, checker)));
  const mimirContent = files.get(mimirRulesPath);
  const mimir =
    mimirContent === undefined ? undefined : within(mimirRulesPath, (checker) => parseMimirFile(mimirRulesPath, mimirContent, checker));
  if (problems.length > 0) throw new GeneratedTreeError(label, problems);
  return { label, files, ruleFiles, alertmanager, dashboards, playbooks, kubernetes, ...(mimir && { mimir }) };
}

/** `prometheus/rules/api.rules.yml` and `grafana/dashboards/platform/api.json` → `api`. */
const stem = (file: string): string => path.posix.basename(file).replace(/(\.rules)?\.(ya?ml|json)$/, '');

/** Every alerting rule of the tree, in file and group order. */
export function alertingRules(tree: GeneratedTree): Located<AlertingRule>[] {
  return locatedRules(tree.ruleFiles).filter((each): each is Located<AlertingRule> => isAlerting(each.rule));
}

/** Every recording rule of the tree, in file and group order. */
export function recordingRules(tree: GeneratedTree): Located<RecordingRule>[] {
  return locatedRules(tree.ruleFiles).filter((each): each is Located<RecordingRule> => !isAlerting(each.rule));
}

function locatedRules(files: readonly RuleFile[]): Located<AlertingRule | RecordingRule>[] {
  return files.flatMap((file) => file.groups.flatMap((group) => group.rules.map((rule) => ({ rule, file, group }))));
}
