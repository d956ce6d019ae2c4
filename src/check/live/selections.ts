import type { ThresholdExpr } from '../../model/expr.ts';
import { durationSeconds, type Duration } from '../../model/duration.ts';
import { escapePromqlString, renderTemplate, templateRefs } from '../../model/label-template.ts';
import type { Metric } from '../../model/metric.ts';
import type { Platform, Sourced } from '../../model/platform.ts';
import { handledAlerts, handles } from '../../model/playbook-services.ts';
import type { Policy } from '../../model/policy.ts';
import { serviceResource } from '../../model/resources.ts';
import { exprSelectors as ruleSelectors, type Rule, type RuleGroup } from '../../model/rule-group.ts';
import { matcherOf, type Selector } from '../../model/selector.ts';
import type { Service } from '../../model/service.ts';
import { resourceKinds, type PolicyAlertKind } from '../../model/signals.ts';
import { thresholdSelectors } from '../../model/walk.ts';
import { parsePromql, selectorsOf, type LabelMatcher, type SelectorReading } from '../../promql/parse.ts';
import { counterFunctions } from '../../promql/ranges.ts';
import { renderRuleExpr } from '../../promql/rule-expr.ts';
import { ruleGroupFiles } from '../../compile/prometheus/rule-groups.ts';
import { isAlerting, type GeneratedTree } from '../../reader/index.ts';
import { quoted, type Anchor } from '../../reader/lines.ts';
import type { Origin, RangeRead, Selection, ServiceScope } from './types.ts';

// Every selection of series the definitions make, each with the definition it is written in:
// per service its targets, traffic, SLOs, resources and alerts (typed selectors within the
// service's selector, raw PromQL as written), the rules of the rule groups (PromQL as written,
// typed selectors in it), the playbooks' verify queries for each service they handle, then what
// the compiler adds (generated rules and dashboard queries).

/** A generated rule or dashboard query: what it reads, for the cost report and for recorded-series checks. */
export interface Query {
  readonly kind: 'alert' | 'record' | 'panel';
  readonly name: string;
  /** Relative to generated/. */
  readonly file: string;
  readonly origin: Origin;
  /** As the server evaluates it (dashboard variables replaced). */
  readonly expr: string;
  readonly selectors: readonly SelectorReading[];
  /** The service it belongs to, when it belongs to one. */
  readonly service?: string;
  /** A rule's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** A rule's alert or record name. */
  readonly rule?: string;
  /** The rule group of the definitions it is written in (its selections are checked there). */
  readonly ruleGroup?: string;
}

export interface Inventory {
  /** Definitions first (services in order), then generated rules and dashboards. */
  readonly selections: readonly Selection[];
  readonly queries: readonly Query[];
  /** Series names the generated rules record. */
  readonly recorded: ReadonlySet<string>;
}

/** Stands for a label value only an alert knows (`{{ $labels.instance }}`): its matcher constrains nothing here. */
const unknownValue = '\u0000';

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `key: 'value'` with any quote: a field's line. */
export const fieldAnchor = (key: string, value: string): RegExp =>
  new RegExp(`\\b${escapeRegex(key)}\\s*:\\s*(?:re\\(|notRe\\(|not\\()?\\s*['"\`]${escapeRegex(value)}['"\`]`);

/** Where a metric is declared: the `name:` of its `counter(…)`, `gauge(…)` or `histogram(…)`, in any definition file. */
export const declarationOrigin = (metric: Metric, field?: string): Origin => ({
  file: '',
  anywhere: true,
  object: `metric "${metric.name}"`,
  ...(field !== undefined && { field }),
  anchors: [[fieldAnchor('name', metric.name), ...quoted(metric.name)]],
});

export const serviceScope = (service: Service & Sourced): ServiceScope => ({
  name: service.name,
  selector: service.selector,
  source: service.source,
});

const serviceOrigin = (service: Service & Sourced, field?: string, anchors: readonly Anchor[] = []): Origin => ({
  file: service.source,
  object: `service "${service.name}"`,
  ...(field !== undefined && { field }),
  anchors: [quoted(service.name), ...anchors],
});

/** The service's selector as matchers, in the order the compiler writes them. */
export function serviceMatchers(selector: Readonly<Record<string, string>>): LabelMatcher[] {
  return Object.keys(selector)
    .sort()
    .map((label) => ({ label, op: '=' as const, value: selector[label]! }));
}

/** The series a metric is exported as: a histogram's `_bucket`, `_sum` and `_count`. */
const seriesNames = (metric: Metric): string[] =>
  metric.kind === 'histogram' ? [metric.name, ...['_bucket', '_sum', '_count'].map((suffix) => `${metric.name}${suffix}`)] : [metric.name];

/** The series that shows a metric is exported: a histogram's `_count` (its buckets are checked apart). */
export const presenceName = (metric: Metric): string => (metric.kind === 'histogram' ? `${metric.name}_count` : metric.name);

const sameMatcher = (a: LabelMatcher, b: LabelMatcher): boolean => a.label === b.label && a.op === b.op && a.value === b.value;

/**
 * Why the series may be missing until their first event, from the service's `absent.exempt`:
 * keyed by a metric (all its series) or by a selector (`http_requests_total{code=~"5.."}`: the
 * series it selects, while the metric itself must exist).
 */
function exemptReason(service: Service | undefined, metric: string, matchers: readonly LabelMatcher[]): string | undefined {
  const exempt = service?.absent?.exempt ?? {};
  if (exempt[metric] !== undefined) return exempt[metric];
  for (const [key, reason] of Object.entries(exempt)) {
    if (!key.includes('{')) continue;
    const selector = parsePromql(key).selectors[0];
    if (selector?.name === metric && selector.matchers.every((each) => matchers.some((matcher) => sameMatcher(each, matcher))))
      return reason;
  }
  return undefined;
}

function typed(
  service: Service & Sourced,
  origin: Origin,
  selector: Selector,
  extra: { range?: RangeRead; by?: readonly string[] } = {},
): Selection {
  const own = Object.entries(selector.matchers).map(([label, value]) => ({ label, ...matcherOf(value) }));
  const base = serviceMatchers(service.selector);
  const mayBeAbsent = exemptReason(service, selector.metric.name, own);
  return {
    origin,
    service: serviceScope(service),
    name: presenceName(selector.metric),
    matchers: [...base, ...own],
    serviceMatchers: base.length,
    metric: selector.metric,
    ...(extra.range && { range: extra.range }),
    ...(extra.by && extra.by.length > 0 && { by: extra.by }),
    ...(mayBeAbsent !== undefined && { mayBeAbsent }),
  };
}

/** The window a threshold expression rates its counters over (the compiler's default 5m when unset). */
function windowOf(expr: ThresholdExpr): { window: Duration; explicit: boolean } | undefined {
  switch (expr.kind) {
    case 'ratio':
    case 'quantile':
    case 'average':
    case 'rate':
      return { window: expr.window ?? '5m', explicit: expr.window !== undefined };
    case 'baseline':
      return windowOf(expr.current);
    default:
      return undefined;
  }
}

/** The key a policy sets a kind under: `errorRatio`, `saturation` … `memory`. */
const policyKeys = (kind: PolicyAlertKind): string[] =>
  (resourceKinds as readonly string[]).includes(kind) ? ['saturation', kind] : [kind];

type ServiceAlert = NonNullable<Service['alerts']>[number];

/** Where a service's alert is written: in the service, or in the policy that gives it. */
export function alertOrigin(service: Service & Sourced, alert: ServiceAlert, policies: readonly (Policy & Sourced)[]): Origin {
  const policy = alert.policy === undefined ? undefined : policies.find((each) => each.name === alert.policy);
  return policy
    ? { file: policy.source, object: `policy "${policy.name}" › ${service.name}: ${alert.name}`, anchors: [quoted(policy.name)] }
    : {
        file: service.source,
        object: `service "${service.name}" › alert "${alert.name}"`,
        anchors: [quoted(service.name), quoted(alert.name)],
      };
}

/** The alert's selections, with the window and grouping it reads them with. */
function alertSelections(service: Service & Sourced, alert: ServiceAlert, policies: readonly (Policy & Sourced)[]): Selection[] {
  const policy = alert.policy === undefined ? undefined : policies.find((each) => each.name === alert.policy);
  const origin = alertOrigin(service, alert, policies);
  if (alert.expr.kind === 'promql') {
    return promqlSelections(alert.expr.expr, { ...origin, field: 'expr' }, { service, declared: alert.expr.metrics ?? [] });
  }
  const window = windowOf(alert.expr);
  const windowAt: Origin | undefined =
    window &&
    (policy
      ? {
          file: policy.source,
          object: `policy "${policy.name}"`,
          field: `${policyKeys(alert.covers!).join('.')}.window`,
          anchors: [quoted(policy.name), ...policyKeys(alert.covers!).map((key) => new RegExp(`\\b${key}\\s*:`)), /\bwindow\s*:/],
        }
      : {
          ...origin,
          field: 'expr.window',
          anchors: [...origin.anchors, ...(window.explicit ? [fieldAnchor('window', window.window)] : [])],
        });
  return thresholdSelectors(alert.expr).map(([field, selector]) =>
    typed(service, { ...origin, field: `expr.${field}` }, selector, {
      ...(window && { range: { fn: 'rate', seconds: durationSeconds(window.window)!, text: window.window, at: windowAt! } }),
      by: 'by' in alert.expr ? alert.expr.by : undefined,
    }),
  );
}

/** Every selection of one service, in the order a reader of its file meets them. */
function serviceSelections(service: Service & Sourced, platform: Platform): Selection[] {
  const found: Selection[] = [
    {
      origin: serviceOrigin(service, 'selector', [/\bselector\s*:/]),
      service: serviceScope(service),
      name: 'up',
      matchers: serviceMatchers(service.selector),
      serviceMatchers: Object.keys(service.selector).length,
      targets: true,
    },
  ];
  const traffic = service.traffic;
  if (traffic) {
    const at = (field: 'requests' | 'errors' | 'latency') => serviceOrigin(service, `traffic.${field}`, [/\btraffic\s*:/]);
    found.push(typed(service, at('requests'), traffic.requests), typed(service, at('errors'), traffic.errors));
    if (traffic.latency) found.push(typed(service, at('latency'), traffic.latency));
  }
  for (const slo of service.slos ?? []) {
    const at = (field: string): Origin => ({
      file: service.source,
      object: `service "${service.name}" › slo "${slo.name}"`,
      field,
      anchors: [quoted(service.name), quoted(slo.name)],
    });
    if (slo.kind === 'latency') found.push(typed(service, at('histogram'), slo.histogram));
    else if (slo.kind === 'gauge') found.push(typed(service, at('gauge'), slo.gauge));
    else {
      found.push(typed(service, at('total'), slo.total));
      if (slo.errors) found.push(typed(service, at('errors'), slo.errors));
      if (slo.good) found.push(typed(service, at('good'), slo.good));
    }
  }
  // The gauges of its resources: its own always, the catalog's where a saturation alert reads them.
  for (const kind of resourceKinds) {
    const own = service.resources?.[kind] !== undefined;
    if (!own && !(service.alerts ?? []).some((alert) => alert.policy !== undefined && alert.covers === kind)) continue;
    const gauges = serviceResource(service, platform.resources, kind);
    if (!gauges) continue;
    for (const part of ['used', 'capacity'] as const) {
      const origin: Origin = own
        ? serviceOrigin(service, `resources.${kind}.${part}`, [/\bresources\s*:/, new RegExp(`\\b${kind}\\s*:`)])
        : {
            file: platform.resources!.source,
            object: 'resources',
            field: `${kind}.${part}`,
            anchors: [/defineResources\(/, new RegExp(`\\b${kind}\\s*:`)],
          };
      found.push(typed(service, origin, gauges[part]));
    }
  }
  for (const alert of service.alerts ?? []) found.push(...alertSelections(service, alert, platform.policies));
  return found;
}

/** The selections of a playbook's verify query, rendered with the labels of each service's alerts it handles (a rule group's among them). */
function verifySelections(platform: Platform): Selection[] {
  const found: Selection[] = [];
  const alerts = handledAlerts(platform);
  for (const playbook of platform.playbooks) {
    if (!playbook.verify) continue;
    const origin: Origin = {
      file: playbook.source,
      object: `playbook "${playbook.name}"`,
      field: 'verify.query',
      anchors: [quoted(playbook.name), /\bverify\s*:/],
    };
    // Each set of labels the handled alerts carry: a service's (its selector too), or a rule's own.
    const handled = new Map(
      alerts.filter((alert) => handles(playbook, alert)).map((alert) => [JSON.stringify([alert.of?.name, alert.labels]), alert]),
    );
    for (const alert of handled.values()) {
      const service = alert.of && platform.services.find((each) => each === alert.of);
      const known: Record<string, string> = {
        ...alert.labels,
        ...(playbook.match.alertname && { alertname: playbook.match.alertname }),
        ...(playbook.match.severity && { severity: playbook.match.severity }),
      };
      const labels = Object.fromEntries(templateRefs(playbook.verify.query).labels.map((label) => [label, known[label] ?? unknownValue]));
      const query = renderTemplate(playbook.verify.query, labels, escapePromqlString);
      found.push(...promqlSelections(query, origin, service ? { service } : {}));
    }
  }
  return found;
}

/** Where a rule of a rule group is written: its name within its group. */
export const ruleOrigin = (group: RuleGroup & Sourced, rule: Rule): Origin => ({
  file: group.source,
  object: `rule group "${group.name}" › ${rule.kind} "${rule.name}"`,
  field: 'expr',
  anchors: [quoted(group.name), quoted(rule.name)],
});

/**
 * The selections of the rule groups' rules (defineRuleGroup, what `import` writes), as they
 * render: PromQL text with the selectors `pql` types in it. A name the platform declares is
 * type-checked as its metric; one read through `select(…)` is fixed where it is declared.
 */
function ruleGroupSelections(platform: Platform): Selection[] {
  const declared = [...platform.metrics.values()];
  return (platform.ruleGroups ?? []).flatMap((group) => {
    const service = platform.services.find((each) => each.name === group.service);
    return group.rules.flatMap((rule) =>
      promqlSelections(renderRuleExpr(rule.expr), ruleOrigin(group, rule), {
        ...(service && { service }),
        declared,
        selected: new Set(ruleSelectors(rule.expr).map((selector) => selector.metric.name)),
      }),
    );
  });
}

/**
 * The selections of PromQL text: each named selector as written, matchers whose value is not
 * known here (an alert's label, a dashboard variable) left out.
 */
function promqlSelections(
  expr: string,
  origin: Origin,
  options: { service?: Service & Sourced; declared?: readonly Metric[]; selected?: ReadonlySet<string>; generated?: boolean },
  selectors: readonly SelectorReading[] = selectorsOf(expr),
): Selection[] {
  const base = options.service ? serviceMatchers(options.service.selector) : [];
  return selectors.flatMap((selector) => {
    if (selector.name === undefined) return [];
    const range = selector.range && rangeOf(selector);
    const metric = options.declared?.find((each) => each.name === selector.name || presenceName(each) === selector.name);
    const mayBeAbsent = exemptReason(options.service, metric?.name ?? selector.name, selector.matchers);
    const known = selector.matchers.filter(
      (matcher) => matcher.label !== '__name__' && !matcher.value.includes(unknownValue) && !matcher.value.includes('$'),
    );
    // Within the service's selector, like a typed selector: its targets are checked once, by the service.
    const within = base.length > 0 && base.every((matcher) => known.some((each) => sameMatcher(each, matcher)));
    return [
      {
        origin,
        ...(options.service && { service: serviceScope(options.service) }),
        name: selector.name,
        matchers: within ? [...base, ...known.filter((matcher) => !base.some((each) => sameMatcher(each, matcher)))] : known,
        serviceMatchers: within ? base.length : 0,
        raw: true,
        ...(metric && { metric }),
        ...(options.selected?.has(selector.name) && { selected: true }),
        ...(selector.valueRead && { valueRead: true }),
        ...(range && { range }),
        ...(mayBeAbsent !== undefined && { mayBeAbsent }),
        ...(options.generated && { generated: true }),
      },
    ];
  });
}

function rangeOf(selector: SelectorReading): RangeRead | undefined {
  if (!selector.range || !counterFunctions.includes(selector.function ?? '')) return undefined;
  const seconds = durationSeconds(selector.range.duration);
  return seconds === undefined ? undefined : { fn: selector.function!, seconds, text: selector.range.duration };
}

/** Grafana's variables for an instant evaluation: what the server would be asked at the dashboard's default zoom. */
function dashboardExpr(expr: string): string {
  if (!expr.includes('$')) return expr;
  return expr
    .replace(/\$\{?__rate_interval\}?/g, '1m')
    .replace(/\$\{?__interval\}?/g, '1m')
    .replace(/\$\{?__range\}?/g, '1h')
    .replace(/,?\s*[a-zA-Z_]\w*\s*(?:=~|!~|!=|=)\s*"[^"]*\$[^"]*"/g, '')
    .replace(/\{\s*,\s*/g, '{');
}

/** Where each rule of the rule groups is written, by `ruleKey` in its generated rule file. */
function ruleGroupRules(platform: Platform): Map<string, { group: string; origin: Origin }> {
  const written = new Map<string, { group: string; origin: Origin }>();
  for (const file of ruleGroupFiles(platform)) {
    for (const group of platform.ruleGroups ?? []) {
      if (group.service !== file.service) continue;
      for (const rule of group.rules)
        written.set(ruleKey(file.rulePath, group.name, rule.kind, rule.name), { group: group.name, origin: ruleOrigin(group, rule) });
    }
  }
  return written;
}

const ruleKey = (file: string, group: string, kind: 'alert' | 'record', name: string): string => [file, group, kind, name].join('\0');

/**
 * The rules and dashboard queries of a generated tree, each with where its definition is;
 * `services`: service names by definition file; `written`: the rules of the definitions' rule groups.
 */
export function treeQueries(
  tree: GeneratedTree,
  services: ReadonlyMap<string, string> = new Map(),
  written: ReadonlyMap<string, { group: string; origin: Origin }> = new Map(),
): Query[] {
  const queries: Query[] = [];
  const generated = (file: string): string => `generated/${file}`;
  for (const file of tree.ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        const alerting = isAlerting(rule);
        const name = alerting
          ? `${rule.alert}${rule.labels.severity ? ` (${rule.labels.severity})` : ''}`
          : `${rule.record}${
              Object.keys(rule.labels).length > 0
                ? `{${Object.entries(rule.labels)
                    .map(([k, v]) => `${k}="${v}"`)
                    .join(',')}}`
                : ''
            }`;
        const anchors = [rule.labels.service, rule.labels.slo, alerting ? rule.alert : undefined].flatMap((each) =>
          each === undefined ? [] : [quoted(each)],
        );
        const kind = alerting ? 'alert' : 'record';
        const own = written.get(ruleKey(file.path, group.name, kind, alerting ? rule.alert : rule.record));
        queries.push({
          kind,
          name,
          file: file.path,
          origin: own?.origin ?? {
            file: file.sources[0] ?? generated(file.path),
            object: `${kind} ${name} (${generated(file.path)})`,
            field: 'expr',
            anchors,
          },
          expr: rule.expr,
          selectors: selectorsOf(rule.expr),
          ...(rule.labels.service !== undefined && { service: rule.labels.service }),
          labels: rule.labels,
          rule: alerting ? rule.alert : rule.record,
          ...(own && { ruleGroup: own.group }),
        });
      }
    }
  }
  for (const dashboard of tree.dashboards) {
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const source = dashboard.sources[0];
        const expr = dashboardExpr(target.expr);
        const service = source === undefined ? undefined : services.get(source);
        queries.push({
          kind: 'panel',
          name: `dashboard "${dashboard.title}" › panel "${panel.title}" › ${target.refId}`,
          file: dashboard.path,
          origin: {
            file: source ?? generated(dashboard.path),
            object: `dashboard "${dashboard.title}" › panel "${panel.title}"`,
            field: `query ${target.refId}`,
            anchors: service === undefined ? [] : [quoted(service)],
          },
          expr,
          selectors: selectorsOf(expr),
          ...(service !== undefined && { service }),
        });
      }
    }
  }
  return queries;
}

/** Every selection of the platform and of its generated tree, and the names the tree records. */
export function inventory(platform: Platform, tree: GeneratedTree): Inventory {
  const selections: Selection[] = [];
  for (const service of platform.services) selections.push(...serviceSelections(service, platform));
  selections.push(...ruleGroupSelections(platform), ...verifySelections(platform));
  const queries = treeQueries(tree, new Map(platform.services.map((service) => [service.source, service.name])), ruleGroupRules(platform));
  const services = new Map(platform.services.map((service) => [service.name, service]));
  // What the compiler reads of declared metrics, the definitions' own selections check already.
  const declared = new Set(selections.flatMap((selection) => (selection.metric ? seriesNames(selection.metric) : [])));
  const recorded = new Set(
    tree.ruleFiles.flatMap((file) =>
      file.groups.flatMap((group) => group.rules.flatMap((rule) => (isAlerting(rule) ? [] : [rule.record]))),
    ),
  );
  // Nor is there anything to check of what generated/ records itself.
  const ownRead = (name: string | undefined): boolean => name === undefined || declared.has(name) || recorded.has(name);
  for (const query of queries) {
    if (query.ruleGroup !== undefined) continue;
    const service = query.service === undefined ? undefined : services.get(query.service);
    const read = query.selectors.filter((selector) => !ownRead(selector.name));
    if (read.length > 0)
      selections.push(...promqlSelections(query.expr, query.origin, { generated: true, ...(service && { service }) }, read));
  }
  return { selections, queries, recorded };
}

/** `name{a="1",b=~"2"}`: a selection as the series API takes it, matchers in the given order. */
export function selectorText(name: string, matchers: readonly LabelMatcher[]): string {
  const inner = matchers.map((matcher) => `${matcher.label}${matcher.op}${JSON.stringify(matcher.value)}`).join(',');
  return `${name}{${inner}}`;
}

/** The same selection however its matchers are ordered. */
export function selectionKey(name: string, matchers: readonly LabelMatcher[]): string {
  return selectorText(
    name,
    [...matchers].sort((a, b) => (a.label === b.label ? (a.op < b.op ? -1 : 1) : a.label < b.label ? -1 : 1)),
  );
}
