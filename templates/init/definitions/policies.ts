import { definePolicy, defineResources, gauge, select } from 'monforge';

// Alerts every service gets unless one of its own alerts already measures the signal or it opts
// out with a reason. `npx monforge coverage` shows each service × signal; CI fails on a gap.
export const platformDefault = definePolicy({
  name: 'platform-default',
  // Percent of traffic.errors in traffic.requests.
  errorRatio: { levels: { warning: 1, critical: 5 }, for: '5m' },
  // Percent of the resource catalog's capacity in use.
  saturation: { memory: { levels: { warning: 80, critical: 90 }, for: '5m' } },
});

// Resident memory comes with prom-client's default metrics; export the container's memory limit
// next to it (a gauge set once at start-up) so both carry the service's job.
export const memoryUsed = gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size of the process.', unit: 'bytes' });
export const memoryLimit = gauge({ name: 'process_memory_limit_bytes', help: 'Memory limit of the container.', unit: 'bytes' });

export const resources = defineResources({
  memory: { used: select(memoryUsed), capacity: select(memoryLimit) },
});
