import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { counter, defineDashboard, query, re, select, type Gauge, type Selector } from '../../src/index.ts';
import { cpuLimit, cpuUsed, memoryLimit, memoryUsed, volumeSize, volumeUsed } from '../metrics.ts';
import { cacheLookups } from '../services/cache.ts';
import { dbConnectionsInUse, dbConnectionsMax } from '../services/database.ts';

// docs/design.md, "Dashboards": infrastructure — CPU, memory, disk, network, DB connections, cache hit
// ratio, across every service. A dashboard of the platform team's own, written with the
// foundation SDK: monforge renders it to generated/grafana/dashboards/platform/infrastructure.json
// and provisions, lints, diffs and applies it with the dashboards it derives.

/** The hosts' network traffic, from node-exporter: no service declares it, so the dashboard does. */
const networkReceived = counter({
  name: 'node_network_receive_bytes_total',
  help: 'Bytes received by a network device of the host.',
  unit: 'bytes',
  labels: ['device'],
});
const networkSent = counter({
  name: 'node_network_transmit_bytes_total',
  help: 'Bytes sent by a network device of the host.',
  unit: 'bytes',
  labels: ['device'],
});

const datasource = { type: 'prometheus', uid: '${datasource}' };

const target = (expr: string, legend: string, refId = 'A') =>
  new prometheus.DataqueryBuilder().refId(refId).datasource(datasource).expr(expr).legendFormat(legend);

/** Levels drawn as dashed lines: the alert levels of the platform's policies and docs/design.md. */
const levels = (warning: number, critical: number, below = false) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(
    below
      ? [
          { value: null, color: 'red' },
          { value: critical, color: 'orange' },
          { value: warning, color: 'green' },
        ]
      : [
          { value: null, color: 'green' },
          { value: warning, color: 'orange' },
          { value: critical, color: 'red' },
        ],
  );

/** One graph per resource: series per job, the legend shown, levels dashed. */
const panel = (id: number, title: string, description: string, unit: string) =>
  new timeseries.PanelBuilder()
    .id(id)
    .title(title)
    .description(description)
    .unit(unit)
    .datasource(datasource)
    .span(12)
    .height(8)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));

const dashed = () => new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed);

/** One gauge as a percent of another, per service, the levels dashed: the saturation of a resource. */
const saturation = (
  id: number,
  title: string,
  description: string,
  used: Selector<Gauge>,
  capacity: Selector<Gauge>,
  [warning, critical]: [number, number],
) =>
  panel(id, title, description, units.Percent)
    .targets([target(query`100 * sum by (job) (${used}) / sum by (job) (${capacity})`, '{{job}}')])
    .thresholds(levels(warning, critical))
    .thresholdsStyle(dashed());

export const infrastructure = defineDashboard({
  folder: 'platform',
  metrics: [networkReceived, networkSent],
  build: () =>
    new dashboard.DashboardBuilder('Infrastructure')
      .uid('infrastructure')
      .description('CPU, memory, disk, network, database connections and cache hit ratio of every service.')
      .tags(['monforge', 'team:platform'])
      .readonly()
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      .time({ from: 'now-6h', to: 'now' })
      .refresh('1m')
      .variables([new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus')])
      .withRow(new dashboard.RowBuilder('Compute').id(1))
      .withPanel(
        saturation(
          2,
          'CPU',
          'CPU cores in use as a percent of the container limit (policy: warning 70 %, high 90 %).',
          select(cpuUsed),
          select(cpuLimit),
          [70, 90],
        ),
      )
      .withPanel(
        saturation(
          3,
          'Memory',
          'Resident memory as a percent of the container limit (policy: warning 80 %, critical 90 %).',
          select(memoryUsed),
          select(memoryLimit),
          [80, 90],
        ),
      )
      .withRow(new dashboard.RowBuilder('Storage and network').id(4))
      .withPanel(
        saturation(
          5,
          'Disk',
          'Bytes used on each data volume as a percent of its size (policy: warning 80 %, high 90 %).',
          select(volumeUsed),
          select(volumeSize),
          [80, 90],
        ),
      )
      .withPanel(
        panel(
          6,
          'Network',
          'Bytes per second received and sent by the hosts of the services, loopback left out.',
          units.BytesPerSecondSI,
        ).targets([
          // PromQL text: the lint checks its series and labels against the metrics declared above.
          target('sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[$__rate_interval]))', '{{instance}} in'),
          target(
            query`-sum by (instance) (rate(${select(networkSent, { device: re('[^l].*|l[^o].*') })}[$__rate_interval]))`,
            '{{instance}} out',
            'B',
          ),
        ]),
      )
      .withRow(new dashboard.RowBuilder('Database and cache').id(7))
      .withPanel(
        saturation(
          8,
          'DB connections',
          'Connections of the pool in use as a percent of its size (design: warning 70 %, critical 90 %).',
          select(dbConnectionsInUse),
          select(dbConnectionsMax),
          [70, 90],
        ),
      )
      .withPanel(
        panel(9, 'Cache hit ratio', 'Share of cache lookups that found their key (design: target 85 %, warning below 80 %).', units.Percent)
          .targets([
            target(
              query`100 * sum by (job) (rate(${select(cacheLookups, { result: 'hit' })}[$__rate_interval])) / sum by (job) (rate(${select(cacheLookups)}[$__rate_interval]))`,
              '{{job}}',
            ),
          ])
          .thresholds(levels(85, 80, true))
          .thresholdsStyle(dashed()),
      ),
});
