import type { Change, ChangeKind, JsonValue } from '../types.ts';

// One line of words per change, shared by every output format. Long values (expressions,
// descriptions, playbook actions) are named here and shown in full by the Markdown.

export const kindTitles: Record<ChangeKind, string> = {
  alert: 'Alerts',
  slo: 'SLOs',
  recording: 'Recording rules',
  routing: 'Routing',
  dashboard: 'Dashboards',
  playbook: 'Playbooks',
};

/** Values longer than this are shown apart, in full, rather than inline. */
export const inlineLimit = 80;

/** `43m12s`, `3h36m`, `4m1.92s`. */
export function elapsed(seconds: number): string {
  if (seconds === 0) return '0s';
  const parts: string[] = [];
  let left = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    const whole = Math.floor(left / size);
    if (whole > 0) parts.push(`${whole}${unit}`);
    left -= whole * size;
  }
  const rest = Number(left.toFixed(3));
  if (rest > 0) parts.push(`${rest}s`);
  return parts.join('');
}

/** A value inline: `none` for null, lists comma-separated, numbers with their unit. */
export function inline(value: JsonValue | undefined, unit?: string): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'number') return unit ? `${value} ${unit}` : String(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((each) => inline(each, unit)).join(', ');
  return JSON.stringify(value);
}

const isLong = (value: JsonValue | undefined): boolean =>
  inline(value).length > inlineLimit || (typeof value === 'string' && value.includes('\n'));

/** Values a change shows in full, apart from its line: expressions, long texts, playbook actions. */
export interface FullValues {
  /** Of the code block: `promql`, `json`, `text`. */
  readonly language: string;
  readonly before?: string;
  readonly after?: string;
}

const text = (value: JsonValue | undefined): string | undefined =>
  value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value, null, 2);

export function shownInFull(change: Change): FullValues | undefined {
  const pick = (key: string) => (value: JsonValue | undefined) => (value as Record<string, JsonValue> | null | undefined)?.[key];
  const queries = (value: JsonValue | undefined): string | undefined => {
    const list = pick('queries')(value);
    return Array.isArray(list) ? list.join('\n') : undefined;
  };
  const both = (language: string, read: (value: JsonValue | undefined) => string | undefined): FullValues => ({
    language,
    before: read(change.before),
    after: read(change.after),
  });
  switch (change.kind) {
    case 'alert':
      if (change.action === 'added' || change.action === 'removed') return both('promql', (value) => text(pick('expr')(value)));
      if (change.field === 'expr') return both('promql', text);
      break;
    case 'slo':
      return change.field === 'sli' ? both('promql', text) : undefined;
    case 'recording':
      return both('promql', text);
    case 'routing':
      return undefined;
    case 'dashboard':
      if (change.field === undefined) return change.object.includes(' › panel ') ? both('promql', queries) : undefined;
      if (change.field === 'queries') {
        const lines = (value: JsonValue | undefined) =>
          Object.entries((value ?? {}) as Record<string, JsonValue>)
            .filter(([, expr]) => expr !== null)
            .map(([refId, expr]) => `${refId}: ${inline(expr)}`)
            .join('\n') || undefined;
        return both('promql', lines);
      }
      break;
    case 'playbook':
      return both('json', text);
  }
  return isLong(change.before) || isLong(change.after) ? both('text', text) : undefined;
}

function fromTo(change: Change, label: string): string {
  if (shownInFull(change)) return `${label} ${change.before === null ? 'added' : change.after === null ? 'removed' : 'changed'}`;
  return `${label} ${inline(change.before, change.unit)} → ${inline(change.after, change.unit)}`;
}

/** `+ a, − b` between two lists. */
function delta(before: JsonValue | undefined, after: JsonValue | undefined): string {
  const was = (Array.isArray(before) ? before : []).map((each) => inline(each));
  const is = (Array.isArray(after) ? after : []).map((each) => inline(each));
  const parts = [
    ...is.filter((each) => !was.includes(each)).map((each) => `+ ${each}`),
    ...was.filter((each) => !is.includes(each)).map((each) => `− ${each}`),
  ];
  return parts.length > 0 ? parts.join(', ') : `${inline(before)} → ${inline(after)}`;
}

/** Per receiver, `receiver: what differs` for grouping and time intervals. */
function perReceiver(change: Change, part: (before: Record<string, JsonValue>, after: Record<string, JsonValue>) => string[]): string {
  const before = (change.before ?? {}) as Record<string, Record<string, JsonValue>>;
  const after = (change.after ?? {}) as Record<string, Record<string, JsonValue>>;
  return Object.keys(after)
    .map((receiver) => `${receiver}: ${part(before[receiver] ?? {}, after[receiver] ?? {}).join(', ')}`)
    .join('; ');
}

function levelsText(value: JsonValue | undefined, unit: string | undefined): string {
  const summary = (value ?? {}) as { levels?: Record<string, JsonValue>; for?: JsonValue };
  const levels = Object.entries(summary.levels ?? {})
    .map(([severity, threshold]) => (threshold === null ? severity || 'no severity' : `${severity} ${inline(threshold, unit)}`))
    .join(', ');
  return `${levels}${summary.for ? `, for ${summary.for}` : ''}`;
}

interface BurnCondition {
  readonly windows: readonly string[];
  readonly errorRatio: number;
  readonly factor: number | null;
}

function tierText(conditions: readonly BurnCondition[]): string {
  return conditions
    .map(
      (condition) =>
        `${Number((condition.errorRatio * 100).toPrecision(4))} % over ${condition.windows.join(' and ')}${condition.factor === null ? '' : ` (${Number(condition.factor.toPrecision(4))}×)`}`,
    )
    .join(' or ');
}

function describeAlert(change: Change): string {
  const field = change.field ?? '';
  if (change.action === 'added') return `added: ${levelsText(change.after, change.unit)}`;
  if (change.action === 'removed') return `removed (was ${levelsText(change.before, change.unit)})`;
  if (change.action === 'renamed') return `renamed from ${inline(change.before)}`;
  if (field === 'severity') return `severity ${inline(change.before)} → ${inline(change.after)}`;
  if (field === 'level')
    return change.before === null
      ? `${change.level} level added (${inline(change.after, change.unit)})`
      : `${change.level} level removed (was ${inline(change.before, change.unit)})`;
  if (field === 'threshold')
    return `${change.level} threshold ${inline(change.before, change.unit)} → ${inline(change.after, change.unit)}`;
  const scope = change.level ? ` (${change.level})` : '';
  if (field === 'expr') return `expression changed${scope}`;
  if (field.startsWith('labels.')) return `label ${field.slice(7)}: ${inline(change.before)} → ${inline(change.after)}`;
  if (field.startsWith('annotations.')) return fromTo(change, `annotation ${field.slice(12)}${scope}`);
  return fromTo(change, `${field}${scope}`);
}

function describeSlo(change: Change): string {
  const summary = (value: JsonValue | undefined) => {
    const slo = value as { objective: number; window: string; errorBudgetSeconds: number };
    return `${slo.objective} % over ${slo.window}, error budget ${elapsed(slo.errorBudgetSeconds)}`;
  };
  if (change.action === 'added') return `added: ${summary(change.after)}`;
  if (change.action === 'removed') return `removed (was ${summary(change.before)})`;
  const field = change.field ?? '';
  if (field === 'error budget') {
    const [was, is] = [change.before, change.after] as { seconds: number; window: string }[];
    return `error budget ${elapsed(was!.seconds)} per ${was!.window} → ${elapsed(is!.seconds)}${is!.window === was!.window ? '' : ` per ${is!.window}`}`;
  }
  if (field.endsWith(' tier')) {
    const tier = field.slice(0, -5);
    if (change.before === null) return `${tier} tier added: ${tier} at ${tierText(change.after as unknown as BurnCondition[])}`;
    if (change.after === null) return `${tier} tier removed`;
    return `${tier} at ${tierText(change.before as unknown as BurnCondition[])} → ${tierText(change.after as unknown as BurnCondition[])}`;
  }
  if (field === 'sli') return 'SLI expression changed';
  return fromTo(change, field);
}

function describeRouting(change: Change): string {
  switch (change.field) {
    case 'receivers':
      return change.before === null ? `→ ${inline(change.after)}` : `receivers ${delta(change.before, change.after)}`;
    case 'integrations':
      if (change.object.startsWith('receiver ')) return delta(change.before, change.after);
      return perReceiver(change, (before, after) => [delta(before as unknown as JsonValue, after as unknown as JsonValue)]);
    case 'grouping':
      return perReceiver(change, (before, after) =>
        Object.keys(after)
          .filter((key) => inline(before[key]) !== inline(after[key]))
          .map((key) => `${key} ${inline(before[key])} → ${inline(after[key])}`),
      );
    case 'time intervals':
      return perReceiver(change, (before, after) => {
        const parts: string[] = [];
        for (const [key, words] of [
          ['mute', 'muted during'],
          ['active', 'only during'],
        ] as const)
          if (inline(before[key]) !== inline(after[key])) parts.push(`${words} ${inline(before[key])} → ${inline(after[key])}`);
        const definitions = [before.definitions, after.definitions] as Record<string, JsonValue>[];
        for (const name of Object.keys(definitions[1] ?? {}))
          if (name in (definitions[0] ?? {}) && JSON.stringify(definitions[0]![name]) !== JSON.stringify(definitions[1]![name]))
            parts.push(`time interval ${name} redefined`);
        return parts;
      });
    case 'inhibited by':
      return `inhibited by ${delta(change.before, change.after)}`;
    default:
      return fromTo(change, change.field ?? '');
  }
}

const count = (amount: number, word: string): string => `${amount} ${word}${amount === 1 ? '' : 's'}`;

function describeDashboard(change: Change): string {
  const summary = (value: JsonValue | undefined) => {
    const dashboard = value as { title?: string; panels?: number; queries?: string[] };
    return typeof dashboard.panels === 'number'
      ? `"${dashboard.title}", ${count(dashboard.panels, 'panel')}`
      : dashboard.queries?.length === 1
        ? '1 query'
        : `${dashboard.queries?.length ?? 0} queries`;
  };
  if (change.action === 'added') return `added (${summary(change.after)})`;
  if (change.action === 'removed') return `removed (was ${summary(change.before)})`;
  if (change.field === 'queries') {
    const [before, after] = [change.before, change.after] as Record<string, JsonValue>[];
    const refIds = Object.keys(after ?? {});
    const what = (refId: string) => (before?.[refId] === null ? 'added' : after?.[refId] === null ? 'removed' : 'changed');
    return (['changed', 'added', 'removed'] as const)
      .map((status) => refIds.filter((refId) => what(refId) === status))
      .flatMap((ids, index) =>
        ids.length === 0 ? [] : [`${ids.length === 1 ? 'query' : 'queries'} ${ids.join(', ')} ${['changed', 'added', 'removed'][index]}`],
      )
      .join('; ');
  }
  return fromTo(change, change.field ?? '');
}

/** An action's argv reads as a command line. */
const setting = (key: string, value: JsonValue | undefined): string =>
  key === 'argv' && Array.isArray(value) ? value.map((each) => inline(each)).join(' ') : inline(value);

function describePlaybook(change: Change): string {
  if (change.action === 'added') return 'added';
  if (change.action === 'removed') return 'removed';
  const [before, after] = [change.before, change.after];
  const isObject = (value: JsonValue | undefined): value is Record<string, JsonValue> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    return `${change.field}: ${keys.map((key) => `${key} ${setting(key, before[key])} → ${setting(key, after[key])}`).join('; ')}`;
  }
  if (before === null) return `${change.field} added`;
  if (after === null) return `${change.field} removed`;
  return `${change.field} ${inline(before)} → ${inline(after)}`;
}

const describers: Record<ChangeKind, (change: Change) => string> = {
  alert: describeAlert,
  slo: describeSlo,
  recording: (change) => (change.action === 'changed' ? 'expression changed' : change.action),
  routing: describeRouting,
  dashboard: describeDashboard,
  playbook: describePlaybook,
};

/** What changed, in words, without the object's name: `critical threshold 5 % → 10 %`. */
export function describe(change: Change): string {
  return describers[change.kind](change);
}

/** How a change's object is introduced in a sentence: `alert`, `routing of`; receivers name themselves. */
export function kindWord(change: Change): string {
  if (change.object.startsWith('receiver ')) return '';
  return { alert: 'alert', slo: 'SLO', recording: 'recording rule', routing: 'routing of', dashboard: 'dashboard', playbook: 'playbook' }[
    change.kind
  ];
}

/** The object, what changed, and why it matters: one line for annotations and reports. */
export function sentence(change: Change): string {
  const object = `${kindWord(change)} ${change.object}`.trim();
  return `${object}: ${describe(change)}${change.reason ? ` — ${change.reason}` : ''}${change.securityReview ? ' — security review' : ''}`;
}
