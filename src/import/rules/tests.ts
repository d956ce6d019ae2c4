import { compoundSeconds, type Duration } from '../../model/duration.ts';
import { type AlertCase, type ExpectedAlert, firesRule } from '../../model/rule-group.ts';
import { promqlFacts } from '../../promql/facts.ts';
import type { InputDocument } from '../document.ts';
import type { ImportContext, ProofPart } from '../importer.ts';
import type { SourceGroup, SourceRule } from './read.ts';
import { carriedCases } from './carried.ts';
import { type ProbeGroup, type ProbeResult, runProbe } from './promtool-run.ts';
import {
  durationText,
  impossibleMatchers,
  intervalOf,
  renderWorld,
  type SeriesTemplate,
  seriesTemplates,
  type World,
  worlds,
} from './worlds.ts';

// A promtool case that fires and a healthy one for every imported alert: carried over from the
// `promtool test rules` files given with the rules, else synthesised — series for each metric
// the expression reads, shaped by candidate worlds, of which promtool (running the alert with
// its `for` set aside) says which fire it and which leave it quiet. The chosen cases then run
// against the service's rule file as `check` will run them (each with the rules it reads): once
// to learn the exact alerts (labels, rendered annotations), once more to verify them. Only
// verified cases are written; an alert left without one is listed with the reason.

export interface TestCases {
  of(rule: SourceRule): { readonly tests?: readonly AlertCase[]; readonly untested?: string };
  summary(): ProofPart;
}

/** The alert rules of one name in one group: what one promtool `alert_rule_test` covers. */
interface Named {
  readonly group: SourceGroup;
  readonly name: string;
  readonly rules: readonly SourceRule[];
}

const minutes = (text: Duration | string | undefined): number => Math.ceil((compoundSeconds(text ?? '0s') ?? 0) / 60);

export async function testCases(
  groups: readonly SourceGroup[],
  testFiles: readonly InputDocument[],
  serviceOf: (group: SourceGroup) => string | undefined,
  context: ImportContext,
): Promise<TestCases> {
  const carried = carriedCases(testFiles, context);
  const cases = new Map<SourceRule, AlertCase[]>();
  const untested = new Map<SourceRule, string>();
  const byService = new Map<string, SourceGroup[]>();
  for (const group of groups) {
    const service = serviceOf(group);
    if (service !== undefined) byService.set(service, [...(byService.get(service) ?? []), group]);
  }
  for (const [service, owned] of byService) {
    const named: Named[] = owned.flatMap((group) => {
      const names = [...new Set(group.rules.filter((rule) => rule.kind === 'alert').map((rule) => rule.name))];
      return names.map((name) => ({ group, name, rules: group.rules.filter((rule) => rule.kind === 'alert' && rule.name === name) }));
    });
    const found = await serviceCases(service, owned, named, carried, context);
    for (const each of named) {
      const own = found.get(each);
      const first = each.rules[0]!;
      if (own && own.cases.length > 0) cases.set(first, own.cases);
      for (const rule of each.rules) {
        const covered = own?.cases.some((test) => firesRule(test, rule)) ?? false;
        if (!covered) {
          const impossible = [...new Set(impossibleMatchers(rule.expr))];
          untested.set(
            rule,
            impossible.length > 0
              ? `no series can pass ${impossible.join(', ')}, so it never fires`
              : (own?.reason ?? 'no case found that fires it'),
          );
        }
      }
      if (own && own.cases.length > 0 && !own.cases.some((test) => test.fires.length === 0))
        context.note(
          'alerts without a healthy case',
          `${each.name} (group "${each.group.name}"): ${own.quietReason ?? 'no input found that leaves it quiet'}`,
        );
    }
  }
  const alerts = groups.flatMap((group) => group.rules.filter((rule) => rule.kind === 'alert'));
  return {
    of: (rule) => {
      const own = cases.get(rule);
      const reason = untested.get(rule);
      return { ...(own && { tests: own }), ...(reason !== undefined && { untested: reason }) };
    },
    summary: () => {
      const listed = alerts.filter((rule) => untested.has(rule));
      return {
        summary: `${alerts.length - listed.length} alert${alerts.length - listed.length === 1 ? '' : 's'} with a firing case, ${listed.length} untested (listed)`,
        proves: 'coverage',
        ok: true,
        details: listed.map((rule) => `${rule.name}${rule.labels?.severity ? ` (${rule.labels.severity})` : ''}: ${untested.get(rule)}`),
      };
    },
  };
}

interface Found {
  readonly cases: AlertCase[];
  readonly reason?: string;
  readonly quietReason?: string;
}

/** How many probes run at once: the machine's cores are shared. */
const parallel = 2;

async function serviceCases(
  service: string,
  owned: readonly SourceGroup[],
  named: readonly Named[],
  carried: ReadonlyMap<string, readonly AlertCase[]>,
  context: ImportContext,
): Promise<Map<Named, Found>> {
  const rules = owned.map((group) => group.raw);
  const found = new Map<Named, Found>();
  // Carried-over cases first: kept when they pass against the imported rules as they are.
  const tryCarried = named.filter((each) => carried.has(each.name));
  if (tryCarried.length > 0) {
    const groups = tryCarried.flatMap((each) =>
      carried.get(each.name)!.map((test, index) => probeGroup(`carried ${each.name} ${index}`, each.name, test)),
    );
    const result = await runProbe(context.scratch, rules, groups);
    for (const each of tryCarried) {
      const passing = carried
        .get(each.name)!
        .filter((_, index) => !result.failed.has(`carried ${each.name} ${index}`) && result.error === undefined);
      const failing = carried.get(each.name)!.length - passing.length;
      if (failing > 0)
        context.note(
          'carried-over cases that fail against the imported rules',
          `${each.name}: ${failing} of ${carried.get(each.name)!.length}`,
        );
      if (passing.some((test) => test.fires.length > 0)) found.set(each, { cases: passing });
    }
  }
  // Synthesised: every case of an alert without carried-over ones, a quiet case for one whose cases all fire.
  const synthesise = named.filter((each) => !found.get(each)?.cases.some((test) => test.fires.length === 0));
  const plans = new Map<Named, Plan>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < synthesise.length; index = next++) {
      const each = synthesise[index]!;
      plans.set(each, await plan(each, context));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const verified = await verify(service, rules, plans, context);
  for (const each of synthesise) {
    const carriedOver = found.get(each);
    const made = verified.get(each)!;
    found.set(
      each,
      carriedOver
        ? { ...made, cases: [...carriedOver.cases, ...made.cases.filter((test) => test.fires.length === 0)], reason: undefined }
        : made,
    );
  }
  return found;
}

/** What probing found for one alert name: worlds that fire each rule, worlds that leave it quiet. */
interface Plan {
  readonly templates: readonly SeriesTemplate[];
  readonly firing: ReadonlyMap<SourceRule, readonly World[]>;
  readonly quiet: readonly World[];
  /** Minutes after the first sample when the alert is judged: after the look-back and the longest `for`. */
  readonly at: number;
  readonly reason?: string;
  /** The alerts each world fires at `at`, when probing ran the cases as they will run. */
  readonly expected?: ReadonlyMap<World, readonly ExpectedAlert[]>;
}

/** Seconds, rounded down to whole minutes, at least one. */
const wholeMinutes = (seconds: number): number => Math.max(60, Math.floor(seconds / 60) * 60);

async function plan(named: Named, context: ImportContext): Promise<Plan> {
  const facts = named.rules.map((rule) => promqlFacts(rule.expr));
  const lookback = Math.max(...facts.map((each) => each.lookback));
  const warmup = Math.max(10, Math.ceil(lookback / 60) + 5);
  const longestFor = Math.max(...named.rules.map((rule) => minutes(rule.for)));
  const at = warmup + longestFor + 2;
  const templateLabels = named.rules.flatMap((rule) =>
    Object.values({ ...rule.annotations, ...rule.labels }).flatMap((text) =>
      [...text.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((match) => match[1]!),
    ),
  );
  const templates = named.rules.flatMap((rule) => seriesTemplates(rule.expr, templateLabels));
  const distinct = [...new Map(templates.map((template) => [JSON.stringify(template), template])).values()];
  const candidates = worlds(
    distinct,
    facts.flatMap((each) => each.numbers),
  );
  // A long look-back is probed at a coarser step (still four samples in the shortest range):
  // promtool's time grows with the steps it evaluates.
  const shortest = Math.min(...facts.map((each) => each.shortestRange ?? Number.POSITIVE_INFINITY));
  const step = Math.min(wholeMinutes((warmup * 60) / 100), wholeMinutes(shortest / 4));
  // At the case's own step the probe is the case: the rules as they are, judged when the case
  // is, so what promtool got is what the case expects. At a coarser one, the rules fire as soon
  // as their condition holds, judged after the look-back; the cases learn their alerts later.
  const exact = step === 60;
  const evalAt = exact ? at * 60 : Math.ceil((warmup * 60) / step) * step;
  const probeRules = [
    {
      name: 'probe',
      rules: named.rules.map(({ name, expr, labels, annotations, for: wait, keepFiringFor }) => ({
        alert: name,
        expr,
        ...(exact && wait && { for: wait }),
        ...(exact && keepFiringFor && { keep_firing_for: keepFiringFor }),
        ...(labels && { labels }),
        ...(annotations && { annotations }),
      })),
    },
  ];
  const probe = async (batch: readonly World[], offset: number) =>
    runProbe(
      context.scratch,
      probeRules,
      batch.map((world, index) => {
        const interval = intervalOf(world, step);
        const series = renderWorld(distinct, world, { interval, samples: evalAt / interval + 3, horizon: at + 3 });
        return probeGroup(`world ${offset + index}`, named.name, {
          name: '',
          interval: durationText(interval) as Duration,
          series,
          at: durationText(evalAt) as Duration,
          fires: [],
        });
      }),
      durationText(step),
    );
  // The simplest worlds first: most alerts fire in one of them, and the rest need not run.
  const firstBatch = 40;
  let result = await probe(candidates.slice(0, firstBatch), 0);
  const enough = (failed: ReadonlyMap<string, readonly ExpectedAlert[]>): boolean =>
    named.rules.every((rule) => [...failed.values()].some((got) => got.some((alert) => labelsInclude(alert, rule.labels)))) &&
    candidates.slice(0, firstBatch).some((world, index) => world.complete && !failed.has(`world ${index}`));
  if (!result.error && !enough(result.failed) && candidates.length > firstBatch) {
    const rest = await probe(candidates.slice(firstBatch), firstBatch);
    result = { failed: new Map([...result.failed, ...rest.failed]), ...(rest.error && { error: rest.error }) };
  }
  const reason =
    distinct.length === 0
      ? 'its expression reads no series and never fires'
      : `no input found that fires it (tried ${candidates.length} shapes of the ${distinct.length} series it reads)`;
  if (result.error)
    return { templates: distinct, firing: new Map(), quiet: [], at, reason: `promtool could not run its cases: ${result.error}` };
  const firing = new Map(
    named.rules.map((rule) => [
      rule,
      candidates.filter((_, index) => (result.failed.get(`world ${index}`) ?? []).some((alert) => labelsInclude(alert, rule.labels))),
    ]),
  );
  const quiet = candidates.filter((_, index) => !result.failed.has(`world ${index}`));
  // Quiet with every series present says more than quiet for want of input.
  const ordered = [...quiet.filter((world) => world.complete), ...quiet.filter((world) => !world.complete)];
  const expected = new Map(exact ? candidates.map((world, index) => [world, result.failed.get(`world ${index}`) ?? []]) : []);
  return { templates: distinct, firing, quiet: ordered, at, reason, expected };
}

const labelsInclude = (alert: ExpectedAlert, labels: Readonly<Record<string, string>> | undefined): boolean =>
  Object.entries(labels ?? {}).every(([label, value]) => value.includes('{{') || alert.labels[label] === value);

function probeGroup(name: string, alertname: string, test: AlertCase): ProbeGroup {
  return {
    name,
    interval: test.interval ?? '1m',
    input_series: test.series,
    alert_rule_test: [
      {
        eval_time: test.at,
        alertname,
        exp_alerts: test.fires.map((alert) => ({ exp_labels: alert.labels, exp_annotations: alert.annotations })),
      },
    ],
  };
}

/**
 * The chosen worlds as cases against the service's rule file: a first run gives each firing
 * case its exact alerts, a second verifies every case. A world that fails is replaced by the
 * next candidate, for three rounds.
 */
async function verify(
  service: string,
  rules: readonly unknown[],
  plans: ReadonlyMap<Named, Plan>,
  context: ImportContext,
): Promise<Map<Named, Found>> {
  const results = new Map<Named, Found>();
  const tries = new Map<Named, { firing: number; quiet: number }>([...plans.keys()].map((each) => [each, { firing: 0, quiet: 0 }]));
  for (let round = 0; round < 3; round += 1) {
    const pending = [...plans].filter(([each]) => !results.has(each));
    if (pending.length === 0) break;
    const drafts = new Map<string, { named: Named; world: World; quiet: boolean; planned: Plan }>();
    for (const [named, planned] of pending) {
      const offset = tries.get(named)!;
      const chosen = new Set<World>();
      for (const rule of named.rules) {
        const options = planned.firing.get(rule) ?? [];
        const world = options[Math.min(offset.firing, options.length - 1)];
        if (world) chosen.add(world);
      }
      for (const [index, world] of [...chosen].entries())
        drafts.set(`${named.group.name} ${named.name} fires ${index}`, { named, world, quiet: false, planned });
      const quiet = planned.quiet[offset.quiet];
      if (quiet) drafts.set(`${named.group.name} ${named.name} quiet`, { named, world: quiet, quiet: true, planned });
    }
    const asCase = (key: string, fires: readonly ExpectedAlert[]): AlertCase => {
      const { world, quiet, planned } = drafts.get(key)!;
      const interval = intervalOf(world, 60);
      const series = renderWorld(planned.templates, world, {
        interval,
        samples: (planned.at * 60) / interval + 3,
        horizon: planned.at + 3,
      });
      return {
        name: quiet ? `stays quiet: ${world.name}` : `fires: ${world.name}`,
        ...(interval !== 60 && { interval: durationText(interval) as Duration }),
        series,
        at: `${planned.at}m`,
        fires,
      };
    };
    // Cases whose alerts probing did not learn run once to learn them.
    const unknown = [...drafts.keys()].filter((key) => !drafts.get(key)!.planned.expected?.has(drafts.get(key)!.world));
    const first: ProbeResult =
      unknown.length > 0
        ? await runProbe(
            context.scratch,
            rules,
            unknown.map((key) => probeGroup(key, drafts.get(key)!.named.name, asCase(key, []))),
          )
        : { failed: new Map() };
    const learned = new Map(
      [...drafts.keys()].map((key) => {
        const { planned, world } = drafts.get(key)!;
        return [key, asCase(key, planned.expected?.get(world) ?? first.failed.get(key) ?? [])];
      }),
    );
    const second = await runProbe(
      context.scratch,
      rules,
      [...learned].map(([key, test]) => probeGroup(key, drafts.get(key)!.named.name, test)),
    );
    for (const [named, planned] of pending) {
      const keys = [...drafts.keys()].filter((key) => drafts.get(key)!.named === named);
      // A case counts when promtool passed it, and a quiet world stayed quiet (a firing one fired).
      const cases = keys
        .filter((key) => first.error === undefined && second.error === undefined && !second.failed.has(key))
        .filter((key) => drafts.get(key)!.quiet === (learned.get(key)!.fires.length === 0))
        .map((key) => learned.get(key)!);
      const firing = cases.filter((test) => test.fires.length > 0);
      const covered = named.rules.every((rule) => firing.some((test) => firesRule(test, rule)));
      const quietOk = cases.some((test) => test.fires.length === 0) || planned.quiet.length <= tries.get(named)!.quiet + 1;
      const exhausted = round === 2 || [...planned.firing.values()].every((options) => options.length <= tries.get(named)!.firing + 1);
      if ((covered && quietOk) || exhausted) {
        results.set(named, {
          cases,
          ...(!covered && { reason: planned.reason ?? `its cases did not pass promtool against ${service}'s rules` }),
          ...(planned.quiet.length === 0 && { quietReason: 'no input leaves it quiet: it fires whatever the series say' }),
        });
      } else {
        const offset = tries.get(named)!;
        if (!covered) offset.firing += 1;
        if (!quietOk) offset.quiet += 1;
      }
    }
  }
  return results;
}
