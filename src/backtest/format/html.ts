import { labelKey } from '../../diff/labels.ts';
import type { BacktestReport, SideReport } from '../index.ts';
import type { Episode } from '../simulate.ts';
import { formatSpan, formatTime } from '../time.ts';
import { delta, fired, mean, neverFired, overall, pairRows, percent, span } from './summary.ts';

// One self-contained HTML file (no script, no external resource): the summary tables and, per
// alert, a timeline with its episodes as bars (head above base) over the incidents, shaded.

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const width = 960;
const lane = 16;
const colours: Record<string, string> = { critical: '#c62828', high: '#ef6c00', warning: '#f9a825', info: '#1565c0' };

const style = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #212121; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 10px; border-bottom: 1px solid #e0e0e0; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #616161; } .timeline { margin: 10px 0 14px; } .timeline h3 { font-size: 14px; margin: 0 0 2px; }
svg { display: block; } .axis text { font-size: 10px; fill: #757575; } .lane-label { font-size: 10px; fill: #616161; }
.incident { fill: #ffe0b2; } .incident.quiet { fill: #e3e8f0; } .episode.base { fill: #9e9e9e; } .legend span { display: inline-block; margin-right: 14px; }
.swatch { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; }
`;

function axis(from: number, to: number, x: (time: number) => number, height: number): string {
  const total = to - from;
  const step = [3600, 6 * 3600, 86_400, 7 * 86_400].find((each) => total / each <= 12) ?? 30 * 86_400;
  const ticks: string[] = [];
  for (let time = Math.ceil(from / step) * step; time <= to; time += step) {
    const label = step >= 86_400 ? formatTime(time).slice(5, 10) : formatTime(time).slice(11, 16);
    ticks.push(
      `<line x1="${x(time)}" x2="${x(time)}" y1="0" y2="${height}" stroke="#eeeeee"/><text x="${x(time) + 2}" y="${height + 11}">${label}</text>`,
    );
  }
  return `<g class="axis">${ticks.join('')}</g>`;
}

function bars(
  episodes: readonly Episode[],
  side: 'head' | 'base',
  y: number,
  colour: string,
  to: number,
  x: (time: number) => number,
): string {
  return episodes
    .map((episode) => {
      const end = episode.end ?? to;
      const title = `${formatTime(episode.start)} → ${episode.end === undefined ? 'still firing' : formatTime(end)} (${formatSpan(end - episode.start)}) ${labelKey(episode.labels)}`;
      return `<rect class="episode ${side}" data-start="${episode.start}" data-end="${end}" x="${x(episode.start)}" y="${y}" width="${Math.max(1.5, x(end) - x(episode.start))}" height="${lane - 4}"${side === 'head' ? ` fill="${colour}"` : ''}><title>${escapeHtml(title)}</title></rect>`;
    })
    .join('');
}

function timelines(report: BacktestReport): string {
  const x = (time: number): number => Math.round(((time - report.from) / (report.to - report.from)) * width * 10) / 10;
  const lanes = report.base ? 2 : 1;
  const height = lanes * lane + 4;
  const pairs = pairRows(report);
  const quiet = neverFired(pairs);
  return `${pairs
    .filter(fired)
    .map((pair) => {
      const colour = colours[pair.severity] ?? '#6a1b9a';
      const service = pair.head?.service ?? pair.base?.service;
      // The incidents that concern the alert or its service; quiet ones (no alert expected) in grey.
      const incidents = (report.incidents ?? [])
        .filter((each) => each.alerts?.includes(pair.name) || (service !== undefined && each.services.includes(service)))
        .map((each) => {
          const kind = each.alerts?.length === 0 ? 'incident quiet' : 'incident';
          const title = `${each.name}: ${formatTime(each.start)} → ${formatTime(each.end)}`;
          return `<rect class="${kind}" x="${x(each.start)}" y="0" width="${Math.max(2, x(each.end) - x(each.start))}" height="${height}"><title>${escapeHtml(title)}</title></rect>`;
        })
        .join('');
      const count = (row: typeof pair.head) =>
        row ? `${row.episodes.length} episode${row.episodes.length === 1 ? '' : 's'}` : 'not in this tree';
      const heading = `${pair.name} <span class="meta">${escapeHtml(pair.severity)} · ${count(pair.head)}${report.base ? ` (base: ${count(pair.base)})` : ''}</span>`;
      return `<section class="timeline" data-alert="${escapeHtml(pair.name)}" data-severity="${escapeHtml(pair.severity)}">
<h3>${heading}</h3>
<svg width="${width + 40}" height="${height + 14}" viewBox="-36 0 ${width + 40} ${height + 14}" role="img" aria-label="${escapeHtml(`${pair.name} ${pair.severity}`)}">
${axis(report.from, report.to, x, height)}${incidents}
<text class="lane-label" x="-34" y="${lane - 5}">head</text>${bars(pair.head?.episodes ?? [], 'head', 2, colour, report.to, x)}
${report.base ? `<text class="lane-label" x="-34" y="${2 * lane - 5}">base</text>${bars(pair.base?.episodes ?? [], 'base', lane + 2, colour, report.to, x)}` : ''}
</svg>
</section>`;
    })
    .join('\n')}${quiet ? `\n<p class="meta never-fired">${escapeHtml(quiet)}</p>` : ''}`;
}

function summary(report: BacktestReport): string {
  const base = report.base;
  const rows = pairRows(report)
    .filter(fired)
    .map((pair) => {
      const head = pair.head;
      const cells = [
        `<td>${escapeHtml(pair.name)}</td><td>${escapeHtml(pair.severity)}</td>`,
        `<td class="n">${head ? head.episodes.length : '–'}</td><td class="n">${head ? formatSpan(head.firingSeconds) : '–'}</td>`,
        `<td class="n">${head ? formatSpan(head.longestSeconds) : '–'}</td><td class="n">${head ? head.flapping : '–'}</td>`,
        base
          ? `<td class="n">${pair.base ? pair.base.episodes.length : '–'}</td><td class="n">${head && pair.base ? delta(head.episodes.length, pair.base.episodes.length) : head ? 'new' : 'removed'}</td>`
          : '',
        head?.measures
          ? `<td class="n">${head.measures.incidents === 0 ? '–' : `${head.measures.caught}/${head.measures.incidents}`}</td><td class="n">${head.measures.episodes === 0 ? '–' : `${head.measures.matching}/${head.measures.episodes}`}</td><td class="n">${span(mean(head.measures.detection))}</td><td class="n">${span(mean(head.measures.reset))}</td>`
          : '',
      ];
      return `<tr data-alert="${escapeHtml(pair.name)}">${cells.join('')}</tr>`;
    })
    .join('\n');
  const measured = report.incidents ? '<th>recall</th><th>precision</th><th>detection</th><th>reset</th>' : '';
  return `<table class="alerts"><thead><tr><th>alert</th><th>severity</th><th>episodes</th><th>firing</th><th>longest</th><th>flapping</th>${base ? '<th>base</th><th>Δ</th>' : ''}${measured}</tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function notificationTable(side: SideReport): string {
  if (!side.notifications) return '<p>No alertmanager.yml in the generated tree.</p>';
  const rows = side.notifications.bySeverity
    .map(
      (each) =>
        `<tr><td>${escapeHtml(each.severity || '(none)')}</td><td class="n">${each.firing}</td><td class="n">${each.resolved}</td><td>${escapeHtml(
          Object.entries(each.receivers)
            .map(([receiver, count]) => `${receiver} ${count}`)
            .join(', '),
        )}</td></tr>`,
    )
    .join('\n');
  return `<table class="notifications" data-side="${escapeHtml(side.label)}"><thead><tr><th>severity</th><th>notifications</th><th>resolved</th><th>receivers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function incidentSummary(side: SideReport): string {
  const all = overall(side);
  if (!all) return '';
  return `<p class="overall" data-side="${escapeHtml(side.label)}">${escapeHtml(side.label)}: recall ${all.caught}/${all.incidents} (${percent(all.caught, all.incidents)}), precision ${all.matching}/${all.episodes} (${percent(all.matching, all.episodes)}), detection mean ${span(all.meanDetection)} (max ${span(all.maxDetection)}), reset mean ${span(all.meanReset)}</p>`;
}

export function formatHtml(report: BacktestReport): string {
  const title = `monforge backtest ${formatTime(report.from)} → ${formatTime(report.to)}`;
  const legend = Object.entries(colours)
    .map(([severity, colour]) => `<span><i class="swatch" style="background:${colour}"></i>${severity}</span>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(report.prometheus)} · ${formatSpan(report.to - report.from)} · head: ${escapeHtml(report.head.label)}${report.base ? ` · base: ${escapeHtml(report.base.label)}` : ''}</p>
<h2>Alerts</h2>
${summary(report)}
<h2>Notifications after Alertmanager</h2>
${notificationTable(report.head)}${report.base ? `<p class="meta">base</p>${notificationTable(report.base)}` : ''}
${report.incidents ? `<h2>Incidents</h2>${incidentSummary(report.head)}${report.base ? incidentSummary(report.base) : ''}` : ''}
<h2>Timelines</h2>
<p class="legend">${legend}<span><i class="swatch" style="background:#9e9e9e"></i>base</span><span><i class="swatch" style="background:#ffe0b2"></i>incident</span><span><i class="swatch" style="background:#e3e8f0"></i>quiet (no alert expected)</span></p>
${timelines(report)}
</body></html>
`;
}
