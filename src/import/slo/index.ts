import { parseAllDocuments } from 'yaml';
import { readOpenSlo, openSloFormat, type SpecDocument } from './openslo.ts';
import { planImport, type ImportPlan } from './plan.ts';
import { readSloth, slothFormat, type Reading } from './sloth.ts';
import type { SloReading } from './types.ts';
import { writeDefinitions, type WriteOptions } from './write.ts';

// Importing SLO specs: Sloth (prometheus/v1, PrometheusServiceLevel) and OpenSLO (v1alpha, v1)
// files → monforge SLO definitions, or the refusals that stop the whole import.

/** A spec file as read: its path as the user named it, and its text. */
export interface SpecFile {
  readonly path: string;
  readonly text: string;
}

/** The format of a YAML document this importer reads (`Sloth prometheus/v1`, `OpenSLO v1`, …), if it is one. */
export function sloSpecFormat(document: unknown): string | undefined {
  return slothFormat(document) ?? openSloFormat(document);
}

/** Every SLO of the spec documents given, SLIs and data sources resolved across all of them. */
export function readSloDocuments(documents: readonly SpecDocument[]): SloReading {
  const reading: Reading = { slos: [], refusals: [], notes: [] };
  const openSlo: SpecDocument[] = [];
  for (const entry of documents) {
    const sloth = slothFormat(entry.document);
    if (sloth) {
      const found = readSloth(entry.document, entry.file, sloth);
      reading.slos.push(...found.slos);
      reading.refusals.push(...found.refusals);
      reading.notes.push(...found.notes);
    } else if (openSloFormat(entry.document)) openSlo.push(entry);
    else reading.refusals.push(`${entry.file}: not a Sloth or OpenSLO spec`);
  }
  readOpenSlo(openSlo, reading);
  return reading;
}

/** The YAML documents of spec files; a file that is not YAML is a refusal. */
export function specDocuments(files: readonly SpecFile[]): { documents: SpecDocument[]; refusals: string[] } {
  const documents: SpecDocument[] = [];
  const refusals: string[] = [];
  for (const file of files) {
    for (const document of parseAllDocuments(file.text)) {
      if (document.errors.length > 0) {
        refusals.push(`${file.path}: not valid YAML: ${document.errors[0]!.message.split('\n')[0]}`);
        continue;
      }
      const value = document.toJS() as unknown;
      if (value !== null && value !== undefined) documents.push({ document: value, file: file.path });
    }
  }
  return { documents, refusals };
}

export interface SloImport {
  /** Definition files relative to the output folder; empty when anything was refused. */
  readonly files: ReadonlyMap<string, string>;
  readonly plan: ImportPlan;
  readonly refusals: readonly string[];
  /** What did not carry over, one line each naming the file and the object. */
  readonly notes: readonly string[];
}

/** Spec files → definition files, all or nothing. */
export function importSlos(files: readonly SpecFile[], options: WriteOptions): SloImport {
  const { documents, refusals: unreadable } = specDocuments(files);
  const reading = readSloDocuments(documents);
  const plan = planImport(reading.slos);
  const notes = [...reading.notes, ...plan.notes];
  const refusals = [...unreadable, ...reading.refusals, ...plan.refusals];
  const withNotes = { ...plan, notes };
  return { files: refusals.length > 0 ? new Map() : writeDefinitions(withNotes, options), plan: withNotes, refusals, notes };
}
