// Benchmark of `generate`: synthetic platforms of 10, 100 and 1,000 services (3 SLOs and 5
// threshold alerts each). Per size: wall time of validate + compile (every output), peak RSS
// when it is done, and the same objects serialized with `yaml` alone as the baseline measured in
// the same run (after the peak is taken). Each size runs in its own process so peak memory is that
// size's own; the 1-minute load average is printed beside it. Then `generate --watch` at 1,000
// services (bench-check/watch.ts): save to written for a one-service edit. Last line: one JSON object.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { measureWatch } from './bench-check/watch.ts';
import { compile } from '../src/compile/index.ts';
import { ruleFilePath } from '../src/compile/prometheus/paths.ts';
import { serviceRuleGroups } from '../src/compile/prometheus/service-rules.ts';
import { serviceTestFile } from '../src/compile/prometheus/promtool-cases/test-file.ts';
import { buildPlatform } from '../src/load/load.ts';
import { syntheticPlatform } from './synthetic-platform.ts';

const sizes = [10, 100, 1000];

/** One size, in this process: milliseconds for the full pipeline and for yaml alone. */
function measure(count: number): {
  services: number;
  generateMs: number;
  yamlOnlyMs: number;
  files: number;
  bytes: number;
  peakRssMiB: number;
  load: number;
} {
  const exported = syntheticPlatform(count);
  const started = performance.now();
  const platform = buildPlatform(exported, (error) => {
    throw new Error(`${error.file}: ${error.path.join(' › ')}: ${error.message}`);
  })!;
  const files = compile(platform);
  const generateMs = performance.now() - started;
  // generate's own peak, taken before the baseline below builds its objects.
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;

  // Baseline: the rule and test objects already built, only serialized.
  const objects = platform.services.map((service) => {
    const groups = serviceRuleGroups(platform.config, service);
    return [{ groups }, serviceTestFile(service, groups, ruleFilePath(service.name))];
  });
  const yamlStarted = performance.now();
  for (const [rules, tests] of objects) {
    stringify(rules, { lineWidth: 0 });
    stringify(tests, { lineWidth: 0 });
  }
  const yamlOnlyMs = performance.now() - yamlStarted;
  const bytes = [...files.values()].reduce((sum, content) => sum + content.length, 0);
  return { services: count, generateMs, yamlOnlyMs, files: files.size, bytes, peakRssMiB, load: os.loadavg()[0]! };
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

if (process.argv[2] === '--size') {
  process.stdout.write(`${JSON.stringify(measure(Number(process.argv[3])))}\n`);
} else {
  const script = fileURLToPath(import.meta.url);
  const results = sizes.map(
    (size) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, '--size', String(size)], { encoding: 'utf8' })) as ReturnType<
        typeof measure
      >,
  );
  console.log('services  generate ms  yaml-only ms  ratio  ms/service  peak RSS MiB  files  MB   load');
  for (const result of results) {
    console.log(
      [
        String(result.services).padStart(8),
        result.generateMs.toFixed(0).padStart(11),
        result.yamlOnlyMs.toFixed(0).padStart(13),
        (result.generateMs / result.yamlOnlyMs).toFixed(2).padStart(6),
        (result.generateMs / result.services).toFixed(2).padStart(11),
        result.peakRssMiB.toFixed(0).padStart(13),
        String(result.files).padStart(6),
        (result.bytes / 1e6).toFixed(1).padStart(4),
        result.load.toFixed(2).padStart(6),
      ].join(' '),
    );
  }
  const watch = await measureWatch(1000);
  const median = [...watch.editMs].sort((a, b) => a - b)[Math.floor(watch.editMs.length / 2)]!;
  console.log(
    `watch, one-service edit at ${watch.services} services: ${watch.editMs.map((ms) => ms.toFixed(0)).join(', ')} ms save to written (median ×${(median / watch.fullMs).toFixed(3)} of the first full generate, ${watch.fullMs} ms; load ${watch.load.toFixed(2)})`,
  );
  const largest = results.at(-1)!;
  const smallest = results[0]!;
  console.log(
    JSON.stringify({
      benchmark: 'generate',
      sizes: results.map((result) => ({
        services: result.services,
        generateMs: round(result.generateMs),
        yamlOnlyMs: round(result.yamlOnlyMs),
        ratioToYamlOnly: round(result.generateMs / result.yamlOnlyMs, 2),
        peakRssMiB: round(result.peakRssMiB),
        load: round(result.load, 2),
      })),
      target1000ServicesMs: 2000,
      target1000ServicesPeakRssMiB: 400,
      meets1000ServicesTarget: largest.generateMs <= 2000 && largest.peakRssMiB <= 400,
      watch: {
        services: watch.services,
        editMs: watch.editMs.map((ms) => round(ms)),
        fullGenerateMs: watch.fullMs,
        ratioToFullGenerate: round(median / watch.fullMs, 3),
        load: round(watch.load, 2),
        targetEditMs: 300,
        meetsTarget: median <= 300,
      },
      // Linear growth: per-service time at the largest size over the smallest's.
      perServiceGrowth: round(largest.generateMs / largest.services / (smallest.generateMs / smallest.services), 2),
    }),
  );
}
