import { invalidPromql } from '../findings/catalog/alerts.ts';
import { unknownTeam } from '../findings/catalog/references.ts';
import { duplicateGroup, noFiringCase, unknownSeverity, untestedButFires } from '../findings/catalog/rules.ts';
import type { Said } from '../findings/kind.ts';
import type { Sourced } from '../model/platform.ts';
import { firesRule, type RuleGroup } from '../model/rule-group.ts';
import { severities, severityOf, type Severities } from '../model/severity.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { renderRuleExpr } from '../promql/rule-expr.ts';
import { definitionError, type DefinitionError } from './errors.ts';

type Report = (error: DefinitionError) => void;

/**
 * Rule groups: owned by a defined team, named once per service (one rule file), every
 * expression valid PromQL, every severity known, and every alert with a case that fires or the
 * reason it has none.
 */
export function checkRuleGroups(
  groups: readonly (RuleGroup & Sourced)[],
  teams: readonly string[],
  declared: Severities | undefined,
  report: Report,
): void {
  const seen = new Map<string, RuleGroup & Sourced>();
  for (const group of groups) {
    const at = [`rule group "${group.name}"`];
    const fail = (path: readonly string[], said: Said): void => report(definitionError(group.source, [...at, ...path], said));
    if (!teams.includes(group.team)) fail(['team'], unknownTeam(group.team, teams));
    const key = `${group.service}\0${group.name}`;
    const earlier = seen.get(key);
    if (earlier) fail(['name'], duplicateGroup(group.service, earlier.source));
    else seen.set(key, group);
    for (const rule of group.rules) {
      const where = `${rule.kind} "${rule.name}"`;
      const error = promqlErrorsFor(renderRuleExpr(rule.expr))[0];
      if (error !== undefined) fail([where, 'expr'], invalidPromql(error));
      if (rule.kind === 'record') continue;
      const severity = rule.labels?.severity;
      if (severity !== undefined && severityOf(severity, declared) === undefined)
        fail([where, 'labels.severity'], unknownSeverity(severity, severities));
      // promtool tests an alert name: a case written on any rule of that name in the group counts.
      const fires = group.rules.some(
        (other) => other.kind === 'alert' && other.name === rule.name && (other.tests ?? []).some((test) => firesRule(test, rule)),
      );
      if (!fires && rule.untested === undefined) fail([where, 'tests'], noFiringCase());
      if (fires && rule.untested !== undefined) fail([where, 'untested'], untestedButFires());
    }
  }
}
