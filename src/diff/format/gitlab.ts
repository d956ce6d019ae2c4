import type { Diff } from '../index.ts';
import type { Change } from '../types.ts';
import { gitlabCodeQuality } from '../../output/annotations.ts';
import { sentence } from './describe.ts';
import { location, type RepositoryPaths } from './location.ts';

function severity(change: Change): 'critical' | 'major' | 'minor' | 'info' {
  if (change.breaking) return 'critical';
  if (change.securityReview) return 'major';
  return change.reason || change.highlight ? 'minor' : 'info';
}

export function formatGitlabCodeQuality(diff: Diff, paths: RepositoryPaths): string {
  return gitlabCodeQuality(
    diff.changes.map((change) => ({
      description: sentence(change),
      checkName: `monforge-diff/${change.kind}`,
      severity: severity(change),
      ...location(change, paths),
      identity: [change.kind, change.action, change.object, change.field ?? '', change.level ?? ''].join('\0'),
    })),
  );
}
