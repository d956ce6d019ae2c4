import { durationSeconds } from '../model/duration.ts';
import { escapePromqlString, renderTemplate, templateRefs } from '../model/label-template.ts';
import type { Sourced } from '../model/platform.ts';
import type { Action, JsonValue, Playbook } from '../model/playbook.ts';
import { handledAlerts, handles } from '../model/playbook-services.ts';
import type { RuleGroup } from '../model/rule-group.ts';
import type { Service } from '../model/service.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import * as findings from '../findings/catalog/playbooks.ts';
import * as references from '../findings/catalog/references.ts';
import { duplicateName } from '../findings/catalog/definitions.ts';
import type { Said } from '../findings/kind.ts';
import { definitionError, type DefinitionError } from './errors.ts';

/** The alert the receiver posts when a playbook fails; a playbook for it would loop. */
export const escalationAlertName = 'RemediationFailed';

export interface Problem {
  readonly path: string[];
  readonly said: Said;
}

/** The parts of a playbook these checks read; both the definition and the compiled form have them. */
export type PlaybookShape = Pick<Playbook, 'match' | 'allowExec' | 'verify' | 'onFailure' | 'onResolved'> & {
  readonly actions: readonly Action[];
};

/**
 * What zod cannot express: unique action names, programs in the allow-list, templates that
 * only use `{{ $labels.<name> }}`, URLs and PromQL that stay valid whatever a label holds.
 * The receiver runs these again on a playbooks.json edited by hand.
 */
export function playbookProblems(playbook: PlaybookShape): Problem[] {
  const problems: Problem[] = [];
  if (playbook.match.alertname === escalationAlertName) {
    problems.push({ path: ['match', 'alertname'], said: findings.escalationLoop(escalationAlertName) });
  }
  const seen = new Set<string>();
  const lists: [string[], readonly Action[]][] = [
    [[], playbook.actions],
    [['onFailure'], playbook.onFailure?.rollback ?? []],
    [[], playbook.onResolved ?? []],
  ];
  for (const [prefix, actions] of lists) {
    for (const action of actions) {
      const at = [...prefix, `action "${action.name}"`];
      if (seen.has(action.name)) problems.push({ path: at, said: duplicateName('action', action.name) });
      seen.add(action.name);
      for (const { path, said } of actionProblems(action, playbook.allowExec ?? [])) problems.push({ path: [...at, ...path], said });
    }
  }
  const verify = playbook.verify;
  if (verify) {
    problems.push(...templateProblems(verify.query, ['verify', 'query']));
    // A label value holding `"` must not end the string it was placed in: outside a
    // double-quoted string the escaped probe is a syntax error.
    const probe = safeRender(verify.query, () => escapePromqlString('x"'));
    const error = probe === undefined ? undefined : promqlErrorsFor(probe)[0]; // the rest are mostly its echoes
    if (error) problems.push({ path: ['verify', 'query'], said: findings.verifyPromql(error) });
    if (verify.within && verify.interval && durationSeconds(verify.interval)! > durationSeconds(verify.within)!) {
      problems.push({ path: ['verify', 'interval'], said: findings.verifyInterval(verify.within) });
    }
  }
  return problems;
}

function actionProblems(action: Action, allowExec: readonly string[]): Problem[] {
  switch (action.kind) {
    case 'exec':
      return allowExec.includes(action.argv[0]) ? [] : [{ path: ['argv'], said: findings.execNotAllowed(action.argv[0], allowExec) }];
    case 'log':
      return templateProblems(action.message, ['message']);
    case 'http': {
      const problems = [
        ...templateProblems(action.url, ['url']),
        ...jsonStrings(action.body).flatMap((text) => templateProblems(text, ['body'])),
      ];
      const url = safeRender(action.url, () => 'x');
      if (templatedOrigin.test(action.url)) problems.push({ path: ['url'], said: findings.templatedHost(action.url) });
      else if (url !== undefined && !isHttpUrl(url)) problems.push({ path: ['url'], said: findings.invalidUrl(action.url) });
      return problems;
    }
  }
}

/** A placeholder between `scheme://` and the path, query or fragment: in the user, host or port. */
const templatedOrigin = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*\{\{/;

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function templateProblems(text: string, path: string[]): Problem[] {
  return templateRefs(text).invalid.map((placeholder) => ({ path, said: findings.unsupportedTemplate(placeholder) }));
}

/** The template with every placeholder replaced, or undefined when it has invalid ones. */
function safeRender(text: string, value: () => string): string | undefined {
  const { labels, invalid } = templateRefs(text);
  if (invalid.length > 0) return undefined;
  return renderTemplate(text, Object.fromEntries(labels.map((name) => [name, ''])), value);
}

export function jsonStrings(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(jsonStrings);
}

/**
 * Each playbook's own problems, and a match that selects at least one alert the platform emits:
 * a service's, or an alerting rule of a rule group (imported rules among them).
 */
export function checkPlaybooks(
  playbooks: readonly (Playbook & Sourced)[],
  platform: { readonly services: readonly Service[]; readonly ruleGroups?: readonly RuleGroup[] },
  report: (error: DefinitionError) => void,
): void {
  const emitted = handledAlerts(platform);
  const serviceNames = new Set(platform.services.map((service) => service.name));
  for (const alert of emitted) if (alert.service !== undefined) serviceNames.add(alert.service);
  for (const playbook of playbooks) {
    const fail = (path: string[], said: Said): void =>
      report(definitionError(playbook.source, [`playbook "${playbook.name}"`, ...path], said));
    for (const problem of playbookProblems(playbook)) fail(problem.path, problem.said);
    const { alertname, service } = playbook.match;
    if (alertname === escalationAlertName) continue; // reported above
    if (service !== undefined && !serviceNames.has(service)) {
      fail(['match', 'service'], references.unknownService(service, serviceNames));
    } else if (alertname !== undefined && !emitted.some((alert) => alert.alertname === alertname)) {
      fail(
        ['match', 'alertname'],
        references.unknownAlert(
          alertname,
          emitted.map((alert) => alert.alertname),
        ),
      );
    } else if (!emitted.some((alert) => handles(playbook, alert))) {
      fail(['match'], findings.neverRuns(describeMatch(playbook.match)));
    }
  }
}

function describeMatch(match: Playbook['match']): string {
  return Object.entries(match)
    .map(([label, value]) => `${label}="${value}"`)
    .join(', ');
}
