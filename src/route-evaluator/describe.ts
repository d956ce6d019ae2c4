import { renderMatcher } from '../compile/alertmanager/matchers.ts';
import type { InhibitRule, LabelMatcher, Route } from '../compile/alertmanager/types.ts';
import type { RouteMatch } from './evaluate.ts';

// Plain-text views of the routing for `monforge routes`.

export const matcherSet = (matchers: readonly LabelMatcher[] | undefined): string => `{${(matchers ?? []).map(renderMatcher).join(', ')}}`;

/** One line for a route: what it matches, where it sends, and when. */
function routeLine(route: Route): string {
  const parts = [`${route.matchers ? matcherSet(route.matchers) : 'root'} → ${route.receiver}`];
  if (route.continue) parts.push('continue');
  if (route.group_by) parts.push(`group by ${route.group_by.join(', ')}`);
  if (route.group_wait) parts.push(`wait ${route.group_wait}, interval ${route.group_interval}, repeat ${route.repeat_interval}`);
  if (route.active_time_intervals) parts.push(`only during ${route.active_time_intervals.join(', ')}`);
  if (route.mute_time_intervals) parts.push(`muted during ${route.mute_time_intervals.join(', ')}`);
  return parts.join('; ');
}

/** The whole tree, one route a line, children indented under their parent. */
export function describeTree(root: Route): string {
  const lines: string[] = [routeLine(root)];
  const walk = (routes: readonly Route[], indent: string): void => {
    routes.forEach((route, index) => {
      const last = index === routes.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${routeLine(route)}`);
      walk(route.routes ?? [], `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(root.routes ?? [], '');
  return `${lines.join('\n')}\n`;
}

/** Where an alert goes, through which routes, and which inhibit rules could mute it. */
export function describeAlert(
  labels: Readonly<Record<string, string>>,
  matched: readonly RouteMatch[],
  inhibiting: readonly InhibitRule[],
): string {
  const lines = [
    `alert ${matcherSet(Object.entries(labels).map(([label, value]) => ({ label, op: '=', value })))}`,
    `receivers: ${matched.map((match) => match.route.receiver).join(', ')}`,
    'matched routes:',
    ...matched.map(
      (match) =>
        `  ${match.route.receiver}: ${match.path.map((route) => (route.matchers ? matcherSet(route.matchers) : 'root')).join(' › ')}${timeNote(match.route)}`,
    ),
    `inhibit rules that could mute it:${inhibiting.length === 0 ? ' none' : ''}`,
    ...inhibiting.map(
      (rule) =>
        `  while an alert ${matcherSet(rule.source_matchers)} fires${rule.equal?.length ? ` with the same ${rule.equal.join(', ')}` : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function timeNote(route: Route): string {
  const notes = [
    ...(route.active_time_intervals ? [`only during ${route.active_time_intervals.join(', ')}`] : []),
    ...(route.mute_time_intervals ? [`muted during ${route.mute_time_intervals.join(', ')}`] : []),
  ];
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}
