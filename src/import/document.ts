import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { parseJson } from '../load/json.ts';

// One YAML (or JSON) document of an input file, with the lines of its fields, so that every
// refusal and every report line can say `file:line`. Documents come from multi-document files,
// from the items of a Kubernetes List, and from YAML held in a string field (a Secret's
// `alertmanager.yaml`): each keeps the lines of the file it was read from.

export type FieldPath = readonly (string | number)[];

export interface InputDocument {
  /** The file as given on the command line. */
  readonly file: string;
  /** Where the document sits in its file: `document 2`, `document 1 › items[3]`, `… › stringData.alertmanager.yaml`. */
  readonly where: string;
  readonly value: unknown;
  /** The 1-based line of a field (or of its closest parent that has one) in the file. */
  line(path: FieldPath): number | undefined;
  /** `file:line` of a field, for messages. */
  at(path: FieldPath): string;
  /** The document at a path inside this one (a List's item), keeping this one's lines. */
  child(path: FieldPath): InputDocument;
  /** Whether a string field is a block scalar (`|`), whose lines are the file's lines. */
  isBlock(path: FieldPath): boolean;
}

/** A document that could not be parsed: the file, the line and the parser's message. */
export interface ParseProblem {
  readonly file: string;
  readonly line: number | undefined;
  readonly message: string;
}

/**
 * Parses every document of a YAML (or JSON) text; empty documents (a trailing `---`) are left out.
 * A text that opens like JSON is read as JSON (YAML would take `tru` for a string and refuse a
 * repeated key JSON keeps the last of), with YAML's lines; one that is not JSON says where, by line
 * and column, unless it is YAML in flow style outside a `.json` file.
 */
export function parseDocuments(file: string, text: string): { documents: InputDocument[]; problems: ParseProblem[] } {
  if (!/^\s*[[{]/.test(text)) return parseAt(file, text, (line) => line, 'document');
  const parsed = parseJson(text);
  if ('value' in parsed) return parseAt(file, text, (line) => line, 'document', { json: parsed.value });
  const yaml = file.endsWith('.json') ? undefined : parseAt(file, text, (line) => line, 'document');
  if (yaml && yaml.problems.length === 0) return yaml;
  const { line, column, message } = parsed.problem;
  return { documents: [], problems: [{ file, line, message: `invalid JSON at column ${column}: ${message}` }] };
}

/**
 * The documents of a YAML text held in a string field of `parent` (a Secret's
 * `stringData.alertmanager.yaml`). A block scalar's lines map onto the file's; otherwise (a
 * quoted string, base64 `data`) every line is the field's own.
 */
export function parseEmbedded(
  parent: InputDocument,
  path: FieldPath,
  text: string,
): { documents: InputDocument[]; problems: ParseProblem[] } {
  const fieldLine = parent.line(path);
  const block = parent.isBlock(path);
  const mapLine = (line: number): number | undefined => (fieldLine === undefined ? undefined : block ? fieldLine + line : fieldLine);
  return parseAt(parent.file, text, mapLine, `${parent.where} › ${pathText(path)}`);
}

function parseAt(
  file: string,
  text: string,
  mapLine: (line: number) => number | undefined,
  where: string,
  /** The value of a JSON text, parsed as JSON: YAML gives only the lines of its fields. */
  read?: { json: unknown },
): { documents: InputDocument[]; problems: ParseProblem[] } {
  const counter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: read === undefined });
  const documents: InputDocument[] = [];
  const problems: ParseProblem[] = [];
  const all = Array.isArray(parsed) ? parsed : [];
  all.forEach((document, index) => {
    // The first error of a document: the parser's later ones are mostly its echoes.
    const error = document.errors[0];
    if (error && !read) {
      const line = error.linePos?.[0]?.line ?? counter.linePos(error.pos[0]).line;
      problems.push({ file, line: mapLine(line), message: `invalid YAML: ${error.message.split('\n')[0]}` });
      return;
    }
    const value: unknown = read ? read.json : document.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    const label = all.length > 1 ? `${where} ${index + 1}` : where;
    documents.push(yamlDocument(file, label, document, counter, mapLine, [], value));
  });
  if (!Array.isArray(parsed)) problems.push({ file, line: undefined, message: 'invalid YAML' });
  return { documents, problems };
}

function yamlDocument(
  file: string,
  where: string,
  document: Document,
  counter: LineCounter,
  mapLine: (line: number) => number | undefined,
  base: FieldPath,
  value: unknown,
): InputDocument {
  const nodeAt = (path: FieldPath): unknown => {
    // The closest node that exists on the way down; a field is where its key is written.
    const full = [...base, ...path];
    for (let length = full.length; length >= 0; length -= 1) {
      const parent = length > 0 ? document.getIn(full.slice(0, length - 1), true) : undefined;
      const key = full[length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
        if (pair && isNode(pair.key)) return pair.key;
      } else if (isSeq(parent) && typeof key === 'number' && isNode(parent.items[key])) return parent.items[key];
      const node = document.getIn(full.slice(0, length), true);
      if (isNode(node)) return node;
    }
    return undefined;
  };
  const line = (path: FieldPath): number | undefined => {
    const node = nodeAt(path);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    return offset === undefined ? undefined : mapLine(counter.linePos(offset).line);
  };
  return {
    file,
    where,
    value,
    line,
    at: (path) => {
      const found = line(path);
      return found === undefined ? file : `${file}:${found}`;
    },
    child: (path) =>
      yamlDocument(file, `${where} › ${pathText(path)}`, document, counter, mapLine, [...base, ...path], valueAt(value, path)),
    isBlock: (path) => {
      const node = document.getIn([...base, ...path], true);
      return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    },
  };
}

function valueAt(value: unknown, path: FieldPath): unknown {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown> | undefined)?.[key];
  return current;
}

/** `spec.groups[0].rules[3]` */
export function pathText(path: FieldPath): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${key}`)).join('');
}
