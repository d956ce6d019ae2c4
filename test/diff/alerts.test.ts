import { describe, expect, it } from 'vitest';
import { sentence } from '../../src/diff/format/describe.ts';
import { diffTrees } from '../../src/diff/index.ts';
import { parseGeneratedTree } from '../../src/reader/index.ts';

interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly severity: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly team?: string;
  readonly summary?: string;
}

function ruleFile(rules: readonly Rule[]): string {
  const lines = ['groups:', '  - name: api-alerts', '    rules:'];
  for (const rule of rules) {
    lines.push(`      - alert: ${rule.alert}`, `        expr: ${JSON.stringify(rule.expr)}`);
    if (rule.for) lines.push(`        for: ${rule.for}`);
    if (rule.keepFiringFor) lines.push(`        keep_firing_for: ${rule.keepFiringFor}`);
    lines.push(
      '        labels:',
      '          service: api',
      `          team: ${rule.team ?? 'platform'}`,
      `          severity: ${rule.severity}`,
    );
    lines.push('        annotations:', `          summary: ${JSON.stringify(rule.summary ?? 'api is slow')}`);
  }
  return `${lines.join('\n')}\n`;
}

const changes = (base: readonly Rule[], head: readonly Rule[]): string[] =>
  diffTrees(
    parseGeneratedTree(new Map([['prometheus/rules/api.rules.yml', ruleFile(base)]]), 'base'),
    parseGeneratedTree(new Map([['prometheus/rules/api.rules.yml', ruleFile(head)]]), 'head'),
  ).changes.map(sentence);

const slow = (severity: string, level: number, extra: Partial<Rule> = {}): Rule => ({
  alert: 'ApiSlow',
  expr: `histogram_quantile(0.95, sum by (le) (rate(latency_bucket[5m]))) > ${level}`,
  severity,
  for: '5m',
  ...extra,
});

describe('alert changes', () => {
  it('reports an expression change once for every level, apart from its thresholds', () => {
    const head = [slow('critical', 2), slow('warning', 1)].map((rule) => ({ ...rule, expr: rule.expr.replace('0.95', '0.99') }));
    expect(changes([slow('critical', 2), slow('warning', 1)], head)).toEqual(['alert ApiSlow: expression changed']);
    expect(changes([slow('critical', 2)], [{ ...slow('critical', 3), expr: slow('critical', 3).expr.replace('[5m]', '[10m]') }])).toEqual([
      'alert ApiSlow: critical threshold 2 → 3',
      'alert ApiSlow: expression changed',
    ]);
  });

  it('reports levels added and removed, and fields that changed at one level only', () => {
    expect(changes([slow('critical', 2), slow('warning', 1)], [slow('critical', 2, { for: '10m' }), slow('high', 1.5)])).toEqual([
      'alert ApiSlow: warning level removed (was 1)',
      'alert ApiSlow: high level added (1.5)',
      'alert ApiSlow: for (critical) 5m → 10m',
    ]);
  });

  it('reports keep_firing_for, labels and annotations', () => {
    expect(
      changes([slow('critical', 2)], [slow('critical', 2, { keepFiringFor: '10m', team: 'data', summary: 'api p95 is high' })]),
    ).toEqual([
      'alert ApiSlow: label team: platform → data',
      'alert ApiSlow: keep_firing_for none → 10m',
      'alert ApiSlow: annotation summary api is slow → api p95 is high',
    ]);
  });

  it('names an alert with its labels when two share its name', () => {
    const other = (rule: Rule): Rule => ({ ...rule, team: 'data' });
    expect(changes([slow('critical', 2), other(slow('critical', 2))], [slow('critical', 3), other(slow('critical', 2))])).toEqual([
      'alert ApiSlow{service="api",team="platform"}: critical threshold 2 → 3',
    ]);
  });
});
