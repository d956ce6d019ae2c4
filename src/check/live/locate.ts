import { anchoredLine, lineIndex } from '../../reader/lines.ts';
import { liveLevels, type LiveFinding, type Origin, type Pending } from './types.ts';

/** Finds origins in the definition files (path → text); thousands of rules share a few origins, each looked up once. */
export class DefinitionLines {
  private readonly split = new Map<string, string[]>();
  private readonly found = new Map<string, { file: string; line: number }>();

  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  private lines(file: string): string[] {
    let lines = this.split.get(file);
    if (!lines) {
      lines = (this.texts.get(file) ?? '').split('\n');
      this.split.set(file, lines);
    }
    return lines;
  }

  /** The file and line of an origin: its file (or, for `anywhere`, the file that has its last anchor), else line 1. */
  at(origin: Origin): { file: string; line: number } {
    const key = [origin.file, origin.anywhere === true, ...origin.anchors.map(String)].join('\0');
    let found = this.found.get(key);
    if (!found) {
      found = this.lookUp(origin);
      this.found.set(key, found);
    }
    return found;
  }

  private lookUp(origin: Origin): { file: string; line: number } {
    const last = origin.anchors.at(-1);
    const everywhere = (): { file: string; line: number } | undefined => {
      for (const file of [...this.texts.keys()].sort()) {
        const index = last === undefined ? -1 : lineIndex(this.lines(file), last);
        if (index >= 0) return { file, line: index + 1 };
      }
      return undefined;
    };
    if (origin.file === '') return everywhere() ?? { file: 'definitions', line: 1 };
    const own = this.lines(origin.file);
    // Written elsewhere (a selector or gauge declared in a shared file): where the last anchor is.
    if (origin.anywhere && last !== undefined && lineIndex(own, last) < 0) {
      const elsewhere = everywhere();
      if (elsewhere) return elsewhere;
    }
    return { file: origin.file, line: anchoredLine(own, origin.anchors) ?? 1 };
  }
}

/** Findings at their lines, errors first, then by file and line; the same finding twice is shown once. */
export function locate(pending: readonly Pending[], lines: DefinitionLines): LiveFinding[] {
  const seen = new Set<string>();
  const found: LiveFinding[] = [];
  for (const each of pending) {
    const finding: LiveFinding = {
      check: each.check,
      level: each.level,
      ...lines.at(each.at),
      object: each.at.object,
      ...(each.at.field !== undefined && { field: each.at.field }),
      message: each.message,
      fix: each.fix,
    };
    const key = JSON.stringify([finding.file, finding.line, finding.check, finding.object, finding.field, finding.message]);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(finding);
  }
  const rank = (finding: LiveFinding): number => liveLevels.indexOf(finding.level);
  return found.sort(
    (a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.message < b.message ? -1 : 1),
  );
}
