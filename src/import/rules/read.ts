import path from 'node:path';
import { compoundSeconds, formatDuration, type Duration } from '../../model/duration.ts';
import type { AlertCase } from '../../model/rule-group.ts';
import { pathText, type FieldPath, type InputDocument } from '../document.ts';
import type { ImportContext } from '../importer.ts';

// Rule groups as Prometheus, the Prometheus Operator and the Mimir/Cortex ruler hold them, read
// into one intermediate. Every field Prometheus 2.42 reads is kept; a field it does not read
// (a newer Prometheus's, Thanos's or Mimir's) is refused by name rather than dropped.

export interface SourceRule {
  readonly kind: 'alert' | 'record';
  readonly name: string;
  readonly expr: string;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Where it is, for messages: `file:line`. */
  readonly at: string;
}

export interface SourceGroup {
  readonly document: InputDocument;
  readonly path: FieldPath;
  /** What holds it, for messages and the written file's header: `PrometheusRule monitoring/node-exporter-rules`. */
  readonly origin: string;
  /** The name of what holds it, for the written file: `node-exporter-rules`. */
  readonly stem: string;
  /** What kind of thing holds it: `PrometheusRule`, `rule file`, `ruler namespace`. */
  readonly holder: string;
  readonly name: string;
  readonly interval?: Duration;
  readonly limit?: number;
  readonly rules: readonly SourceRule[];
  /** The group as read, for the proof: the original's rules through the one reader. */
  readonly raw: unknown;
}

/** The alert tests of a promtool test file, to carry over. */
export interface SourceTests {
  readonly document: InputDocument;
  readonly cases: readonly { readonly alertname: string; readonly test: AlertCase }[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What kind of rule input a document is, by its content. */
export function ruleInputKind(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'PrometheusRule' && /^monitoring\.coreos\.com\//.test(String(value.apiVersion))) return 'PrometheusRule';
  if ('kind' in value || 'apiVersion' in value) return undefined;
  if (Array.isArray(value.rule_files) && Array.isArray(value.tests)) return 'promtool test file';
  if ('groups' in value && (Array.isArray(value.groups) || value.groups === null))
    return typeof value.namespace === 'string' ? 'Mimir namespace' : 'rule file';
  // `mimirtool rules print`: namespace → its groups.
  const entries = Object.values(value);
  if (
    entries.length > 0 &&
    entries.every((groups) => Array.isArray(groups) && groups.every((group) => isObject(group) && 'name' in group && 'rules' in group))
  )
    return 'ruler namespaces';
  return undefined;
}

/** Keys of a group Prometheus 2.42 does not read, and whose they are. */
const foreignGroupKeys: Readonly<Record<string, string>> = {
  query_offset: 'Prometheus 2.53',
  labels: 'Prometheus 3.0',
  source_tenants: 'Mimir (federated rule groups)',
  evaluation_delay: 'Mimir and Cortex',
  align_evaluation_time_on_interval: 'Mimir',
  partial_response_strategy: 'Thanos',
};

/** The groups of one document, each with the place it sits at; what cannot be read is refused. */
export function readGroups(document: InputDocument, kind: string, context: ImportContext): SourceGroup[] {
  const value = document.value as Json;
  const base = path.basename(document.file).replace(/\.(ya?ml|json)$/, '');
  const listed: { path: FieldPath; origin: string; stem: string }[] = [];
  const at = (groups: unknown, prefix: FieldPath, origin: string, stem: string): void => {
    if (groups === null || groups === undefined) return;
    if (!Array.isArray(groups)) return context.refuseAt(document, prefix, origin, `${pathText(prefix)} is not a list of groups`);
    groups.forEach((_, index) => void listed.push({ path: [...prefix, index], origin, stem }));
  };
  if (kind === 'PrometheusRule') {
    const metadata = isObject(value.metadata) ? value.metadata : {};
    const name = typeof metadata.name === 'string' ? metadata.name : base;
    const origin = `PrometheusRule ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${name}`;
    const spec = isObject(value.spec) ? value.spec : {};
    for (const key of Object.keys(spec).filter((each) => each !== 'groups'))
      context.refuseAt(document, ['spec', key], origin, `spec.${key} is not part of a PrometheusRule that monforge knows`);
    at(spec.groups, ['spec', 'groups'], origin, name);
  } else if (kind === 'Mimir namespace')
    at(value.groups, ['groups'], `ruler namespace ${String(value.namespace)}`, String(value.namespace));
  else if (kind === 'ruler namespaces')
    for (const namespace of Object.keys(value)) at(value[namespace], [namespace], `ruler namespace ${namespace}`, namespace);
  else {
    for (const key of Object.keys(value).filter((each) => each !== 'groups'))
      context.refuseAt(document, [key], `rule file ${base}`, `${key}: a rule file holds only groups`);
    at(value.groups, ['groups'], `rule file ${base}`, base);
  }
  const holder = kind === 'PrometheusRule' ? 'PrometheusRule' : kind === 'rule file' ? 'rule file' : 'ruler namespace';
  return listed.flatMap((each) => {
    const group = readGroup(document, each.path, each.origin, context);
    return group ? [{ ...group, stem: each.stem, holder }] : [];
  });
}

function readGroup(
  document: InputDocument,
  at: FieldPath,
  origin: string,
  context: ImportContext,
): Omit<SourceGroup, 'stem' | 'holder'> | undefined {
  const raw = valueAt(document.value, at);
  const refuse = (field: FieldPath, object: string, reason: string): void => context.refuseAt(document, [...at, ...field], object, reason);
  if (!isObject(raw)) return void refuse([], origin, 'a group must be a mapping with name and rules');
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
  const object = `${origin} › group ${name === undefined ? pathText(at) : `"${name}"`}`;
  if (name === undefined) refuse(['name'], object, 'a group needs a name');
  for (const key of Object.keys(raw)) {
    if (['name', 'interval', 'limit', 'rules'].includes(key)) continue;
    const whose = foreignGroupKeys[key];
    refuse(
      [key],
      object,
      whose
        ? `${key} is read by ${whose}, not by Prometheus 2.42, which monforge's rule files must load in; remove it to import the group`
        : `${key} is not a field of a rule group`,
    );
  }
  const interval = raw.interval === undefined ? undefined : duration(raw.interval);
  if (interval === null) refuse(['interval'], object, `${JSON.stringify(raw.interval)} is not a Prometheus duration`);
  const limit = raw.limit;
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 0)) refuse(['limit'], object, 'must be a whole number');
  const rules = raw.rules ?? [];
  if (!Array.isArray(rules)) return void refuse(['rules'], object, 'must be a list of rules');
  const read = rules.flatMap((_, index) => {
    const rule = readRule(document, [...at, 'rules', index], object, context);
    return rule ? [rule] : [];
  });
  if (name === undefined) return undefined;
  return {
    document,
    path: at,
    origin,
    name,
    ...(interval && { interval }),
    ...(typeof limit === 'number' && limit > 0 && { limit }),
    rules: read,
    raw,
  };
}

function readRule(document: InputDocument, at: FieldPath, group: string, context: ImportContext): SourceRule | undefined {
  const raw = valueAt(document.value, at);
  if (!isObject(raw)) return void context.refuseAt(document, at, group, `${pathText(at)} is not a rule`);
  const kind = 'alert' in raw ? 'alert' : 'record' in raw ? 'record' : undefined;
  const name = kind === undefined ? undefined : raw[kind];
  const object = `${group} › ${kind ?? 'rule'} ${typeof name === 'string' ? `"${name}"` : pathText(at.slice(-2))}`;
  const refuse = (field: string, reason: string): void => context.refuseAt(document, [...at, field], object, reason);
  if (kind === undefined || typeof name !== 'string' || name === '') return void refuse('', 'a rule needs a name in alert or record');
  const known = kind === 'alert' ? ['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'] : ['record', 'expr', 'labels'];
  for (const key of Object.keys(raw).filter((each) => !known.includes(each)))
    refuse(key, `${key} is not a field of ${kind === 'alert' ? 'an alerting' : 'a recording'} rule`);
  const expr = typeof raw.expr === 'string' || typeof raw.expr === 'number' ? String(raw.expr).trim() : undefined;
  if (expr === undefined || expr === '') refuse('expr', 'a rule needs an expression');
  const times: { for?: Duration; keepFiringFor?: Duration } = {};
  for (const [key, field] of [
    ['for', 'for'],
    ['keep_firing_for', 'keepFiringFor'],
  ] as const) {
    if (raw[key] === undefined) continue;
    const parsed = duration(raw[key]);
    if (parsed === null) refuse(key, `${JSON.stringify(raw[key])} is not a Prometheus duration`);
    else if (parsed !== '0s') times[field] = parsed;
  }
  const labels = texts(raw.labels, (reason) => refuse('labels', reason));
  const annotations = kind === 'alert' ? texts(raw.annotations, (reason) => refuse('annotations', reason)) : undefined;
  if (expr === undefined || expr === '') return undefined;
  return {
    kind,
    name,
    expr,
    ...times,
    ...(labels && Object.keys(labels).length > 0 && { labels }),
    ...(annotations && Object.keys(annotations).length > 0 && { annotations }),
    at: document.at(at),
  };
}

/** A map of label or annotation values; numbers and booleans are read as Prometheus reads them, as text. */
function texts(value: unknown, refuse: (reason: string) => void): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) return void refuse('must be a mapping of names to values');
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') result[key] = String(item);
    else refuse(`${key}: must be text`);
  }
  return result;
}

/** A duration as a single-unit monforge Duration (`1h30m` → `90m`), or null when it is not one. */
function duration(value: unknown): Duration | null {
  if (typeof value !== 'string') return null;
  const total = compoundSeconds(value);
  return total === undefined ? null : formatDuration(total);
}

export function valueAt(value: unknown, at: FieldPath): unknown {
  let current = value;
  for (const key of at) current = (current as Record<string | number, unknown> | undefined)?.[key];
  return current;
}
