import { slosOf } from '../../diff/slos.ts';
import { sliBadEventsRecord, sliEventsRecord } from '../../derive/records.ts';
import { burnAlertName } from '../../model/alert-names.ts';
import { compare, mul, rational } from '../../model/decimal.ts';
import { durationSeconds, seconds } from '../../model/duration.ts';
import { defaultSloWindow, type BurnTier } from '../../model/slo.ts';
import { parsePromql, type LabelMatcher } from '../../promql/parse.ts';
import { alertingRules, recordingRules } from '../../reader/index.ts';
import type { CompiledProject, ProofPart } from '../importer.ts';
import { sliSelectors } from './plan.ts';
import type { SelectorSpec } from './sli.ts';
import type { ImportedSlo } from './types.ts';

// The proof of an SLO import: what the project now compiles to, read back through the one
// reader of generated trees (and the diff's reading of SLOs), says what every spec said: the
// objective and window, the same series counted as events and as bad events, and the alerts
// with their names and labels. That the windows then agree with Sloth's own rules on real
// series is shown once, in a real Prometheus (test/import/slo-equivalence.test.ts).

/** The series a generated aggregate reads, as `name{label op value,…}` with sorted matchers; `le` by the value it matches. */
function readSeries(expr: string): Set<string> {
  return new Set(
    parsePromql(expr)
      .selectors.filter((selector) => selector.name !== undefined && !selector.name.startsWith('slo:'))
      .map((selector) => seriesKey(selector.name!, selector.matchers)),
  );
}

function seriesKey(name: string, matchers: readonly LabelMatcher[]): string {
  return `${name}{${matchers
    .map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`)
    .sort()
    .join(',')}}`;
}

/** The series an imported SLI reads, as its source wrote them: a latency SLO's bucket by its threshold. */
function sourceSeries(slo: ImportedSlo): { series: Set<string>; le?: number } {
  const series = new Set<string>();
  for (const { selector, kind } of sliSelectors(slo.sli)) {
    const spell = (name: string, each: SelectorSpec): string => seriesKey(name, each.matchers);
    if (kind === 'histogram') {
      series.add(spell(`${selector.metric}_count`, selector));
      series.add(spell(`${selector.metric}_bucket`, selector));
    } else series.add(spell(selector.metric, selector));
  }
  return { series, ...(slo.sli.kind === 'latency' && { le: slo.sli.threshold }) };
}

/** A generated `le=~"…"` matcher stands for the threshold it matches (every spelling of it). */
function withoutLe(generated: Set<string>, le: number | undefined): { series: Set<string>; leMatches: boolean } {
  let leMatches = le === undefined;
  const series = new Set(
    [...generated].map((key) => {
      const match = /,?le=~("(?:[^"\\]|\\.)*")/.exec(key);
      if (!match) return key;
      if (le !== undefined && new RegExp(`^(?:${JSON.parse(match[1]!) as string})$`).test(String(le))) leMatches = true;
      return key.replace(match[0], '').replace('{,', '{');
    }),
  );
  return { series, leMatches };
}

export function proveSlos(slos: readonly ImportedSlo[], project: CompiledProject): ProofPart {
  const compiled = slosOf(project.tree);
  const records = recordingRules(project.tree);
  const alerts = alertingRules(project.tree);
  const details: string[] = [];
  let equivalent = 0;
  for (const slo of slos) {
    const before = details.length;
    const key = `${slo.service}/${slo.name}`;
    const where = `${slo.origin.document.at(slo.origin.path)}: ${slo.origin.object}`;
    const differs = (what: string): void => void details.push(`${where}: ${what}`);
    const found = compiled.get(key);
    if (!found) {
      differs(`no SLO ${key} in what the project compiles to`);
      continue;
    }
    if (compare(found.objective, mul(rational(slo.objective), rational('0.01'))) !== 0)
      differs(`objective is ${found.objective.num}/${found.objective.den}`);
    const window = slo.window ?? defaultSloWindow;
    if (durationSeconds(found.window) !== seconds(window)) differs(`window is ${found.window}, not ${window}`);
    const own = (record: string): string | undefined =>
      records.find((each) => each.rule.record === record && each.rule.labels.service === slo.service && each.rule.labels.slo === slo.name)
        ?.rule.expr;
    const events = own(sliEventsRecord);
    const bad = own(sliBadEventsRecord);
    const source = sourceSeries(slo);
    const read = withoutLe(new Set([...readSeries(events ?? ''), ...readSeries(bad ?? '')]), source.le);
    const same = read.series.size === source.series.size && [...source.series].every((each) => read.series.has(each));
    if (!same || !read.leMatches) differs(`reads ${[...read.series].sort().join(', ')} instead of ${[...source.series].sort().join(', ')}`);
    for (const tier of ['page', 'ticket'] as BurnTier[]) {
      const enabled = !slo.tiers?.[tier]?.disabled;
      const alert = alerts.find(
        (each) => each.rule.labels.service === slo.service && each.rule.labels.slo === slo.name && each.rule.labels.tier === tier,
      );
      if (!enabled) {
        if (alert) differs(`the ${tier} alert is disabled in the spec but compiled`);
        continue;
      }
      const name = burnAlertName(slo.service, slo, tier);
      if (!alert || alert.rule.alert !== name) {
        differs(`no ${tier} alert named ${name}`);
        continue;
      }
      const labels = { ...slo.labels, ...slo.tiers?.[tier]?.labels };
      const annotations = { ...slo.annotations, ...slo.tiers?.[tier]?.annotations };
      for (const [label, value] of Object.entries(labels))
        if (alert.rule.labels[label] !== value)
          differs(`the ${tier} alert's label ${label} is ${JSON.stringify(alert.rule.labels[label])}, not "${value}"`);
      for (const [annotation, value] of Object.entries(annotations))
        if (alert.rule.annotations[annotation] !== value) differs(`the ${tier} alert's annotation ${annotation} differs`);
    }
    if (details.length === before) equivalent += 1;
  }
  return { summary: `${equivalent}/${slos.length} SLOs equivalent`, ok: details.length === 0, details };
}
