/** A Prometheus duration in one unit, e.g. `5m`, `30d`. The template type turns `'5 m'` into a compile error. */
export type Duration = `${number}${DurationUnit}`;
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w';

const unitSeconds: Record<DurationUnit, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

const durationPattern = /^([0-9]+)(ms|s|m|h|d|w)$/;

/** Compilers convert the same few durations over and over: each valid one is parsed once. */
const parsedSeconds = new Map<string, number>();

/** Seconds in a duration, or undefined when it is not a valid single-unit Prometheus duration. */
export function durationSeconds(text: string): number | undefined {
  let value = parsedSeconds.get(text);
  if (value === undefined) {
    const match = durationPattern.exec(text);
    if (!match) return undefined;
    value = Number(match[1]) * unitSeconds[match[2] as DurationUnit];
    parsedSeconds.set(text, value);
  }
  return value;
}

export function isDuration(text: string): text is Duration {
  return durationSeconds(text) !== undefined;
}

/** Seconds of a duration already validated at load. */
export function seconds(duration: Duration): number {
  const value = durationSeconds(duration);
  if (value === undefined) throw new Error(`invalid duration "${duration}"`);
  return value;
}

/** The shortest exact Prometheus spelling of whole seconds: 3600 → `1h`, 90 → `90s`. */
export function formatDuration(totalSeconds: number): Duration {
  if (totalSeconds === 0) return '0s';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = unitSeconds[unit];
    if (totalSeconds % size === 0) return `${totalSeconds / size}${unit}`;
  }
  return `${Math.round(totalSeconds * 1000)}ms`;
}

const compoundUnits: Record<string, number> = { y: 31_536_000, ...unitSeconds };

/**
 * Seconds of any Prometheus duration, units largest first as Prometheus writes them (`1h30m`,
 * `90s`, `1y`), or undefined when it is not one. Durations read back from generated files
 * (rule `for`, Alertmanager timers) may be compound; the model's own are single-unit.
 */
export function compoundSeconds(text: string): number | undefined {
  const match = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!match || text === '') return undefined;
  return ['y', 'w', 'd', 'h', 'm', 's', 'ms'].reduce((sum, unit, index) => sum + Number(match[index + 1] ?? 0) * compoundUnits[unit]!, 0);
}
