import * as live from '../../findings/catalog/live.ts';
import { absentDetection } from '../../model/absent-detection.ts';
import { compoundSeconds, formatDuration } from '../../model/duration.ts';
import type { Platform } from '../../model/platform.ts';
import { parsePromql } from '../../promql/parse.ts';
import { renderRuleExpr } from '../../promql/rule-expr.ts';
import { quoted } from '../../reader/lines.ts';
import type { Labels, Target } from './client.ts';
import { fieldAnchor, ruleOrigin, serviceMatchers } from './selections.ts';
import { fetchMatchers, type SeriesIndex } from './series.ts';
import { pending, type Pending, type Selection } from './types.ts';

// Windows against scrape intervals (from the targets API): a rate, irate or increase over fewer
// than four scrapes returns nothing after one missed scrape, and an absent alert whose `for` is
// that short fires whenever a scrape is late.

/** A window should hold this many scrape intervals. */
export const scrapesPerWindow = 4;

/** Scrape intervals by target (`job` and `instance`), to look up the interval of any scraped series. */
export class ScrapeIntervals {
  private readonly byTarget = new Map<string, number>();

  /** `byJob`: where the server has no targets API (Mimir), the intervals the definitions' scrape jobs set. */
  constructor(
    targets: readonly Target[],
    private readonly byJob: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const target of targets) this.byTarget.set(`${target.labels.job}\0${target.labels.instance}`, target.scrapeIntervalSeconds);
  }

  /** The longest interval among the targets these series come from; undefined when none is a known target. */
  longest(series: readonly Labels[]): { seconds: number; jobs: string[] } | undefined {
    let seconds: number | undefined;
    const jobs = new Set<string>();
    for (const labels of series) {
      const interval = this.byTarget.get(`${labels.job}\0${labels.instance}`) ?? this.byJob.get(labels.job ?? '');
      if (interval === undefined) continue;
      if (seconds === undefined || interval > seconds) {
        seconds = interval;
        jobs.clear();
      }
      if (interval === seconds) jobs.add(labels.job ?? '');
    }
    return seconds === undefined ? undefined : { seconds, jobs: [...jobs].sort() };
  }
}

const scraped = (interval: { seconds: number; jobs: string[] }): string =>
  `the ${formatDuration(interval.seconds)} scrape interval of ${interval.jobs.map((job) => `job="${job}"`).join(', ')}`;

/** Rate windows shorter than four scrapes of the series they read; each written window once. */
export function rateWindowFindings(selections: readonly Selection[], index: SeriesIndex, intervals: ScrapeIntervals): Pending[] {
  const seen = new Set<string>();
  const findings: Pending[] = [];
  for (const selection of selections) {
    const range = selection.range;
    if (!range || selection.generated) continue;
    // The targets it reads from, whether or not its own matchers select anything.
    const interval = intervals.longest(index.select(selection.name, fetchMatchers(selection)) ?? []);
    if (!interval || range.seconds >= scrapesPerWindow * interval.seconds) continue;
    const at = range.at ?? selection.origin;
    const key = `${at.file}\0${at.object}\0${at.field}\0${range.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const least = formatDuration(scrapesPerWindow * interval.seconds);
    findings.push(
      pending(
        live.shortWindow(`${range.fn}(${selection.name}[${range.text}])`, scrapesPerWindow, scraped(interval)),
        'warning',
        selection.raw ? { ...at, anchors: [...at.anchors, `[${range.text}]`] } : at,
        selection.raw ? `read [${least}] or more` : `window: '${least}' or more`,
      ),
    );
  }
  return findings;
}

const readsAbsent = (expr: string): boolean => parsePromql(expr).functions.some((fn) => fn === 'absent' || fn === 'absent_over_time');

/**
 * Absent alerts (the service's absent detection, raw `absent(…)` alerts, those of rule groups)
 * whose `for` is under four scrapes.
 */
export function absentForFindings(platform: Platform, index: SeriesIndex, intervals: ScrapeIntervals): Pending[] {
  const findings: Pending[] = [];
  const shortFor = (interval: { seconds: number; jobs: string[] }, duration: string | undefined): boolean =>
    (compoundSeconds(duration ?? '0s') ?? 0) < scrapesPerWindow * interval.seconds;
  const fix = (interval: { seconds: number }): string => `for: '${formatDuration(scrapesPerWindow * interval.seconds)}' or more`;
  for (const service of platform.services) {
    const interval = intervals.longest(index.select('up', serviceMatchers(service.selector)) ?? []);
    if (!interval) continue;
    const short = (duration: string | undefined): boolean => shortFor(interval, duration);
    const detection = absentDetection(service);
    for (const part of ['targets', 'metrics'] as const) {
      if (!detection || (part === 'metrics' && detection.series.length === 0) || !short(detection[part].for)) continue;
      findings.push(
        pending(
          live.shortAbsentFor(`the absent alert on its ${part}`, detection[part].for, scrapesPerWindow, scraped(interval)),
          'warning',
          {
            file: service.source,
            object: `service "${service.name}"`,
            field: `absent.${part}.for`,
            anchors: [quoted(service.name), /\babsent\s*:/, new RegExp(`\\b${part}\\s*:`), fieldAnchor('for', detection[part].for)],
          },
          fix(interval),
        ),
      );
    }
    for (const alert of service.alerts ?? []) {
      if (alert.expr.kind !== 'promql' || !short(alert.for) || !readsAbsent(alert.expr.expr)) continue;
      findings.push(
        pending(
          live.shortAbsentFor('absent()', alert.for ?? '0s', scrapesPerWindow, scraped(interval)),
          'warning',
          {
            file: service.source,
            object: `service "${service.name}" › alert "${alert.name}"`,
            field: 'for',
            anchors: [quoted(service.name), quoted(alert.name), ...(alert.for ? [fieldAnchor('for', alert.for)] : [])],
          },
          fix(interval),
        ),
      );
    }
  }
  // A rule group's alert: at the scrape interval of the series its expression reads.
  for (const group of platform.ruleGroups ?? []) {
    for (const rule of group.rules) {
      if (rule.kind !== 'alert') continue;
      const expr = renderRuleExpr(rule.expr);
      if (!readsAbsent(expr)) continue;
      const read = parsePromql(expr).selectors.flatMap((selector) =>
        selector.name === undefined
          ? []
          : (index.select(
              selector.name,
              selector.matchers.filter((each) => each.label !== '__name__'),
            ) ?? []),
      );
      const interval = intervals.longest(read);
      if (!interval || !shortFor(interval, rule.for)) continue;
      const at = ruleOrigin(group, rule);
      findings.push(
        pending(
          live.shortAbsentFor('absent()', rule.for ?? '0s', scrapesPerWindow, scraped(interval)),
          'warning',
          { ...at, field: 'for', anchors: [...at.anchors, ...(rule.for ? [fieldAnchor('for', rule.for)] : [])] },
          fix(interval),
        ),
      );
    }
  }
  return findings;
}
