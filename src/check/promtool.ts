import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { sortedPaths, type FileSet } from '../output/fileset.ts';
import { toYaml } from '../output/serialize.ts';
import { runTool } from './tools.ts';

/** `promtool check rules --lint-fatal` on every rule file and `promtool test rules` on every test file, run inside `dir`. */
export async function promtoolFindings(dir: string, files: FileSet): Promise<string[]> {
  const paths = sortedPaths(files);
  const rules = paths.filter((path) => path.startsWith('prometheus/rules/'));
  const tests = paths.filter((path) => path.startsWith('prometheus/tests/'));
  const findings: string[] = [];
  if (rules.length > 0) {
    const result = await runTool('promtool', ['check', 'rules', '--lint=all', '--lint-fatal', ...rules], dir);
    if (!result.ok) findings.push(`promtool check rules failed:\n${result.output}`);
  }
  // Test files are independent and promtool runs them one after another: one run per core.
  const results = await Promise.all(batches(tests, files).map((batch) => runTool('promtool', ['test', 'rules', ...batch], dir)));
  const failed = results.filter((result) => !result.ok).map((result) => result.output);
  if (failed.length > 0) findings.push(`promtool test rules failed:\n${failed.join('\n')}`);
  return findings;
}

/** The files in one batch per core, of about equal size (promtool's time follows it), in path order within each. */
function batches(paths: readonly string[], files: FileSet): string[][] {
  const count = Math.min(paths.length, os.availableParallelism());
  const filled = Array.from({ length: count }, () => ({ size: 0, paths: [] as string[] }));
  const bySize = [...paths].sort((a, b) => files.get(b)!.length - files.get(a)!.length);
  for (const file of bySize) {
    const lightest = filled.reduce((least, each) => (each.size < least.size ? each : least));
    lightest.size += files.get(file)!.length;
    lightest.paths.push(file);
  }
  return filled.map((batch) => batch.paths.sort());
}

/**
 * `promtool check config` on a prometheus.yml holding every generated scrape job, pasted into
 * its `scrape_configs`: Prometheus 2.42 has no `scrape_config_files`, and pasting loads everywhere.
 */
export async function scrapeConfigFindings(files: FileSet): Promise<string[]> {
  const jobs = sortedPaths(files)
    .filter((file) => file.startsWith('prometheus/scrape/'))
    .flatMap((file) => (parse(files.get(file)!) as { scrape_configs: unknown[] }).scrape_configs);
  if (jobs.length === 0) return [];
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-scrape-'));
  try {
    await writeFile(path.join(scratch, 'prometheus.yml'), toYaml({ scrape_configs: jobs }));
    const result = await runTool('promtool', ['check', 'config', 'prometheus.yml'], scratch);
    return result.ok ? [] : [`promtool check config failed on the generated scrape jobs:\n${result.output}`];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
