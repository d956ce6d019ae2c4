import { remediationDurationRecord, remediationSuccessRecord } from '../../../derive/records.ts';
import { seriesName } from '../../../derive/test-labels.ts';
import { num } from '../../../derive/promtool-number.ts';
import type { TestSeries } from '../../../model/expr.ts';
import { remediationOutcomesName } from '../../../model/playbook-services.ts';
import { ruleFilePath } from '../paths.ts';
import { remediationAlertName } from '../../../model/alert-names.ts';
import { minimumEpisodes, webhookDurationMetric, webhookRunsMetric } from '../remediation-outcomes.ts';
import { isAlertingRule, type AlertingRule, type RuleGroup } from '../rules.ts';
import { expectedAlert } from './expect.ts';
import { minutes, type ExprTestCase, type TestGroup } from './promtool.ts';
import type { PromtoolTestFile } from './test-file.ts';

/** Increases need two samples: rates exist from minute 1, and the alert fires `for` later. */
const forMinutes = 15;
const fires = 1 + forMinutes;
const steps = fires + 2;

/** Per minute and playbook: episodes remediated, failed, and runs that are no episode (dry runs). */
interface Runs {
  readonly remediated: number;
  readonly failed: number;
  readonly dryRun: number;
}

function series(playbooks: readonly string[], runs: Runs, secondsPerEpisode: number): TestSeries[] {
  return playbooks.flatMap((playbook) => [
    ...Object.entries({ remediated: runs.remediated, failed: runs.failed, 'dry-run': runs.dryRun }).map(([outcome, perMinute]) => ({
      series: seriesName(webhookRunsMetric, { outcome, playbook }),
      values: `0+${num(perMinute)}x${steps}`,
    })),
    {
      series: seriesName(`${webhookDurationMetric}_sum`, { kind: 'http', playbook }),
      values: `0+${num((runs.remediated + runs.failed) * secondsPerEpisode)}x${steps}`,
    },
  ]);
}

/** Checked to 1e-9: increases of synthetic counters carry binary noise. */
const near = (expr: string, labels: string, expected: number): ExprTestCase => ({
  expr: `abs(${expr} - ${num(expected)}) < bool 1e-9`,
  eval_time: minutes(fires),
  exp_samples: [{ labels, value: 1 }],
});

/**
 * Every playbook remediating 3 of 4 episodes fires each of its alerts after `for` and not a minute
 * earlier, with the recorded share and mean duration; 9 of 10 does not, nor a day with fewer
 * episodes than the minimum, however badly they went.
 */
export function remediationTestFile(group: RuleGroup): PromtoolTestFile {
  const alerts = group.rules.filter(isAlertingRule);
  const playbooks = [...new Set(alerts.map((rule) => rule.labels.playbook!))];
  const scenario = (name: string, runs: Runs, firing: readonly AlertingRule[], checks: ExprTestCase[] = []): TestGroup => {
    const share = (100 * runs.remediated) / (runs.remediated + runs.failed);
    return {
      name: `${remediationAlertName}: ${name}`,
      interval: '1m',
      input_series: series(playbooks, runs, 10),
      alert_rule_test: [
        ...(firing.length > 0 ? [{ eval_time: minutes(fires - 1), alertname: remediationAlertName, exp_alerts: [] }] : []),
        {
          eval_time: minutes(fires),
          alertname: remediationAlertName,
          exp_alerts: firing.map((rule) => expectedAlert(rule, { playbook: rule.labels.playbook! }, share)),
        },
      ],
      ...(checks.length > 0 && { promql_expr_test: checks }),
    };
  };
  const checks = [
    ...playbooks.flatMap((playbook) => {
      const labels = `{playbook=${JSON.stringify(playbook)}}`;
      return [
        near(`${remediationSuccessRecord('playbook')}${labels}`, labels, 0.75),
        near(`${remediationDurationRecord('playbook')}${labels}`, labels, 10),
      ];
    }),
    near(remediationSuccessRecord('platform'), '{}', 0.75),
    near(remediationDurationRecord('platform'), '{}', 10),
  ];
  const tests: TestGroup[] = [
    // 8 episodes a minute: past the minimum from the first increase on.
    scenario('3 of 4 episodes remediated, dry runs left out', { remediated: 6, failed: 2, dryRun: 5 }, alerts, checks),
    scenario('9 of 10 episodes remediated', { remediated: 9, failed: 1, dryRun: 0 }, []),
    // 0.1 a minute: under the minimum within the test's day.
    scenario(`fewer than ${minimumEpisodes} episodes, none remediated`, { remediated: 0, failed: 0.1, dryRun: 0 }, []),
  ];
  return { rule_files: [`../${ruleFilePath(remediationOutcomesName).replace('prometheus/', '')}`], evaluation_interval: '1m', tests };
}
