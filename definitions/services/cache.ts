import { counter, defineService, gauge, gaugePercent, ratio, ratioSlo, select } from '../../src/index.ts';

// The shared cache (Redis) in front of the database, seen through its exporter (job "cache").

/** Commands served, by command and outcome (ok, error). */
export const cacheCommands = counter({
  name: 'cache_commands_total',
  help: 'Cache commands served, by command and outcome.',
  unit: 'operations',
  labels: ['command', 'outcome'],
});

/** Key lookups, by result (hit, miss). */
export const cacheLookups = counter({
  name: 'cache_lookups_total',
  help: 'Cache key lookups, by result (hit or miss).',
  unit: 'operations',
  labels: ['result'],
});

/** Redis `used_memory` and `maxmemory` (redis_exporter names). */
export const cacheMemoryUsed = gauge({ name: 'redis_memory_used_bytes', help: 'Memory used by the cache.', unit: 'bytes' });
export const cacheMemoryMax = gauge({ name: 'redis_memory_max_bytes', help: 'Configured cache memory limit (maxmemory).', unit: 'bytes' });

const commands = select(cacheCommands);
const failedCommands = select(cacheCommands, { outcome: 'error' });

export const cache = defineService({
  name: 'cache',
  description: 'Shared cache in front of the database.',
  team: 'platform',
  tier: 'high',
  selector: { job: 'cache' },
  // redis_exporter on the cache host.
  scrape: { targets: ['cache-exporter.internal:9121'] },
  traffic: { requests: commands, errors: failedCommands },
  slos: [
    // SPEC: availability 99.9 % over 30 days, of cache commands.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of cache commands succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors: failedCommands,
      total: commands,
    }),
  ],
  optOut: {
    latencySlo: 'redis_exporter exposes no command latency histogram; slowness shows in the callers’ latency SLOs',
    latency: 'no latency histogram (see latencySlo); the hit ratio alert catches a cache that stops helping',
    cpu: 'Redis runs one thread: CPU saturation shows as caller latency, and redis_exporter has no CPU limit gauge',
    disk: 'in memory only, without persistence',
    playbook: 'restarting the cache empties it and floods the database: a human decides',
  },
  alerts: [
    // SPEC: cache hit ratio "below 85 % target, below 80 % warning": under the target is
    // worth a digest entry (info), under 80 % the database feels it (warning).
    {
      name: 'CacheHitRatioLow',
      expr: ratio(select(cacheLookups, { result: 'hit' }), select(cacheLookups), { window: '15m' }),
      direction: 'below',
      levels: { info: 85, warning: 80 },
      for: '15m',
      summary: 'cache hit ratio is {{ printf "%.1f" $value }} %',
      description:
        'Only {{ printf "%.1f" $value }} % of cache (job {{ $labels.job }}) lookups hit over 15 minutes ' +
        '(target 85 %, warning below 80 %). Misses go to the database; check evictions and key TTLs.',
    },
    // SPEC: memory warning 80 % (also 85 %), critical 90 %. Against maxmemory: when full, the
    // cache evicts keys and the hit ratio collapses.
    {
      name: 'CacheMemoryHigh',
      expr: gaugePercent(select(cacheMemoryUsed), select(cacheMemoryMax)),
      levels: { warning: 80, high: 85, critical: 90 },
      for: '2m',
      // Against maxmemory rather than the process limit of the resource catalog.
      covers: 'memory',
      summary: 'cache memory is {{ printf "%.1f" $value }} % of maxmemory',
      description:
        'The cache (job {{ $labels.job }}) uses {{ printf "%.1f" $value }} % of its configured maxmemory; ' +
        'near 100 % it evicts keys and the hit ratio drops.',
    },
  ],
});
