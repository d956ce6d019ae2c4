import { inhibitorsOf, matchRoutes, routeOptions, type Inhibitor } from '../route-evaluator/evaluate.ts';
import { testLabel } from '../compile/alertmanager/names.ts';
import { alertingRules, type AlertingRule, type GeneratedTree, type Integration, type Labels, type Located } from '../reader/index.ts';
import { durationSeconds, formatDuration } from '../model/duration.ts';
import { ruleLabels, severityOf, type AlertPair } from './alert-pairs.ts';
import { alertAnchors } from './alerts.ts';
import { sameValue } from './labels.ts';
import { soleSource, type Change, type JsonValue } from './types.ts';

// Routing impact: every alert rule's label set (and its test="true" copy) evaluated against
// the base and the head alertmanager.yml with the route evaluator of `monforge routes`:
// receivers and what they notify, grouping, time intervals and the alerts that can mute it.

/** Integrations that page a person (a webhook to an SMS gateway cannot be told from a chat hook). */
const pagingTypes = new Set(['pagerduty', 'opsgenie', 'victorops', 'pushover']);

/** The setting that tells one integration of a type from another, never a secret itself. */
const identifying = [
  'channel',
  'to',
  'url',
  'routing_key_file',
  'service_key_file',
  'api_key_file',
  'user_key_file',
  'chat_id',
  'room_id',
  'api_url_file',
  'url_file',
];

export function describeIntegration(integration: Integration): string {
  const key = identifying.find((name) => typeof integration.settings[name] === 'string' || typeof integration.settings[name] === 'number');
  return key ? `${integration.type} ${String(integration.settings[key])}` : integration.type;
}

interface Delivery {
  readonly receiver: string;
  readonly integrations: readonly string[];
  readonly pages: boolean;
  readonly grouping: {
    readonly group_by: readonly string[];
    readonly group_wait: string;
    readonly group_interval: string;
    readonly repeat_interval: string;
  };
  readonly intervals: {
    readonly mute: readonly string[];
    readonly active: readonly string[];
    readonly definitions: Readonly<Record<string, JsonValue>>;
  };
}

interface AlertRouting {
  readonly deliveries: readonly Delivery[];
  /** Only the root route matched: the alert reaches the default receiver and nothing else. */
  readonly defaultOnly: boolean;
  readonly pages: boolean;
  readonly inhibitedBy: readonly string[];
}

const inhibitorName = (labels: Labels): string => `${labels.alertname} (${labels.severity ?? 'no severity'})`;

const shortest = (duration: string): string => {
  const seconds = durationSeconds(duration);
  return seconds === undefined ? duration : formatDuration(seconds);
};

/** Routing of label sets under one tree's configuration. */
class Router {
  private readonly inhibitors: ((labels: Labels) => Inhibitor[]) | undefined;

  constructor(private readonly tree: GeneratedTree) {
    const config = tree.alertmanager?.config;
    this.inhibitors =
      config &&
      inhibitorsOf(
        config.inhibitRules,
        alertingRules(tree).map(({ rule }) => ruleLabels(rule)),
      );
  }

  route(labels: Labels): AlertRouting | undefined {
    const config = this.tree.alertmanager?.config;
    if (!config) return undefined;
    const matched = matchRoutes(config.route, labels);
    const deliveries = matched.map((match): Delivery => {
      const options = routeOptions(match);
      const integrations = config.receivers.find((receiver) => receiver.name === options.receiver)?.integrations ?? [];
      const named = [...options.muteTimeIntervals, ...options.activeTimeIntervals];
      return {
        receiver: options.receiver,
        integrations: integrations.map(describeIntegration),
        pages: integrations.some((integration) => pagingTypes.has(integration.type)),
        grouping: {
          group_by: options.groupBy,
          group_wait: shortest(options.groupWait),
          group_interval: shortest(options.groupInterval),
          repeat_interval: shortest(options.repeatInterval),
        },
        intervals: {
          mute: options.muteTimeIntervals,
          active: options.activeTimeIntervals,
          definitions: Object.fromEntries(
            named.map((name) => [
              name,
              (config.timeIntervals.find((interval) => interval.name === name)?.time_intervals ?? null) as JsonValue,
            ]),
          ),
        },
      };
    });
    return {
      deliveries,
      defaultOnly: matched.length === 1 && matched[0]!.path.length === 1,
      pages: deliveries.some((delivery) => delivery.pages),
      inhibitedBy: [...new Set(this.inhibitors!(labels).map(({ source }) => inhibitorName(source)))],
    };
  }
}

interface Delta {
  readonly field: string;
  readonly before: JsonValue;
  readonly after: JsonValue;
}

const receiverNames = (routing: AlertRouting | undefined): string[] => [
  ...new Set(routing?.deliveries.map((delivery) => delivery.receiver) ?? []),
];

/**
 * Deliveries by receiver, in matched-route order; a receiver reached by several routes (the
 * digest in and out of its hours) is numbered from its second route on (`digest #2`).
 */
function byReceiver(routing: AlertRouting): Map<string, Delivery> {
  const seen = new Map<string, number>();
  const deliveries = new Map<string, Delivery>();
  for (const delivery of routing.deliveries) {
    const count = (seen.get(delivery.receiver) ?? 0) + 1;
    seen.set(delivery.receiver, count);
    deliveries.set(count === 1 ? delivery.receiver : `${delivery.receiver} #${count}`, delivery);
  }
  return deliveries;
}

/** Per delivery both have (by receiver and route), the part of each that differs. */
function perReceiver(before: AlertRouting, after: AlertRouting, part: (delivery: Delivery) => JsonValue): Delta | undefined {
  const was: Record<string, JsonValue> = {};
  const is: Record<string, JsonValue> = {};
  const old = byReceiver(before);
  for (const [key, delivery] of byReceiver(after)) {
    const previous = old.get(key);
    if (previous && !sameValue(part(previous), part(delivery))) {
      was[key] = part(previous);
      is[key] = part(delivery);
    }
  }
  return Object.keys(is).length > 0 ? { field: '', before: was, after: is } : undefined;
}

/** `translate` gives a base inhibitor's head name: a renamed alert still mutes the same way. */
function deltas(before: AlertRouting | undefined, after: AlertRouting, translate: (inhibitor: string) => string): Delta[] {
  const found: Delta[] = [];
  const names = [receiverNames(before), receiverNames(after)];
  if (!before || !sameValue([...names[0]!].sort(), [...names[1]!].sort()))
    found.push({ field: 'receivers', before: before ? names[0]! : null, after: names[1]! });
  if (!before) return found;
  const integrations = perReceiver(before, after, (delivery) => [...delivery.integrations]);
  if (integrations) found.push({ ...integrations, field: 'integrations' });
  const grouping = perReceiver(before, after, (delivery) => delivery.grouping as unknown as JsonValue);
  if (grouping) found.push({ ...grouping, field: 'grouping' });
  const intervals = perReceiver(before, after, (delivery) => delivery.intervals as unknown as JsonValue);
  if (intervals) found.push({ ...intervals, field: 'time intervals' });
  if (!sameValue(before.inhibitedBy.map(translate).sort(), [...after.inhibitedBy].sort()))
    found.push({ field: 'inhibited by', before: [...before.inhibitedBy], after: [...after.inhibitedBy] });
  return found;
}

/** Why a routing change matters: breaking when nobody or no pager is reached any more. */
function impact(
  before: AlertRouting | undefined,
  after: AlertRouting,
  severity: string,
  defaultReceiver: string,
): { breaking: boolean; reason?: string } {
  if (after.defaultOnly && !before?.defaultOnly) return { breaking: true, reason: `reaches only the default receiver ${defaultReceiver}` };
  if (severity === 'critical' && before?.pages && !after.pages) return { breaking: true, reason: 'loses its pager at critical' };
  if (severity !== 'critical' && after.pages && !before?.pages) return { breaking: false, reason: `now pages at ${severity}` };
  return { breaking: false };
}

export function diffRouting(pairs: readonly AlertPair[], base: GeneratedTree, head: GeneratedTree): Change[] {
  if (!base.alertmanager && !head.alertmanager) return [];
  const routers = { base: new Router(base), head: new Router(head) };
  const file = (head.alertmanager ?? base.alertmanager)!.path;
  const defaultReceiver = head.alertmanager?.config.route.receiver ?? '';
  const renamed = new Map(
    pairs.flatMap((pair) =>
      pair.levels.flatMap((level) =>
        level.base && level.head ? [[inhibitorName(ruleLabels(level.base.rule)), inhibitorName(ruleLabels(level.head.rule))] as const] : [],
      ),
    ),
  );
  const translate = (inhibitor: string): string => renamed.get(inhibitor) ?? inhibitor;
  const changes: Change[] = [];
  for (const pair of pairs) {
    for (const level of pair.levels) {
      if (!level.head) continue; // a removed alert routes nowhere; the alert section says so
      const object = levelName(level.base, level.head);
      const source = soleSource(level.head.file.sources);
      const severity = severityOf(level.head.rule);
      const real: Delta[] = [];
      for (const test of [false, true]) {
        const labelsOf = (rule: AlertingRule): Labels => (test ? { ...ruleLabels(rule), [testLabel]: 'true' } : ruleLabels(rule));
        const before = level.base && routers.base.route(labelsOf(level.base.rule));
        const after = routers.head.route(labelsOf(level.head.rule));
        if (!after) continue;
        let found = deltas(before, after, translate);
        if (test) found = found.filter((delta) => !real.some((each) => sameValue(each, delta)));
        else real.push(...found);
        const { breaking, reason } = test ? { breaking: false, reason: undefined } : impact(before, after, severity, defaultReceiver);
        if (reason && !found.some((delta) => delta.field === 'receivers' || delta.field === 'integrations'))
          found.unshift({ field: 'receivers', before: before ? receiverNames(before) : null, after: receiverNames(after) });
        for (const delta of found) {
          const carries = delta.field === 'receivers' || delta.field === 'integrations';
          changes.push({
            kind: 'routing',
            action: before ? 'changed' : 'added',
            object: test ? `${object} ${testLabel}="true"` : object,
            field: delta.field,
            before: delta.before,
            after: delta.after,
            breaking: carries && breaking,
            ...(carries && reason && { reason }),
            file,
            source,
            anchors: alertAnchors(level.head.rule),
          });
        }
        if (before === undefined && !test) break; // a new alert's test copy says nothing more
      }
    }
  }
  return [...changes, ...receiverChanges(base, head, file)];
}

/** `ApiLatencySpike (warning)`, `ApiLatencySpike (warning → critical)`. */
function levelName(base: Located<AlertingRule> | undefined, head: Located<AlertingRule>): string {
  const [was, is] = [base && severityOf(base.rule), severityOf(head.rule)];
  return `${head.rule.alert} (${was !== undefined && was !== is ? `${was || 'no severity'} → ` : ''}${is || 'no severity'})`;
}

/** Receivers of both configurations whose integrations changed. */
function receiverChanges(base: GeneratedTree, head: GeneratedTree, file: string): Change[] {
  const before = new Map((base.alertmanager?.config.receivers ?? []).map((receiver) => [receiver.name, receiver.integrations]));
  return (head.alertmanager?.config.receivers ?? []).flatMap((receiver): Change[] => {
    const old = before.get(receiver.name);
    if (!old || sameValue(old.map(describeIntegration), receiver.integrations.map(describeIntegration))) return [];
    return [
      {
        kind: 'routing',
        action: 'changed',
        object: `receiver ${receiver.name}`,
        field: 'integrations',
        before: old.map(describeIntegration),
        after: receiver.integrations.map(describeIntegration),
        breaking: false,
        file,
      },
    ];
  });
}
