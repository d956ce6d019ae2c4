// Synthetic Prometheus history for benchmarks and backtests, with the real tools.
//
//   const history: History = { families, start, end, step };   // values are functions of time
//   const samples = await backfillOpenMetrics(history, dataDir, { workDir }); // OpenMetrics files of ≤ 1 M samples → promtool blocks
//                       // (or several histories, apart in time: one promtool run for all of them when they are small)
//   await verifyBlocks(dataDir, { samples, start, end });                      // `promtool tsdb list` agrees
//   const server = await backfillRecordingRules({ groups, server: { dataDir, workDir }, start, end, tailSeconds });
//                       // rules in stages (a rule reading another waits for its blocks), server restarted in between;
//                       // rules read through a range get the whole span, the others its tail
//   const { result, stats } = await server.query(expr, end);                  // stats.samples: totalQueryableSamples
//   await server.stop();
//
// Lower level: startPrometheus (no scrapes, long retention, no compaction, free port),
// backfillRules (one `create-blocks-from rules` run), adoptBlocks (move blocks into a data dir).
//
// Counters stay cumulative because a series' value is a function of time; a series without a
// value at a time (not created yet, scrape gap) has no sample there. Every external call has a
// deadline and a clear error; stop() ends prometheus (SIGTERM, then SIGKILL after 5 s).
export { sampleTimes, writeOpenMetrics } from './openmetrics.ts';
export type { FamilyHistory, History, Labels, SeriesHistory, Written } from './openmetrics.ts';
export { adoptBlocks, backfillOpenMetrics, backfillRules, listBlocks, verifyBlocks } from './backfill.ts';
export type { BackfillOptions, Block, RuleBackfill } from './backfill.ts';
export { startPrometheus } from './server.ts';
export type { HistoryServer, QueryStats, Sample, ServerOptions } from './server.ts';
export { backfillRecordingRules, backfillStages } from './rules.ts';
export type { GroupLike, RecordingBackfill, RuleLike, Stage } from './rules.ts';
