import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../../../src/import/document.ts';
import { readOpenSlo } from '../../../src/import/slo/openslo.ts';
import { planServices } from '../../../src/import/slo/plan.ts';
import { readSloth, slothFormat } from '../../../src/import/slo/sloth.ts';
import type { ImportedSlo, Sink } from '../../../src/import/slo/types.ts';

// Reading Sloth and OpenSLO documents: what becomes an SLO, what is refused (file:line, the
// object, why) and what is noted as not carried over.

interface Read {
  slos: ImportedSlo[];
  refusals: string[];
  notes: string[];
}

function collecting(): Sink & Read {
  const read: Read = { slos: [], refusals: [], notes: [] };
  return {
    ...read,
    refuse: (place, reason, field = []) =>
      void read.refusals.push(`${place.document.at([...place.path, ...field])}: ${place.object}: ${reason}`),
    note: (place, message) => void read.notes.push(`${place.object}: ${message}`),
    infer: (place, message) => void read.notes.push(`${place.object}: ${message}`),
    get slos() {
      return read.slos;
    },
    get refusals() {
      return read.refusals;
    },
    get notes() {
      return read.notes;
    },
  };
}

function readSlothText(text: string, file = 'spec.yml'): Read {
  const sink = collecting();
  for (const document of parseDocuments(file, text).documents) sink.slos.push(...readSloth(document, slothFormat(document.value)!, sink));
  return sink;
}

function readOpenSloText(text: string, file = 'slo.yaml'): Read {
  const sink = collecting();
  sink.slos.push(...readOpenSlo(parseDocuments(file, text).documents, sink));
  return sink;
}

const events = `      events:
        error_query: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="api"}[{{.window}}]))`;

describe('Sloth specs', () => {
  it('reads snake_case and camelCase alike; labels, alert name, annotations and tiers carried, the rest noted', () => {
    const read = readSlothText(`version: prometheus/v1
service: api
labels: { owner: platform, tier: 1, generated: true }
slos:
  - name: availability
    objective: 99.5
    labels: { category: availability }
    sli:
${events}
    alerting:
      name: ApiErrors
      annotations:
        summary: "{{ $labels.sloth_service }}/{{ $labels.sloth_slo }} burns"
        title: "{{ $labels.sloth_id }}"
      page_alert: { labels: { severity: critical, channel: "#pager" } }
      ticket_alert: { disable: true, labels: { severity: slack } }
    interval: { all: 2m }
`);
    expect(read.refusals).toEqual([]);
    expect(read.slos).toMatchObject([
      {
        service: 'api',
        name: 'availability',
        objective: 99.5,
        labels: { owner: 'platform', generated: 'true', category: 'availability' },
        alertName: 'ApiErrors',
        annotations: { summary: '{{ $labels.service }}/{{ $labels.slo }} burns' },
        tiers: { page: { labels: { channel: '#pager' } }, ticket: { disabled: true } },
      },
    ]);
    expect(read.notes).toEqual([
      `service "api" › slo "availability": interval not carried: monforge's SLO rules read 5m aggregates and run at the global evaluation interval (the windows of a day and more every 2m)`,
      'service "api" › slo "availability": SLO label tier="1" not carried: monforge sets tier itself (page or ticket)',
      'service "api" › slo "availability": ticket alert label severity="slack" not carried: monforge sets severity itself (critical on the page tier, warning on the ticket tier)',
      'service "api" › slo "availability": alerts annotation title not carried: it reads $labels.sloth_id, which monforge\'s SLO series do not have',
    ]);
  });

  it('refuses, by file, line, object and reason: SLO plugins, unknown fields, objectives of 100, custom alert windows', () => {
    const read = readSlothText(`apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: { name: api }
spec:
  service: api
  sloPlugins: { chain: [{ id: sloth.dev/contrib/denominator_corrected_rules/v1 }] }
  slos:
    - name: availability
      objective: 100
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_requests_total[{{.window}}]))
    - name: latency
      objective: 99
      denominatorCorrected: true
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_requests_total[{{.window}}]))
---
apiVersion: sloth.slok.dev/v1
kind: AlertWindows
spec: { sloPeriod: 7d }
`);
    expect(read.slos).toEqual([]);
    expect(read.refusals).toEqual([
      'spec.yml:14: PrometheusServiceLevel "api": slos.1: unknown field: "denominatorCorrected"',
      'spec.yml:22: AlertWindows "undefined": Sloth\'s custom alert windows: monforge derives its burn-rate windows from each SLO\'s window',
    ]);
    const plugins = readSlothText(`version: prometheus/v1
service: api
slo_plugins: { chain: [] }
slos:
  - name: availability
    objective: 100
    sli:
${events}
`);
    expect(plugins.refusals).toEqual([
      'spec.yml:3: service "api": SLO plugins (sloPlugins) rewrite Sloth\'s generated rules; monforge cannot represent what they do',
      'spec.yml:6: service "api" › slo "availability": objective 100 leaves no error budget: monforge objectives are between 0 and 100 %',
    ]);
  });
});

const prometheusSli = (query: string): string => `      ratioMetric:
        counter: true
        bad:
          metricSource: { metricSourceRef: prometheus, spec: { query: '${query}{code=~"5.."}' } }
        total:
          metricSource: { metricSourceRef: prometheus, spec: { query: '${query}' } }`;

describe('OpenSLO', () => {
  it('v1: an SLI by reference over a Prometheus DataSource', () => {
    const read = readOpenSloText(`apiVersion: openslo/v1
kind: DataSource
metadata: { name: prometheus }
spec: { type: Prometheus, connectionDetails: { url: http://prometheus:9090 } }
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: errors }
spec:
${prometheusSli('http_requests_total').replaceAll('      ', '  ')}
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: availability, labels: { team: shop, owner: web, tags: [a, b] } }
spec:
  service: api
  indicatorRef: errors
  timeWindow: [{ duration: 4w, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ targetPercent: 99.9 }]
`);
    expect(read.refusals).toEqual([]);
    expect(read.slos).toMatchObject([
      {
        service: 'api',
        name: 'availability',
        objective: 99.9,
        window: '4w',
        team: 'shop',
        labels: { owner: 'web' },
        sli: { kind: 'ratio', errors: { metric: 'http_requests_total' }, total: { metric: 'http_requests_total' } },
      },
    ]);
    expect(read.notes).toEqual(['SLO "availability": label tags not carried: a list of values is not a Prometheus label']);
  });

  it('v1: refuses other data sources, time slices, calendar and month windows, composites and a missing SLI', () => {
    const slo = (name: string, spec: string): string => `---
apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: api
${spec}
`;
    const read = readOpenSloText(
      [
        `apiVersion: openslo/v1
kind: DataSource
metadata: { name: datadog }
spec: { type: Datadog, connectionDetails: {} }
`,
        slo(
          'datadog',
          `  indicator:
    metadata: { name: datadog }
    spec:
      thresholdMetric:
        metricSource: { metricSourceRef: datadog, spec: { query: 'avg:latency{*}' } }
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ op: lt, value: 1, target: 0.99 }]`,
        ),
        slo(
          'slices',
          `  indicatorRef: nowhere
  budgetingMethod: Timeslices
  objectives: [{ target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: 1m }]`,
        ),
        slo(
          'calendar',
          `  indicatorRef: nowhere
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 1M, calendar: { startTime: "2026-01-01 00:00:00", timeZone: UTC } }]
  objectives: [{ target: 0.99 }]`,
        ),
        slo(
          'months',
          `  indicatorRef: nowhere
  budgetingMethod: Occurrences
  timeWindow: [{ duration: 1M, isRolling: true }]
  objectives: [{ target: 0.99 }]`,
        ),
        slo(
          'missing',
          `  indicatorRef: nowhere
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }]`,
        ),
      ].join(''),
    );
    expect(read.slos).toEqual([]);
    expect(read.refusals).toEqual([
      'slo.yaml:18: SLO "datadog": thresholdMetric.metricSource type "Datadog" is not Prometheus',
      'slo.yaml:26: SLO "slices": budgetingMethod Timeslices: monforge budgets by occurrences (events), not by time slices',
      'slo.yaml:36: SLO "calendar": calendar-aligned time window: monforge windows are rolling',
      'slo.yaml:46: SLO "months": time window 1M: months, quarters and years have no fixed length; write the rolling window in days or weeks',
      'slo.yaml:54: SLO "missing": indicatorRef "nowhere": no SLI of that name in the files given',
    ]);
  });

  it('v1alpha, as Sloth reads it: one SLO per objective, named `<name>-<index>`', () => {
    const query = (code: string) =>
      `{ source: prometheus, queryType: promql, query: 'sum(rate(apiserver_request_duration_seconds_${code}[{{.window}}]))' }`;
    const read = readOpenSloText(`apiVersion: openslo/v1alpha
kind: SLO
metadata: { name: latency, displayName: Requests Latency }
spec:
  service: k8s-apiserver
  objectives:
    - ratioMetrics: { good: ${query('bucket{le="0.4"}')}, total: ${query('count')} }
      target: 0.99
    - ratioMetrics: { good: ${query('bucket{le="5"}')}, total: ${query('count')} }
      target: 0.999
  timeWindows: [{ count: 30, unit: Day }]
`);
    expect(read.refusals).toEqual([]);
    expect(read.slos.map(({ name, objective, window, description, sli }) => ({ name, objective, window, description, sli }))).toEqual([
      {
        name: 'latency-0',
        objective: 99,
        window: '30d',
        description: 'Requests Latency',
        sli: { kind: 'latency', histogram: { metric: 'apiserver_request_duration_seconds', matchers: [] }, threshold: 0.4 },
      },
      {
        name: 'latency-1',
        objective: 99.9,
        window: '30d',
        description: 'Requests Latency',
        sli: { kind: 'latency', histogram: { metric: 'apiserver_request_duration_seconds', matchers: [] }, threshold: 5 },
      },
    ]);
  });
});

describe('services', () => {
  it('one per name, the same SLO from two files once, a different one refused; job lifted when every selector pins it', () => {
    const spec = (objective: number) => `version: prometheus/v1
service: api
slos:
  - name: availability
    objective: ${objective}
    sli:
${events}
`;
    const sink = collecting();
    const slos = [
      ...readSlothText(spec(99.9), 'a.yml').slos,
      ...readSlothText(spec(99.9), 'b.yml').slos,
      ...readSlothText(spec(99), 'c.yml').slos,
    ];
    const services = planServices(slos, sink);
    expect(services.map((service) => ({ name: service.name, selector: service.selector, slos: service.slos.length }))).toEqual([
      { name: 'api', selector: { job: 'api' }, slos: 1 },
    ]);
    expect(sink.notes).toEqual(['service "api" › slo "availability": the same SLO as in a.yml:4: imported once']);
    expect(sink.refusals).toEqual([
      'c.yml:4: service "api" › slo "availability": service "api" already has a different SLO "availability" from a.yml:4',
    ]);
  });
});
