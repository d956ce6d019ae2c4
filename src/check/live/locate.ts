import { anchoredLine, lineIndex } from '../../reader/lines.ts';
import { liveLevels, type LiveFinding, type Origin, type Pending } from './types.ts';

/** The file and line of an origin in the definition files (`texts`: path → text). */
export function originLine(
  at: Origin,
  texts: ReadonlyMap<string, string>,
  lines = new Map<string, string[]>(),
): { file: string; line: number } {
  const split = (file: string): string[] => {
    let cached = lines.get(file);
    if (!cached) {
      cached = (texts.get(file) ?? '').split('\n');
      lines.set(file, cached);
    }
    return cached;
  };
  const last = at.anchors.at(-1);
  if (at.file !== '') {
    const own = split(at.file);
    const line = anchoredLine(own, at.anchors);
    // Written elsewhere (a selector or gauge declared in a shared file): where the last anchor is.
    if (at.anywhere && last !== undefined && lineIndex(own, last) < 0) {
      for (const file of [...texts.keys()].sort()) {
        const index = lineIndex(split(file), last);
        if (index >= 0) return { file, line: index + 1 };
      }
    }
    return { file: at.file, line: line ?? 1 };
  }
  for (const file of [...texts.keys()].sort()) {
    const line = last === undefined ? undefined : lineIndex(split(file), last);
    if (line !== undefined && line >= 0) return { file, line: line + 1 };
  }
  return { file: 'definitions', line: 1 };
}

/** Findings at their lines, errors first, then by file and line; the same finding twice is shown once. */
export function locate(pending: readonly Pending[], texts: ReadonlyMap<string, string>): LiveFinding[] {
  const lines = new Map<string, string[]>();
  const seen = new Set<string>();
  const found: LiveFinding[] = [];
  for (const each of pending) {
    const { file, line } = originLine(each.at, texts, lines);
    const finding: LiveFinding = {
      check: each.check,
      level: each.level,
      file,
      line,
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
