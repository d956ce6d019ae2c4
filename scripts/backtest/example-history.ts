// Synthetic history of the example platform for backtests and demos: every series the
// definitions select, produced by the demo's simulated services (scripts/demo/simulator.ts)
// ticked once per scrape, with the incidents docs/design.md describes injected as faults, and the
// incidents file that labels them. Times are Unix seconds; `start` is a midnight UTC.
import type { Incident } from '../../src/backtest/incidents.ts';
import type { Platform } from '../../src/model/platform.ts';
import { type Fault, SimulatedService } from '../demo/simulator.ts';
import type { FamilyHistory, History } from '../history/index.ts';

export interface ScheduledFault {
  readonly service: string;
  /** [start, end): the samples of this span see the fault. */
  readonly start: number;
  readonly end: number;
  readonly fault: Fault;
  /** Active only during `on` seconds of every `period` (flapping). */
  readonly pulse?: { readonly on: number; readonly period: number };
}

const hour = 3600;
const day = 24 * hour;

/**
 * The incidents of the kinds docs/design.md describes over `days` days from `start` (three days are enough; later days
 * only have their quiet nights). Each names the alerts expected to catch it; a quiet night's
 * traffic dip should page nobody (`alerts: []`).
 */
export function exampleSchedule(start: number, days: number): { faults: ScheduledFault[]; incidents: Incident[] } {
  if (start % day !== 0) throw new Error(`the history starts at midnight UTC, not at ${new Date(start * 1000).toISOString()}`);
  if (days < 3) throw new Error('the example incidents need at least 3 days of history');
  const faults: ScheduledFault[] = [];
  const incidents: Incident[] = [];
  const add = (incident: Incident, fault: Omit<ScheduledFault, 'start' | 'end'>) => {
    faults.push({ ...fault, start: incident.start, end: incident.end });
    incidents.push(incident);
  };
  // Slow burn over days: 1.5 % of the assistant's requests fail for 36 hours (its objective allows 1 %).
  add(
    {
      name: 'slow burn (assistant errors at 1.5 % for 36 h)',
      start,
      end: start + 36 * hour,
      services: ['assistant'],
      alerts: ['AssistantAvailabilityBudgetBurnTicket'],
    },
    { service: 'assistant', fault: { errorRatio: 0.015 } },
  );
  for (let night = 0; night < days; night += 1) {
    // Night-time traffic dip: the API serves 75 % of its day traffic from 00:00 to 06:00.
    add(
      {
        name: `quiet night ${night + 1} (api traffic at 75 %)`,
        start: start + night * day,
        end: start + night * day + 6 * hour,
        services: ['api'],
        alerts: [],
      },
      { service: 'api', fault: { trafficFactor: 0.75 } },
    );
  }
  // Total outage: no API target answers for 10 minutes (starting between two scrapes).
  const outage = start + day + 10 * hour + 5;
  add(
    { name: 'total outage (api down 10 min)', start: outage, end: outage + 600, services: ['api'], alerts: ['ApiDown'] },
    { service: 'api', fault: { down: true } },
  );
  // Latency spike: every API request takes 600 ms longer for 20 minutes.
  const spike = start + day + 15 * hour;
  add(
    { name: 'latency spike (api +600 ms for 20 min)', start: spike, end: spike + 1200, services: ['api'], alerts: ['ApiLatencySpike'] },
    { service: 'api', fault: { latencySeconds: 0.6 } },
  );
  // Memory pressure: the database process at 92 % of its limit for 30 minutes.
  const memory = start + 2 * day + 3 * hour;
  add(
    {
      name: 'memory pressure (database at 92 % for 30 min)',
      start: memory,
      end: memory + 1800,
      services: ['database'],
      alerts: ['DatabaseMemoryHigh'],
    },
    { service: 'database', fault: { memoryPercent: 92 } },
  );
  // Flapping errors: every API request fails during 20 s of every 2 minutes, for an hour.
  const flapping = start + 2 * day + 10 * hour;
  add(
    {
      name: 'flapping errors (api fails 20 s of every 2 min for 1 h)',
      start: flapping,
      end: flapping + hour,
      services: ['api'],
      alerts: ['ApiDown', 'ApiErrorRateHigh'],
    },
    { service: 'api', fault: { errorRatio: 1 }, pulse: { on: 20, period: 120 } },
  );
  return { faults, incidents: incidents.sort((a, b) => a.start - b.start) };
}

/** The faults of a service at `time`, merged. */
function faultAt(faults: readonly ScheduledFault[], service: string, time: number): Fault {
  let merged: Fault = {};
  for (const each of faults) {
    if (each.service !== service || time < each.start || time >= each.end) continue;
    if (each.pulse && (time - each.start) % each.pulse.period >= each.pulse.on) continue;
    merged = { ...merged, ...each.fault };
  }
  return merged;
}

export interface HistoryOptions {
  /** Midnight UTC, Unix seconds. */
  readonly start: number;
  readonly days: number;
  /** Seconds between samples (the scrape interval); default 10. */
  readonly step?: number;
  /** Only these services (default all). */
  readonly services?: readonly string[];
}

/**
 * The series of the example platform under the schedule's faults. Each simulated service is
 * ticked once per step, its fault taken at the end of the step (so the sample at `t` counts the
 * requests of (t − step, t]); a service that is down has `up` 0 and no other sample.
 */
export async function exampleHistory(
  platform: Platform,
  options: HistoryOptions,
): Promise<{ history: History; incidents: Incident[]; faults: ScheduledFault[] }> {
  const step = options.step ?? 10;
  const { faults, incidents } = exampleSchedule(options.start, options.days);
  const end = options.start + options.days * day - step;
  const count = Math.floor((end - options.start) / step) + 1;
  const families = new Map<
    string,
    { type: FamilyHistory['type']; help: string; series: Map<string, { labels: Record<string, string>; values: Float64Array }> }
  >();
  const series = (family: string, type: FamilyHistory['type'], labels: Record<string, string>): Float64Array => {
    const entry = families.get(family) ?? { type, help: `${family} of the example platform (synthetic)`, series: new Map() };
    families.set(family, entry);
    const key = JSON.stringify(Object.entries(labels).sort());
    const known = entry.series.get(key) ?? { labels, values: new Float64Array(count).fill(Number.NaN) };
    entry.series.set(key, known);
    return known.values;
  };
  const services = platform.services.filter((service) => !options.services || options.services.includes(service.name));
  for (const service of services) {
    const simulation = new SimulatedService(service);
    const target = { ...service.selector, instance: `${service.name}:9100` };
    const up = series('up', 'gauge', target);
    for (let index = 0; index < count; index += 1) {
      const time = options.start + index * step;
      const fault = faultAt(faults, service.name, time);
      simulation.inject(fault);
      simulation.tick(step);
      up[index] = fault.down ? 0 : 1;
      if (fault.down) continue;
      for (const metric of await simulation.registry.getMetricsAsJSON()) {
        const kind = String(metric.type);
        for (const sample of metric.values) {
          const name = (sample as { metricName?: string }).metricName ?? metric.name;
          const family = kind === 'counter' ? name.replace(/_total$/, '') : name;
          const type = kind === 'counter' ? 'counter' : kind === 'gauge' ? 'gauge' : 'unknown';
          const labels = Object.fromEntries(
            Object.entries({ ...sample.labels, ...target }).map(([label, value]) => [label, String(value)]),
          );
          series(family, type, labels)[index] = sample.value;
        }
      }
    }
  }
  const history: History = {
    start: options.start,
    end,
    step,
    families: [...families].map(([name, family]) => ({
      name,
      type: family.type,
      help: family.help,
      series: [...family.series.values()].map(({ labels, values }) => ({
        labels,
        value: (time: number) => {
          const value = values[Math.round((time - options.start) / step)];
          return value === undefined || Number.isNaN(value) ? undefined : value;
        },
      })),
    })),
  };
  return { history, incidents, faults };
}
