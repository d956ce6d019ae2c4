import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  goFormatF,
  goFormatG,
  humanize,
  humanizeDuration,
  humanizePercentage,
  parseAlertTemplate,
  renderAlertTemplate,
  templateLabelRefs,
} from '../../src/promql/template.ts';
import type { ParsedTemplate } from '../../src/promql/template.ts';

function parse(text: string): ParsedTemplate {
  const parsed = parseAlertTemplate(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

function errorOf(text: string): string {
  const parsed = parseAlertTemplate(text);
  return 'error' in parsed ? parsed.error : '(parsed)';
}

describe('Go float formatting', () => {
  it('%.4g: significant digits, exponent form, no trailing zeros', () => {
    expect(goFormatG(0, 4)).toBe('0');
    expect(goFormatG(0.11, 4)).toBe('0.11');
    expect(goFormatG(999.95, 4)).toBe('1000');
    expect(goFormatG(12345, 4)).toBe('1.234e+04'); // 12345 is a tie: Go rounds half to even
    expect(goFormatG(100000, 4)).toBe('1e+05');
    expect(goFormatG(0.000012, 4)).toBe('1.2e-05');
    expect(goFormatG(0.0001, 4)).toBe('0.0001');
    expect(goFormatG(-2.5e-300, 4)).toBe('-2.5e-300');
    expect(goFormatG(NaN, 4)).toBe('NaN');
    expect(goFormatG(Infinity, 4)).toBe('+Inf');
    expect(goFormatG(-Infinity, 4)).toBe('-Inf');
  });

  it('%.Nf: rounds exact ties to even, unlike toFixed', () => {
    expect(goFormatF(2.5, 0)).toBe('2');
    expect((2.5).toFixed(0)).toBe('3');
    expect(goFormatF(0.125, 2)).toBe('0.12');
    expect(goFormatF(0.11, 2)).toBe('0.11');
    expect(goFormatF(99.5, 0)).toBe('100');
    expect(goFormatF(-0.001, 2)).toBe('-0.00');
    expect(goFormatF(1e21, 1)).toBe('1000000000000000000000.0');
  });
});

describe('Prometheus template functions', () => {
  it('humanize', () => {
    expect(humanize(0)).toBe('0');
    expect(humanize(0.5)).toBe('500m');
    expect(humanize(1234.5)).toBe('1.234k');
    expect(humanize(12345678)).toBe('12.35M');
    expect(humanize(0.000012)).toBe('12u');
    expect(humanize(1e-30)).toBe('1e-06y');
    expect(humanize(-3)).toBe('-3');
  });

  it('humanizePercentage', () => {
    expect(humanizePercentage(0.11)).toBe('11%');
    expect(humanizePercentage(0.0015)).toBe('0.15%');
    expect(humanizePercentage(12.5)).toBe('1250%');
  });

  it('humanizeDuration', () => {
    expect(humanizeDuration(0)).toBe('0s');
    expect(humanizeDuration(59.9)).toBe('59.9s');
    expect(humanizeDuration(61)).toBe('1m 1s');
    expect(humanizeDuration(3600)).toBe('1h 0m 0s');
    expect(humanizeDuration(90061)).toBe('1d 1h 1m 1s');
    expect(humanizeDuration(-90061)).toBe('-1d 1h 1m 1s');
    expect(humanizeDuration(0.0015)).toBe('1.5ms');
    expect(humanizeDuration(1e-7)).toBe('100ns');
  });
});

describe('parseAlertTemplate', () => {
  it('accepts the supported actions and renders them', () => {
    const t = parse(
      '{{$labels.job}}/{{ $labels.instance }}: {{ $value | humanize }} {{humanizePercentage $value}} ' +
        '{{ $value|humanizeDuration }} {{ printf "%.2f" $value }}',
    );
    expect(renderAlertTemplate(t, { job: 'api', instance: 'a:9' }, 0.11)).toBe('api/a:9: 110m 11% 110ms 0.11');
  });

  it('renders a missing label as the empty string', () => {
    expect(renderAlertTemplate(parse('[{{ $labels.pod }}]'), {}, 1)).toBe('[]');
    expect(renderAlertTemplate(parse('[{{ $labels.constructor }}]'), {}, 1)).toBe('[]');
  });

  it('lists the labels it reads', () => {
    expect(templateLabelRefs(parse('{{ $labels.a }} {{ $value | humanize }} {{ $labels.b }} {{$labels.a}}'))).toEqual(['a', 'b']);
  });

  it('keeps plain text, including a lone "}}"', () => {
    expect(renderAlertTemplate(parse('no actions }} here'), {}, 0)).toBe('no actions }} here');
  });

  it.each([
    [
      '{{ $value }}',
      'unsupported template action "{{ $value }}": print the value through humanize, humanizePercentage, ' +
        'humanizeDuration or printf "%.2f" (raw $value shows float noise such as 0.11000000000000001)',
    ],
    ['{{ range $labels }}x{{ end }}', 'unsupported template action "{{ range $labels }}": control structures'],
    ['{{ $externalLabels.cluster }}', 'unsupported template action "{{ $externalLabels.cluster }}": external labels'],
    ['{{ $labels.foo-bar }}', 'unsupported template action "{{ $labels.foo-bar }}": "foo-bar" is not a valid label name'],
    ['{{ printf "%d" $value }}', 'unsupported template action "{{ printf "%d" $value }}": printf is supported only as'],
    ['{{ printf "%.7f" $value }}', 'printf is supported only as printf "%.Nf" $value with N from 0 to 6'],
    ['{{ $value | humanize1024 }}', 'unsupported template action "{{ $value | humanize1024 }}": supported actions are'],
    ['{{- $labels.job }}', 'unsupported template action "{{- $labels.job }}"'],
    ['{{ .Labels.job }}', 'unsupported template action "{{ .Labels.job }}"'],
    ['down: {{ $labels.job', 'unclosed template action "{{ $labels.job": missing "}}"'],
  ])('rejects %s', (text, message) => {
    expect(errorOf(text)).toContain(message);
  });
});

// The real oracle: promtool evaluates the alert and compares our rendering exactly.
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe.skipIf(!hasPromtool)('renderAlertTemplate matches promtool', () => {
  const values = [
    0,
    0.5,
    0.11,
    1,
    2.5,
    999.95,
    1234.5,
    12345,
    0.000012,
    12345678,
    59.9,
    61,
    3600,
    90061,
    0.0015,
    -3,
    -0.001,
    -90061.5,
    1e-7,
    1e-30,
    1e30,
    0.125,
    99.5,
    9.995,
    100000,
    NaN,
    Infinity,
    -Infinity,
  ];
  const annotations: Record<string, string> = {
    label: '{{ $labels.job }}/{{$labels.case}} missing=[{{ $labels.nope }}]',
    humanize: '{{ $value | humanize }}',
    humanizeCall: '{{ humanize $value }}',
    percentage: '{{ $value | humanizePercentage }}',
    duration: '{{ $value | humanizeDuration }}',
    ...Object.fromEntries([0, 1, 2, 3, 6].map((n) => [`printf${n}`, `{{ printf "%.${n}f" $value }}`])),
  };

  const seriesValue = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : String(v));

  it('for every supported action and a table of values', () => {
    const parsed = Object.entries(annotations).map(([key, text]) => [key, parse(text)] as const);
    const rules = { groups: [{ name: 't', rules: [{ alert: 'T', expr: 'x', annotations }] }] };
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: values.map((v, i) => ({
            series: `x{job="t",case="${i}"}`,
            values: Array(3).fill(seriesValue(v)).join(' '),
          })),
          alert_rule_test: [
            {
              alertname: 'T',
              eval_time: '1m',
              exp_alerts: values.map((v, i) => {
                const labels = { job: 't', case: String(i) };
                return {
                  exp_labels: labels,
                  exp_annotations: Object.fromEntries(parsed.map(([key, t]) => [key, renderAlertTemplate(t, labels, v)])),
                };
              }),
            },
          ],
        },
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'monforge-template-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), stringify(rules));
      writeFileSync(join(dir, 'tests.yml'), stringify(tests));
      const run = spawnSync('promtool', ['test', 'rules', 'tests.yml'], { cwd: dir, encoding: 'utf8' });
      expect(run.stdout + run.stderr).toContain('SUCCESS');
      expect(run.status).toBe(0);
      // Guard against a vacuous pass: a wrong expectation must fail.
      tests.tests[0]!.alert_rule_test[0]!.exp_alerts[0]!.exp_annotations.humanize = 'wrong';
      writeFileSync(join(dir, 'tests.yml'), stringify(tests));
      expect(() => execFileSync('promtool', ['test', 'rules', 'tests.yml'], { cwd: dir, stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
