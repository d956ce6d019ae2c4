import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compile } from '../compile/index.ts';
import { DefinitionErrors } from '../load/errors.ts';
import { loadPlatform } from '../load/load.ts';
import { parseGeneratedTree } from '../reader/index.ts';
import type { InputDocument } from './document.ts';
import type { Claimed, Conversion, ImportContext, Importer, ProofPart, SecretFile, WriteContext } from './importer.ts';
import { readInputs } from './input.ts';
import { MetricCatalog } from './metrics.ts';
import { loadProject } from './project.ts';
import { refusalAt, type Refusal } from './refusal.ts';
import { importers as registered } from './registry.ts';
import type { ImportReport } from './report.ts';
import type { Module } from './typescript.ts';
import { existingFiles, writeAll, type PlannedFile } from './write.ts';

export interface ImportOptions {
  /** The project directory. */
  readonly root: string;
  /** The input files, relative to `root` or absolute, as the user named them. */
  readonly files: readonly string[];
  /** The output folder, relative to `root`; default `definitions/imported`. */
  readonly out?: string;
  readonly team?: string;
  /** The importers to ask, in order; default the registry's. */
  readonly importers?: readonly Importer[];
}

export const defaultOut = 'definitions/imported';

/**
 * `monforge import`: read, recognise, convert, write all or nothing, load and compile the
 * project with what was written, prove it against the originals. Never throws for bad input:
 * every problem is a refusal in the report.
 */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const out = toPosix(options.out ?? defaultOut);
  const importers = options.importers ?? registered;
  const refusals: Refusal[] = [];
  const inferred: string[] = [];
  const secrets: SecretFile[] = [];
  const notes = new Map<string, string[]>();
  // Refusals in the order of the files given, each file's by line.
  const order = (refusal: Refusal): [number, number] => {
    const index = options.files.indexOf(refusal.file);
    return [index < 0 ? options.files.length : index, refusal.line ?? 0];
  };
  const report = (written: readonly string[] = [], proof: readonly ProofPart[] = []): ImportReport => ({
    written,
    refusals: [...refusals].sort((a, b) => {
      const [[fileA, lineA], [fileB, lineB]] = [order(a), order(b)];
      return fileA - fileB || lineA - lineB;
    }),
    inferred,
    secrets,
    notes,
    proof,
  });

  if (!(out === 'definitions' || out.startsWith('definitions/'))) {
    refusals.push({
      file: out,
      object: '--out',
      reason: 'must be a folder under definitions/ of the project (loading reads only definitions/)',
    });
    return report();
  }
  const { project, declared } = await loadProject(options.root, out);
  const { documents, refusals: unread } = await readInputs(options.files, options.root);
  refusals.push(...unread);
  const claims = recogniseAll(documents, importers, refusals);

  const metrics = new MetricCatalog(declared, out);
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'monforge-import-'));
  try {
    const context: ImportContext = {
      project,
      team: options.team,
      metrics,
      scratch,
      refuse: (refusal) => void refusals.push(refusal),
      refusals: () => refusals.length,
      refuseAt: (document, at, object, reason) => void refusals.push(refusalAt(document, at, object, reason)),
      infer: (note) => void inferred.push(note),
      secret: (secret) => void secrets.push(secret),
      note: (heading, line) => void notes.set(heading, [...(notes.get(heading) ?? []), line]),
    };
    const conversions: Conversion[] = [];
    for (const importer of importers) {
      const claimed = claims.get(importer);
      if (claimed && claimed.length > 0) conversions.push(await importer.convert(claimed, context));
    }
    for (const conflict of metrics.conflicts()) refusals.push({ file: out, object: 'metrics', reason: conflict });
    if (refusals.length > 0) return report();

    const planned = plan(options.root, out, conversions, metrics);
    for (const file of await existingFiles(options.root, planned))
      refusals.push({ file, object: 'file', reason: 'exists already: import into another --out, or remove it first' });
    if (planned.length === 0)
      refusals.push({
        file: options.files.join(', '),
        object: 'inputs',
        reason: 'they hold nothing to import (no rule group, routing, SLO or dashboard)',
      });
    if (refusals.length > 0) return report();

    const undo = await writeAll(options.root, planned);
    const written = planned.map((each) => each.file);
    let platform: Awaited<ReturnType<typeof loadPlatform>>;
    try {
      platform = await loadPlatform(options.root);
    } catch (error) {
      if (!(error instanceof DefinitionErrors)) throw error;
      // What was written does not load with the project (a name it already uses): take it back out.
      await undo();
      for (const each of error.errors)
        refusals.push({ file: each.file, object: each.path.join(' › ') || 'definitions', reason: `${each.message} [${each.id}]` });
      return report();
    }
    const files = compile(platform);
    const compiled = { root: options.root, platform, files, tree: parseGeneratedTree(files, 'the imported definitions'), written };
    const proof: ProofPart[] = [];
    for (const conversion of conversions) if (conversion.prove) proof.push(...(await conversion.prove(compiled)));
    const rank = (part: ProofPart): number => (part.proves === 'coverage' ? 1 : 0);
    return report(
      written,
      [...proof].sort((a, b) => rank(a) - rank(b)),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Each importer's documents; a document no importer recognises is refused, naming what import reads. */
function recogniseAll(documents: readonly InputDocument[], importers: readonly Importer[], refusals: Refusal[]): Map<Importer, Claimed[]> {
  const claims = new Map<Importer, Claimed[]>();
  for (const document of documents) {
    const found = importers.map((importer) => ({ importer, kind: importer.recognise(document) })).find((each) => each.kind !== undefined);
    if (!found) {
      refusals.push(
        refusalAt(document, [], document.where, `not something import reads (${importers.map((importer) => importer.reads).join('; ')})`),
      );
      continue;
    }
    claims.set(found.importer, [...(claims.get(found.importer) ?? []), { document, kind: found.kind! }]);
  }
  return claims;
}

/** Every module of every conversion and the metrics module, as files under `out`. */
function plan(root: string, out: string, conversions: readonly Conversion[], metrics: MetricCatalog): PlannedFile[] {
  const claimed = new Set<string>();
  const context: WriteContext = {
    out,
    metrics,
    claimFile: (wanted) => {
      const stem =
        wanted
          .replace(/\.ts$/, '')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') || 'imported';
      let file = `${stem}.ts`;
      for (let count = 2; claimed.has(file); count += 1) file = `${stem}-${count}.ts`;
      claimed.add(file);
      return file;
    },
    source: (file) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/'),
    header: (sources) => [`Imported by \`monforge import\` from ${sources.join(', ')}.`, 'Yours now: edit it like any other definition.'],
  };
  // The metrics module's name is taken first: modules import from it.
  context.claimFile('metrics.ts');
  const modules: Module[] = conversions.flatMap((conversion) => conversion.modules(context));
  const declarations = metrics.module(['Metrics the imported definitions read, declared once.', 'Yours now: add help texts and units.']);
  return [...(declarations ? [declarations] : []), ...modules].map((module) => ({
    file: path.posix.join(out, module.file),
    content: module.toString(),
  }));
}

const toPosix = (file: string): string => path.posix.normalize(file.split(path.sep).join('/')).replace(/\/$/, '');
