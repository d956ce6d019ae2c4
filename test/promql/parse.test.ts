import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parsePromql, promqlErrorsFor, selectorsOf } from '../../src/promql/parse.ts';
import { repoRoot } from '../helpers/index.ts';
import type { ParsedSelector } from '../../src/promql/parse.ts';

/** A selector without its end positions and whether its value is read (tested on their own below). */
type Selector = Omit<ParsedSelector, 'end' | 'range' | 'valueRead'>;
const positionless = ({ end: _end, range: _range, valueRead: _valueRead, ...rest }: ParsedSelector): Selector => rest;

/** A selector with the defaults of a plain instant selector outside any call. */
const sel = (at: number, name: string | undefined, more: Partial<Selector> = {}): Selector => ({
  name,
  matchers: [],
  inRange: false,
  inSubquery: false,
  function: undefined,
  at,
  ...more,
});

function valid(expr: string) {
  const parsed = parsePromql(expr);
  expect(parsed.errors).toStrictEqual([]);
  return { ...parsed, selectors: parsed.selectors.map(positionless) };
}

describe('parsePromql on valid expressions', () => {
  it('an error ratio: two selectors inside rate, aggregations are not functions', () => {
    const expr =
      'sum by (service) (rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{job="api"}[5m]))';
    const { selectors, functions } = valid(expr);
    expect(selectors).toStrictEqual([
      sel(23, 'http_requests_total', {
        matchers: [
          { label: 'job', op: '=', value: 'api' },
          { label: 'code', op: '=~', value: '5..' },
        ],
        inRange: true,
        function: 'rate',
      }),
      sel(97, 'http_requests_total', {
        matchers: [{ label: 'job', op: '=', value: 'api' }],
        inRange: true,
        function: 'rate',
      }),
    ]);
    expect(functions).toStrictEqual(['rate', 'rate']);
  });

  it('histogram_quantile: the innermost call is rate, calls listed outermost first', () => {
    const { selectors, functions } = valid(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
    );
    expect(selectors).toStrictEqual([
      sel(43, 'http_request_duration_seconds_bucket', {
        matchers: [{ label: 'job', op: '=', value: 'api' }],
        inRange: true,
        function: 'rate',
      }),
    ]);
    expect(functions).toStrictEqual(['histogram_quantile', 'rate']);
  });

  it('recording-rule names with colons, over-time functions and ignoring()', () => {
    const expr =
      'sum_over_time(slo:sli_error:ratio_rate5m{service="api",slo="availability"}[30d]) / ignoring(window) count_over_time(slo:sli_error:ratio_rate5m{service="api",slo="availability"}[30d])';
    const matchers = [
      { label: 'service', op: '=', value: 'api' },
      { label: 'slo', op: '=', value: 'availability' },
    ] as const;
    const { selectors, functions } = valid(expr);
    expect(selectors).toStrictEqual([
      sel(14, 'slo:sli_error:ratio_rate5m', { matchers: [...matchers], inRange: true, function: 'sum_over_time' }),
      sel(116, 'slo:sli_error:ratio_rate5m', { matchers: [...matchers], inRange: true, function: 'count_over_time' }),
    ]);
    expect(functions).toStrictEqual(['sum_over_time', 'count_over_time']);
  });

  it('vector() has no selector', () => {
    expect(valid('vector(0.999)')).toStrictEqual({ errors: [], selectors: [], functions: ['vector'] });
  });

  it('logical operators over comparisons', () => {
    const { selectors, functions } = valid('(a > 0.0144 and b > 0.0144) or (c > 0.006 and d > 0.006)');
    expect(selectors).toStrictEqual([sel(1, 'a'), sel(16, 'b'), sel(32, 'c'), sel(46, 'd')]);
    expect(functions).toStrictEqual([]);
  });

  it('ALERTS and a comparison with a scalar', () => {
    expect(valid('ALERTS{alertstate="firing"}').selectors).toStrictEqual([
      sel(0, 'ALERTS', { matchers: [{ label: 'alertstate', op: '=', value: 'firing' }] }),
    ]);
    expect(valid('up{job="api"} == 0').selectors).toStrictEqual([sel(0, 'up', { matchers: [{ label: 'job', op: '=', value: 'api' }] })]);
  });

  it('a subquery is not a range selector', () => {
    expect(valid('max_over_time(x[1h:5m])').selectors).toStrictEqual([sel(14, 'x', { inSubquery: true, function: 'max_over_time' })]);
    // A range inside a subquery: both flags, and rate is the innermost call.
    const nested = valid('max_over_time(rate(x[5m])[1h:])');
    expect(nested.selectors).toStrictEqual([sel(19, 'x', { inRange: true, inSubquery: true, function: 'rate' })]);
    expect(nested.functions).toStrictEqual(['max_over_time', 'rate']);
  });

  it('offset is kept as written; @ leaves the selector as it is', () => {
    expect(valid('x offset 5m').selectors).toStrictEqual([sel(0, 'x', { offset: '5m' })]);
    expect(valid('rate(x[5m] offset -1h @ end())').selectors).toStrictEqual([
      sel(5, 'x', { inRange: true, function: 'rate', offset: '-1h' }),
    ]);
    expect(valid('x @ 100').selectors).toStrictEqual([sel(0, 'x')]);
  });

  it('label_replace: string arguments are not selectors', () => {
    expect(valid('label_replace(up{job="api"}, "dst", "$1", "src", "(.*)")')).toStrictEqual({
      errors: [],
      selectors: [sel(14, 'up', { matchers: [{ label: 'job', op: '=', value: 'api' }], function: 'label_replace' })],
      functions: ['label_replace'],
    });
  });

  it('matchers without a metric name, and __name__ equality as the name', () => {
    expect(valid('{__name__=~"http_.*", job!~"a|b"}').selectors).toStrictEqual([
      sel(0, undefined, {
        matchers: [
          { label: '__name__', op: '=~', value: 'http_.*' },
          { label: 'job', op: '!~', value: 'a|b' },
        ],
      }),
    ]);
    expect(valid('{__name__="up", job!=""}').selectors).toStrictEqual([
      sel(0, 'up', {
        matchers: [
          { label: '__name__', op: '=', value: 'up' },
          { label: 'job', op: '!=', value: '' },
        ],
      }),
    ]);
  });

  it('unescapes string values as Prometheus does', () => {
    const raw = '`raw\\n"`';
    const expr = String.raw`x{a="say \"hi\"", b='it\'s', c="back\\slash\n", d=${raw}, e="\101\x41\u00e9\U0001F600\xc3\xa9"}`;
    expect(valid(expr).selectors[0]!.matchers).toStrictEqual([
      { label: 'a', op: '=', value: 'say "hi"' },
      { label: 'b', op: '=', value: "it's" },
      { label: 'c', op: '=', value: 'back\\slash\n' },
      { label: 'd', op: '=', value: 'raw\\n"' },
      // Octal and \x escapes are bytes (here the UTF-8 of é); \u and \U are code points.
      { label: 'e', op: '=', value: 'AAé😀é' },
    ]);
  });

  it('unknown-looking names that are functions are not errors', () => {
    expect(valid('absent_over_time(up{job="api"}[5m])').functions).toStrictEqual(['absent_over_time']);
    expect(valid('SUM(x) BY (a)').functions).toStrictEqual([]); // aggregations and keywords ignore case
  });
});

describe('parsePromql errors', () => {
  it.each([
    ['', ['empty expression']],
    ['  \n', ['empty expression']],
    ['sum(rate(x[5m])) >', ['incomplete expression at end']],
    ['rate(x[5m]', ['incomplete expression at end']],
    ['x{job="a"', ['incomplete expression at end']],
    ['(a > 1', ['incomplete expression at end']],
    ['x[5m] offset', ['incomplete expression at end']],
    ['x}', ['unexpected "}" at 1']],
    ['sum(x))', ['unexpected ")" at 6']],
    ['a > 1)', ['unexpected ")" at 5']],
    ['x{job}', ['unexpected "}" at 5']],
    ['x{a="1" b="2"}', ['unexpected "b" at 8']],
    ['x y', ['unexpected "y" at 2']],
    ['x[5q]', ['unexpected "q" at 3']],
    ['x[]', ['unexpected "]" at 2']],
    ['x offset 5q', ['unexpected "q" at 10']],
    ['histogram_quantile(0.9 rate(x[5m]))', ['unexpected "rate" at 23']],
    // Grafana variables are not PromQL: substitute them before checking.
    ['rate(x[$__rate_interval])', ['unexpected "$" at 7']],
    // Independent mistakes are reported separately.
    ['x[5q] + y[5q]', ['unexpected "q" at 3', 'unexpected "q" at 11']],
    ['foo(x)', ['unknown function "foo" at 0']],
    ['foo()', ['unknown function "foo" at 0']],
    ['foo (x[5m]) / 2', ['unknown function "foo" at 0']],
    ['sum(Rate(x[5m]))', ['unknown function "Rate" at 4']],
    ['foo(x) + bar(")")', ['unknown function "foo" at 0', 'unknown function "bar" at 9']],
    ['{}', ['vector selector must contain at least one non-empty matcher at 0']],
    ['sum({job=~".*"})', ['vector selector must contain at least one non-empty matcher at 4']],
    [String.raw`x{a="\q"}`, [String.raw`invalid escape "\q" at 5`]],
    [String.raw`x{a="it\'s"}`, [String.raw`invalid escape "\'" at 7`]],
    [String.raw`x{a="\x4"}`, [String.raw`invalid escape "\x4" at 5`]],
    [String.raw`x{a="\400"}`, [String.raw`invalid escape "\400" at 5`]],
    [String.raw`x{a="\ud800"}`, [String.raw`invalid code point "\ud800" at 5`]],
    [String.raw`label_replace(up, "a", "\z", "b", "")`, [String.raw`invalid escape "\z" at 24`]],
  ])('%j', (expr, messages) => {
    expect(promqlErrorsFor(expr)).toStrictEqual(messages);
  });

  it('where each selector ends, and its range with the end of the brackets', () => {
    const expr = 'sum_over_time(a:b{x="1"}[30d] offset 1h) / c';
    const [range, instant] = parsePromql(expr).selectors;
    expect(range).toMatchObject({ at: 14, end: 24, range: { duration: '30d', end: 29 } });
    expect(expr.slice(range!.at, range!.range!.end)).toBe('a:b{x="1"}[30d]');
    expect(instant).toMatchObject({ at: 43, end: 44 });
    expect(instant!.range).toBeUndefined();
  });

  it('carries the offset separately', () => {
    expect(parsePromql('sum(x) >').errors).toStrictEqual([{ offset: 8, message: 'incomplete expression at end' }]);
    expect(parsePromql('foo(x) + 1').errors).toStrictEqual([{ offset: 0, message: 'unknown function "foo" at 0' }]);
  });

  it('an unknown call is not taken for a selector of the metric "foo"', () => {
    expect(parsePromql('foo(x)')).toMatchObject({ selectors: [], functions: [] });
  });

  it('selectors stay available, best effort, next to errors', () => {
    expect(parsePromql('sum(rate(x{job="a"}[5m])) >').selectors.map(positionless)).toStrictEqual([
      sel(9, 'x', { matchers: [{ label: 'job', op: '=', value: 'a' }], inRange: true, function: 'rate' }),
    ]);
  });
});

// The oracle: promtool 2.42 (the version floor; provisioned by test/setup/tools.ts) must agree on
// which expressions parse. Type errors (`rate(x)`) are outside this module and so not listed.
describe('agrees with promtool on validity', () => {
  const cases = [
    'sum by (service) (rate(http_requests_total{job="api",code=~"5.."}[5m]))',
    'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
    'sum_over_time(slo:sli_error:ratio_rate5m{slo="a"}[30d]) / ignoring(window) count_over_time(slo:sli_error:ratio_rate5m{slo="a"}[30d])',
    'vector(0.999)',
    '(a > 0.0144 and b > 0.0144) or (c > 0.006 and d > 0.006)',
    'ALERTS{alertstate="firing"}',
    'up{job="api"} == 0',
    'max_over_time(x[1h:5m])',
    'x offset 5m',
    'label_replace(up, "dst", "$1", "src", "(.*)")',
    String.raw`x{a="say \"hi\"", b='it\'s', c="\101\x41\u00e9"}`,
    'x{job="a",}',
    'rate(x[1m30s])',
    '{job!=""}',
    '{__name__="up"}',
    'SUM(x) BY (a)',
    '',
    'sum(rate(x[5m])) >',
    'rate(x[5m]',
    'x{job="a"',
    'x}',
    'sum(x))',
    'x{job}',
    'x{a="1" b="2"}',
    'x[5q]',
    'x[]',
    'x offset 5q',
    'foo(x)',
    'Rate(x[5m])',
    '{}',
    '{job=~".*"}',
    '{job=""}',
    String.raw`x{a="\q"}`,
    String.raw`x{a="it\'s"}`,
    String.raw`x{a="\ud800"}`,
    String.raw`x{a="\400"}`,
  ];

  it('for every case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'monforge-promql-'));
    try {
      const rules = cases.map((expr) => ({ record: 'r', expr }));
      writeFileSync(join(dir, 'rules.yml'), stringify({ groups: [{ name: 'g', rules }] }));
      const run = spawnSync('promtool', ['check', 'rules', 'rules.yml'], { cwd: dir, encoding: 'utf8' });
      const rejected = new Set([...`${run.stdout}${run.stderr}`.matchAll(/rule (\d+),/g)].map((m) => Number(m[1]) - 1));
      expect(rejected.size).toBeGreaterThan(0); // the output format is still the one parsed here
      const disagreements = cases.filter((expr, i) => rejected.has(i) === (promqlErrorsFor(expr).length === 0));
      expect(disagreements).toStrictEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('selectorsOf: shapes parsed once, values put back', () => {
  const withoutOffsets = (expr: string) =>
    parsePromql(expr).selectors.map(({ at: _at, end: _end, range, ...rest }) => ({
      ...rest,
      ...(range && { range: { duration: range.duration } }),
    }));

  it('gives what parsePromql gives, but offsets, for every expression of the example platform', async () => {
    const { buildPlatform } = await import('../../src/run/generate.ts');
    const { parseGeneratedTree } = await import('../../src/reader/index.ts');
    const tree = parseGeneratedTree((await buildPlatform(repoRoot)).files, 'example');
    const exprs = [
      ...tree.ruleFiles.flatMap((file) => file.groups.flatMap((group) => group.rules.map((rule) => rule.expr))),
      ...tree.dashboards.flatMap((dashboard) => dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))),
    ];
    expect(exprs.length).toBeGreaterThan(500);
    for (const expr of exprs) expect(selectorsOf(expr), expr).toStrictEqual(withoutOffsets(expr));
  });

  it('keeps each value with its own matcher, numbers in names and durations as written', () => {
    for (const expr of [
      'sum(rate(node_cpu_seconds_total{job="node",mode="idle",cpu="1"}[1m] offset 1h)) > 0.5',
      "x1e5{le=\"0.25\"} / on() group_left y_2{a='b\\'c', b=`raw\\n`} * 100",
      '{__name__="up", job=~"a|b"} or {"my.metric", "quoted.label"="v"} @ 1609746000',
      'histogram_quantile(0.95, sum by (le) (rate(h_bucket{job="x"}[5m])))[1h:30s] > 3e-2',
    ])
      expect(selectorsOf(expr), expr).toStrictEqual(withoutOffsets(expr));
    expect(
      selectorsOf('a{x="1",y="2"} + a{x="3",y="4"}').map((selector) => selector.matchers.map((matcher) => matcher.value)),
    ).toStrictEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});

describe('valueRead: whether a selector is read for its value', () => {
  const read = (expr: string): [string | undefined, boolean][] => {
    const parsed = parsePromql(expr);
    expect(parsed.errors).toStrictEqual([]);
    return parsed.selectors.map((selector) => [selector.name, selector.valueRead]);
  };

  it('compared, aggregated or summed over time: read', () => {
    expect(read('errors_total > 10')).toStrictEqual([['errors_total', true]]);
    expect(read('sum by (job) (errors_total) / on (job) group_left max(x)')).toStrictEqual([
      ['errors_total', true],
      ['x', true],
    ]);
    expect(read('sum_over_time(errors_total[5m]) offset 1h')).toStrictEqual([['errors_total', true]]);
    expect(read('errors_total offset 1h')).toStrictEqual([['errors_total', true]]);
  });

  it('rated, counted, tested for presence or changes, right of unless, or the whole expression: not read', () => {
    expect(
      read(
        'sum(rate(a[5m])) + increase(b[1h]) + count(c) + group by (x) (d) + changes(e[1h]) + absent(f) + timestamp(g) + count_over_time(h[5m])',
      ).map(([, value]) => value),
    ).toStrictEqual([false, false, false, false, false, false, false, false]);
    expect(read('max(a) unless on (job) b')).toStrictEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(read('max_over_time(rate(a[5m])[1h:1m])')).toStrictEqual([['a', false]]);
    expect(read(' (up{job="x"}) ')).toStrictEqual([['up', false]]);
  });
});
