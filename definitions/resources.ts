import { defineResources, select } from '../src/index.ts';
import { cpuLimit, cpuUsed, memoryLimit, memoryUsed, volumeSize, volumeUsed } from './metrics.ts';

// The resource catalog: how full each resource of a service is, as two gauges carrying the
// service's `job`. The saturation policies (policies.ts) turn it into every service's memory,
// CPU and disk alerts; a service with other gauges names them in its own `resources`.
export const resources = defineResources({
  memory: { used: select(memoryUsed), capacity: select(memoryLimit) },
  cpu: { used: select(cpuUsed), capacity: select(cpuLimit) },
  disk: { used: select(volumeUsed), capacity: select(volumeSize) },
});
