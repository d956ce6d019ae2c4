import type { ThresholdAlert } from '../../model/alert.ts';
import { runbookUrl } from '../../model/alert-names.ts';
import type { PlatformConfig } from '../../model/config.ts';
import { rational, toPromqlNumber } from '../../model/decimal.ts';
import { formatDuration, seconds } from '../../model/duration.ts';
import type { Service } from '../../model/service.ts';
import { severities } from '../../model/severity.ts';
import { renderThresholdExpr } from '../../promql/render.ts';
import { alertAnnotations, alertLabels } from './labels.ts';
import type { AlertingRule } from './rules.ts';

/** The comparison of one level: `(<expr>) > 0.1`. Raw PromQL is parenthesised so `or` cannot swallow it. */
export function thresholdCondition(service: Service, alert: ThresholdAlert, level: number): string {
  const expr = renderThresholdExpr(service, alert.expr);
  const operand = alert.expr.kind === 'promql' ? `(${expr})` : expr;
  return `${operand} ${alert.direction === 'below' ? '<' : '>'} ${toPromqlNumber(rational(level))}`;
}

/** Marks the rule an escalation adds: it shares alert name and severity with no level rule's series. */
export const escalatedLabel = 'escalated';

/**
 * One rule per level, most severe first, all under the alert's name; then, when the alert
 * escalates, the mildest level's condition again with `for` + `after`, at the higher severity.
 */
export function thresholdRules(config: PlatformConfig, service: Service, alert: ThresholdAlert): AlertingRule[] {
  const runbook = runbookUrl(config, alert.name, alert.runbook);
  const given = severities.filter((severity) => alert.levels[severity] !== undefined);
  const rules: AlertingRule[] = given.map((severity) => ({
    alert: alert.name,
    expr: thresholdCondition(service, alert, alert.levels[severity]!),
    ...(alert.for ? { for: alert.for } : {}),
    labels: alertLabels(service, severity),
    annotations: alertAnnotations(alert.summary, alert.description, runbook),
  }));
  const mildest = given.at(-1);
  if (alert.escalate && mildest) {
    const after = formatDuration(seconds(alert.for ?? '0s') + seconds(alert.escalate.after));
    rules.push({
      alert: alert.name,
      expr: thresholdCondition(service, alert, alert.levels[mildest]!),
      for: after,
      labels: alertLabels(service, alert.escalate.to, { [escalatedLabel]: 'true' }),
      annotations: alertAnnotations(
        alert.summary,
        `${alert.description} Unresolved for ${after}: escalated from ${mildest} to ${alert.escalate.to}.`,
        runbook,
      ),
    });
  }
  return rules;
}
