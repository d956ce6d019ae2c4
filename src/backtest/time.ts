import { compoundSeconds } from '../model/duration.ts';

/**
 * A point in time as the command line and incident files give it, in Unix seconds: RFC 3339
 * (`2026-03-01T12:00:00Z`, an offset instead of `Z`), Unix seconds, `now`, or `now-7d`.
 * Undefined when it is none of these.
 */
export function parseTime(text: string, now: number): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const relative = /^now(?:-(.+))?$/.exec(trimmed);
  if (relative) {
    if (relative[1] === undefined) return now;
    const back = compoundSeconds(relative[1]);
    return back === undefined ? undefined : now - back;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return undefined;
  const millis = Date.parse(trimmed);
  return Number.isNaN(millis) ? undefined : millis / 1000;
}

/** `2026-03-01T12:00:00Z` (seconds kept only when not whole). */
export function formatTime(time: number): string {
  return new Date(time * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2h5m`, `45s`, `0s`: a span in its largest units, at most two of them. */
export function formatSpan(totalSeconds: number): string {
  const negative = totalSeconds < 0;
  let rest = Math.round(Math.abs(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return `${negative ? '-' : ''}${parts.join('') || '0s'}`;
}
