import { findingKind } from '../kind.ts';

// What the real validators (promtool, amtool) say about the files the definitions compile to.
// Each names the generated file and, where the tool says it, the line, rule or test case.

export const promtoolRules = findingKind(
  {
    id: 'validators/promtool-rules',
    title: 'promtool check rules rejects a generated rule file',
    cause:
      'A rule file does not parse, an expression does not, or `promtool check rules --lint=all --lint-fatal` finds a duplicate rule or a repeated group. Expressions written as PromQL (`promql`, `pql`, imported rules) reach promtool as they are written.',
    fix: 'Correct the expression or the group the message names in the definitions, then `monforge generate`.',
  },
  (file: string, line: number | undefined, text: string) => `${file}${line === undefined ? '' : `:${line}`}: ${text}`,
);

export const promtoolTest = findingKind(
  {
    id: 'validators/promtool-test',
    title: 'A generated promtool unit test fails',
    cause:
      "`promtool test rules` ran a case monforge wrote (an alert's firing and quiet cases, an SLO's burn thresholds, a rule group's own cases) and the rules did not give what the case expects: an expression or a threshold does not mean what its definition says, or a case of a rule group of your own expects something else.",
    fix: 'Read the alert or expression and the time the message names: fix the definition (or the case, for cases you wrote), then `monforge generate`.',
  },
  (file: string, text: string) => `${file}: ${text}`,
);

export const toolFault = findingKind(
  {
    id: 'validators/tool-fault',
    title: 'A validator was killed before it gave a verdict',
    cause:
      'promtool or amtool ran past its deadline, stayed silent past its stall limit or printed more than the output limit: a fault of the run (an overloaded machine, a pathological file), not a failed check. Nothing is cached for the file.',
    fix: 'Run `monforge check` again; if the same file is named again, run the tool on it by hand (the message names the command) and report it.',
  },
  (file: string, what: string, reason: string) =>
    `${file}: ${[what, reason].filter(Boolean).join(' ')} (a fault of the tool's run, not a failed check)`,
);

export const amtoolConfig = findingKind(
  {
    id: 'validators/amtool-config',
    title: 'amtool check-config rejects the generated Alertmanager configuration',
    cause:
      'Alertmanager 0.25 parses its configuration strictly: a key it does not know, a value of the wrong type or a receiver integration it lacks makes it refuse the whole file, and keep running the old one.',
    fix: 'Correct the receiver, route or integration field the line names in the definitions (`defineTeam`, `defineRouteTree`), then `monforge generate`.',
  },
  (file: string, line: number | undefined, text: string) => `${file}${line === undefined ? '' : `:${line}`}: ${text}`,
);

export const routeTest = findingKind(
  {
    id: 'validators/route-test',
    title: 'An alert reaches other receivers than its route test expects',
    cause:
      "`amtool config routes test` routed a route test's labels (the teams' policy, or a route tree's own `tests`) to other receivers than expected: a route earlier in the tree catches the alert, a matcher does not match, or `continue` is missing.",
    fix: 'Read the labels and receivers the line names; fix the route (or the test of a route tree of your own) and run `monforge routes label=value …` to see the path.',
  },
  (file: string, failure: string) => `${file}: ${failure}`,
);

export const kubernetesSchema = findingKind(
  {
    id: 'validators/kubernetes-schema',
    title: 'A generated Kubernetes object fails its upstream schema',
    cause:
      'An object under `generated/kubernetes/` (PrometheusRule, ServiceMonitor, AlertmanagerConfig, ConfigMap, …) has a field its CRD or the Kubernetes API does not have, or a value of the wrong type: the API server would refuse it on apply.',
    fix: 'Correct the target options the line names in `defineConfig({ targets })`, then `monforge generate`.',
  },
  (file: string, object: string, problem: string) => `${file}: ${object}: ${problem}`,
);

export const openSloSchema = findingKind(
  {
    id: 'validators/openslo-schema',
    title: 'A generated OpenSLO object fails OpenSLO v1',
    cause:
      'An object under `generated/openslo/` misses a field OpenSLO v1 requires, or holds a query that is not PromQL: tools that read OpenSLO would refuse it.',
    fix: 'Correct the SLO the line names, then `monforge generate`.',
  },
  (file: string, object: string, problem: string) => `${file}: ${object}: ${problem}`,
);

export const scrapeConfig = findingKind(
  {
    id: 'validators/scrape-config',
    title: 'promtool check config rejects the generated scrape jobs',
    cause:
      'The scrape jobs monforge writes (`generated/prometheus/scrape/`) were pasted into a prometheus.yml that Prometheus would refuse to load.',
    fix: "Correct the service's scrape settings the message names, then `monforge generate`.",
  },
  (text: string) => `prometheus/scrape/: promtool check config: ${text}`,
);

export const embeddedRules = findingKind(
  {
    id: 'validators/embedded-rules',
    title: 'promtool rejects rule groups a target embeds',
    cause:
      'The rule groups a PrometheusRule object or the Mimir namespace carries do not pass `promtool check rules --lint-fatal`: the ruler or the operator would refuse them.',
    fix: 'Correct the rule the message names in the definitions, then `monforge generate`.',
  },
  (where: string, text: string) => `${where} (its rule groups): ${text}`,
);

export const rulePromql = findingKind(
  {
    id: 'validators/rule-promql',
    title: 'A generated rule holds PromQL that does not parse',
    cause:
      "monforge's own parser rejects an expression of a generated rule file (it parses every expression before promtool runs, with Prometheus's grammar).",
    fix: 'Correct the expression of the rule the line names in the definitions, then `monforge generate`.',
  },
  (file: string, rule: string, error: string) => `${file}: ${rule}: invalid PromQL: ${error}`,
);
