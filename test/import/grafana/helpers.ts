import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from '../../../src/compile/index.ts';
import { importDashboards, type DashboardInput, type ImportedDashboards } from '../../../src/import/grafana/index.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { parseGeneratedTree, type GeneratedTree } from '../../../src/reader/index.ts';
import { fixtureRoot, repoRoot } from '../../helpers/index.ts';

type Json = Record<string, unknown>;

/** The ten kube-prometheus dashboards, as their files. */
export async function kubePrometheusDashboards(): Promise<{ file: string; json: Json }[]> {
  const dir = fixtureRoot('dashboards/kube-prometheus');
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(files.map(async (file) => ({ file, json: JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Json })));
}

export interface ImportedProject {
  readonly root: string;
  readonly imported: ImportedDashboards;
  readonly platform: Platform;
  readonly files: FileSet;
  readonly tree: GeneratedTree;
  cleanup(): Promise<void>;
}

/**
 * A scratch project under test/.tmp (so the written files resolve the SDK from this repository's
 * node_modules): a defineConfig, the imported dashboards in definitions/imported/, loaded and compiled.
 */
export async function importIntoProject(inputs: readonly DashboardInput[], folder = 'kube-prometheus'): Promise<ImportedProject> {
  const parent = path.join(repoRoot, 'test/.tmp');
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(path.join(parent, 'dashboards-'));
  const out = path.join(root, 'definitions/imported');
  await mkdir(out, { recursive: true });
  const monforge = path.relative(out, path.join(repoRoot, 'src/index.ts')).split(path.sep).join('/');
  const imported = importDashboards(inputs, { folder, monforge });
  await writeFile(
    path.join(root, 'definitions/platform.ts'),
    `import { defineConfig } from '${path.relative(path.join(root, 'definitions'), path.join(repoRoot, 'src/index.ts'))}';\n\nexport const config = defineConfig({ runbookBaseUrl: 'https://runbooks.example.com/' });\n`,
  );
  for (const [file, content] of imported.files) await writeFile(path.join(out, file), content);
  await writeFile(path.join(root, 'tsconfig.json'), `${JSON.stringify({ extends: '../../../tsconfig.json', include: ['definitions'] })}\n`);
  const platform = await loadPlatform(root);
  const files = compile(platform);
  return {
    root,
    imported,
    platform,
    files,
    tree: parseGeneratedTree(files, 'imported'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
