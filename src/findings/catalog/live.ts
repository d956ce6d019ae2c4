import { findingKind } from '../kind.ts';

// `check --prometheus`: what only the running server can tell about the definitions
// (docs/guides/live-check.md). A finding whose series may legitimately be missing (marked in
// `absent.exempt`, or seen within the last 7 days) is reported as a note.

export const unreachable = findingKind(
  {
    id: 'server/unreachable',
    title: 'The server cannot be asked',
    cause:
      'The URL refuses connections, answers too slowly, is not a Prometheus API, or wants a tenant or a token (Mimir answers 401 without `X-Scope-OrgID`).',
    fix: 'Check the URL (with its path prefix, /prometheus for Mimir) and the headers (`--prometheus-header X-Scope-OrgID=…`).',
  },
  (reason: string) => `the live checks stopped: ${reason}`,
);

export const oldServer = findingKind(
  {
    id: 'server/version',
    title: 'A Prometheus older than 2.42',
    cause:
      'The live checks rely on the APIs of Prometheus 2.42 (series, labels and metadata with matchers, scrape intervals of targets, query statistics).',
    fix: 'Run the live check against Prometheus 2.42 or newer.',
    severity: 'warning',
  },
  (server: string, minimum: string) => `${server} is older than Prometheus ${minimum}: some answers may be missing or wrong`,
);

export const unknownMetric = findingKind(
  {
    id: 'series/unknown-metric',
    title: 'A metric the server has no series of',
    cause: 'The name is misspelt, or no target exports it (a renamed metric, an exporter not scraped yet).',
    fix: 'Use one of the closest names the finding lists, or scrape what exports the metric.',
  },
  (name: string, closest: readonly string[]) =>
    `the server has no series named ${name}${closest.length > 0 ? `; closest names it has: ${closest.join(', ')}` : ''}`,
);

export const notScraped = findingKind(
  {
    id: 'series/not-scraped',
    title: "A series monforge's own rules read, not on the server",
    cause:
      "Rules the compiler adds read series of what it deploys too (the remediation receiver's `monforge_webhook_*`): that is not scraped yet.",
    fix: 'Scrape it: generated/prometheus/scrape/ holds the jobs monforge generates.',
    severity: 'warning',
  },
  (name: string) => `reads ${name}, which the server has no series of: what exports it is not scraped yet`,
);

export const noTarget = findingKind(
  {
    id: 'series/no-target',
    title: 'A service selector no target has',
    cause: "The service's `selector` (e.g. `{ job: 'api' }`) matches no target's labels, so every rule of the service reads nothing.",
    fix: 'Select the service by the labels its targets have (the finding lists the values they have).',
  },
  (matcher: string, within: string, label: string, values: string) =>
    `no target has ${matcher}${within}: the service's selector matches nothing${values ? `; ${label} values of targets: ${values}` : ''}`,
);

export const notOnTargets = findingKind(
  {
    id: 'series/not-on-targets',
    title: "A metric the service's targets do not export",
    cause: 'The metric exists, but on other targets: the selection belongs to another service, or names a metric of another exporter.',
    fix: 'Name a metric the service exports, or move the selection to the service whose targets export it.',
  },
  (name: string, service: string, selector: string, label: string, exporters: string) =>
    `${name} exists, but not on the targets of service "${service}" (${selector})${exporters ? `; ${label} values of the series that have it: ${exporters}` : ''}`,
);

export const missingLabel = findingKind(
  {
    id: 'series/missing-label',
    title: 'A label no series of the metric has',
    cause: 'The definition declares (and matches on) a label the exporter does not set, or sets under another name.',
    fix: 'Match one of the labels the finding lists, or drop the matcher (and the label from the declaration).',
  },
  (name: string, within: string, label: string, labels: string) =>
    `no series of ${name}${within} has a label ${label}; its labels: ${labels}`,
);

export const labelValue = findingKind(
  {
    id: 'series/label-value',
    title: 'A value no series has',
    cause:
      'A misspelt value (`mode="usr"`), or series that appear at their first event (a labelled counter): those are notes when marked in `absent.exempt` or seen within the last 7 days.',
    fix: "Match a value that exists (the finding lists up to 10, closest first), or mark series that appear at their first event in the service's `absent.exempt`.",
  },
  (selection: string, matcher: string | undefined, recent: string, values: string) =>
    matcher === undefined
      ? `${selection} matches no series now`
      : `no series of ${selection} has ${matcher} now${recent ? ` (seen recently: ${recent})` : ''}; values that exist: ${values}`,
);

export const groupLabel = findingKind(
  {
    id: 'series/group-label',
    title: 'Grouping by a label no series has',
    cause: 'An expression groups `by` a label its series do not carry: everything falls in one group, so the alert fires once for all.',
    fix: 'Group by a label the series have (the finding lists them).',
    severity: 'warning',
  },
  (label: string, name: string) => `groups by ${label}, which no series of ${name} has: every series falls in one group`,
);

export const kindMismatch = findingKind(
  {
    id: 'type/kind',
    title: "A metric declared with another type than the server's",
    cause:
      "The server's metadata gives the metric another type: a counter declared as a gauge is compared raw (its value only grows), a gauge declared as a counter is rated.",
    fix: "Declare it with the server's type (`counter`, `gauge` or `histogram`).",
  },
  (name: string, actual: string, declared: string, consequence: string) =>
    `${name} is a ${actual} on the server, declared with ${declared}(): ${consequence}`,
);

export const summaryAsHistogram = findingKind(
  {
    id: 'type/summary',
    title: 'A summary declared as a histogram',
    cause: 'A summary has `quantile` series and no `_bucket` series: quantiles and latency SLOs built on it read nothing.',
    fix: 'Read its quantiles with raw PromQL, or instrument the metric as a histogram.',
  },
  (name: string) =>
    `${name} is a summary on the server (quantile series, no _bucket series), declared with histogram(): quantiles and latency SLOs built on it read nothing`,
);

export const noBuckets = findingKind(
  {
    id: 'type/no-buckets',
    title: 'A histogram without _bucket series',
    cause:
      "The server has the histogram's `_count` series but not its `_bucket` ones: usually dropped by `metric_relabel_configs` to save series.",
    fix: 'Keep the `_bucket` series in the scrape job, or read what the server has.',
  },
  (name: string) =>
    `${name} has _count series but no ${name}_bucket series on the server: quantiles and latency SLOs built on it read nothing`,
);

export const shortWindow = findingKind(
  {
    id: 'window/rate',
    title: 'A rate window under four scrape intervals',
    cause:
      '`rate`, `irate` and `increase` need two samples in their window: under four scrape intervals, one missed or late scrape leaves too few.',
    fix: 'Make the window at least four scrape intervals of the targets it reads (the finding gives the least).',
    severity: 'warning',
  },
  (reading: string, scrapes: number, interval: string) =>
    `${reading} spans fewer than ${scrapes} scrapes at ${interval}: one missed scrape leaves it too few samples`,
);

export const shortAbsentFor = findingKind(
  {
    id: 'window/absent-for',
    title: "An absent alert's for under four scrape intervals",
    cause: 'An alert on absent series with a short `for` fires whenever a scrape is late or Prometheus restarts.',
    fix: 'Make its `for` at least four scrape intervals (the finding gives the least).',
    severity: 'warning',
  },
  (what: string, duration: string, scrapes: number, interval: string) =>
    `${what} fires after ${duration}, fewer than ${scrapes} scrapes at ${interval}: a late scrape pages`,
);

export const sloBucket = findingKind(
  {
    id: 'window/slo-bucket',
    title: 'A latency SLO threshold that is no bucket on the server',
    cause:
      "The SLO counts good events from the histogram's bucket at its threshold; the instrumentation's buckets differ from the definition's, so that bucket does not exist.",
    fix: "Use a bucket the server has (the finding names the nearest), or add the threshold to the instrumentation's buckets.",
  },
  (threshold: number, histogram: string, bounds: string) =>
    `threshold ${threshold} is not a bucket of ${histogram} on the server (le: ${bounds}): the SLO's good events read no series`,
);

export const missingRecording = findingKind(
  {
    id: 'recording/missing',
    title: 'A recorded series nobody records',
    cause:
      "The expression reads a recording rule's series (`level:metric:operations`) that neither generated/ nor the server's own rules record.",
    fix: 'Read a series generated/ or the server records (the finding lists the closest), or add the recording rule.',
  },
  (name: string, closest: readonly string[]) =>
    `reads the recorded series ${name}, which neither generated/ nor the server records${closest.length > 0 ? ` (closest recorded: ${closest.join(', ')})` : ''}`,
);

export const overBudget = findingKind(
  {
    id: 'cost/budget',
    title: 'A rule over the series budget',
    cause:
      'The rule reads more series now than `--series-budget` (default 50,000): it is slow to evaluate and grows with every new target.',
    fix: 'Narrow its selectors, aggregate earlier with a recording rule, or raise the budget.',
  },
  (rule: string, series: string, budget: string, samples: string) =>
    `${rule} reads ${series} series now, over the budget of ${budget}${samples ? ` (${samples} samples per evaluation)` : ''}`,
);

export const unmeasured = findingKind(
  {
    id: 'cost/query',
    title: 'A rule or dashboard query the server will not evaluate',
    cause: "Measuring it failed: it loads more samples than the server's `--query.max-samples`, or the server rejects it.",
    fix: 'Narrow its selectors, or aggregate earlier with a recording rule.',
  },
  (query: string, reason: string) => `${query} cannot be measured: ${reason}`,
);

export const evaluationFails = findingKind(
  {
    id: 'query/evaluation',
    title: 'A hand-written expression the server fails to evaluate',
    cause:
      "PromQL written by hand parses, yet the server rejects it on the series it has now: matching many series to one without `group_left`, two results with one label set, a function the server's version lacks, a query over its time or sample limit. Such a rule fails at every evaluation and never fires.",
    fix: 'Change the expression until the server evaluates it (the finding quotes its error).',
  },
  (reason: string) => `the server fails to evaluate it now: ${reason}`,
);

export const ratedGauge = findingKind(
  {
    id: 'type/rated-gauge',
    title: 'A gauge read with rate, irate or increase',
    cause:
      "Hand-written PromQL rates a series the server's metadata calls a gauge: rate() takes each of its decreases for a counter reset, so the result is meaningless.",
    fix: "Read a gauge's change with `deriv` or `delta`, or rate a counter.",
  },
  (reading: string, name: string) =>
    `${reading} rates ${name}, a gauge in the server's metadata: rate() takes each of its decreases for a counter reset`,
);

export const counterValue = findingKind(
  {
    id: 'type/counter-value',
    title: 'A counter read for its value',
    cause:
      "Hand-written PromQL compares or aggregates a series the server's metadata calls a counter, not its rate: a total since its process started, so a level compared with it is met once and stays met until a restart.",
    fix: 'Read its `rate` or `increase` over a window.',
    severity: 'warning',
  },
  (name: string) =>
    `${name} is a counter in the server's metadata, read here for its value: a total since its process started, so a level compared with it stays met until a restart`,
);
