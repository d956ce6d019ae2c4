import { parsePromql } from '../../promql/parse.ts';
import type { ImportContext } from '../importer.ts';
import type { SourceGroup } from './read.ts';

/** The service and team a group belongs to, and how each was found (for the report). */
export interface Owner {
  readonly service: string;
  readonly team: string;
}

/** One value all of `values` share, or undefined when they are none or disagree. */
function sole(values: readonly (string | undefined)[]): string | undefined {
  const distinct = new Set(values.filter((value): value is string => value !== undefined && value !== ''));
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

/** A lower-case identifier for a name found in the source: `Kube-State-Metrics` → `kube-state-metrics`. */
export function serviceName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return cleaned === '' ? 'imported' : cleaned;
}

/**
 * The service: the `service` label of its rules, else the one `job` its selectors name, else
 * the one `namespace` of its labels or selectors, else the name of what holds the group. The
 * team: the `team` label of its rules when it is a team of the project, else `--team`, else the
 * project's only team. Undefined (and refused) when there is no team to give it.
 */
export function inferOwner(group: SourceGroup, context: ImportContext, taken: Set<string>): Owner | undefined {
  const labelled = (label: string): string | undefined => sole(group.rules.map((rule) => rule.labels?.[label]));
  const matched = (label: string): string | undefined =>
    sole(
      group.rules.flatMap((rule) =>
        parsePromql(rule.expr).selectors.flatMap((selector) =>
          selector.matchers.filter((matcher) => matcher.label === label && matcher.op === '=').map((matcher) => matcher.value),
        ),
      ),
    );
  const candidates: [string | undefined, string][] = [
    [labelled('service'), 'the service label of its rules'],
    [matched('job'), 'the job its selectors name'],
    [labelled('namespace') ?? matched('namespace'), 'the namespace of its rules'],
    [group.stem, `the name of the ${group.holder} it is in`],
  ];
  const [found, reason] = candidates.find(([value]) => value !== undefined) as [string, string];
  let service = serviceName(found);
  let why = reason;
  // Groups of one service share a rule file, where Prometheus needs their names unique: a group
  // whose name the service has already goes to a service named after what holds it.
  if (taken.has(`${service}\0${group.name}`)) {
    const other = serviceName(`${service}-${group.stem}`);
    why = `${why}, which has a group "${group.name}" already: named after the ${group.holder} it is in`;
    service = other;
  }
  taken.add(`${service}\0${group.name}`);

  const teams = context.project.platform.teams.map((team) => team.name);
  const label = labelled('team');
  const only = teams.length === 1 ? teams[0] : undefined;
  const team = label !== undefined && teams.includes(label) ? label : (context.team ?? only);
  const object = `${group.origin} › group "${group.name}"`;
  if (team === undefined) {
    context.refuseAt(
      group.document,
      group.path,
      object,
      `no team owns it${label === undefined ? '' : ` (its team label "${label}" is not a team of the project)`}: pass --team NAME`,
    );
    return undefined;
  }
  if (!teams.includes(team)) {
    context.refuseAt(
      group.document,
      group.path,
      object,
      `team "${team}" is not defined in the project (known: ${teams.join(', ') || 'none'})`,
    );
    return undefined;
  }
  const teamWhy = team === label ? 'the team label of its rules' : team === context.team ? '--team' : "the project's only team";
  context.infer(`${object}: service "${service}" (${why}), team "${team}" (${teamWhy})`);
  return { service, team };
}
