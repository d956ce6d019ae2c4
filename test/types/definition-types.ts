// Compile-time guarantees of the definition API. `npm test` type-checks this file: each
// `@ts-expect-error` line must be an error, or tsc fails ("unused @ts-expect-error").
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import {
  alert,
  average,
  defineRouteTree,
  defineRuleGroup,
  pql,
  baseline,
  counter,
  defineDashboard,
  definePolicy,
  defineResources,
  defineService,
  forecast,
  gauge,
  gaugePercent,
  histogram,
  gaugeSlo,
  latencySlo,
  query,
  quantile,
  rate,
  ratio,
  ratioSlo,
  re,
  not,
  select,
  thresholdAlert,
} from '../../src/index.ts';

const requests = counter({ name: 'http_requests_total', help: 'Requests.', labels: ['route', 'code'] });
const duration = histogram({ name: 'http_request_duration_seconds', help: 'Latency.', labels: ['route'], buckets: [0.1, 0.2] });
const memory = gauge({ name: 'memory_bytes', help: 'Memory.', unit: 'bytes', labels: ['instance'] });
const limit = gauge({ name: 'memory_limit_bytes', help: 'Limit.', unit: 'bytes', labels: ['instance'] });
const unlabelled = counter({ name: 'jobs_total', help: 'Jobs.' });

// Selectors take only the metric's own label names, with equality, negation or regex.
select(requests, { code: re('5..'), route: not('/health') });
// @ts-expect-error "status" is not a label of http_requests_total
select(requests, { status: '500' });
// @ts-expect-error a metric without labels accepts no matcher
select(unlabelled, { code: '500' });
// @ts-expect-error matcher values are strings or matcher objects
select(requests, { code: 500 });

// Expression helpers take the kind of metric they need.
ratio(select(requests, { code: re('5..') }), select(requests), { by: ['route'] });
// @ts-expect-error rate() over a gauge is meaningless
rate(select(memory));
// @ts-expect-error ratios are of counters
ratio(select(memory), select(requests));
// @ts-expect-error quantiles need a histogram
quantile(0.95, select(requests));
// @ts-expect-error averages need a histogram
average(select(memory));
gaugePercent(select(memory), select(limit), { by: ['instance'] });
// @ts-expect-error gaugePercent reads gauges, not counters
gaugePercent(select(requests), select(limit));
// @ts-expect-error `by` takes only labels both selectors have
ratio(select(requests), select(unlabelled), { by: ['route'] });
// @ts-expect-error `by` takes the histogram's labels
quantile(0.95, select(duration), { by: ['code'] });
// Every scraped series has `job` and `instance`: one alert per target, whatever the metric declares.
rate(select(unlabelled), { by: ['instance'] });
// @ts-expect-error other target labels (relabelled `pod`) are not known to every series
rate(select(unlabelled), { by: ['pod'] });

// SLOs: a latency SLO needs a histogram; a ratio SLO exactly one of errors/good.
latencySlo({ name: 'latency', objective: 99, histogram: select(duration), threshold: 0.2 });
// @ts-expect-error a counter is not a histogram
latencySlo({ name: 'latency', objective: 99, histogram: select(requests), threshold: 0.2 });
// @ts-expect-error both errors and good
ratioSlo({ name: 'availability', objective: 99.9, errors: select(requests), good: select(requests), total: select(requests) });
// @ts-expect-error durations are Prometheus durations
ratioSlo({ name: 'availability', objective: 99.9, errors: select(requests), total: select(requests), window: '30 days' });

// Alerts: levels are keyed by severity; `for` is a duration.
thresholdAlert({
  name: 'Errors',
  expr: ratio(select(requests), select(requests)),
  levels: { warning: 1, critical: 5 },
  for: '5m',
  summary: 's',
  description: 'd',
});
// @ts-expect-error "page" is not a severity
thresholdAlert({ name: 'Errors', expr: ratio(select(requests), select(requests)), levels: { page: 1 }, summary: 's', description: 'd' });
thresholdAlert({
  name: 'Errors',
  expr: ratio(select(requests), select(requests)),
  levels: { warning: 1 },
  // @ts-expect-error `for` must be a duration
  for: 5,
  summary: 's',
  description: 'd',
});

// Services: tier is one of the known tiers; the selector is target labels.
defineService({ name: 'api', team: 'platform', tier: 'critical', selector: { job: 'api' } });
// @ts-expect-error "urgent" is not a tier
defineService({ name: 'api', team: 'platform', tier: 'urgent', selector: { job: 'api' } });
defineService({
  name: 'api',
  team: 'platform',
  tier: 'high',
  selector: { job: 'api' },
  // @ts-expect-error traffic.requests must be a counter selector
  traffic: { requests: select(memory), errors: select(requests) },
});

// Policies: tiers, severities, latency kinds, resources and escalations are checked.
definePolicy({
  name: 'critical-tier',
  tiers: ['critical'],
  errorRatio: { levels: { warning: 0.1, critical: 0.5 }, for: '3m', escalate: { after: '10m', to: 'high' } },
  latency: { kind: 'spike', levels: { warning: 1.5 } },
  saturation: { memory: { levels: { warning: 80 } } },
  absent: { targets: { severity: 'critical', for: '2m' } },
});
// @ts-expect-error "urgent" is not a tier
definePolicy({ name: 'p', tiers: ['urgent'] });
// @ts-expect-error a policy applies to at least one tier (leave tiers out for the platform default)
definePolicy({ name: 'p', tiers: [] });
// @ts-expect-error "p99" is not a latency policy kind
definePolicy({ name: 'p', latency: { kind: 'p99', levels: { warning: 1 } } });
// @ts-expect-error a quantile policy needs its quantile
definePolicy({ name: 'p', latency: { kind: 'quantile', levels: { warning: 1 } } });
// @ts-expect-error "page" is not a severity to escalate to
definePolicy({ name: 'p', liveness: { levels: { warning: 10 }, escalate: { after: '10m', to: 'page' } } });
// @ts-expect-error "network" is not a resource of the catalog
definePolicy({ name: 'p', saturation: { network: { levels: { warning: 80 } } } });
defineResources({ memory: { used: select(memory), capacity: select(limit) } });
// @ts-expect-error resource gauges are gauges
defineResources({ memory: { used: select(requests), capacity: select(limit) } });

// Coverage: what an alert covers and what a service opts out of are known kinds.
defineService({ name: 'api', team: 'platform', tier: 'low', selector: { job: 'api' }, optOut: { disk: 'stateless' } });
// @ts-expect-error "dashboards" is not something a service can opt out of
defineService({ name: 'api', team: 'platform', tier: 'low', selector: { job: 'api' }, optOut: { dashboards: 'no' } });
thresholdAlert({
  name: 'Errors',
  expr: ratio(select(requests), select(requests)),
  levels: { warning: 1 },
  // @ts-expect-error "errors" is not a policy alert kind
  covers: 'errors',
  summary: 's',
  description: 'd',
});

// Baselines compare throughput, a mean or a gauge with its past; forecasts read gauges.
baseline(rate(select(requests)), { offset: '1w', minimum: 100 });
// @ts-expect-error a quantile has no meaningful past ratio here: baselines take rate, average or gaugeValue
baseline(quantile(0.95, select(duration)));
// @ts-expect-error the offset is a duration
baseline(rate(select(requests)), { offset: 'last week' });
forecast(select(memory), select(limit), { horizon: '4h' });
// @ts-expect-error forecasts extrapolate gauges
forecast(select(requests), select(limit), { horizon: '4h' });
// @ts-expect-error a forecast needs its horizon
forecast(select(memory), select(limit), {});

// Dashboards of one's own: a DashboardBuilder (or a function making one) in a folder; typed
// selectors in PromQL text compile only with the metric's own labels.
defineDashboard({ folder: 'platform', build: () => new dashboard.DashboardBuilder('Mine').uid('mine') });
defineDashboard({ folder: 'platform', build: new dashboard.DashboardBuilder('Mine').uid('mine'), metrics: [requests, memory] });
// @ts-expect-error a panel is not a dashboard
defineDashboard({ folder: 'platform', build: () => new timeseries.PanelBuilder() });
// @ts-expect-error the built dashboard, not the builder's output, is what it takes
defineDashboard({ folder: 'platform', build: new dashboard.DashboardBuilder('Mine').build() });
// @ts-expect-error a dashboard goes into a folder
defineDashboard({ build: () => new dashboard.DashboardBuilder('Mine') });
// @ts-expect-error metrics are metric definitions, not their names
defineDashboard({ folder: 'platform', build: () => new dashboard.DashboardBuilder('Mine'), metrics: ['http_requests_total'] });
query`sum(rate(${select(requests, { code: re('5..') })}[$__rate_interval]))`;
// @ts-expect-error "status" is not a label of http_requests_total
query`sum(rate(${select(requests, { status: '500' })}[$__rate_interval]))`;
// @ts-expect-error a metric needs select() to be a selector
query`sum(rate(${requests}[$__rate_interval]))`;

// Rule groups of your own: selectors inside PromQL are typed like any other.
defineRuleGroup({
  name: 'api',
  service: 'api',
  team: 'platform',
  rules: [alert({ name: 'ApiErrors', expr: pql`rate(${select(requests, { code: re('5..') })}[5m]) > 1`, untested: 'example' })],
});
// @ts-expect-error "status" is not a label of http_requests_total, inside PromQL too
pql`rate(${select(requests, { status: '500' })}[5m])`;
// @ts-expect-error a rule's `for` is a Prometheus duration
alert({ name: 'Slow', expr: 'up == 0', for: '5 minutes' });

// A route tree: routes and tests name its receivers, routes its time intervals; integrations take Alertmanager 0.25's keys.
defineRouteTree({
  route: { receiver: 'default', routes: [{ receiver: 'oncall', muteTimeIntervals: ['nights'] }] },
  receivers: { default: {}, oncall: { pagerduty_configs: [{ routing_key_file: '/etc/alertmanager/secrets/oncall' }] } },
  timeIntervals: { nights: { periods: [{ times: [{ start: '00:00', end: '06:00' }] }] } },
  tests: [{ labels: { severity: 'critical' }, receivers: ['oncall'] }],
});
defineRouteTree({
  // @ts-expect-error "pager" is not one of the tree's receivers
  route: { receiver: 'default', routes: [{ receiver: 'pager' }] },
  receivers: { default: {} },
});
defineRouteTree({
  // @ts-expect-error "weekends" is not one of the tree's time intervals
  route: { receiver: 'default', routes: [{ receiver: 'default', activeTimeIntervals: ['weekends'] }] },
  receivers: { default: {} },
  timeIntervals: { nights: { periods: [{ times: [{ start: '00:00', end: '06:00' }] }] } },
});
defineRouteTree({
  route: { receiver: 'default' },
  // @ts-expect-error secrets are files: there is no inline routing_key
  receivers: { default: { pagerduty_configs: [{ routing_key: 'K3Y' }] } },
});

// A gauge SLO reads a gauge and has exactly one bound; tier labels are strings.
gaugeSlo({ name: 'satisfaction', objective: 95, gauge: select(memory), good: { atLeast: 0.75 }, alertName: 'MemoryLow' });
// @ts-expect-error a gauge SLO reads a gauge
gaugeSlo({ name: 'satisfaction', objective: 95, gauge: select(requests), good: { atLeast: 0.75 } });
// @ts-expect-error exactly one bound
gaugeSlo({ name: 'satisfaction', objective: 95, gauge: select(memory), good: { atLeast: 0.75, below: 1 } });
// @ts-expect-error no bound at all
gaugeSlo({ name: 'satisfaction', objective: 95, gauge: select(memory), good: {} });
ratioSlo({
  name: 'availability',
  objective: 99.9,
  errors: select(requests),
  total: select(requests),
  // @ts-expect-error label values are strings
  tiers: { page: { labels: { tier: 1 } } },
});
