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

/** A dashboard query parsed as PromQL, Grafana's time variables standing in as durations. */
export function parseDashboardQuery(expr: string): ParsedPromql {
  return parsePromql(substituteTimeVariables(expr));
}

const original = (range: string): string => {
  const name = Object.entries(timeVariables).find(([, standIn]) => standIn === range)?.[0];
  return name ? `$${name}` : range;
};

/** Problems of one query, each as `rule: message`; `variables` are the dashboard's own. */
export function queryFindings(expr: string, variables: ReadonlySet<string>, series: KnownSeries): string[] {
  const findings: string[] = [];
  for (const name of new Set(usedVariables(expr))) {
    if (!variables.has(name) && !builtInVariables.has(name))
      findings.push(`template-variable: $${name} is not a variable of this dashboard`);
  }
  const text = substituteTimeVariables(expr);
  const parsed = parsePromql(text);
  for (const error of parsed.errors) findings.push(`target-promql: invalid PromQL: ${error.message}`);
  if (parsed.errors.length > 0) return findings;
  for (const range of counterRanges(text)) {
    if (range.text !== timeVariables.__rate_interval) {
      findings.push(
        `target-rate-interval: ${range.fn}(${range.metric ?? '…'}[${original(range.text)}]) must read [$__rate_interval], which follows the zoom and always spans enough scrapes`,
      );
    }
  }
  for (const selector of parsed.selectors) {
    if (selector.name === undefined) {
      findings.push('target-series: a selector without a metric name cannot be checked against the definitions');
      continue;
    }
    if (!series.names.has(selector.name))
      findings.push(`target-series: ${selector.name} is neither a defined metric nor a generated recording rule`);
    const counter = series.counters.has(selector.name) || selector.name.endsWith('_total');
    if (counter && !(selector.inRange && counterFunctions.includes(selector.function ?? ''))) {
      findings.push(
        `target-counter: ${selector.name} is a counter: read it through rate(), irate() or increase(), its raw value only grows`,
      );
    }
  }
  return findings;
}
