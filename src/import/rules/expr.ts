import { builtInSeries } from '../../check/known-series.ts';
import { parsePromql, type ParsedSelector } from '../../promql/parse.ts';
import { dedent } from '../../promql/rule-expr.ts';
import type { MetricCatalog } from '../metrics.ts';
import { Code, code, type Module, monforgeSpecifier, propertyKey, stringLiteral } from '../typescript.ts';

// An expression as the TypeScript a person would keep: pql`…` with a typed select(…) for each
// selector of a metric, the rest as written. Rendered back (promql/rule-expr.ts) it is the
// same query: selectors print as `name{label="value",…}` in the order written.

/** Series Prometheus makes itself: read as they are, never declared as metrics. */
const builtIn = new Set(builtInSeries);

/** Functions whose argument is a counter. */
const counterFunctions = new Set(['rate', 'irate', 'increase', 'resets']);

/** A selector that becomes `select(metric, { … })`: a plain name with at most one matcher per label. */
function typeable(expr: string, selector: ParsedSelector): selector is ParsedSelector & { name: string } {
  if (selector.name === undefined || builtIn.has(selector.name) || !expr.startsWith(selector.name, selector.at)) return false;
  const labels = selector.matchers.map((matcher) => matcher.label);
  return labels.every((label) => !label.startsWith('__')) && new Set(labels).size === labels.length;
}

/**
 * Records every metric the expression reads in the catalog, and returns how to print the
 * expression in a module once the catalog is complete.
 */
export function typedExpr(expr: string, metrics: MetricCatalog, readBy: string): (module: Module) => Code {
  const selectors = parsePromql(expr)
    .selectors.filter((selector) => typeable(expr, selector))
    .sort((a, b) => a.at - b.at);
  for (const selector of selectors) {
    metrics.use(
      selector.name!,
      selector.matchers.map((matcher) => matcher.label),
      { counter: counterFunctions.has(selector.function ?? '') && selector.inRange, readBy },
    );
  }
  if (selectors.length === 0) return () => code(stringLiteral(dedent(expr)));
  return (module) => {
    const parts: string[] = [];
    let from = 0;
    for (const selector of selectors) {
      parts.push(escapeTemplate(expr.slice(from, selector.at)));
      parts.push(`\${${selectCode(module, metrics, selector)}}`);
      from = selector.end;
    }
    parts.push(escapeTemplate(expr.slice(from)));
    const body = dedent(parts.join(''));
    const tag = module.use(monforgeSpecifier, 'pql');
    return new Code((indent) =>
      body.includes('\n')
        ? `${tag}\`\n${body
            .split('\n')
            .map((line) => (line === '' ? '' : `${' '.repeat(indent + 2)}${line}`))
            .join('\n')}\n${' '.repeat(indent)}\``
        : `${tag}\`${body}\``,
    );
  };
}

/** `select(metric, { label: re('x') })` on one line, whatever its length (it may sit inside a template's text). */
export function selectCode(module: Module, metrics: MetricCatalog, selector: ParsedSelector): string {
  const use = (name: string): string => module.use(monforgeSpecifier, name);
  const metric = metrics.reference(module, selector.name!);
  const matchers = selector.matchers.map((matcher) => {
    const helper = { '=': undefined, '!=': 'not', '=~': 're', '!~': 'notRe' }[matcher.op];
    const value = stringLiteral(matcher.value);
    return `${propertyKey(matcher.label)}: ${helper ? `${use(helper)}(${value})` : value}`;
  });
  return `${use('select')}(${metric}${matchers.length > 0 ? `, { ${matchers.join(', ')} }` : ''})`;
}

/** Text inside a template literal: its backslashes, backticks and `${` escaped. */
const escapeTemplate = (text: string): string => text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
