import { parsePromql, type ParsedPromql } from '../promql/parse.ts';
import { counterFunctions, counterRanges } from '../promql/ranges.ts';
import type { KnownSeries } from './known-series.ts';

// Lint of one dashboard query: it parses, every series it selects exists, counters are only
// read through rate/irate/increase, and those read `$__rate_interval`.

/** Grafana's time variables, each replaced by a duration no one writes, so the query parses and the original can be named. */
const timeVariables: Record<string, string> = { __rate_interval: '9990001ms', __interval: '9990002ms', __range: '9990003ms' };
/** Variables Grafana defines on every dashboard. */
const builtInVariables = new Set([
  ...Object.keys(timeVariables),
  '__interval_ms',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__dashboard',
  '__org',
  '__user',
  '__all',
]);

const variablePattern = /\$(?:\{(\w+)(?::\w+)?\}|(\w+))|\[\[(\w+)(?::\w+)?\]\]/g;

/** Names of the variables a query uses: `$job`, `${job}`, `${job:regex}`, `[[job]]`. */
export function usedVariables(expr: string): string[] {
  return [...expr.matchAll(variablePattern)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

function substituteTimeVariables(expr: string): string {
  return expr.replace(
    /\$(?:\{(__\w+)\}|(__\w+))/g,
    (text, braced: string | undefined, bare: string | undefined) => timeVariables[braced ?? bare!] ?? text,
  );
}

/** What a dashboard's own variable stands for while parsing: its name in a metric-name-like word. */
const standInPrefix = '__var_';
const standInDuration = '9990009ms';
/** A string literal of PromQL (skipped: variables in label values are text), or a variable. */
const literalOrVariable = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)(?::\w+)?\]\]/g;

/**
 * The dashboard's own variables outside string literals (`topk($limit, …)`, `rate(x[$window])`,
 * `$metric{…}`) replaced so the query parses: a duration where one is expected, else a name
 * the series check leaves alone.
 */
function substituteOwnVariables(expr: string): string {
  return expr.replace(literalOrVariable, (text, braced?: string, bare?: string, legacy?: string, offset?: number) => {
    const name = braced ?? bare ?? legacy;
    if (name === undefined) return text;
    const before = expr.slice(0, offset).trimEnd();
    return /(?:[[:]|\boffset)$/.test(before) ? standInDuration : `${standInPrefix}${name}`;
  });
}

/** A dashboard query parsed as PromQL, Grafana's time variables standing in as durations and its own variables as names. */
export function parseDashboardQuery(expr: string): ParsedPromql {
  return parsePromql(substituteOwnVariables(substituteTimeVariables(expr)));
}

const original = (range: string): string => {
  const name = Object.entries(timeVariables).find(([, standIn]) => standIn === range)?.[0];
  return name ? `$${name}` : range;
};

/**
 * Problems of one query, each as `rule: message`; `variables` are the dashboard's own. With
 * `conventions` (monforge's own dashboards), also how counters and rate windows are read.
 */
export function queryFindings(expr: string, variables: ReadonlySet<string>, series: KnownSeries, conventions = true): string[] {
  const findings: string[] = [];
  for (const name of new Set(usedVariables(expr))) {
    if (!variables.has(name) && !builtInVariables.has(name))
      findings.push(`template-variable: $${name} is not a variable of this dashboard`);
  }
  const text = substituteOwnVariables(substituteTimeVariables(expr));
  const parsed = parsePromql(text);
  for (const error of parsed.errors) findings.push(`target-promql: invalid PromQL: ${error.message}`);
  if (parsed.errors.length > 0) return findings;
  if (conventions) {
    for (const range of counterRanges(text)) {
      if (range.text !== timeVariables.__rate_interval) {
        findings.push(
          `target-rate-interval: ${range.fn}(${range.metric ?? '…'}[${original(range.text)}]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes`,
        );
      }
    }
  }
  for (const selector of parsed.selectors) {
    if (selector.name?.startsWith(standInPrefix)) continue;
    if (selector.name === undefined) {
      findings.push('target-series: a selector without a metric name cannot be checked against the definitions');
      continue;
    }
    if (!series.names.has(selector.name))
      findings.push(`target-series: ${selector.name} is neither a defined metric nor a generated recording rule`);
    const allowed = series.labels?.get(selector.name);
    for (const matcher of selector.matchers) {
      if (allowed && matcher.label !== '__name__' && !allowed.has(matcher.label))
        findings.push(`target-label: ${matcher.label} is not a label of ${selector.name} (it has ${[...allowed].sort().join(', ')})`);
    }
    const counter = series.counters.has(selector.name) || selector.name.endsWith('_total');
    if (conventions && counter && !(selector.inRange && counterFunctions.includes(selector.function ?? ''))) {
      findings.push(
        `target-counter: ${selector.name} is a counter: read it through rate(), irate() or increase(), its raw value only grows`,
      );
    }
  }
  return findings;
}
