import { counter, gauge, histogram } from '../src/index.ts';

// Metrics shared by several services. The service selector (`{ job: '<service>' }`) is added
// to every selector, so one definition serves every job that exports the metric.
// Service-specific metrics live in the service's own file.

/** HTTP requests served, by route, method and status code. */
export const httpRequests = counter({
  name: 'http_requests_total',
  help: 'HTTP requests served, by route, method and status code.',
  unit: 'requests',
  labels: ['route', 'method', 'code'],
});

/**
 * Server-side HTTP latency. The buckets contain every latency figure of SPEC that is read from
 * this histogram: 0.2 (API p95 SLO), 0.3 (search), 0.5 / 1 (connection suggestions),
 * 1 (form submission, guest list), 2 (API critical). Latency SLO thresholds must be buckets,
 * and quantile levels must stay below the largest one (10 s).
 */
export const httpDuration = histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency, by route and method.',
  labels: ['route', 'method'],
  buckets: [0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10],
});

/** Resident memory of the service process (the prom-client / Go client default). */
export const memoryUsed = gauge({
  name: 'process_resident_memory_bytes',
  help: 'Resident memory size of the process.',
  unit: 'bytes',
});

/** The container memory limit, exported by the service itself so it carries the service's `job`. */
export const memoryLimit = gauge({
  name: 'process_memory_limit_bytes',
  help: 'Memory limit of the container the process runs in.',
  unit: 'bytes',
});

/**
 * CPU cores in use, averaged over the last 10 s by the service's instrumentation.
 * (A gauge because gaugePercent compares two gauges; see the report about rate(counter) / gauge.)
 */
export const cpuUsed = gauge({
  name: 'process_cpu_usage_cores',
  help: 'CPU cores used by the process, averaged over the last 10 seconds.',
});

/** The container CPU limit, in cores. */
export const cpuLimit = gauge({
  name: 'process_cpu_limit_cores',
  help: 'CPU limit of the container the process runs in, in cores.',
});

/** Bytes used on the service's data volume, exported by its volume sidecar with the service's `job`. */
export const volumeUsed = gauge({
  name: 'data_volume_used_bytes',
  help: 'Bytes used on the data volume of the service.',
  unit: 'bytes',
});

/** Size of the service's data volume. */
export const volumeSize = gauge({
  name: 'data_volume_size_bytes',
  help: 'Size of the data volume of the service.',
  unit: 'bytes',
});
