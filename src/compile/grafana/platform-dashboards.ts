import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import {
  componentRecord,
  platformScoreRecord,
  remediationDurationRecord,
  remediationSuccessRecord,
  serviceScoreRecord,
} from '../../derive/records.ts';
import { overviewUid, sloOverviewUid } from '../../derive/dashboard-links.ts';
import { stat, statusHistory, table, timeseries } from './panels.ts';
import { budgetSteps, healthSteps } from './steps.ts';
import { platformTag, serviceTag } from './tags.ts';
import { burnRateUnit } from './units.ts';
import { datasourceVariable } from './variables.ts';

// The platform dashboards read only recording rules and ALERTS, so they need no job/instance
// variables: every SLO and every service appears by its `service` and `slo` labels.

const firingAlerts = 'ALERTS{alertstate="firing"}';

function platformDashboard(title: string, uid: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['monforge', platformTag])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .variables([datasourceVariable()])
    .links([
      new DashboardLinkBuilder('Platform').type(DashboardLinkType.Dashboards).tags([platformTag]).keepTime(true),
      new DashboardLinkBuilder('Services').type(DashboardLinkType.Dashboards).tags([serviceTag]).asDropdown(true).keepTime(true),
    ]);
}

/** Every SLO in one table: objective, SLI over its window, budget remaining, the 5m burn rate and how much of the window the history covers. */
function sloTable(id: number) {
  return table(
    {
      id,
      title: 'SLOs',
      description:
        'Every SLO of the platform: its objective, the SLI over its compliance window, the share of the error budget left and how fast it burns now (5m). History below 100 %: the rules have not run for a whole window yet, and the budget left is partial (the errors so far against the whole window’s budget at the traffic so far).',
      unit: units.PercentUnit,
      queries: [
        { expr: 'slo:objective:ratio', legend: 'objective', table: true },
        { expr: '1 - slo:period_burn_rate:ratio * slo:error_budget:ratio', legend: 'SLI', table: true },
        { expr: 'slo:period_error_budget_remaining:ratio', legend: 'budget remaining', table: true },
        { expr: 'slo:current_burn_rate:ratio', legend: 'burn rate', table: true },
        { expr: 'slo:period_coverage:ratio', legend: 'history', table: true },
      ],
      width: 24,
      height: 10,
    },
    [
      { field: 'service', title: 'Service' },
      { field: 'slo', title: 'SLO' },
      { field: 'Value #A', title: 'Objective' },
      { field: 'Value #B', title: 'SLI' },
      { field: 'Value #C', title: 'Budget remaining' },
      { field: 'Value #D', title: 'Burn rate (5m)', unit: burnRateUnit },
      { field: 'Value #E', title: 'History of the window' },
    ],
    'No SLO recorded yet',
  );
}

/**
 * What the platform records for the overview to show: with services, their health scores and
 * availability; with SLOs, their records; with playbooks, the remediation outcomes. A panel
 * over records nothing writes would stay empty, and the dashboard lint flags its queries.
 */
export interface OverviewContent {
  readonly services: boolean;
  readonly slos: boolean;
  readonly remediation: boolean;
}

/** Health score, availability matrix, active alerts, SLOs and remediation outcomes of the whole platform, as far as it has them. */
export function overviewDashboard(content: OverviewContent): Dashboard {
  const shows = [
    content.services &&
      'Health score 0–100 per service and overall (availability 40 %, performance 30 %, error rate 20 %, resource usage 10 %), availability',
    content.services ? 'firing alerts' : 'Firing alerts',
    content.slos && 'every SLO',
  ].filter((part) => typeof part === 'string');
  const description = shows.length === 1 ? `${shows[0]}.` : `${shows.slice(0, -1).join(', ')} and ${shows.at(-1)}.`;
  const builder = platformDashboard('Platform overview', overviewUid, description);
  // Panel ids stay the same whichever rows are left out: a link to one keeps working.
  if (content.services) withHealthRows(builder);
  withAlertsRow(builder);
  if (content.slos) builder.withRow(new RowBuilder('SLOs').id(11)).withPanel(sloTable(12));
  if (content.remediation) withRemediationRow(builder, 13);
  return builder.build();
}

/** Each service's and the platform's health score, and the availability matrix. */
function withHealthRows(builder: DashboardBuilder): void {
  builder
    .withRow(new RowBuilder('Health').id(1))
    .withPanel(
      stat(
        {
          id: 2,
          title: 'Platform health',
          description: 'Mean health score of all services: 100 when every target is up and no alert fires.',
          unit: units.Percent,
          queries: [{ expr: platformScoreRecord, legend: 'platform' }],
          width: 6,
        },
        healthSteps,
      ),
    )
    .withPanel(
      stat(
        {
          id: 3,
          title: 'Health by service',
          description:
            'Health score per service: 40 % availability (targets up, no outage), 30 % performance, 20 % error rate and 10 % resource usage, each lowered by its most severe firing alert.',
          unit: units.Percent,
          queries: [{ expr: serviceScoreRecord, legend: '{{service}}' }],
          width: 18,
        },
        healthSteps,
      ),
    )
    .withPanel(
      timeseries(
        {
          id: 4,
          title: 'Health trend',
          description: 'Health score over time, per service and for the platform.',
          unit: units.Percent,
          queries: [
            { expr: serviceScoreRecord, legend: '{{service}}' },
            { expr: platformScoreRecord, legend: 'platform' },
          ],
          width: 24,
        },
        healthSteps,
      ),
    )
    .withRow(new RowBuilder('Availability').id(5))
    .withPanel(
      statusHistory(
        {
          id: 6,
          title: 'Availability matrix',
          description: 'Share of each service’s targets that are up over time; 0 while its outage alert fires.',
          unit: units.Percent,
          queries: [{ expr: `100 * ${componentRecord('availability')}`, legend: '{{service}}' }],
          width: 24,
          height: 10,
        },
        healthSteps,
      ),
    );
}

/** Alerts firing now and over time. */
function withAlertsRow(builder: DashboardBuilder): void {
  builder
    .withRow(new RowBuilder('Alerts').id(7))
    .withPanel(
      stat(
        {
          id: 8,
          title: 'Firing alerts by severity',
          description: 'Alerts firing now, counted per severity.',
          unit: units.Short,
          queries: [{ expr: `count by (severity) (${firingAlerts})`, legend: '{{severity}}' }],
          width: 8,
        },
        [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
        '0',
      ),
    )
    .withPanel(
      timeseries({
        id: 9,
        title: 'Firing alerts over time',
        description: 'Alerts firing, counted per severity, over time.',
        unit: units.Short,
        queries: [{ expr: `count by (severity) (${firingAlerts})`, legend: '{{severity}}' }],
        width: 16,
      }),
    )
    .withPanel(
      table(
        {
          id: 10,
          title: 'Firing alerts',
          description: 'Every alert firing now, with its service, team and severity.',
          unit: units.String,
          queries: [{ expr: firingAlerts, legend: '{{alertname}}', table: true }],
          width: 24,
        },
        [
          { field: 'alertname', title: 'Alert' },
          { field: 'service', title: 'Service' },
          { field: 'team', title: 'Team' },
          { field: 'severity', title: 'Severity' },
        ],
        'No alert firing',
      ),
    );
}

/** The remediation goals of docs/design.md: the share of episodes resolved without a human, and how long remediation takes. */
function withRemediationRow(builder: DashboardBuilder, firstId: number): void {
  builder
    .withRow(new RowBuilder('Remediation').id(firstId))
    .withPanel(
      stat(
        {
          id: firstId + 1,
          title: 'Resolved without a human (1d)',
          description:
            'Share of the alerts the remediation receiver ran a playbook for that it remediated and verified over the last day (dry runs left out). Target: above 80 %.',
          unit: units.PercentUnit,
          queries: [{ expr: remediationSuccessRecord('platform'), legend: 'platform' }],
          width: 6,
        },
        [
          { value: null, color: 'red' },
          { value: 0.8, color: 'green' },
        ],
      ),
    )
    .withPanel(
      stat(
        {
          id: firstId + 2,
          title: 'Mean time to remediate (1d)',
          description:
            'Mean time the receiver spent per episode over the last day: actions, verification and, on failure, rollback and escalation, from the notification it received.',
          unit: units.Seconds,
          queries: [{ expr: remediationDurationRecord('platform'), legend: 'platform' }],
          width: 6,
        },
        [{ value: null, color: 'blue' }],
      ),
    )
    .withPanel(
      timeseries({
        id: firstId + 3,
        title: 'Resolved without a human by playbook (1d)',
        description: 'Share of each playbook’s episodes it remediated over the last day; under 80 % fires RemediationSuccessRateLow.',
        unit: units.PercentUnit,
        queries: [{ expr: remediationSuccessRecord('playbook'), legend: '{{playbook}}' }],
        width: 12,
      }),
    );
}

/** Every SLO: the table, and budgets and burn rates over time. */
export function sloOverviewDashboard(): Dashboard {
  return platformDashboard('SLOs', sloOverviewUid, 'Every SLO of the platform: compliance, error budgets and burn rates.')
    .withRow(new RowBuilder('SLOs').id(1))
    .withPanel(sloTable(2))
    .withRow(new RowBuilder('Error budgets').id(3))
    .withPanel(
      timeseries(
        {
          id: 4,
          title: 'Error budget remaining',
          description: 'Share of each SLO’s error budget left over its compliance window; below 0 it is overspent.',
          unit: units.PercentUnit,
          queries: [{ expr: 'slo:period_error_budget_remaining:ratio', legend: '{{service}}/{{slo}}' }],
          width: 12,
        },
        budgetSteps,
      ),
    )
    .withPanel(
      timeseries({
        id: 5,
        title: 'Burn rate (5m)',
        description: 'How fast each SLO burns its budget now: 1× spends it exactly over the compliance window.',
        unit: burnRateUnit,
        queries: [{ expr: 'slo:current_burn_rate:ratio', legend: '{{service}}/{{slo}}' }],
        width: 12,
      }),
    )
    .build();
}
