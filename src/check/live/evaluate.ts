import * as live from '../../findings/catalog/live.ts';
import type { Platform } from '../../model/platform.ts';
import { renderRuleExpr } from '../../promql/rule-expr.ts';
import { QueryError, type PrometheusClient } from './client.ts';
import { alertOrigin, ruleOrigin } from './selections.ts';
import { pending, type Origin, type Pending } from './types.ts';

// Rule evaluation: PromQL written by hand (a service's promql alerts, the rule groups' rules)
// is evaluated once, now. It parses here, yet the server may reject it on the series it has:
// one-to-many matching without group_left, a function its version lacks. Such a rule fails at
// every evaluation and never fires. The compiler's own expressions are not asked again: their
// shapes are proven by promtool, and the cost check reads their selectors.

/** An error line as long as a finding should quote. */
const quoteLength = 300;

/** The server's error without the series it lists (`[{__name__="x", …}, …]`): they name this machine's targets. */
function quoted(reason: string): string {
  const short = reason.replace(/\[\{.*?\}\](?=;|$)/g, '[…]');
  return short.length > quoteLength ? `${short.slice(0, quoteLength)}…` : short;
}

interface Written {
  readonly expr: string;
  readonly at: Origin;
}

/** Every hand-written expression, each once (the first place that writes it). */
function writtenExpressions(platform: Platform): Written[] {
  const found = new Map<string, Written>();
  const add = (expr: string, at: Origin): void => {
    if (!found.has(expr)) found.set(expr, { expr, at: { ...at, field: 'expr', anchors: [...at.anchors, /\bexpr\s*:/] } });
  };
  for (const service of platform.services)
    for (const alert of service.alerts ?? [])
      if (alert.expr.kind === 'promql') add(alert.expr.expr, alertOrigin(service, alert, platform.policies));
  for (const group of platform.ruleGroups ?? []) for (const rule of group.rules) add(renderRuleExpr(rule.expr), ruleOrigin(group, rule));
  return [...found.values()];
}

/** What to change for the server's error. */
function fixFor(reason: string): string {
  if (/many-to-many|many-to-one|one-to-many|multiple matches|duplicate series/i.test(reason))
    return 'match on labels that are unique on one side (on(…) with group_left(…) or group_right(…)), or aggregate that side first';
  if (/same labelset/i.test(reason)) return 'keep a label that tells the results apart, or aggregate them';
  if (/parse error|unknown function|not defined/i.test(reason)) return "write it in PromQL the server's version knows";
  return 'change the expression until the server evaluates it';
}

/** One finding per hand-written expression the server fails to evaluate at `time`. */
export async function evaluationFindings(client: PrometheusClient, platform: Platform, time: number): Promise<Pending[]> {
  const findings = await Promise.all(
    writtenExpressions(platform).map(async ({ expr, at }): Promise<Pending[]> => {
      try {
        await client.query(expr, time);
        return [];
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        return [pending(live.evaluationFails(quoted(error.reason)), 'error', at, fixFor(error.reason))];
      }
    }),
  );
  return findings.flat();
}
