import { describe, expect, it } from 'vitest';
import { inlineRecordingRules, recordingRulesByName } from '../../src/backtest/inline.ts';
import type { Located, RecordingRule, RuleFile, RuleGroup } from '../../src/reader/index.ts';
import { promqlErrorsFor } from '../../src/promql/parse.ts';

const group: RuleGroup = { name: 'g', interval: '30s', rules: [] };
const file: RuleFile = { path: 'prometheus/rules/api.rules.yml', sources: [], groups: [group] };
const recorded = (record: string, expr: string, labels: Record<string, string>): Located<RecordingRule> => ({
  rule: { record, expr, labels },
  file,
  group,
});

const rules = recordingRulesByName(
  [
    recorded('slo:ratio_rate5m', 'sum(rate(errors[5m])) / sum(rate(requests[5m]))', { service: 'api', slo: 'availability' }),
    recorded('slo:ratio_rate5m', 'sum(rate(slow[5m])) / sum(rate(requests[5m]))', { service: 'api', slo: 'latency' }),
    recorded('job:up:avg', 'avg by (job) (up)', {}),
    recorded('slo:burn', 'slo:ratio_rate5m{slo="availability"} / 0.001', { service: 'api', slo: 'availability' }),
  ],
  () => ({ interval: 30, group: 0, rule: 0 }),
);
/** An alert in a later group of the same interval: it reads what the rules wrote in the same round. */
const after = { interval: 30, group: 1, rule: 0 };

const never = async () => false;

describe('inlineRecordingRules', () => {
  it('an instant selector becomes the rule expression with its labels set; matchers on those labels pick the rule', async () => {
    const inlined = await inlineRecordingRules('slo:ratio_rate5m{service="api",slo="latency"} > 0.1', rules, never, after);
    expect(inlined.query).toBe(
      '(label_replace(label_replace(sum(rate(slow[5m])) / sum(rate(requests[5m])), "service", "api", "", ""), "slo", "latency", "", "")) > 0.1',
    );
    expect(inlined.sources).toStrictEqual([{ selector: 'slo:ratio_rate5m{service="api",slo="latency"}', how: 'inlined' }]);
    expect(promqlErrorsFor(inlined.query)).toStrictEqual([]);
  });

  it('rules of one name that the matchers do not tell apart are joined with or', async () => {
    const { query } = await inlineRecordingRules('slo:ratio_rate5m', rules, never, after);
    expect(query.split(') or (')).toHaveLength(2);
  });

  it('a matcher on a label the rule does not set filters the result at run time', async () => {
    const { query } = await inlineRecordingRules('job:up:avg{job=~"api|web"} < 1', rules, never, after);
    expect(query).toBe(
      '(label_replace(label_replace(avg by (job) (up), "__monforge_backtest", "1", "job", "api|web") and on(__monforge_backtest) label_replace(vector(1), "__monforge_backtest", "1", "", ""), "__monforge_backtest", "", "", "")) < 1',
    );
    const negated = await inlineRecordingRules('job:up:avg{job!="api"}', rules, never, after);
    expect(negated.query).toContain('unless on(__monforge_backtest)');
    expect(negated.query).toContain('"job", "api")');
  });

  it('rules reading rules are inlined all the way down', async () => {
    const { query, sources } = await inlineRecordingRules('slo:burn{service="api"} > 14.4', rules, never, after);
    expect(query).not.toContain('slo:');
    expect(sources.map((each) => each.selector)).toStrictEqual(['slo:burn{service="api"}', 'slo:ratio_rate5m{slo="availability"}']);
  });

  it('a range selector is read from the server when it holds the series, else recomputed with a subquery at the group interval', async () => {
    const expr = 'sum_over_time(slo:ratio_rate5m{slo="availability"}[30d]) / 8640';
    const asked: [string, number][] = [];
    const held = await inlineRecordingRules(
      expr,
      rules,
      async (selector, seconds) => {
        asked.push([selector, seconds]);
        return true;
      },
      after,
    );
    expect(held).toStrictEqual({ query: expr, sources: [{ selector: 'slo:ratio_rate5m{slo="availability"}[30d]', how: 'server' }] });
    expect(asked).toStrictEqual([['slo:ratio_rate5m{slo="availability"}', 2_592_000]]);
    const recomputed = await inlineRecordingRules(expr, rules, never, after);
    expect(recomputed.query).toMatch(/^sum_over_time\(\(label_replace\(.*\)\)\[30d:30s\]\) \/ 8640$/);
    expect(recomputed.sources[0]).toStrictEqual({ selector: 'slo:ratio_rate5m{slo="availability"}[30d]', how: 'subquery' });
  });

  it("a rule of a group whose interval the reader's is no multiple of is read as of its last evaluation", async () => {
    const { query } = await inlineRecordingRules('job:up:avg < 1', rules, never, { ...after, interval: 45 });
    expect(query).toBe('(last_over_time((avg by (job) (up))[29999ms:30s])) < 1');
    expect((await inlineRecordingRules('job:up:avg < 1', rules, never, { ...after, interval: 60 })).query).toBe('(avg by (job) (up)) < 1');
  });

  it('a rule that runs later in the round is read as of its previous round, through an instant or a range', async () => {
    const first = { interval: 30, group: -1, rule: 0 };
    expect((await inlineRecordingRules('job:up:avg < 1', rules, never, first)).query).toBe(
      '(last_over_time((avg by (job) (up))[29999ms:30s] offset 1ms)) < 1',
    );
    expect((await inlineRecordingRules('sum_over_time(job:up:avg[1h])', rules, never, first)).query).toBe(
      'sum_over_time((avg by (job) (up))[3599999ms:30s] offset 1ms)',
    );
  });

  it('a selector with offset is read from the server (PromQL has no offset on an expression)', async () => {
    const { query, sources } = await inlineRecordingRules('job:up:avg offset 1w', rules, never, after);
    expect(query).toBe('job:up:avg offset 1w');
    expect(sources).toStrictEqual([{ selector: 'job:up:avg', how: 'server' }]);
  });

  it('raw metrics stay as they are; a recorded selector no rule matches selects nothing', async () => {
    expect((await inlineRecordingRules('rate(requests[5m])', rules, never, after)).query).toBe('rate(requests[5m])');
    expect((await inlineRecordingRules('slo:ratio_rate5m{service="web"}', rules, never, after)).query).toBe('(vector(0) < 0)');
  });
});
