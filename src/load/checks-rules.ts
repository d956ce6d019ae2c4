import type { Sourced } from '../model/platform.ts';
import { firesRule, type RuleGroup } from '../model/rule-group.ts';
import { severities, severityOf, type Severities } from '../model/severity.ts';
import { promqlErrorsFor } from '../promql/parse.ts';
import { renderRuleExpr } from '../promql/rule-expr.ts';
import { invalidValue } from '../findings/catalog/schema.ts';
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
    if (!teams.includes(group.team))
      report(
        definitionError(
          group.source,
          [...at, 'team'],
          invalidValue(`unknown team "${group.team}" (known: ${[...teams].sort().join(', ') || 'none'})`),
        ),
      );
    const key = `${group.service}\0${group.name}`;
    const earlier = seen.get(key);
    if (earlier)
      report(
        definitionError(
          group.source,
          [...at, 'name'],
          invalidValue(
            `service "${group.service}" has a second group of this name (the first is in ${earlier.source}): Prometheus needs group names unique within a rule file`,
          ),
        ),
      );
    else seen.set(key, group);
    for (const rule of group.rules) {
      const where = [...at, `${rule.kind} "${rule.name}"`];
      const fail = (field: string, message: string): void =>
        report(definitionError(group.source, [...where, field], invalidValue(message)));
      const error = promqlErrorsFor(renderRuleExpr(rule.expr))[0];
      if (error !== undefined) fail('expr', `invalid PromQL: ${error}`);
      if (rule.kind === 'record') continue;
      const severity = rule.labels?.severity;
      if (severity !== undefined && severityOf(severity, declared) === undefined)
        fail(
          'labels.severity',
          `"${severity}" is not a severity: use ${severities.join(', ')}, or declare it with defineSeverities({ ${JSON.stringify(severity)}: '<the one it behaves as>' })`,
        );
      // promtool tests an alert name: a case written on any rule of that name in the group counts.
      const fires = group.rules.some(
        (other) => other.kind === 'alert' && other.name === rule.name && (other.tests ?? []).some((test) => firesRule(test, rule)),
      );
      if (!fires && rule.untested === undefined)
        fail('tests', 'no case fires the alert: add one (series, at, fires), or say in untested why it cannot have one');
      if (fires && rule.untested !== undefined) fail('untested', 'the alert has a case that fires: remove untested');
    }
  }
}
