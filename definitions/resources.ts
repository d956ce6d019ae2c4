import { gaugePercent, select, type ThresholdAlert } from '../src/index.ts';
import { cpuLimit, cpuUsed, memoryLimit, memoryUsed } from './metrics.ts';

// Resource alerts shared by the services where memory / CPU saturation is a real risk.
// Functions, not definitions: the loader only collects teams, services and the config.

/**
 * Memory used as a percent of the container limit.
 * SPEC "Availability, errors, resources": memory warning 80 %, critical 90 %;
 * SPEC "Alert conditions": "memory > 85 % ... for 2 minutes → high".
 */
export function memoryAlert(service: string, alertPrefix: string): ThresholdAlert {
  return {
    name: `${alertPrefix}MemoryHigh`,
    expr: gaugePercent(select(memoryUsed), select(memoryLimit)),
    levels: { warning: 80, high: 85, critical: 90 },
    for: '2m',
    summary: `${service} memory usage is {{ printf "%.1f" $value }} % of its limit`,
    description:
      `Resident memory of ${service} (job {{ $labels.job }}) is {{ printf "%.1f" $value }} % of the container memory limit. ` +
      'Above 90 % the process risks being OOM-killed; look for a leak or a traffic surge, or raise the limit.',
  };
}

/**
 * CPU used as a percent of the container limit.
 * SPEC "Availability, errors, resources": CPU warning 70 %, critical 90 %. The teams' condition
 * "CPU > 90 % for 2 minutes → high" is the same figure as the critical level, so it is covered
 * by it (a critical alert reaches the owning team as well as the on-call).
 */
export function cpuAlert(service: string, alertPrefix: string): ThresholdAlert {
  return {
    name: `${alertPrefix}CpuHigh`,
    expr: gaugePercent(select(cpuUsed), select(cpuLimit)),
    levels: { warning: 70, critical: 90 },
    for: '2m',
    summary: `${service} CPU usage is {{ printf "%.1f" $value }} % of its limit`,
    description:
      `CPU used by ${service} (job {{ $labels.job }}) is {{ printf "%.1f" $value }} % of the container CPU limit. ` +
      'Sustained saturation throttles the process and raises latency; scale out or find the hot path.',
  };
}
