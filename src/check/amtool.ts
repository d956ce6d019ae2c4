import path from 'node:path';
import { equals, renderMatcher } from '../compile/alertmanager/matchers.ts';
import { alertmanagerPath, routeTestsPath } from '../compile/alertmanager/names.ts';
import type { RouteCase, RouteTests } from '../compile/alertmanager/expectations.ts';
import type { FileSet } from '../output/fileset.ts';
import { runTool } from './tools.ts';

/** `amtool check-config` on the generated configuration, then every route test; run inside `dir`. */
export async function amtoolFindings(dir: string, files: FileSet): Promise<string[]> {
  if (!files.has(alertmanagerPath)) return [];
  const result = await runTool('amtool', ['check-config', alertmanagerPath], dir);
  if (!result.ok) return [`amtool check-config failed:\n${result.output}`];
  const tests = files.get(routeTestsPath);
  if (tests === undefined) return [];
  const { config, cases } = JSON.parse(tests) as RouteTests;
  const failures = await routeTestFailures(dir, path.posix.join(path.posix.dirname(routeTestsPath), config), cases);
  return failures.map((failure) => `${routeTestsPath}: ${failure}`);
}

/** How many amtool processes run at once: each is short-lived and mostly start-up. */
const parallel = 4;

/**
 * `amtool config routes test --verify.receivers=…` for each case; one line per case whose
 * alert reaches other receivers than expected (amtool prints them in tree order).
 */
export async function routeTestFailures(dir: string, configFile: string, cases: readonly RouteCase[]): Promise<string[]> {
  const failures: (string | undefined)[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < cases.length; index = next++) {
      const { labels, receivers } = cases[index]!;
      const args = Object.entries(labels).map(([label, value]) => renderMatcher(equals(label, value)));
      const result = await runTool(
        'amtool',
        ['config', 'routes', 'test', `--config.file=${configFile}`, `--verify.receivers=${receivers.join(',')}`, ...args],
        dir,
      );
      if (!result.ok) {
        const actual =
          result.output.split('\n').find((line) => line.trim() !== '' && !line.startsWith('Warning') && !line.startsWith('WARNING')) ??
          result.output;
        failures[index] = `{${args.join(', ')}} reaches ${actual.trim() || 'nothing'}, expected ${receivers.join(',')}`;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return failures.filter((failure): failure is string => failure !== undefined);
}
