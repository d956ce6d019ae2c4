import type { ThresholdAlert } from '../../model/alert.ts';
import { runbookUrl } from '../../model/alert-names.ts';
import type { PlatformConfig } from '../../model/config.ts';
import { rational, toPromqlNumber } from '../../model/decimal.ts';
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

/** One rule per level, most severe first, all under the alert's name. */
export function thresholdRules(config: PlatformConfig, service: Service, alert: ThresholdAlert): AlertingRule[] {
  return severities
    .filter((severity) => alert.levels[severity] !== undefined)
    .map((severity) => ({
      alert: alert.name,
      expr: thresholdCondition(service, alert, alert.levels[severity]!),
      ...(alert.for ? { for: alert.for } : {}),
      labels: alertLabels(service, severity),
      annotations: alertAnnotations(alert.summary, alert.description, runbookUrl(config, alert.name, alert.runbook)),
    }));
}
