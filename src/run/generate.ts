import path from 'node:path';
import { compile } from '../compile/index.ts';
import { loadPlatform } from '../load/load.ts';
import { seconds } from '../model/duration.ts';
import type { Platform } from '../model/platform.ts';
import { checkDrift, formatDrift, hasDrift } from '../output/drift.ts';
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

/** `generate`: write generated/ atomically. `generate --check`: report drift instead (empty when none). */
export async function generate(root: string, options: { check: boolean }): Promise<string> {
  const files = await build(root);
  if (options.check) {
    const drift = await checkDrift(generatedDir(root), files);
    return hasDrift(drift) ? formatDrift(drift) : '';
  }
  await writeFileSet(generatedDir(root), files);
  return '';
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
    const drift = await generate(root, { check: values.check ?? false });
    if (drift) {
      err(`${drift}\n`);
      return 1;
    }
    out(values.check ? 'generated/ is up to date\n' : 'generated/ written\n');
    return 0;
  },
});
