import type { Platform } from '../model/platform.ts';
import type { FileSet } from '../output/fileset.ts';
import type { GeneratedTree } from '../reader/index.ts';
import type { FieldPath, InputDocument } from './document.ts';
import type { MetricCatalog } from './metrics.ts';
import type { Refusal } from './refusal.ts';
import type { Module } from './typescript.ts';

// What an importer is (STYLE: "Meeting configuration written elsewhere"). `monforge import`
// reads every input file into documents (input.ts), asks each importer of the registry
// (registry.ts) in turn whether a document is its own, hands each importer the documents it
// claimed, writes what they return all at once or nothing, loads and compiles the project with
// the written definitions, and lets each importer prove that what they compile to behaves as
// its originals did. An importer is one folder, src/import/<source>/, and one line in
// registry.ts; it never writes files or prints.
//
//   recognise(document)  → is this mine? (by content, never by file name)
//   convert(claimed, ctx) → a typed intermediate, refusals through ctx.refuse; returns a Conversion
//   conversion.modules()  → TypeScript modules (after every importer converted: metrics are complete)
//   conversion.prove()    → after writing: one summary part per kind of proof, with details

export interface Importer {
  /** Short, for messages: `rules`, `alertmanager`, `sloth`, `grafana dashboards`. */
  readonly name: string;
  /** What it reads, for the message about an input nobody recognises: `Prometheus rule files (groups:), PrometheusRule objects`. */
  readonly reads: string;
  /**
   * Whether a document is this importer's, by its content: the kind of input it is
   * (`PrometheusRule`, `rule file`, `Alertmanager Secret`), or undefined. Importers are asked in
   * registry order; the first that answers claims the document.
   */
  recognise(document: InputDocument): string | undefined;
  /**
   * Converts every document this importer claimed into its typed intermediate. Anything the
   * model cannot represent is refused through `context.refuse` (file, line, object, why): one
   * refusal anywhere and nothing is written, so convert as much as possible to report every
   * refusal at once.
   */
  convert(claimed: readonly Claimed[], context: ImportContext): Promise<Conversion>;
}

export interface Claimed {
  readonly document: InputDocument;
  /** What `recognise` answered. */
  readonly kind: string;
}

/** What an importer made of its documents: the modules to write and the proof to run once they are written. */
export interface Conversion {
  /**
   * The TypeScript modules to write under the output folder. Called once every importer has
   * converted, so `context.metrics` knows every selector of every input.
   */
  modules(context: WriteContext): readonly Module[];
  /**
   * After writing: compare what the project now compiles to with the originals. Each part is
   * one item of the summary line (`312/312 rules equivalent`); a part that is not `ok` makes
   * the import exit 1.
   */
  prove?(project: CompiledProject): Promise<readonly ProofPart[]>;
}

/** The project an import writes into, as loaded before anything is written. */
export interface Project {
  /** The project directory (`--root`). */
  readonly root: string;
  /** The output folder relative to the root, POSIX: `definitions/imported`. */
  readonly out: string;
  readonly platform: Platform;
}

export interface ImportContext {
  readonly project: Project;
  /** `--team`: the owner of what carries no team of its own. */
  readonly team: string | undefined;
  /** Every metric the inputs read, declared once for all importers (metrics.ts). */
  readonly metrics: MetricCatalog;
  /** A scratch directory for external tools (promtool), removed after the import. */
  readonly scratch: string;
  refuse(refusal: Refusal): void;
  /** How many refusals there are so far (of every importer): with any, nothing will be written, so costly work can be skipped. */
  refusals(): number;
  /** A refusal of a field of a document. */
  refuseAt(document: InputDocument, path: FieldPath, object: string, reason: string): void;
  /** Something the import decided that the source did not say: `service "node-exporter" for group "node-exporter" (job in every selector)`. */
  infer(note: string): void;
  /** A secret value that was inline: the file to create and where the value was (never the value). */
  secret(secret: SecretFile): void;
  /** Anything else the report lists, under a heading: `untested`, `carried over`. */
  note(heading: string, line: string): void;
}

export interface SecretFile {
  /** The absolute path definitions now reference. */
  readonly path: string;
  /** `alertmanager.yaml:23 receivers[2].pagerduty_configs[0].routing_key`. */
  readonly from: string;
}

export interface WriteContext {
  /** The output folder relative to the project root. */
  readonly out: string;
  readonly metrics: MetricCatalog;
  /** A file name under the output folder that no other module has, from a wanted one (`node-exporter-rules.ts` → `node-exporter-rules-2.ts`). */
  claimFile(wanted: string): string;
  /** An input file as written files name it: relative to the project root, POSIX. */
  source(file: string): string;
  /** The header every written module starts with: where it came from. */
  header(sources: readonly string[]): string[];
}

/** The project as it compiles with the written definitions: what proofs compare with the originals. */
export interface CompiledProject {
  readonly root: string;
  readonly platform: Platform;
  /** Every generated file, in memory (nothing is written to generated/). */
  readonly files: FileSet;
  /** The same files through the one reader of generated trees. */
  readonly tree: GeneratedTree;
  /** The written definition files, relative to the root. */
  readonly written: readonly string[];
}

export interface ProofPart {
  /** One item of the summary line: `312/312 rules equivalent`, `routing 21/21 label sets`. */
  readonly summary: string;
  /** What it proves: the originals' behaviour (the default), or how much the tests cover; the summary lists equivalence first. */
  readonly proves?: 'equivalence' | 'coverage';
  readonly ok: boolean;
  /** One line per difference (or per listed item, such as untested alerts). */
  readonly details: readonly string[];
}
