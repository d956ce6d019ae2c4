import { componentRecord, platformScoreRecord, serviceScoreRecord } from '../../../derive/records.ts';
import { labelsFor, seriesName } from '../../../derive/test-labels.ts';
import { outageAlertName } from '../../../model/alert-names.ts';
import type { TestSeries } from '../../../model/expr.ts';
import { alertHealthSignals, healthSignals, type HealthSignal } from '../../../model/health-signal.ts';
import { healthWeights, platformHealthName, severityPenalty } from '../../../model/health.ts';
import { hasTargets } from '../../../model/service.ts';
import { severities, type Severity } from '../../../model/severity.ts';
import type { HealthInput } from '../health.ts';
import { ruleFilePath } from '../paths.ts';
import type { ExprTestCase, TestGroup } from './promtool.ts';
import type { PromtoolTestFile } from './test-file.ts';

type Components = Record<HealthSignal, number>;

/** What a scenario sets up for one service: targets up and alerts present in ALERTS. */
interface ServiceState {
  readonly up: readonly number[];
  readonly alerts: readonly { alertname: string; severity: Severity; alertstate: 'firing' | 'pending' }[];
}

/** A service's state in a scenario and the components it must show. */
interface Change {
  readonly state: ServiceState;
  readonly expected: Components;
}

const steps = 2;
const evalTime = '1m';
const healthy = (service: HealthInput): ServiceState => ({ up: hasTargets(service) ? [1, 1] : [], alerts: [] });
const fullHealth: Components = { availability: 1, performance: 1, errors: 1, resources: 1 };

function inputSeries(service: HealthInput, state: ServiceState): TestSeries[] {
  const target = labelsFor(service, { matchers: {} });
  return [
    ...state.up.map((value, index) => ({
      series: seriesName('up', { ...target, instance: `target-${index}` }),
      values: `${value}x${steps}`,
    })),
    ...state.alerts.map((alert) => ({
      series: seriesName('ALERTS', {
        alertname: alert.alertname,
        alertstate: alert.alertstate,
        service: service.name,
        severity: alert.severity,
        team: service.team,
      }),
      values: `1x${steps}`,
    })),
  ];
}

const score = (components: Components): number =>
  healthSignals.reduce((sum, signal) => sum + healthWeights[signal] * components[signal], 0);

/** Escapes a service name for a regex matcher. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each service's value of a record, checked to 1e-9 (Prometheus adds in its own order): one
 * query per distinct value, selecting the services that must show it, whose every one must come
 * back, and nothing else (promtool compares the whole result). A thousand services cost promtool
 * a query each otherwise.
 */
function near(record: string, expected: ReadonlyMap<string, number>): ExprTestCase[] {
  const byValue = new Map<number, string[]>();
  for (const [service, value] of expected) {
    const exact = Number(value.toPrecision(12));
    if (byValue.has(exact)) byValue.get(exact)!.push(service);
    else byValue.set(exact, [service]);
  }
  return [...byValue].map(([value, names]) => ({
    expr: `abs(${record}{service${names.length === 1 ? `=${JSON.stringify(names[0])}` : `=~${JSON.stringify(names.map(literal).join('|'))}`}} - ${value}) < bool 1e-9`,
    eval_time: evalTime,
    exp_samples: names.map((name) => ({ labels: `{service=${JSON.stringify(name)}}`, value: 1 })),
  }));
}

/** A scenario: every service healthy except the given ones, with the components they must show. */
function scenario(name: string, services: readonly HealthInput[], changed: ReadonlyMap<HealthInput, Change>): TestGroup {
  const expected = new Map(services.map((service) => [service.name, changed.get(service)?.expected ?? fullHealth]));
  // Components lie in [0, 1], so a score of 100 already proves every one is 1.
  const partial = [...expected].filter(([, components]) => score(components) !== score(fullHealth));
  const checks: ExprTestCase[] = [
    ...healthSignals.flatMap((signal) =>
      near(componentRecord(signal), new Map(partial.map(([service, components]) => [service, components[signal]]))),
    ),
    ...near(serviceScoreRecord, new Map([...expected].map(([service, components]) => [service, score(components)]))),
  ];
  const scores = [...expected.values()].map(score);
  if (scores.length > 0)
    checks.push({
      expr: `abs(${platformScoreRecord} - ${Number((scores.reduce((a, b) => a + b, 0) / scores.length).toPrecision(12))}) < bool 1e-9`,
      eval_time: evalTime,
      exp_samples: [{ labels: '{}', value: 1 }],
    });
  return {
    name: `health: ${name}`,
    interval: '1m',
    input_series: services.flatMap((service) => inputSeries(service, changed.get(service)?.state ?? healthy(service))),
    alert_rule_test: [],
    promql_expr_test: checks,
  };
}

/** One service degraded: half its targets down, and in every component that has alerts the first one firing at its mildest level. */
function degraded(service: HealthInput): Change {
  const alerts: ServiceState['alerts'][number][] = [];
  const expected: Components = { ...fullHealth, availability: hasTargets(service) ? 0.5 : 1 };
  const bySignal = service.alerts;
  for (const signal of alertHealthSignals) {
    const first = bySignal[signal][0];
    if (!first) continue;
    const mildest = first.severities.at(-1)!;
    alerts.push({ alertname: first.alertname, severity: mildest, alertstate: 'firing' });
    expected[signal] = 1 - severityPenalty[mildest];
  }
  return { state: { up: hasTargets(service) ? [1, 0] : [], alerts }, expected };
}

/** When several alerts of a component fire, the most severe sets the penalty. */
function mostSevere(service: HealthInput): Change | undefined {
  const bySignal = service.alerts;
  for (const signal of alertHealthSignals) {
    const levels = bySignal[signal].flatMap((alert) => alert.severities.map((severity) => ({ alertname: alert.alertname, severity })));
    if (levels.length < 2) continue;
    const worst = levels.reduce((a, b) => (severityPenalty[b.severity] > severityPenalty[a.severity] ? b : a));
    return {
      state: { ...healthy(service), alerts: levels.map((level) => ({ ...level, alertstate: 'firing' })) },
      expected: { ...fullHealth, [signal]: 1 - severityPenalty[worst.severity] },
    };
  }
  return undefined;
}

/** The first alert of the platform that fires at `severity`, firing alone. */
function firstAt(services: readonly HealthInput[], severity: Severity): [HealthInput, Change] | undefined {
  for (const service of services) {
    const bySignal = service.alerts;
    for (const signal of alertHealthSignals) {
      const alert = bySignal[signal].find((each) => each.severities.includes(severity));
      if (alert) {
        return [
          service,
          {
            state: { ...healthy(service), alerts: [{ alertname: alert.alertname, severity, alertstate: 'firing' }] },
            expected: { ...fullHealth, [signal]: 1 - severityPenalty[severity] },
          },
        ];
      }
    }
  }
  return undefined;
}

/** Only pending alerts, at critical: nothing may count. */
function pendingOnly(service: HealthInput): Change {
  const alerts = alertHealthSignals.flatMap((signal) =>
    service.alerts[signal].map((alert) => ({
      alertname: alert.alertname,
      severity: 'critical' as const,
      alertstate: 'pending' as const,
    })),
  );
  return { state: { ...healthy(service), alerts }, expected: fullHealth };
}

/** The outage alert firing (targets up), or, for a service without one, no target at all (a service without targets has nothing to lose). */
function down(service: HealthInput): Change | undefined {
  if (!hasTargets(service)) return undefined;
  const alerts = service.traffic
    ? [{ alertname: outageAlertName(service.name), severity: 'critical' as const, alertstate: 'firing' as const }]
    : [];
  return { state: { up: service.traffic ? [1, 1] : [], alerts }, expected: { ...fullHealth, availability: 0 } };
}

/**
 * The promtool test file of the health-score rules. Every service's rules only read its own
 * series, so each scenario sets up all services at once: the file grows linearly with them.
 */
export function healthTestFile(services: readonly HealthInput[]): PromtoolTestFile {
  const every = (change: (service: HealthInput) => Change | undefined): Map<HealthInput, Change> =>
    new Map(
      services.flatMap((service) => {
        const changed = change(service);
        return changed ? [[service, changed] as const] : [];
      }),
    );
  const tests: TestGroup[] = [scenario('every service healthy scores 100', services, new Map())];
  for (const severity of severities) {
    const found = firstAt(services, severity);
    if (found)
      tests.push(
        scenario(
          `a firing ${severity} alert of ${found[0].name} costs ${severityPenalty[severity]} of its component`,
          services,
          new Map([found]),
        ),
      );
  }
  tests.push(
    scenario('half the targets down and the first alert of each component firing at its mildest level', services, every(degraded)),
  );
  const severe = every(mostSevere);
  if (severe.size > 0) tests.push(scenario('the most severe firing alert of a component counts', services, severe));
  tests.push(scenario('pending alerts do not count', services, every(pendingOnly)));
  tests.push(scenario('an outage alert, or no target at all, is zero availability', services, every(down)));
  return { rule_files: [`../${ruleFilePath(platformHealthName).replace('prometheus/', '')}`], evaluation_interval: '1m', tests };
}
