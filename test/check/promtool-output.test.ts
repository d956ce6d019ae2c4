import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promtoolFindings } from '../../src/check/promtool.ts';

// The real promtool's failures, each read back as one line that names the file, the rule or
// test case and what differs (promtool's own account spans a dozen indented lines).

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'monforge-promtool-output-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const rules = `groups:
  - name: errors
    rules:
      - alert: HighErrors
        expr: rate(errors_total[5m]) > 1
        labels: {severity: warning}
        annotations: {summary: errors are high}
      - record: job:foo:rate5m
        expr: sum by (job) (rate(foo_total[5m]))
`;

const testOf = (cases: string): string => `rule_files: [../rules/errors.rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: errors_total{job="a"}
        values: 0+120x20
      - series: foo_total{job="a"}
        values: 0+60x20
${cases}`;

let run = 0;
async function findingsOf(files: Record<string, string>): Promise<string[]> {
  run += 1;
  return promtoolFindings(path.join(work, String(run)), new Map(Object.entries(files)));
}

describe('promtool failures, one line each', () => {
  it('name the rule file line, the group and the rule of an expression that does not parse, and a repeated group', async () => {
    const broken = `groups:
  - name: errors
    rules:
      - alert: Broken
        expr: rate(errors_total[5m] > 1
`;
    const repeated = `groups:
  - name: a
    rules: [{record: x:y, expr: sum(y)}]
  - name: a
    rules: [{record: x:z, expr: sum(z)}]
`;
    expect(await findingsOf({ 'prometheus/rules/broken.rules.yml': broken, 'prometheus/rules/repeated.rules.yml': repeated })).toEqual([
      'prometheus/rules/broken.rules.yml:5: group "errors", rule "Broken": could not parse expression: 1:26: parse error: unclosed left parenthesis [validators/promtool-rules]',
      'prometheus/rules/repeated.rules.yml:4: groupname: "a" is repeated in the same file [validators/promtool-rules]',
    ]);
  });

  it('say which alerts fired that no case expected, which did not fire, and annotations that differ', async () => {
    const cases = `    alert_rule_test:
      - eval_time: 10m
        alertname: HighErrors
        exp_alerts: []
      - eval_time: 10m
        alertname: Other
        exp_alerts:
          - exp_labels: {severity: page}
      - eval_time: 12m
        alertname: HighErrors
        exp_alerts:
          - exp_labels: {severity: warning, job: a}
            exp_annotations: {summary: errors are low}
`;
    expect(await findingsOf({ 'prometheus/rules/errors.rules.yml': rules, 'prometheus/tests/errors.test.yml': testOf(cases) })).toEqual([
      [
        'prometheus/tests/errors.test.yml: alert HighErrors at 10m: expected no alert, got 1 alert: fired {alertname="HighErrors", job="a", severity="warning"} unexpectedly [validators/promtool-test]',
        'prometheus/tests/errors.test.yml: alert Other at 10m: expected 1 alert, got no alert: did not fire {alertname="Other", severity="page"} [validators/promtool-test]',
        'prometheus/tests/errors.test.yml: alert HighErrors at 12m: annotations of {alertname="HighErrors", job="a", severity="warning"}: expected {summary="errors are low"}, got {summary="errors are high"} [validators/promtool-test]',
      ].join('\n'),
    ]);
  });

  it('name the test group of a failed case when the group has a name (promtool prints it as `name: …,`)', async () => {
    const named = testOf(`    alert_rule_test:
      - eval_time: 10m
        alertname: HighErrors
        exp_alerts: []
`).replace('  - interval: 1m\n', '  - name: "errors: a burn, in steps"\n    interval: 1m\n');
    expect(await findingsOf({ 'prometheus/rules/errors.rules.yml': rules, 'prometheus/tests/errors.test.yml': named })).toEqual([
      'prometheus/tests/errors.test.yml: alert HighErrors at 10m: expected no alert, got 1 alert: fired {alertname="HighErrors", job="a", severity="warning"} unexpectedly (test group "errors: a burn, in steps") [validators/promtool-test]',
    ]);
  });

  it('give an expression case the samples on both sides, or the error it met', async () => {
    const cases = `    promql_expr_test:
      - expr: job:foo:rate5m
        eval_time: 10m
        exp_samples:
          - labels: 'job:foo:rate5m{job="a"}'
            value: 2
      - expr: rate(foo_total[5m]
        eval_time: 10m
        exp_samples: []
`;
    expect(await findingsOf({ 'prometheus/rules/errors.rules.yml': rules, 'prometheus/tests/errors.test.yml': testOf(cases) })).toEqual([
      [
        'prometheus/tests/errors.test.yml: expr "job:foo:rate5m" at 10m: expected {__name__="job:foo:rate5m", job="a"} 2E+00, got {__name__="job:foo:rate5m", job="a"} 1E+00 [validators/promtool-test]',
        'prometheus/tests/errors.test.yml: expr "rate(foo_total[5m]" at 10m: 1:19: parse error: unclosed left parenthesis [validators/promtool-test]',
      ].join('\n'),
    ]);
  });

  it('point a test file that cannot load its rules at the rule file line', async () => {
    const broken = rules.replace('rate(errors_total[5m]) > 1', 'rate(errors_total[5m] > 1');
    const findings = await findingsOf({
      'prometheus/rules/errors.rules.yml': broken,
      'prometheus/tests/errors.test.yml': testOf('    promql_expr_test: []\n'),
    });
    expect(findings).toEqual([
      'prometheus/rules/errors.rules.yml:5: group "errors", rule "HighErrors": could not parse expression: 1:26: parse error: unclosed left parenthesis [validators/promtool-rules]',
      'prometheus/tests/errors.test.yml: prometheus/rules/errors.rules.yml:5: group "errors", rule "HighErrors": could not parse expression: 1:26: parse error: unclosed left parenthesis [validators/promtool-test]',
    ]);
  });
});
