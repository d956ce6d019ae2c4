import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { FileProblems, parseAlertmanagerFile } from '../reader/index.ts';
import type { AlertmanagerSettings, GeneratedTree } from '../reader/types.ts';
import type { LabelMatcher, Route } from '../compile/alertmanager/types.ts';
import { durationSeconds } from '../model/duration.ts';
import { readIfExists, replaceFile, restoreFile } from '../output/durable.ts';
import { answerOf, expectStatus, httpRequest, joinUrl, type HttpLimits } from '../process/http.ts';
import { ApplyError, changes, type Change, type Deployment } from './plan.ts';

const statusShape = z.object({ config: z.object({ original: z.string() }) });

export interface AlertmanagerTarget {
  readonly url: string;
  /** The file Alertmanager's `--config.file` names. */
  readonly configFile: string;
}

/**
 * alertmanager.yml into `--alertmanager-config`, `POST /-/reload`, then `/api/v2/status` must
 * show the new configuration running. Alertmanager keeps the previous configuration when the
 * new one is bad (the reload answers 500, a SIGHUP only logs): apply puts the old file back
 * so a restart runs what is running now, and fails.
 */
export function alertmanagerDeployment(tree: GeneratedTree, target: AlertmanagerTarget, limits: HttpLimits): Deployment {
  const file = tree.alertmanager;
  if (!file) throw new ApplyError(`${tree.label} has no alertmanager/alertmanager.yml`);
  const content = tree.files.get(file.path)!;
  const desired = fingerprint(file.config);

  /** Why the running configuration is not ours, or undefined. */
  const runningProblem = async (): Promise<string | undefined> => {
    const what = 'Alertmanager GET /api/v2/status';
    const response = expectStatus(await httpRequest(joinUrl(target.url, '/api/v2/status'), { what }, limits), what, 200);
    const status = answerOf(statusShape, response, what);
    const problems = new FileProblems('the running configuration');
    const running = parseAlertmanagerFile('running', status.config.original, problems);
    if (!running) throw new ApplyError(`${what}: cannot read the running configuration: ${problems.list[0]}`);
    return firstDifference(desired, fingerprint(running.config));
  };

  return {
    name: 'alertmanager',
    where: `${target.url}, config ${target.configFile}`,
    async plan() {
      const current = await readIfExists(target.configFile);
      const plan: Change[] = [
        { object: target.configFile, action: current === undefined ? 'create' : current === content ? 'unchanged' : 'update' },
      ];
      if (changes(plan).length === 0) {
        const problem = await runningProblem();
        if (problem) plan.push({ object: 'reload', action: 'update', detail: `the running configuration differs: ${problem}` });
      }
      return plan;
    },
    async apply() {
      const previous = await readIfExists(target.configFile);
      await replaceFile(target.configFile, content);
      const reload = await httpRequest(joinUrl(target.url, '/-/reload'), { what: 'Alertmanager POST /-/reload', method: 'POST' }, limits);
      const refused = reload.status === 200 ? undefined : reload.text.trim().split('\n')[0];
      let problem: string | undefined;
      for (let attempt = 0; attempt < (refused ? 1 : 20); attempt += 1) {
        problem = await runningProblem();
        if (!problem) return;
        await sleep(250);
      }
      await restoreFile(target.configFile, previous);
      throw new ApplyError(
        `Alertmanager kept its previous configuration (${refused ? `reload refused: ${refused}` : problem}); ${target.configFile} is restored`,
      );
    },
  };
}

/**
 * What identifies a configuration in the form Alertmanager reports it back (re-serialized, keys
 * reordered, matchers sorted, defaults filled in): the route tree with its timers, the inhibit
 * rules, receivers with their integration types, and time interval names.
 */
export function fingerprint(config: AlertmanagerSettings): Record<string, unknown> {
  const matchers = (list: readonly LabelMatcher[] | undefined): string[] =>
    (list ?? []).map((matcher) => `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`).sort();
  const route = (each: Route): unknown => ({
    receiver: each.receiver,
    matchers: matchers(each.matchers),
    group_by: each.group_by ?? [],
    continue: each.continue ?? false,
    group_wait: durationSeconds(each.group_wait ?? ''),
    group_interval: durationSeconds(each.group_interval ?? ''),
    repeat_interval: durationSeconds(each.repeat_interval ?? ''),
    mute: each.mute_time_intervals ?? [],
    active: each.active_time_intervals ?? [],
    routes: (each.routes ?? []).map(route),
  });
  return {
    route: route(config.route),
    inhibit_rules: config.inhibitRules.map((rule) => ({
      source: matchers(rule.source_matchers),
      target: matchers(rule.target_matchers),
      equal: [...(rule.equal ?? [])].sort(),
    })),
    receivers: config.receivers.map((receiver) => ({ name: receiver.name, integrations: receiver.integrations.map((each) => each.type) })),
    time_intervals: config.timeIntervals.map((interval) => interval.name),
  };
}

export function firstDifference(desired: Record<string, unknown>, running: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(desired)) if (JSON.stringify(desired[key]) !== JSON.stringify(running[key])) return `its ${key} differ`;
  return undefined;
}
