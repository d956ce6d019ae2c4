import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from '../../../src/compile/index.ts';
import { convertDashboards, type ImportedDashboard, importedDashboard } from '../../../src/import/grafana/convert.ts';
import { runImport } from '../../../src/import/index.ts';
import type { ImportReport } from '../../../src/import/report.ts';
import { loadPlatform } from '../../../src/load/load.ts';
import type { Platform } from '../../../src/model/platform.ts';
import type { FileSet } from '../../../src/output/fileset.ts';
import { parseGeneratedTree, type GeneratedTree } from '../../../src/reader/index.ts';
import { fixtureRoot, initProject, linkMonforge, repoRoot } from '../../helpers/index.ts';

type Json = Record<string, unknown>;

/** A small dashboard of one panel, with `extra` fields. */
export const dashboard = (extra: Json = {}): Json => ({
  uid: 'd1',
  title: 'Service',
  schemaVersion: 39,
  panels: [{ id: 1, type: 'timeseries', title: 'Requests', gridPos: { h: 8, w: 12, x: 0, y: 0 }, targets: [{ expr: 'up', refId: 'A' }] }],
  ...extra,
});

export const kubePrometheusDir = path.join(fixtureRoot('import'), 'kube-prometheus/dashboards');

/** The ten kube-prometheus dashboards: their files (absolute) and JSON. */
export async function kubePrometheusDashboards(): Promise<{ file: string; json: Json }[]> {
  const files = (await readdir(kubePrometheusDir)).filter((file) => file.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => ({
      file: path.join(kubePrometheusDir, file),
      json: JSON.parse(await readFile(path.join(kubePrometheusDir, file), 'utf8')) as Json,
    })),
  );
}

export interface ImportedProject {
  readonly root: string;
  readonly report: ImportReport;
  /** The written files under definitions/imported/, by name. */
  readonly written: ReadonlyMap<string, string>;
  /** What the proof compares each generated dashboard with. */
  readonly dashboards: readonly ImportedDashboard[];
  readonly platform: Platform;
  readonly files: FileSet;
  readonly tree: GeneratedTree;
  cleanup(): Promise<void>;
}

/**
 * `monforge import` of input files (absolute paths) into a project made by init, then the project
 * loaded and compiled as generate would.
 */
export async function importIntoProject(inputs: readonly string[], team?: string): Promise<ImportedProject> {
  const project = await initProject('dashboards');
  // The written files import 'monforge', as a user's would: tsc resolves it here to this checkout.
  await linkMonforge(project.root);
  const files = inputs.map((file) => path.relative(project.root, file));
  const report = await runImport({ root: project.root, files, ...(team && { team }) });
  const written = new Map<string, string>();
  for (const file of report.written) written.set(path.posix.basename(file), await readFile(path.join(project.root, file), 'utf8'));
  const plain = await Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(project.root, file), 'utf8') })));
  const { converted } = convertDashboards(
    plain.filter(({ text }) => text.startsWith('{')).map(({ file, text }) => ({ json: JSON.parse(text) as Json, origin: file })),
    team ?? 'imported',
  );
  const platform = await loadPlatform(project.root);
  const compiled = compile(platform);
  return {
    root: project.root,
    report,
    written,
    dashboards: converted.map(importedDashboard),
    platform,
    files: compiled,
    tree: parseGeneratedTree(compiled, 'imported'),
    cleanup: project.cleanup,
  };
}

/** A scratch file under test/.tmp with `content`, for inputs a test makes. */
export async function scratchInput(name: string, content: string): Promise<string> {
  const dir = path.join(repoRoot, 'test/.tmp');
  await mkdir(dir, { recursive: true });
  const file = path.join(await mkdtemp(path.join(dir, 'input-')), name);
  await writeFile(file, content);
  return file;
}
