import { describe, expect, it } from 'vitest';
import { parseDocuments, parseEmbedded } from '../../src/import/document.ts';
import { parseJson } from '../../src/load/json.ts';
import { MetricCatalog } from '../../src/import/metrics.ts';
import { valueMatching, valueNotMatching } from '../../src/import/regex-sample.ts';
import { typedExpr } from '../../src/import/rules/expr.ts';
import { exactHelper, helperCode } from '../../src/import/rules/helpers.ts';
import { Module, print, stringLiteral } from '../../src/import/typescript.ts';
import { canonicalPromql } from '../../src/promql/parse.ts';

// The pieces import is made of, each on its own: documents with their lines, label values for
// regex matchers, the TypeScript printer, expressions as pql or as the typed helper they are.

describe('documents', () => {
  it('keep the lines of their fields across documents, Lists and YAML held in a block string', () => {
    const text = 'a: 1\n---\nkind: Secret\nstringData:\n  alertmanager.yaml: |-\n    route:\n      receiver: x\n    receivers: []\n';
    const { documents, problems } = parseDocuments('in.yaml', text);
    expect(problems).toEqual([]);
    expect(documents.map((document) => document.where)).toEqual(['document 1', 'document 2']);
    expect(documents[1]!.at(['stringData', 'alertmanager.yaml'])).toBe('in.yaml:5');
    const inner = parseEmbedded(documents[1]!, ['stringData', 'alertmanager.yaml'], 'route:\n  receiver: x\nreceivers: []\n').documents[0]!;
    expect(inner.at(['route', 'receiver'])).toBe('in.yaml:7');
    expect(inner.at(['receivers'])).toBe('in.yaml:8');
  });

  it('report the first YAML error of a document at its line', () => {
    expect(parseDocuments('bad.yml', 'a: 1\nb: [\n').problems).toEqual([
      {
        file: 'bad.yml',
        line: 3,
        message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });
});

describe('JSON documents', () => {
  it('are read as JSON (a repeated key keeps its last value, as JSON.parse does) with the lines of their fields', () => {
    const { documents, problems } = parseDocuments(
      'd.json',
      '{\n  "title": "A",\n  "title": "B",\n  "panels": [\n    { "id": 1 }\n  ]\n}\n',
    );
    expect(problems).toEqual([]);
    expect(documents[0]!.value).toEqual({ title: 'B', panels: [{ id: 1 }] });
    expect(documents[0]!.at(['panels', 0])).toBe('d.json:5');
  });

  it('that do not parse say where by line and column; YAML in flow style outside a .json file is YAML', () => {
    expect(parseDocuments('d.json', '{\n  "a": tru\n}\n').problems).toEqual([
      { file: 'd.json', line: 2, message: 'invalid JSON at column 11: unexpected "\\n"' },
    ]);
    expect(parseDocuments('d.yaml', '{a: 1, b: [x]}\n')).toMatchObject({ documents: [{ value: { a: 1, b: ['x'] } }], problems: [] });
    expect(parseDocuments('d.yaml', '{"a": [1,\n').problems).toEqual([
      { file: 'd.yaml', line: 2, message: 'invalid JSON at column 1: unexpected end of input' },
    ]);
  });

  it('find where the grammar stops when Node does not say: an unexpected token after strings, escapes, numbers and literals', () => {
    expect(parseJson('{"a": x}')).toEqual({ problem: { line: 1, column: 7, message: 'unexpected "x"' } });
    expect(parseJson('{"a\\n\\u0041": "x",\n "b": t}')).toEqual({ problem: { line: 2, column: 8, message: 'unexpected "}"' } });
    expect(parseJson('{"a": [true, false, null, -1.5e3, {}], "b": nul}')).toEqual({
      problem: { line: 1, column: 48, message: 'unexpected "}"' },
    });
  });
});

describe('label values for regex matchers', () => {
  it('match (or do not match) the anchored pattern, preferring readable values', () => {
    expect(['5..', 'warning|info', '.+', 'veth.+', '(?i)prod', '[0-9]+', 'kube-.*-metrics', 'node_(cpu|mem)'].map(valueMatching)).toEqual([
      '500',
      'warning',
      '0',
      'veth0',
      'prod',
      '0',
      'kube--metrics',
      'node_cpu',
    ]);
    expect(valueNotMatching('.*')).toBeUndefined();
    expect(valueNotMatching('veth.+')).toBe('value-1');
  });
});

describe('the TypeScript printer', () => {
  it('prints values as Biome would: single quotes, one line when it fits, trailing commas otherwise', () => {
    expect(print({ name: "it's", labels: ['a', 'b'], n: 1 }, 0)).toBe(`{ name: 'it\\'s', labels: ['a', 'b'], n: 1 }`);
    expect(print({ text: 'x'.repeat(150) }, 0)).toBe(`{\n  text: '${'x'.repeat(150)}',\n}`);
    expect(stringLiteral(`first line\n${'second line '.repeat(6)}`)).toBe(`\`first line\n${'second line '.repeat(6)}\``);
  });
});

describe('expressions', () => {
  const catalog = new MetricCatalog(new Map(), 'definitions/imported');
  const written = (expr: string): string => {
    const module = new Module('rules.ts', []);
    const make = typedExpr(expr, catalog, 'rules.yml');
    const helper = exactHelper(expr);
    return ((helper && helperCode(helper, module, catalog)) || make(module)).at(0);
  };

  it('are the typed helper they are exactly, and stay PromQL with typed selectors otherwise', () => {
    expect(written('sum by (job) (rate(http_requests_total{code="500"}[5m]))')).toBe(
      "rate(select(httpRequestsTotal, { code: '500' }), { by: ['job'] })",
    );
    expect(
      written('100 * sum by (job) (rate(http_requests_total{code=~"5.."}[1m])) / sum by (job) (rate(http_requests_total[1m])) > 5'),
    ).toBe("above(ratio(select(httpRequestsTotal, { code: re('5..') }), select(httpRequestsTotal), { by: ['job'], window: '1m' }), 5)");
    expect(written('max by (instance) (memory_bytes) < 1024')).toBe("below(gaugeValue(select(memoryBytes), { by: ['instance'] }), 1024)");
    // The same queries written differently are not exactly a helper: they stay as written.
    expect(written('sum(rate(http_requests_total[5m])) by (job)')).toBe('pql`sum(rate(${select(httpRequestsTotal)}[5m])) by (job)`');
    expect(written('up{job="a",job!="b"} == 0')).toBe(`'up{job="a",job!="b"} == 0'`);
  });

  it('keep series Prometheus makes itself as written, undeclared: each scrape job sets the labels of up', () => {
    const own = new MetricCatalog(new Map(), 'definitions/imported');
    const module = new Module('rules.ts', []);
    const expr = 'sum by (job) (up)';
    const helper = exactHelper(expr);
    expect(helper).toBeUndefined();
    expect(typedExpr(expr, own, 'rules.yml')(module).at(0)).toBe(`'sum by (job) (up)'`);
    // So are the other series of every scrape (docs: "Jobs and instances").
    expect(exactHelper('max by (job) (scrape_duration_seconds)')).toBeUndefined();
    typedExpr('scrape_samples_scraped > 10000', own, 'rules.yml');
    expect(own.module(['metrics'])).toBeUndefined();
  });

  it('never name a metric like a helper of the API the module imports', () => {
    const own = new MetricCatalog(new Map(), 'definitions/imported');
    const make = typedExpr('rate(rate[5m]) > alert', own, 'rules.yml');
    expect(make(new Module('rules.ts', [])).at(0)).toBe('pql`rate(${select(rate2)}[5m]) > ${select(alert2)}`');
  });

  it('compare as queries: whitespace, comments, quotes, keyword case and empty braces aside', () => {
    expect(canonicalPromql("sum(rate(x{a='b'}[5m])) BY (job) > 1 # why")).toBe(
      canonicalPromql('sum(\n  rate(x{a="b"}[5m])\n) by (job) > 1'),
    );
    expect(canonicalPromql('x{}')).toBe(canonicalPromql('x'));
    expect(canonicalPromql('(x)')).not.toBe(canonicalPromql('x'));
    expect(canonicalPromql('x > 1')).not.toBe(canonicalPromql('x > 2'));
    expect(canonicalPromql('sum by (a, b) (x)')).not.toBe(canonicalPromql('sum by (b, a) (x)'));
  });
});
