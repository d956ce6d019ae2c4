import os from 'node:os';
import path from 'node:path';
import { equals, matches, renderMatcher } from '../compile/alertmanager/matchers.ts';
import { alertmanagerPath, routeTestsPath } from '../compile/alertmanager/names.ts';
import type { RouteCase, RouteTests } from '../compile/alertmanager/expectations.ts';
import type { LabelMatcher, Route } from '../compile/alertmanager/types.ts';
import type { FileSet } from '../output/fileset.ts';
import { parseAlertmanagerFile } from '../reader/alertmanager.ts';
import { FileProblems } from '../reader/problems.ts';
import { passedBefore, recordPass, writeInputs, type Prior, type ToolRun, type Verdict } from './prior.ts';
import { runTool } from './tools.ts';
import { amtoolConfig, routeTest, toolFault } from '../findings/catalog/validators.ts';
import { findingLine } from '../findings/kind.ts';

/** One amtool run is start-up and a small config: a minute means it is stuck. */
const deadlineMs = 60_000;

/** `amtool check-config` on the generated configuration, then every route test; run inside `dir`. */
export async function amtoolFindings(dir: string, files: FileSet, prior?: Prior): Promise<string[]> {
  const config = files.get(alertmanagerPath);
  if (config === undefined) return [];
  const run: ToolRun = { dir, files, ...(prior && { prior }) };
  const checked: Verdict = { tool: 'amtool', command: ['check-config'], inputs: [alertmanagerPath] };
  if (!(await passedBefore(checked, run))) {
    await writeInputs(run, [alertmanagerPath]);
    const result = await runTool('amtool', ['check-config', alertmanagerPath], dir, { timeoutMs: deadlineMs });
    if (!result.ok)
      return result.cut
        ? [findingLine(toolFault(alertmanagerPath, 'amtool check-config', `was cut short: ${result.output}`))]
        : configFailures(result.output);
    await recordPass(checked, run);
  }
  const tests = files.get(routeTestsPath);
  if (tests === undefined) return [];
  const { config: configName, cases } = JSON.parse(tests) as RouteTests;
  const configFile = path.posix.join(path.posix.dirname(routeTestsPath), configName);
  const failures = await routeTestFailures(dir, configFile, cases, run);
  return failures.map((failure) =>
    findingLine(failure.fault ? toolFault(routeTestsPath, failure.text, '') : routeTest(routeTestsPath, failure.text)),
  );
}

/** amtool's account of a rejected configuration, one line per problem (`line 40: field … not found`). */
function configFailures(output: string): string[] {
  const problems = output
    .split('\n')
    .map((line) => line.replace(/^Checking '[^']*'\s+FAILED:\s*/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('amtool: error: failed to validate') && !/unmarshal errors:$/.test(line));
  return (problems.length > 0 ? problems : ['amtool check-config failed and said nothing']).map((problem) => {
    const at = /^line (\d+): (.*)$/.exec(problem);
    return findingLine(at ? amtoolConfig(alertmanagerPath, Number(at[1]), at[2]!) : amtoolConfig(alertmanagerPath, undefined, problem));
  });
}

/** A case that failed, named by its labels as amtool's arguments; `fault` when amtool gave no answer. */
export interface RouteFailure {
  readonly text: string;
  readonly fault: boolean;
}

/**
 * `amtool config routes test --verify.receivers=…` for each case; one line per case whose
 * alert reaches other receivers than expected (amtool prints them in tree order).
 *
 * Routing reads a case's labels only through the routes' matchers, so cases that every matcher
 * treats alike (and that expect the same receivers) get one verdict: amtool runs once for all
 * of them, on the first of them. Each case that fails is still reported with its own labels.
 */
export async function routeTestFailures(
  dir: string,
  configFile: string,
  cases: readonly RouteCase[],
  run: ToolRun = { dir, files: new Map() },
): Promise<RouteFailure[]> {
  const routing = routingOf(configFile, run.files);
  const groups = new Map<string, RouteCase[]>();
  for (const each of cases) {
    const key = JSON.stringify([routing(each.labels), each.receivers]);
    if (groups.has(key)) groups.get(key)!.push(each);
    else groups.set(key, [each]);
  }
  const distinct = [...groups.entries()];
  // What each distinct case reached when it failed, or why amtool gave no answer.
  const outcomes: ({ reached: string } | { fault: string } | undefined)[] = new Array(distinct.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < distinct.length; index = next++) {
      const [key, [first]] = distinct[index]! as [string, RouteCase[]];
      const verdict: Verdict = { tool: 'amtool', command: ['config', 'routes', 'test'], inputs: [configFile], extra: key };
      if (await passedBefore(verdict, run)) continue;
      const args = matcherArgs(first!);
      const result = await runTool(
        'amtool',
        ['config', 'routes', 'test', `--config.file=${configFile}`, `--verify.receivers=${first!.receivers.join(',')}`, ...args],
        dir,
        { timeoutMs: deadlineMs },
      );
      if (result.ok) await recordPass(verdict, run);
      else if (result.cut) outcomes[index] = { fault: result.output };
      else
        outcomes[index] = {
          reached: (
            result.output.split('\n').find((line) => line.trim() !== '' && !line.startsWith('Warning') && !line.startsWith('WARNING')) ??
            result.output
          ).trim(),
        };
    }
  };
  if (run.files.has(configFile)) await writeInputs(run, [configFile]);
  // Each run is mostly amtool's start-up: a few more at once than there are cores.
  await Promise.all(Array.from({ length: 2 * Math.max(1, os.availableParallelism()) }, worker));
  return distinct.flatMap(([, members], index): RouteFailure[] => {
    const outcome = outcomes[index];
    if (outcome === undefined) return [];
    // A fault of the tool is one line for the group; a wrong route, one line per case.
    if ('fault' in outcome) {
      const others = members.length > 1 ? ` (and ${members.length - 1} cases routed alike)` : '';
      return [{ text: `{${matcherArgs(members[0]!).join(', ')}}${others}: ${outcome.fault}`, fault: true }];
    }
    return members.map((each) => ({
      text: `{${matcherArgs(each).join(', ')}} reaches ${outcome.reached || 'nothing'}, expected ${each.receivers.join(',')}`,
      fault: false,
    }));
  });
}

const matcherArgs = (each: RouteCase): string[] => Object.entries(each.labels).map(([label, value]) => renderMatcher(equals(label, value)));

/** Regular expressions JavaScript reads as Go's RE2 does: no flags, groups or escapes of letters. */
const portableRegex = (pattern: string): boolean => !pattern.includes('(?') && !/\\[A-Za-z0-9]/.test(pattern);

/**
 * What routing reads of a case's labels: whether each matcher of the tree matches them, in
 * Alertmanager's semantics; or, where a regular expression might read differently here than in
 * Go, the labels the matchers name; or, when the configuration cannot be read, every label.
 */
function routingOf(configFile: string, files: FileSet): (labels: RouteCase['labels']) => unknown {
  const content = files.get(configFile);
  const problems = new FileProblems(configFile);
  const config = content === undefined ? undefined : parseAlertmanagerFile(configFile, content, problems);
  if (!config || problems.list.length > 0) return (labels) => labels;
  const matchers: LabelMatcher[] = [];
  const walk = (route: Route): void => {
    matchers.push(...(route.matchers ?? []));
    for (const child of route.routes ?? []) walk(child);
  };
  walk(config.config.route);
  if (matchers.every((matcher) => !matcher.op.includes('~') || portableRegex(matcher.value)))
    return (labels) => matchers.map((matcher) => (matches(matcher, labels) ? 1 : 0)).join('');
  const names = new Set(matchers.map((matcher) => matcher.label));
  return (labels) =>
    Object.entries(labels)
      .filter(([label]) => names.has(label))
      .sort(([a], [b]) => (a < b ? -1 : 1));
}
