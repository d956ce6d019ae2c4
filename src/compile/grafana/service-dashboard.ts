import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  RowBuilder,
  type Dashboard,
  type Panel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { serviceLayout, type PlacedSlot } from '../../derive/dashboard-layout.ts';
import { serviceDashboardUid } from '../../derive/dashboard-links.ts';
import type { ThresholdAlert } from '../../model/alert.ts';
import { burnAlertName, outageAlertName, runbookUrl } from '../../model/alert-names.ts';
import { enabledTiers, errorBudget, sliWindows, sloWindow, tierWindows } from '../../model/burn-rate.ts';
import { mul, rational, toDecimal } from '../../model/decimal.ts';
import type { PlatformConfig } from '../../model/config.ts';
import type { Histogram } from '../../model/metric.ts';
import { resultLabels } from '../../model/result-labels.ts';
import type { Selector } from '../../model/selector.ts';
import type { Service, Traffic } from '../../model/service.ts';
import { severities } from '../../model/severity.ts';
import type { Slo } from '../../model/slo.ts';
import { renderSelector } from '../../promql/render.ts';
import { table, timeseries } from './panels.ts';
import {
  budgetRemaining,
  burnRate,
  errorRatio,
  firingSloAlerts,
  histogramQuantile,
  objectiveRatio,
  perSecond,
  rateInterval,
  sliRatio,
  thresholdPanelExpr,
} from './queries.ts';
import { budgetSteps, burnSteps, levelSteps } from './steps.ts';
import { platformTag, serviceTag, teamTag } from './tags.ts';
import { burnRateUnit, exprUnit, metricUnit, rateUnit } from './units.ts';
import { datasourceVariable, labelVariables } from './variables.ts';

type PanelBuilder = Builder<Panel>;

/**
 * One service: traffic, errors, latency and saturation rows (the RED method plus the alerts'
 * levels), then one row per SLO. Panel ids come from `serviceLayout`, which alert links share.
 */
export function serviceDashboard(config: PlatformConfig, service: Service): Dashboard {
  const builder = new DashboardBuilder(service.name)
    .uid(serviceDashboardUid(service))
    .description(service.description ?? `Requests, errors, latency, saturation and SLOs of ${service.name}.`)
    .tags(['monforge', serviceTag, teamTag(service.team), `tier:${service.tier}`])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .variables([datasourceVariable(), ...labelVariables(service)])
    .links([
      new DashboardLinkBuilder('Platform').type(DashboardLinkType.Dashboards).tags([platformTag]).keepTime(true),
      new DashboardLinkBuilder(`Team ${service.team}`)
        .type(DashboardLinkType.Dashboards)
        .tags([teamTag(service.team)])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(false),
    ]);
  for (const row of serviceLayout(service)) {
    builder.withRow(new RowBuilder(row.title).id(row.id));
    const width = row.panels.length === 1 ? 24 : 12;
    for (const slot of row.panels) builder.withPanel(slotPanel(config, service, slot, width));
  }
  return builder.build();
}

function slotPanel(config: PlatformConfig, service: Service, slot: PlacedSlot, width: number): PanelBuilder {
  switch (slot.kind) {
    case 'requests':
      return requestsPanel(service, slot.traffic, slot.id);
    case 'errors':
      return errorsPanel(config, service, slot.traffic, slot.id);
    case 'latency':
      return latencyPanel(service, slot.histogram, slot.id, width);
    case 'threshold':
      return thresholdPanel(config, service, slot.alert, slot.id);
    case 'sli':
    case 'budget':
    case 'burn':
    case 'firing':
      return sloPanel(config, service, slot.slo, slot.kind, slot.id);
  }
}

function requestsPanel(service: Service, traffic: Traffic, id: number): PanelBuilder {
  const metric = traffic.requests.metric;
  return timeseries({
    id,
    title: 'Request rate',
    description: `Requests per second, from ${metric.name}: ${metric.help}`,
    unit: rateUnit(metric.unit),
    queries: [{ expr: perSecond(service, traffic.requests), legend: 'requests' }],
    width: 24,
  });
}

function errorsPanel(config: PlatformConfig, service: Service, traffic: Traffic, id: number): PanelBuilder {
  return timeseries({
    id,
    title: 'Error ratio',
    description: `Share of ${traffic.requests.metric.name} requests that failed. Nearly all of them failing fires ${outageAlertName(service.name)}.`,
    unit: units.PercentUnit,
    queries: [{ expr: errorRatio(service, traffic.errors, traffic.requests), legend: 'errors' }],
    width: 24,
    links: [{ title: `Runbook: ${outageAlertName(service.name)}`, url: runbookUrl(config, outageAlertName(service.name)) }],
  });
}

const percentiles = [0.5, 0.95, 0.99];

function latencyPanel(service: Service, histogram: Selector<Histogram>, id: number, width: number): PanelBuilder {
  const metric = histogram.metric;
  return timeseries({
    id,
    // The histogram's own matchers tell apart two panels of one metric (two routes).
    title: `Latency percentiles: ${renderSelector(metric.name, { selector: {} }, histogram)}`,
    description: `p50, p95 and p99 of ${metric.name}, interpolated within its buckets (${metric.buckets.join(', ')}): ${metric.help}`,
    unit: metricUnit(metric.unit),
    queries: percentiles.map((quantile) => ({ expr: histogramQuantile(service, histogram, quantile), legend: `p${quantile * 100}` })),
    width,
  });
}

function thresholdPanel(config: PlatformConfig, service: Service, alert: ThresholdAlert, id: number): PanelBuilder {
  const levels = [...severities]
    .reverse()
    .filter((severity) => alert.levels[severity] !== undefined)
    .map((severity) => `${severity} ${alert.levels[severity]}`);
  const measured = alert.expr.kind === 'baseline' ? alert.expr.current : alert.expr;
  const window = 'window' in measured && measured.window ? measured.window : '5m';
  const rated = ['ratio', 'quantile', 'average', 'rate'].includes(measured.kind);
  const compared = alert.expr.kind === 'baseline' ? ` Drawn in percent of the value ${alert.expr.offset} earlier.` : '';
  const byLabels = resultLabels(service, alert.expr).filter((label) => !(label in service.selector));
  return timeseries(
    {
      id,
      title: alert.name,
      description:
        `What ${alert.name} compares with its levels (${levels.join(', ')}): it fires ${alert.direction ?? 'above'} a level` +
        `${alert.for ? ` for ${alert.for}` : ''}.${rated ? ` Drawn over ${rateInterval}; the alert evaluates ${window}.` : ''}${compared}`,
      unit: exprUnit(alert.expr),
      queries: [
        {
          expr: thresholdPanelExpr(service, alert.expr),
          legend: alert.expr.kind === 'promql' || byLabels.length === 0 ? alert.name : byLabels.map((label) => `{{${label}}}`).join(' '),
        },
      ],
      width: 12,
      links: [{ title: `Runbook: ${alert.name}`, url: runbookUrl(config, alert.name, alert.runbook) }],
    },
    levelSteps(alert),
  );
}

function sloPanel(
  config: PlatformConfig,
  service: Service,
  slo: Slo,
  kind: 'sli' | 'budget' | 'burn' | 'firing',
  id: number,
): PanelBuilder {
  const window = sloWindow(slo);
  const about = slo.description ? `${slo.description} ` : '';
  switch (kind) {
    case 'sli':
      return timeseries({
        id,
        title: 'SLI vs objective',
        description: `${about}Share of good events over 5m and over the ${window} window, against the ${slo.objective} % objective.`,
        unit: units.PercentUnit,
        queries: [
          { expr: sliRatio(service, slo, '5m'), legend: 'SLI over 5m' },
          { expr: sliRatio(service, slo, window), legend: `SLI over ${window}` },
          { expr: objectiveRatio(service, slo), legend: 'objective' },
        ],
        width: 8,
      });
    case 'budget':
      return timeseries(
        {
          id,
          title: 'Error budget remaining',
          description: `Share of the ${window} error budget (${toDecimal(mul(errorBudget(slo), rational(100)))} % of events may fail) still unspent: 100 % untouched, below 0 overspent.`,
          unit: units.PercentUnit,
          queries: [{ expr: budgetRemaining(service, slo), legend: 'budget remaining' }],
          width: 8,
        },
        budgetSteps,
      );
    case 'burn': {
      const tiers = enabledTiers(slo);
      const windows = [...new Set(tiers.flatMap((tier) => tierWindows[tier].flatMap((each) => [each.long, each.short])))];
      const sorted = sliWindows(slo).filter((each) => windows.includes(each));
      return timeseries(
        {
          id,
          title: 'Burn rate',
          description: `How fast the error budget burns over each alert window (1× spends it exactly over ${window}). Lines mark the tier factors: page in red, ticket in orange; a tier fires when a long window and its short window both cross its factor.`,
          unit: burnRateUnit,
          queries: sorted.map((each) => ({ expr: burnRate(service, slo, each), legend: each })),
          width: 8,
          // Tiers that share the SLO's own alert name share one runbook.
          links: [...new Set(tiers.map((tier) => burnAlertName(service.name, slo, tier)))].map((name) => ({
            title: `Runbook: ${name}`,
            url: runbookUrl(config, name),
          })),
        },
        burnSteps(slo),
      );
    }
    case 'firing':
      return table(
        {
          id,
          title: 'Firing burn alerts',
          description: `The burn-rate alerts of ${service.name}/${slo.name} firing now.`,
          unit: units.String,
          queries: [{ expr: firingSloAlerts(service, slo), legend: '{{alertname}}', table: true }],
          width: 24,
          height: 5,
        },
        [
          { field: 'alertname', title: 'Alert' },
          { field: 'severity', title: 'Severity' },
          { field: 'tier', title: 'Tier' },
        ],
        'No burn alert firing',
      );
  }
}
