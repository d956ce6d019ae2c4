import type { FieldPath, InputDocument } from './document.ts';

/**
 * Why an input cannot be imported: one line naming the file (and line), the object and the
 * reason. One refusal means nothing is written (an import is all or nothing).
 */
export interface Refusal {
  readonly file: string;
  readonly line?: number | undefined;
  /** What is refused, as its source names it: `PrometheusRule monitoring/node-exporter-rules › group "node-exporter" › alert "NodeDown"`. */
  readonly object: string;
  readonly reason: string;
}

/** A refusal of the field at `path` of a document. */
export function refusalAt(document: InputDocument, path: FieldPath, object: string, reason: string): Refusal {
  return { file: document.file, line: document.line(path), object, reason };
}

export function formatRefusal(refusal: Refusal): string {
  return `${refusal.file}${refusal.line === undefined ? '' : `:${refusal.line}`}: ${refusal.object}: ${refusal.reason}`;
}
