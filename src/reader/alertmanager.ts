import { z } from 'zod';
import { equals, parseMatchers } from '../compile/alertmanager/matchers.ts';
import type { InhibitRule, LabelMatcher, Route, TimeInterval } from '../compile/alertmanager/types.ts';
import { compoundSeconds, durationSeconds, formatDuration, type Duration } from '../model/duration.ts';
import { type FileProblems, headerSources } from './problems.ts';
import type { AlertmanagerFile, Integration, ReceiverSettings } from './types.ts';

// alertmanager.yml as Alertmanager 0.25+ reads it: route tree, inhibit rules, receivers and
// time intervals, with every matcher parsed into the structured form the route evaluator uses.

const names = z.array(z.string()).nullish();
const labelMap = z.record(z.string(), z.string()).nullish();
const routeShape = z.object({
  receiver: z.string().optional(),
  group_by: names,
  continue: z.boolean().optional(),
  matchers: names,
  match: labelMap,
  match_re: labelMap,
  group_wait: z.string().optional(),
  group_interval: z.string().optional(),
  repeat_interval: z.string().optional(),
  mute_time_intervals: names,
  active_time_intervals: names,
  routes: z.array(z.unknown()).nullish(),
});
const inhibitShape = z.object({
  source_matchers: names,
  source_match: labelMap,
  source_match_re: labelMap,
  target_matchers: names,
  target_match: labelMap,
  target_match_re: labelMap,
  equal: names,
});
const intervalShape = z.object({ name: z.string().min(1), time_intervals: z.array(z.record(z.string(), z.unknown())).nullish() });
const configShape = z.object({
  global: z.record(z.string(), z.unknown()).nullish(),
  route: z.unknown(),
  inhibit_rules: z.array(z.unknown()).nullish(),
  receivers: z.array(z.object({ name: z.string().min(1) }).catchall(z.unknown())).nullish(),
  time_intervals: z.array(intervalShape).nullish(),
  mute_time_intervals: z.array(intervalShape).nullish(),
});

export function parseAlertmanagerFile(path: string, content: string, problems: FileProblems): AlertmanagerFile | undefined {
  const config = problems.parse(configShape, problems.yaml(content));
  if (!config) return undefined;
  if (config.route === undefined || config.route === null) {
    problems.add(['route'], 'missing: Alertmanager needs a root route');
    return undefined;
  }
  const route = readRoute(config.route, ['route'], problems);
  const inhibitRules = (config.inhibit_rules ?? []).flatMap((rule, index) => {
    const read = readInhibitRule(rule, ['inhibit_rules', index], problems);
    return read ? [read] : [];
  });
  const receivers = (config.receivers ?? []).map(readReceiver);
  const timeIntervals = [...(config.time_intervals ?? []), ...(config.mute_time_intervals ?? [])].map(
    (interval) => ({ name: interval.name, time_intervals: interval.time_intervals ?? [] }) as TimeInterval,
  );
  if (!route) return undefined;
  return { path, sources: headerSources(content), config: { global: config.global ?? {}, route, inhibitRules, receivers, timeIntervals } };
}

function readRoute(value: unknown, at: readonly PropertyKey[], problems: FileProblems): Route | undefined {
  const shape = problems.parse(routeShape, value, at);
  if (!shape) return undefined;
  const matchers = readMatchers(shape.matchers, shape.match, shape.match_re, [...at, 'matchers'], problems);
  const routes = (shape.routes ?? []).flatMap((child, index) => {
    const read = readRoute(child, [...at, 'routes', index], problems);
    return read ? [read] : [];
  });
  const timer = (key: 'group_wait' | 'group_interval' | 'repeat_interval'): Partial<Route> => {
    const text = shape[key];
    if (text === undefined) return {};
    const duration = normalDuration(text);
    if (duration === undefined) problems.add([...at, key], `${JSON.stringify(text)} is not a duration`);
    return duration === undefined ? {} : { [key]: duration };
  };
  return {
    receiver: shape.receiver ?? '',
    ...(shape.group_by && { group_by: shape.group_by }),
    ...(shape.continue && { continue: true }),
    ...(matchers.length > 0 && { matchers }),
    ...timer('group_wait'),
    ...timer('group_interval'),
    ...timer('repeat_interval'),
    ...(shape.mute_time_intervals && { mute_time_intervals: shape.mute_time_intervals }),
    ...(shape.active_time_intervals && { active_time_intervals: shape.active_time_intervals }),
    ...(routes.length > 0 && { routes }),
  };
}

function readInhibitRule(value: unknown, at: readonly PropertyKey[], problems: FileProblems): InhibitRule | undefined {
  const shape = problems.parse(inhibitShape, value, at);
  if (!shape) return undefined;
  return {
    source_matchers: readMatchers(shape.source_matchers, shape.source_match, shape.source_match_re, [...at, 'source_matchers'], problems),
    target_matchers: readMatchers(shape.target_matchers, shape.target_match, shape.target_match_re, [...at, 'target_matchers'], problems),
    ...(shape.equal && { equal: shape.equal }),
  };
}

/** Legacy `match` and `match_re` first, then `matchers`, as Alertmanager appends them. */
function readMatchers(
  items: readonly string[] | null | undefined,
  match: Readonly<Record<string, string>> | null | undefined,
  matchRe: Readonly<Record<string, string>> | null | undefined,
  at: readonly PropertyKey[],
  problems: FileProblems,
): LabelMatcher[] {
  const matchers: LabelMatcher[] = [
    ...Object.entries(match ?? {}).map(([label, value]) => equals(label, value)),
    ...Object.entries(matchRe ?? {}).map(([label, value]): LabelMatcher => ({ label, op: '=~', value })),
  ];
  (items ?? []).forEach((item, index) => {
    const parsed = parseMatchers(item);
    if (typeof parsed === 'string') problems.add([...at, index], parsed);
    else matchers.push(...parsed);
  });
  return matchers;
}

function readReceiver(receiver: { name: string } & Record<string, unknown>): ReceiverSettings {
  const integrations: Integration[] = [];
  for (const [key, value] of Object.entries(receiver)) {
    if (!key.endsWith('_configs') || !Array.isArray(value)) continue;
    for (const settings of value) integrations.push({ type: key.slice(0, -'_configs'.length), settings: settings ?? {} });
  }
  return { name: receiver.name, integrations };
}

/** A duration as written when it has one unit (`24h`), else in its shortest single-unit spelling (`1h30m` → `90m`). */
function normalDuration(text: string): Duration | undefined {
  if (durationSeconds(text) !== undefined) return text as Duration;
  const seconds = compoundSeconds(text);
  return seconds === undefined ? undefined : formatDuration(seconds);
}
