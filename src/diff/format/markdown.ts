import type { Diff } from '../index.ts';
import { changeKinds, type Change, type ChangeKind, type DiffBacktest, type DiffCost } from '../types.ts';
import { describe, kindTitles, kindWord, shownInFull } from './describe.ts';

/** The first line: CI finds its earlier comment by it and updates that one instead of posting again. */
export const stickyMarker = '<!-- monforge-diff -->';

/** GitHub refuses comments over 65,536 characters; this leaves room to spare. */
export const markdownLimit = 60_000;

const escapeText = (text: string): string => text.replace(/[\\`*_[\]|<>]/g, (char) => `\\${char}`);
const code = (text: string): string => {
  const ticks = '`'.repeat(Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length)) + 1);
  return ticks.length > 1 || text.startsWith('`') ? `${ticks} ${text} ${ticks}` : `\`${text}\``;
};

function fenced(language: string, body: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...body.matchAll(/`{3,}/g)].map((run) => run[0].length + 1)));
  return `${fence}${language}\n${body}\n${fence}`;
}

/** The values of a change shown in full: a diff of before and after, or the one that exists. */
function details(change: Change): string | undefined {
  const full = shownInFull(change);
  if (!full || (full.before === undefined && full.after === undefined)) return undefined;
  if (full.before === undefined || full.after === undefined) return fenced(full.language, (full.before ?? full.after)!);
  const lines = (value: string, sign: string) => value.split('\n').map((line) => `${sign} ${line}`);
  return fenced('diff', [...lines(full.before, '-'), ...lines(full.after, '+')].join('\n'));
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : `${by}${line}`))
    .join('\n');

function mark(change: Change): string {
  if (change.breaking) return '⛔ ';
  if (change.securityReview) return '🔐 ';
  if (change.reason || change.highlight) return '⚠️ ';
  return '';
}

function words(change: Change): string {
  const text = escapeText(describe(change));
  const why = [...(change.reason ? [escapeText(change.reason)] : []), ...(change.securityReview ? ['security review'] : [])];
  return `${mark(change)}${change.highlight || change.breaking ? `**${text}**` : text}${why.length > 0 ? ` — *${why.join('; ')}*` : ''}`;
}

/** `would have fired 3 times (base: 7)` for an alert of a `--prometheus` diff. */
function firings(change: Change, backtest: DiffBacktest | undefined): string {
  const counts = change.kind === 'alert' ? backtest?.byAlert[change.object.replace(/\{.*$/, '')] : undefined;
  if (!counts) return '';
  const times = (count: number | null): string => (count === null ? 'not present' : `${count} time${count === 1 ? '' : 's'}`);
  return counts.head === null
    ? ` · would have fired ${times(counts.base)} in the base over ${backtest!.range}`
    : ` · would have fired ${times(counts.head)} (base: ${counts.base === null ? 'not present' : counts.base}) over ${backtest!.range}`;
}

/** `reads 1,204 series, 14,448 samples per evaluation now` for a rule a `--prometheus` diff adds or alters. */
function cost(change: Change, figures: DiffCost | undefined): string {
  const read = figures?.byObject[change.object];
  if (!read) return '';
  const samples = read.samples === undefined ? '' : `, ${read.samples.toLocaleString('en-US')} samples per evaluation`;
  return ` · reads ${read.series.toLocaleString('en-US')} series${samples} now`;
}

/** One list item per object: its changes nested under it, long values in full. */
function objectEntry(changes: readonly Change[], backtest: DiffBacktest | undefined, figures?: DiffCost): string {
  const first = changes[0]!;
  const where = first.source ? ` · ${code(first.source)}` : '';
  const head = `- **${code(first.object)}**${where}${firings(first, backtest)}${cost(first, figures)}`;
  const full = changes.map(details);
  if (changes.length === 1 && full[0] === undefined) return `${head} — ${words(first)}`;
  const items = changes.map((change, index) => {
    const item = `- ${words(change)}`;
    return full[index] === undefined ? item : `${item}\n\n${indent(full[index]!, '  ')}\n`;
  });
  return `${head}\n${indent(items.join('\n'), '  ')}`;
}

/** Routing changes that read the same for many alerts are one item listing the alerts. */
function sameImpactEntry(changes: readonly Change[]): string {
  const shown = 8;
  const objects = changes.slice(0, shown).map((change) => code(change.object));
  const more = changes.length > shown ? ` and ${changes.length - shown} more` : '';
  return `- ${objects.join(', ')}${more} — ${words(changes[0]!)}`;
}

interface Entry {
  readonly text: string;
  readonly count: number;
}

function entries(kind: ChangeKind, changes: readonly Change[], backtest: DiffBacktest | undefined, figures?: DiffCost): Entry[] {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const key = kind === 'routing' ? `${change.breaking} ${words(change)}` : change.object;
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }
  return [...groups.values()].map((group) => ({
    text: kind === 'routing' ? sameImpactEntry(group) : objectEntry(group, backtest, figures),
    count: group.length,
  }));
}

function table(changes: readonly Change[]): string {
  const rows = changeKinds
    .map((kind) => {
      const ofKind = changes.filter((change) => change.kind === kind);
      return { kind, total: ofKind.length, breaking: ofKind.filter((change) => change.breaking).length };
    })
    .filter((row) => row.total > 0)
    .sort((a, b) => b.breaking - a.breaking);
  return [
    '| | Changes | Breaking |',
    '|:--|--:|--:|',
    ...rows.map((row) => `| ${row.breaking > 0 ? '⛔ ' : ''}${kindTitles[row.kind]} | ${row.total} | ${row.breaking} |`),
  ].join('\n');
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The pull-request comment: a summary table (breaking first), the breaking and security-review
 * changes in view, then one folded section per kind. Never longer than `limit` characters: what
 * does not fit is counted in a closing line.
 */
export function formatMarkdown(diff: Diff, limit = markdownLimit): string {
  const { changes } = diff;
  const range = `${code(diff.base)} → ${code(diff.head)}`;
  if (changes.length === 0)
    return `${stickyMarker}\n### monforge diff: no changes\n\n${range}: no change to alerts, SLOs, recording rules, routing, dashboards or playbooks.\n`;
  const breaking = changes.filter((change) => change.breaking);
  const review = changes.filter((change) => change.securityReview && !change.breaking);
  const title = `### monforge diff: ${plural(changes.length, 'change')}, ${breaking.length} breaking`;
  const replayed = diff.backtest
    ? `\nChanged alerts replayed over the last ${diff.backtest.range} of ${code(diff.backtest.prometheus)} (\`monforge backtest\`).\n`
    : '';
  let out = `${stickyMarker}\n${title}\n\n${range}\n${replayed}\n${table(changes)}\n`;
  let hidden = 0;
  // Room for the closing line that counts what did not fit.
  const budget = limit - 200;
  const section = (open: string, items: readonly Entry[], close: string): void => {
    let body = '';
    for (const item of items) {
      if (out.length + open.length + body.length + item.text.length + close.length + 1 > budget) hidden += item.count;
      else body += `${item.text}\n`;
    }
    if (body !== '') out += `${open}${body}${close}`;
  };
  const oneLine = (change: Change): Entry => ({
    text: `- ${`${kindWord(change)} ${code(change.object)}`.trim()}: ${words(change)}`,
    count: 0,
  });
  if (breaking.length > 0) section('\n**⛔ Breaking**\n\n', breaking.map(oneLine), '');
  if (review.length > 0) section('\n**🔐 Security review**\n\n', review.map(oneLine), '');
  for (const kind of changeKinds) {
    const ofKind = changes.filter((change) => change.kind === kind);
    if (ofKind.length === 0) continue;
    section(
      `\n<details><summary><b>${kindTitles[kind]}</b> (${ofKind.length})</summary>\n\n`,
      entries(kind, ofKind, diff.backtest, diff.cost),
      '\n</details>\n',
    );
  }
  if (hidden > 0)
    out += `\n**${plural(hidden, 'more change')} not shown** (comment size limit): run \`npx monforge diff --format json\` for all of them.\n`;
  return out;
}
