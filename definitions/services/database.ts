import {
  average,
  counter,
  defineService,
  gauge,
  gaugePercent,
  histogram,
  latencySlo,
  quantile,
  ratio,
  ratioSlo,
  select,
} from '../../src/index.ts';

// The primary database, seen through its exporter (job "database"). Its outage is the root
// cause that inhibits the alerts of every service depending on it (SPEC "Cascade prevention").

/** Queries executed, by operation (select, insert, ...) and outcome (ok, error). */
export const dbQueries = counter({
  name: 'db_queries_total',
  help: 'Queries executed, by operation and outcome.',
  unit: 'operations',
  labels: ['operation', 'outcome'],
});

/** Query time. Buckets hold every SPEC figure: 50 ms, 100 ms, 500 ms, 1 s. */
export const dbQueryDuration = histogram({
  name: 'db_query_duration_seconds',
  help: 'Query execution time, by operation.',
  labels: ['operation'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

export const dbConnectionsInUse = gauge({
  name: 'db_pool_connections_in_use',
  help: 'Connections of the pool currently checked out.',
  unit: 'connections',
});

export const dbConnectionsMax = gauge({
  name: 'db_pool_connections_max',
  help: 'Size of the connection pool.',
  unit: 'connections',
});

/** Index block reads, by where the block came from: `cache` (shared buffers) or `disk`. */
export const dbIndexBlockReads = counter({
  name: 'db_index_block_reads_total',
  help: 'Index blocks read, by source (cache or disk).',
  unit: 'operations',
  labels: ['source'],
});

const queries = select(dbQueries);
const failedQueries = select(dbQueries, { outcome: 'error' });
const queryTime = select(dbQueryDuration);

export const database = defineService({
  name: 'database',
  description: 'Primary relational database and its connection pool.',
  team: 'data',
  tier: 'critical',
  selector: { job: 'database' },
  // postgres_exporter on the database host.
  scrape: { targets: ['db-exporter.internal:9187'] },
  traffic: { requests: queries, errors: failedQueries, latency: queryTime },
  slos: [
    // SPEC: availability 99.9 % over 30 days, of queries.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of queries succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors: failedQueries,
      total: queries,
    }),
    // SPEC "Latency / performance objectives": database query time, "another team: p95 < 1 s",
    // i.e. 95 % of queries within 1 s.
    latencySlo({
      name: 'query-latency',
      description: '95 % of queries complete within 1 s over 30 days.',
      objective: 95,
      window: '30d',
      histogram: queryTime,
      threshold: 1,
    }),
  ],
  alerts: [
    // SPEC: database query time warning 100 ms; "DB query time > 500 ms for 3 minutes →
    // warning": above 500 ms is not a page but goes to the team fast (high).
    {
      name: 'DatabaseQueryTimeHigh',
      expr: quantile(0.95, queryTime),
      levels: { warning: 0.1, high: 0.5 },
      for: '3m',
      covers: 'latency',
      summary: 'database p95 query time is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of database (job {{ $labels.job }}) query time is {{ $value | humanizeDuration }} ' +
        '(warning above 100 ms, high above 500 ms). Look for slow queries, lock contention or a saturated pool.',
    },
    // SPEC: "another team: average < 50 ms".
    {
      name: 'DatabaseQueryTimeAverageHigh',
      expr: average(queryTime),
      levels: { warning: 0.05 },
      for: '5m',
      summary: 'database average query time is {{ $value | humanizeDuration }}',
      description:
        'The average database (job {{ $labels.job }}) query time over 5 minutes is {{ $value | humanizeDuration }}, above the 50 ms target.',
    },
    // SPEC: DB connection pool used warning 70 %, critical 90 %.
    {
      name: 'DatabaseConnectionPoolHigh',
      expr: gaugePercent(select(dbConnectionsInUse), select(dbConnectionsMax)),
      levels: { warning: 70, critical: 90 },
      for: '5m',
      summary: 'database connection pool is {{ printf "%.0f" $value }} % used',
      description:
        '{{ printf "%.1f" $value }} % of the database (job {{ $labels.job }}) connection pool is checked out ' +
        '(warning above 70 %, critical above 90 %). When it is exhausted, callers queue and time out.',
    },
    // SPEC: DB index hit ratio below 98 %.
    {
      name: 'DatabaseIndexHitRatioLow',
      expr: ratio(select(dbIndexBlockReads, { source: 'cache' }), select(dbIndexBlockReads), { window: '15m' }),
      direction: 'below',
      levels: { warning: 98 },
      for: '15m',
      summary: 'database index hit ratio is {{ printf "%.2f" $value }} %',
      description:
        'Only {{ printf "%.2f" $value }} % of database (job {{ $labels.job }}) index block reads were served from ' +
        'memory over 15 minutes (target at least 98 %): the working set no longer fits the buffers.',
    },
  ],
});
