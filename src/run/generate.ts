import path from 'node:path';
import { compile } from '../compile/index.ts';
import { loadPlatform } from '../load/load.ts';
import { seconds } from '../model/duration.ts';
import type { Platform } from '../model/platform.ts';
import { checkDrift, formatDrift, hasDrift, type Drift } from '../output/drift.ts';
import type { FileSet } from '../output/fileset.ts';
import { writeFileSet } from '../output/write.ts';
import { defineCommand } from './command.ts';

export const generatedDir = (root: string): string => path.join(root, 'generated');

/** Loads and compiles the definitions under `root`; throws DefinitionErrors on bad input. */
export async function build(root: string): Promise<FileSet> {
  return (await buildPlatform(root)).files;
}

/** The platform and what `generate` writes for it. */
export async function buildPlatform(root: string): Promise<{ platform: Platform; files: FileSet }> {
  const platform = await loadPlatform(root);
  return { platform, files: compile(platform) };
}

/** Seconds between evaluations of rule groups without their own interval: `defineConfig({ evaluationInterval })`, else Prometheus's 1m. */
export function evaluationIntervalOf(platform: Platform): number {
  return seconds(platform.config.evaluationInterval ?? '1m');
}

/** What `generate` did: the drift it found (empty with --check when up to date) and what it wrote. */
export interface Generated {
  readonly drift: Drift;
  readonly summary: string;
}

/** `generate`: write generated/ atomically. `generate --check`: report drift instead, writing nothing. */
export async function generate(root: string, options: { check: boolean }): Promise<Generated> {
  const { platform, files } = await buildPlatform(root);
  const drift = await checkDrift(generatedDir(root), files);
  if (!options.check) await writeFileSet(generatedDir(root), files);
  return { drift, summary: summarize(platform, files, drift) };
}

/** `214 files (279 alerts, 145 recording rules, 12 SLOs of 9 services); 3 changed, 1 added, 0 removed, 210 unchanged` */
export function summarize(platform: Platform, files: FileSet, drift: Drift): string {
  let alerts = 0;
  let records = 0;
  for (const [file, text] of files) {
    if (!file.startsWith('prometheus/rules/')) continue;
    alerts += text.match(/^ *- alert: /gm)?.length ?? 0;
    records += text.match(/^ *- record: /gm)?.length ?? 0;
  }
  const slos = platform.services.reduce((count, service) => count + (service.slos?.length ?? 0), 0);
  const changed = drift.stale.length + drift.missing.length;
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const counts = `${count(files.size, 'file')} (${count(alerts, 'alert')}, ${count(records, 'recording rule')}, ${count(slos, 'SLO')} of ${count(platform.services.length, 'service')})`;
  return `${counts}; ${drift.stale.length} changed, ${drift.missing.length} added, ${drift.extra.length} removed, ${files.size - changed} unchanged`;
}

export const generateCommand = defineCommand({
  name: 'generate',
  summary: 'render generated/ from definitions/',
  synopsis: '[--check]',
  options: {
    check: {
      type: 'boolean',
      default: false,
      description: 'write nothing; exit 1 and list stale, missing and extra files when generated/ is out of date',
    },
  },
  async run({ values }, { root, out, err }) {
    const { drift, summary } = await generate(root, { check: values.check ?? false });
    if (values.check && hasDrift(drift)) {
      err(`${formatDrift(drift)}\n`);
      return 1;
    }
    out(values.check ? `generated/ is up to date: ${summary.slice(0, summary.indexOf(';'))}\n` : `generated/ written: ${summary}\n`);
    return 0;
  },
});
