import { renderMatcher } from '../../compile/alertmanager/matchers.ts';
import { compoundSeconds, formatDuration } from '../../model/duration.ts';
import { globalShape, inlineSecrets, integrationShapes, newerKeys, type Shape } from '../../model/integrations.ts';
import type { RouteTree, TreeInhibitRule, TreeRoute } from '../../model/route-tree.ts';
import { months, weekdays, type TimeInterval, type TimePeriod } from '../../model/time-interval.ts';
import { pathText, type FieldPath, type InputDocument } from '../document.ts';
import type { ImportContext } from '../importer.ts';

// alertmanager.yml as a route tree of the definitions: every field Alertmanager 0.25 reads is
// kept (legacy `match`/`match_re` become matchers, compound durations single-unit ones); an
// inline secret becomes the `*_file` key that 0.25 reads instead, with the file to create
// reported; a field of a newer release, a secret 0.25 cannot read from a file, or a field that
// is not Alertmanager's is refused by name.

export type TreeOptions = Omit<RouteTree, 'kind'>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where converted secrets point: one file per secret, in the directory Alertmanager's secrets usually live in. */
export const secretsDir = '/etc/alertmanager/secrets';

export interface Reading {
  readonly tree: TreeOptions;
  /** The configuration as given, secrets replaced by their files: what the proof compares with. */
  readonly expected: Json;
}

export function readAlertmanager(document: InputDocument, object: string, context: ImportContext): Reading | undefined {
  const refusals: number[] = [];
  const refuse = (at: FieldPath, reason: string): void => {
    refusals.push(1);
    context.refuseAt(document, at, object, `${at.length > 0 ? `${pathText(at)}: ` : ''}${reason}`);
  };
  const config = document.value;
  if (!isObject(config)) return void refuse([], 'not an Alertmanager configuration');
  const known = ['global', 'route', 'receivers', 'inhibit_rules', 'templates', 'time_intervals', 'mute_time_intervals'];
  for (const key of Object.keys(config).filter((each) => !known.includes(each))) {
    const release = newerKeys.config?.[key];
    refuse([key], release ? newer(release) : 'not a field of the Alertmanager configuration');
  }
  const secretNames = new Set<string>();
  const secretFile = (name: string, at: FieldPath): string => {
    let base = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    for (let count = 2; secretNames.has(base); count += 1) base = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${count}`;
    secretNames.add(base);
    const file = `${secretsDir}/${base}`;
    context.secret({ path: file, from: `${document.at(at)} ${pathText(at)}` });
    return file;
  };
  const settings = (value: unknown, shape: Shape, where: string, at: FieldPath, owner: string): Json | undefined => {
    if (!isObject(value)) return void refuse(at, 'must be a mapping');
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const path = [...at, key];
      const kind = shape[key];
      const secret = inlineSecrets[where]?.[key];
      if (secret !== undefined) {
        if (item === undefined || item === null || item === '') continue;
        if (secret === null) refuse(path, 'an inline secret that Alertmanager 0.25 reads from no file, and definitions hold no secret');
        else out[secret] = secretFile(`${owner}-${key}`, path);
        continue;
      }
      if (kind === undefined) {
        const release = newerKeys[where]?.[key];
        refuse(path, release ? newer(release) : `not a field of ${where}`);
        continue;
      }
      if (item === null || item === undefined) continue;
      if (Array.isArray(kind)) {
        if (!Array.isArray(item)) refuse(path, 'must be a list');
        else out[key] = item.map((each, index) => settings(each, kind[0] as Shape, key, [...path, index], owner) ?? {});
      } else if (typeof kind === 'object') out[key] = settings(item, kind as Shape, key, path, owner);
      else {
        const read = field(kind as string, item);
        if (read === undefined) refuse(path, `${JSON.stringify(item)} is not ${describeKind(kind as string)}`);
        else if (kind === 'url' && typeof read === 'string' && carriesCredential(read))
          refuse(path, 'the URL carries a credential, which Alertmanager 0.25 cannot read from a file, and definitions hold no secret');
        else out[key] = read;
      }
    }
    return out;
  };

  const global =
    config.global === undefined || config.global === null
      ? undefined
      : settings(config.global, globalShape, 'global', ['global'], 'global');
  const receivers: Record<string, Json> = {};
  const receiverList = config.receivers ?? [];
  if (!Array.isArray(receiverList)) refuse(['receivers'], 'must be a list');
  else
    receiverList.forEach((receiver, index) => {
      const at = ['receivers', index];
      if (!isObject(receiver) || typeof receiver.name !== 'string' || receiver.name === '') {
        refuse(at, 'a receiver needs a name');
        return;
      }
      if (receiver.name in receivers) {
        refuse([...at, 'name'], `a second receiver named "${receiver.name}"`);
        return;
      }
      const integrations: Json = {};
      for (const [key, list] of Object.entries(receiver)) {
        if (key === 'name') continue;
        const type = key.replace(/_configs$/, '');
        const shape = (integrationShapes as Readonly<Record<string, Shape>>)[type];
        if (!key.endsWith('_configs') || !shape) {
          const release = newerKeys.receiver?.[key];
          refuse([...at, key], release ? newer(release) : 'not an integration of Alertmanager');
          continue;
        }
        if (!Array.isArray(list)) {
          refuse([...at, key], 'must be a list');
          continue;
        }
        integrations[key] = list.map((each, position) =>
          settings(each, shape, type, [...at, key, position], `${receiver.name}-${type}${list.length > 1 ? `-${position + 1}` : ''}`),
        );
      }
      receivers[receiver.name] = integrations;
    });

  const route = isObject(config.route)
    ? readRoute(config.route, ['route'], refuse)
    : void refuse(['route'], 'an Alertmanager configuration needs a route');
  const inhibitRules = readInhibitRules(config.inhibit_rules, refuse);
  const timeIntervals = readTimeIntervals(
    [...list(config.time_intervals, 'time_intervals'), ...list(config.mute_time_intervals, 'mute_time_intervals')],
    refuse,
  );
  const templates = config.templates;
  if (templates !== undefined && !(Array.isArray(templates) && templates.every((each) => typeof each === 'string')))
    refuse(['templates'], 'must be a list of file paths');
  if (refusals.length > 0 || !route) return undefined;
  const tree: TreeOptions = {
    route: { ...route, receiver: route.receiver ?? '' },
    receivers: receivers as TreeOptions['receivers'],
    ...(inhibitRules.length > 0 && { inhibitRules }),
    ...(Object.keys(timeIntervals).length > 0 && { timeIntervals }),
    ...(global && Object.keys(global).length > 0 && { global: global as TreeOptions['global'] }),
    ...(Array.isArray(templates) && templates.length > 0 && { templates: templates as string[] }),
  };
  // What the definitions must compile to: the configuration as given, each secret in its file.
  const expected: Json = {
    ...config,
    ...(global && { global }),
    receivers: Object.entries(receivers).map(([name, integrations]) => ({ name, ...integrations })),
  };
  return { tree, expected };
}

const newer = (release: string): string =>
  `read by Alertmanager ${release}, not by 0.25, which monforge's configuration must load in: remove it to import, or keep it where it is`;

function list(value: unknown, key: string): { value: unknown; at: FieldPath }[] {
  return Array.isArray(value) ? value.map((item, index) => ({ value: item, at: [key, index] })) : [];
}

function describeKind(kind: string): string {
  return (
    {
      bool: 'true or false',
      int: 'a whole number',
      duration: 'a duration',
      strings: 'a list of text',
      map: 'a mapping of text',
      url: 'a URL',
    }[kind] ?? 'text'
  );
}

function field(kind: string, value: unknown): unknown {
  switch (kind) {
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'int':
      return Number.isInteger(value) ? value : undefined;
    case 'duration':
      return typeof value === 'string' ? singleUnit(value) : undefined;
    case 'strings':
      return Array.isArray(value) && value.every((each) => typeof each === 'string') ? value : undefined;
    case 'map':
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)])) : undefined;
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
}

/** A URL with a user:password or a token-like query parameter. */
function carriesCredential(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      url.username !== '' ||
      url.password !== '' ||
      [...url.searchParams.keys()].some((key) => /token|key|secret|password|signature|sig$/i.test(key))
    );
  } catch {
    return false;
  }
}

const singleUnit = (text: string): string | undefined => {
  const seconds = compoundSeconds(text);
  return seconds === undefined ? undefined : formatDuration(seconds);
};

type Refuse = (at: FieldPath, reason: string) => void;

const routeKeys = [
  'receiver',
  'group_by',
  'continue',
  'matchers',
  'match',
  'match_re',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'mute_time_intervals',
  'active_time_intervals',
  'routes',
];

function readRoute(route: Json, at: FieldPath, refuse: Refuse): TreeRoute | undefined {
  for (const key of Object.keys(route).filter((each) => !routeKeys.includes(each))) refuse([...at, key], 'not a field of a route');
  const strings = (key: string): string[] | undefined => {
    const value = route[key];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((each) => typeof each === 'string')) return value as string[];
    refuse([...at, key], 'must be a list of text');
    return undefined;
  };
  const timer = (key: string): string | undefined => {
    const value = route[key];
    if (value === undefined) return undefined;
    const read = typeof value === 'string' ? singleUnit(value) : undefined;
    if (read === undefined) refuse([...at, key], `${JSON.stringify(value)} is not a duration`);
    return read;
  };
  const matchers = legacyMatchers(route.match, route.match_re, [...at], refuse, '');
  const children = route.routes ?? [];
  if (!Array.isArray(children)) refuse([...at, 'routes'], 'must be a list of routes');
  const routes = Array.isArray(children)
    ? children.flatMap((child, index) => {
        if (!isObject(child)) {
          refuse([...at, 'routes', index], 'must be a route');
          return [];
        }
        const read = readRoute(child, [...at, 'routes', index], refuse);
        return read ? [read] : [];
      })
    : [];
  const all = [...matchers, ...(strings('matchers') ?? [])];
  const groupBy = strings('group_by');
  const mute = strings('mute_time_intervals');
  const active = strings('active_time_intervals');
  const read: Record<string, unknown> = {
    receiver: typeof route.receiver === 'string' && route.receiver !== '' ? route.receiver : undefined,
    matchers: all.length > 0 ? all : undefined,
    continue: route.continue === true ? true : undefined,
    groupBy,
    groupWait: timer('group_wait'),
    groupInterval: timer('group_interval'),
    repeatInterval: timer('repeat_interval'),
    muteTimeIntervals: mute,
    activeTimeIntervals: active,
    routes: routes.length > 0 ? routes : undefined,
  };
  return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined)) as TreeRoute;
}

/** `match`/`match_re` (deprecated) as the matchers Alertmanager makes of them, in its order. */
function legacyMatchers(match: unknown, matchRe: unknown, at: FieldPath, refuse: Refuse, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, value, op] of [
    [`${prefix}match`, match, '='],
    [`${prefix}match_re`, matchRe, '=~'],
  ] as const) {
    if (value === undefined || value === null) continue;
    if (!isObject(value)) {
      refuse([...at, key], 'must be a mapping of label names to values');
      continue;
    }
    for (const [label, text] of Object.entries(value)) out.push(renderMatcher({ label, op, value: String(text) }));
  }
  return out;
}

function readInhibitRules(value: unknown, refuse: Refuse): TreeInhibitRule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    refuse(['inhibit_rules'], 'must be a list');
    return [];
  }
  const keys = ['source_matchers', 'target_matchers', 'source_match', 'source_match_re', 'target_match', 'target_match_re', 'equal'];
  return value.flatMap((rule, index) => {
    const at = ['inhibit_rules', index];
    if (!isObject(rule)) {
      refuse(at, 'must be a mapping');
      return [];
    }
    for (const key of Object.keys(rule).filter((each) => !keys.includes(each)))
      refuse([...at, key], key === 'name' ? newer('0.27') : 'not a field of an inhibit rule');
    const side = (which: 'source' | 'target'): string[] => {
      const own = rule[`${which}_matchers`];
      const matchers = Array.isArray(own) ? own.map(String) : [];
      return [...legacyMatchers(rule[`${which}_match`], rule[`${which}_match_re`], at, refuse, `${which}_`), ...matchers];
    };
    const equal = rule.equal;
    return [
      {
        sourceMatchers: side('source'),
        targetMatchers: side('target'),
        ...(Array.isArray(equal) && equal.length > 0 && { equal: equal.map(String) }),
      },
    ];
  });
}

function readTimeIntervals(items: readonly { value: unknown; at: FieldPath }[], refuse: Refuse): Record<string, TimeInterval> {
  const out: Record<string, TimeInterval> = {};
  for (const { value, at } of items) {
    if (!isObject(value) || typeof value.name !== 'string') {
      refuse(at, 'a time interval needs a name');
      continue;
    }
    const periods = Array.isArray(value.time_intervals) ? value.time_intervals : [];
    const zones = new Set(periods.map((period) => (isObject(period) && typeof period.location === 'string' ? period.location : 'UTC')));
    if (zones.size > 1)
      refuse(
        [...at, 'time_intervals'],
        'periods in different locations: monforge keeps one time zone per interval; split it into intervals',
      );
    const read = periods.flatMap((period, index) => {
      const converted = readPeriod(period, [...at, 'time_intervals', index], refuse);
      return converted ? [converted] : [];
    });
    if (read.length === 0) {
      refuse([...at, 'time_intervals'], 'an interval without periods matches always: write that as no interval');
      continue;
    }
    const zone = [...zones][0];
    out[value.name] = { ...(zone !== undefined && zone !== 'UTC' && { timeZone: zone }), periods: read as [TimePeriod, ...TimePeriod[]] };
  }
  return out;
}

function readPeriod(period: unknown, at: FieldPath, refuse: Refuse): TimePeriod | undefined {
  if (!isObject(period)) return void refuse(at, 'must be a mapping');
  const keys = ['times', 'weekdays', 'days_of_month', 'months', 'years', 'location'];
  for (const key of Object.keys(period).filter((each) => !keys.includes(each))) refuse([...at, key], 'not a field of a time period');
  const items = (key: string, normal: (item: string) => string | undefined): string[] | undefined => {
    const value = period[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) return void refuse([...at, key], 'must be a list');
    return value.map((item) => {
      const text = String(item)
        .split(':')
        .map((part) => normal(part.trim()))
        .join(':');
      if (text.includes('undefined')) refuse([...at, key], `${JSON.stringify(item)} is not understood`);
      return text;
    });
  };
  const name = (names: readonly string[]) => (part: string) =>
    names.includes(part.toLowerCase())
      ? part.toLowerCase()
      : /^[0-9]+$/.test(part) && names === months
        ? months[Number(part) - 1]
        : undefined;
  const number = (part: string) => (/^-?[0-9]+$/.test(part) ? part : undefined);
  const times = period.times;
  const read: Record<string, unknown> = {
    times: Array.isArray(times)
      ? times.map((range: unknown) => ({ start: String((range as Json)?.start_time), end: String((range as Json)?.end_time) }))
      : undefined,
    weekdays: items('weekdays', name(weekdays)),
    daysOfMonth: items('days_of_month', number),
    months: items('months', name(months)),
    years: items('years', number),
  };
  return Object.fromEntries(Object.entries(read).filter(([, value]) => value !== undefined)) as TimePeriod;
}
