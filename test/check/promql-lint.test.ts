import { describe, expect, it } from 'vitest';
import { promqlFindings } from '../../src/check/promql-lint.ts';

// Every expression of every generated rule file is parsed before promtool runs: a rule that
// does not parse is named by file, group and rule.

describe('the PromQL lint of generated rule files', () => {
  it('names the file, the group and the rule of an expression that does not parse', () => {
    const rules = `groups:
  - name: api
    rules:
      - alert: ApiErrors
        expr: sum(rate(http_requests_total[5m]) > 1
        labels:
          severity: warning
      - record: job:up:sum
        expr: sum by (job) (up)
`;
    expect(promqlFindings(new Map([['prometheus/rules/api.rules.yml', rules]]))).toEqual([
      'prometheus/rules/api.rules.yml: group "api" › alert "ApiErrors" (warning): invalid PromQL: incomplete expression at end [validators/rule-promql]',
    ]);
  });
});
