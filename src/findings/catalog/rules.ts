import { findingKind } from '../kind.ts';

// Rule groups and route trees of the definitions' own (defineRuleGroup, defineRouteTree): what
// `monforge import` writes, and what a team writes by hand when monforge's own forms do not fit.

export const duplicateGroup = findingKind(
  {
    id: 'rules/duplicate-group',
    title: 'Two rule groups of one name in a service',
    cause: "A service's rule groups go to one rule file, and Prometheus refuses a rule file with two groups of one name.",
    fix: 'Rename one group, or move it to another service.',
  },
  (service: string, first: string) =>
    `service "${service}" has a second group of this name (the first is in ${first}): Prometheus needs group names unique within a rule file`,
);

export const unknownSeverity = findingKind(
  {
    id: 'rules/unknown-severity',
    title: 'An alert of a rule group has a severity monforge does not know',
    cause:
      "The alert's `severity` label is none of critical, high, warning and info, and `defineSeverities` does not say which of them it behaves as (coverage, `diff` and `test-alert` need to know).",
    fix: "Use one of the four, or declare the value: `defineSeverities({ page: 'critical' })`.",
  },
  (value: string, known: readonly string[]) =>
    `"${value}" is not a severity: use ${known.join(', ')}, or declare it with defineSeverities({ ${JSON.stringify(value)}: '<the one it behaves as>' })`,
);

export const noFiringCase = findingKind(
  {
    id: 'rules/no-firing-case',
    title: 'An alert of a rule group has no test that fires it',
    cause:
      'Every alert monforge writes is proven to fire by a promtool case; an alert of a rule group brings its own, or says why it cannot.',
    fix: 'Add a case to `tests` (input series, `at`, the alerts that fire), or set `untested` to the reason (`monforge coverage` lists it).',
  },
  () => 'no case fires the alert: add one (series, at, fires), or say in untested why it cannot have one',
);

export const untestedButFires = findingKind(
  {
    id: 'rules/untested-but-fires',
    title: 'An alert says it is untested but has a case that fires it',
    cause: '`untested` gives the reason an alert has no firing case; with one, the reason is stale and coverage would list it wrongly.',
    fix: 'Remove `untested`.',
  },
  () => 'the alert has a case that fires: remove untested',
);

export const invalidMatcher = findingKind(
  {
    id: 'routing/invalid-matcher',
    title: 'A matcher of a route tree does not parse',
    cause: "A route's or an inhibit rule's matcher is not in Alertmanager's syntax (`label = value`, `label =~ \"regex\"`).",
    fix: 'Write it as `label="value"`, with one of `=`, `!=`, `=~`, `!~`.',
  },
  (problem: string) => problem,
);

export const rootRoute = findingKind(
  {
    id: 'routing/root-route',
    title: "A route tree's root is not a root",
    cause: 'The root route receives every alert no other route takes: Alertmanager refuses matchers, `continue` or time intervals on it.',
    fix: 'Move them to a child route.',
  },
  (problem: string) => problem,
);

export const nameTaken = findingKind(
  {
    id: 'routing/name-taken',
    title: "A route tree uses a name monforge's own routing has",
    cause:
      "The route tree's receivers and time intervals sit in one alertmanager.yml with the teams' (`<team>-<severity>`, `stakeholders`, `digest`, `remediation`, `unrouted`) and defineRouting's.",
    fix: 'Rename it in the route tree.',
  },
  (what: string, name: string) => `"${name}" is the name of ${what}: rename it`,
);

export const setTwice = findingKind(
  {
    id: 'routing/set-twice',
    title: 'An Alertmanager setting is set by defineConfig and by the route tree',
    cause: "`defineConfig({ alertmanager })` and a route tree's `global` both set it; one would silently win.",
    fix: 'Set it in one place.',
  },
  (setting: string, there: string) => `also set by defineConfig({ alertmanager: { ${there} } }): set ${setting} in one place`,
);

export const newerAlertmanager = findingKind(
  {
    id: 'routing/newer-alertmanager',
    title: 'A setting Alertmanager 0.25 does not read',
    cause:
      'The generated configuration must load in Alertmanager 0.25, which refuses fields it does not know; this one comes with a later release.',
    fix: 'Remove it, or keep that part of the configuration outside monforge until the version floor moves.',
  },
  (release: string) => `read by Alertmanager ${release}, not by 0.25, which the generated configuration must load in`,
);
