import { rational, toPromqlNumber } from '../model/decimal.ts';
import type { PromqlText, RuleExpr } from '../model/rule-group.ts';
import { matcherOf, type Selector } from '../model/selector.ts';
import { quote, renderThresholdExpr } from './render.ts';

/**
 * The PromQL of a rule's expression: a selector as `name{label="value",…}` (matchers in the
 * order written; a bare name without any), the text around it as written, without its common
 * indentation and the blank lines around it.
 */
export function renderRuleExpr(expr: RuleExpr): string {
  if (typeof expr === 'string') return dedent(expr);
  if (expr.kind === 'pql') return dedent(joined(expr));
  // A typed helper of a rule renders without a service's labels, grouped by its own `by` only.
  if (expr.kind === 'comparison') return `${renderThresholdExpr(noService, expr.expr)} ${expr.op} ${toPromqlNumber(rational(expr.value))}`;
  return renderThresholdExpr(noService, expr);
}

const noService = { selector: {} };

function joined(expr: PromqlText): string {
  return expr.strings
    .map((text, index) => {
      const value = expr.values[index];
      if (value === undefined) return text;
      return `${text}${'metric' in value ? renderPlainSelector(value) : joined(value)}`;
    })
    .join('');
}

/** `http_requests_total{code=~"5.."}`, or `up` without matchers. */
export function renderPlainSelector(selector: Pick<Selector, 'metric' | 'matchers'>): string {
  const matchers = Object.entries(selector.matchers).map(([label, value]) => {
    const matcher = matcherOf(value);
    return `${label}${matcher.op}${quote(matcher.value)}`;
  });
  return matchers.length === 0 ? selector.metric.name : `${selector.metric.name}{${matchers.join(',')}}`;
}

/** Text without leading and trailing blank lines and without the indentation all its lines share. */
export function dedent(text: string): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)![0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(common, /^[ \t]*/.exec(line)![0].length)).trimEnd()).join('\n');
}
