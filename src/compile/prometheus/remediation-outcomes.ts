import {
  remediationDurationRecord,
  remediationEpisodesRecord,
  remediationRunsRecord,
  remediationSuccessRecord,
} from '../../derive/records.ts';
import { runbookUrl, remediationAlertName } from '../../model/alert-names.ts';
import type { Platform } from '../../model/platform.ts';
import { handledAlerts, playbookOwners, remediationOutcomesName } from '../../model/playbook-services.ts';
import { quote } from '../../promql/render.ts';
import { alertAnnotations } from './labels.ts';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.ts';

// The remediation goals of docs/design.md: "> 80 % of issues resolved without a human", measured from the
// webhook receiver's own metrics (src/webhook/metrics.ts; a test checks these names against it).

/** Playbook runs by playbook and outcome (remediated, failed, dry-run, resolved, …). */
export const webhookRunsMetric = 'monforge_webhook_runs_total';
/** Time spent in actions, verification, rollback and escalation, by playbook and step kind. */
export const webhookDurationMetric = 'monforge_webhook_action_duration_seconds';

/** Runs that are not remediation of a firing alert: dry runs and the actions of a resolved one. */
const notEpisodes = 'dry-run|resolved';
const successTarget = 80;
/** Below this many episodes a day one failure is too loud a signal. */
export const minimumEpisodes = 5;

function recordingRules(): RecordingRule[] {
  const runs = remediationRunsRecord;
  const episodes = remediationEpisodesRecord;
  const share = (by: string) => `(${by}(${runs}{outcome="remediated"}) or 0 * ${by}(${episodes})) / (${by}(${episodes}) > 0)`;
  const duration = (by: string) => `${by}(increase(${webhookDurationMetric}_sum[1d])) / (${by}(${episodes}) > 0)`;
  return [
    { record: runs, expr: `sum by (playbook, outcome) (increase(${webhookRunsMetric}[1d]))` },
    { record: episodes, expr: `sum by (playbook) (${runs}{outcome!~${quote(notEpisodes)}})` },
    { record: remediationSuccessRecord('playbook'), expr: share('sum by (playbook) ') },
    { record: remediationDurationRecord('playbook'), expr: duration('sum by (playbook) ') },
    { record: remediationSuccessRecord('platform'), expr: share('sum') },
    { record: remediationDurationRecord('platform'), expr: duration('sum') },
  ];
}

/** One alert per playbook and service it remediates (a rule group's among them), owned by that service's team. */
function alertingRules(platform: Platform): AlertingRule[] {
  const playbooks = [...platform.playbooks].sort((a, b) => (a.name < b.name ? -1 : 1));
  const alerts = handledAlerts(platform);
  return playbooks.flatMap((playbook) =>
    playbookOwners(playbook, alerts).map((owner): AlertingRule => {
      const selector = `{playbook=${quote(playbook.name)}}`;
      return {
        alert: remediationAlertName,
        expr: `100 * ${remediationSuccessRecord('playbook')}${selector} < ${successTarget} and on(playbook) ${remediationEpisodesRecord}${selector} >= ${minimumEpisodes}`,
        for: '15m',
        labels: { service: owner.service, team: owner.team, severity: 'warning', playbook: playbook.name },
        annotations: alertAnnotations(
          `Playbook ${playbook.name} resolved only {{ printf "%.0f" $value }} % of its episodes without a human`,
          `Over the last day, playbook ${playbook.name} (${owner.service}) remediated {{ printf "%.1f" $value }} % of the alerts it ran for, below the ${successTarget} % target (judged from ${minimumEpisodes} episodes a day). Check its audit log and whether its actions still fit the failure.`,
          runbookUrl(platform.config, remediationAlertName),
        ),
      };
    }),
  );
}

export function remediationGroup(platform: Platform): RuleGroup {
  return { name: remediationOutcomesName, rules: [...recordingRules(), ...alertingRules(platform)] };
}
