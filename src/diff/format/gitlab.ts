import { createHash } from 'node:crypto';
import type { Diff } from '../index.ts';
import type { Change } from '../types.ts';
import { sentence } from './describe.ts';
import { location, type RepositoryPaths } from './location.ts';

// A GitLab Code Quality report: merge requests show each entry on the file and line it names.

function severity(change: Change): 'critical' | 'major' | 'minor' | 'info' {
  if (change.breaking) return 'critical';
  if (change.securityReview) return 'major';
  return change.reason || change.highlight ? 'minor' : 'info';
}

export function formatGitlabCodeQuality(diff: Diff, paths: RepositoryPaths): string {
  const seen = new Map<string, number>();
  const issues = diff.changes.map((change) => {
    const { path, line } = location(change, paths);
    // Stable across runs, so GitLab can tell new findings from fixed ones; unique within the report.
    const identity = [change.kind, change.action, change.object, change.field ?? '', change.level ?? ''].join('\0');
    const repeat = seen.get(identity) ?? 0;
    seen.set(identity, repeat + 1);
    return {
      description: sentence(change),
      check_name: `monforge-diff/${change.kind}`,
      fingerprint: createHash('sha256').update(`${identity}\0${repeat}`).digest('hex'),
      severity: severity(change),
      location: { path, lines: { begin: line } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
