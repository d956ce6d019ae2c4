import type { Diff } from '../index.ts';
import type { Change } from '../types.ts';
import { annotationRank, githubAnnotation, type AnnotationLevel } from '../../output/annotations.ts';
import { sentence } from './describe.ts';
import { location, type RepositoryPaths } from './location.ts';

// GitHub Actions workflow commands: one annotation per change on the definition file it comes
// from, breaking changes first.

function level(change: Change): AnnotationLevel {
  if (change.breaking) return 'error';
  return change.securityReview || change.reason || change.highlight ? 'warning' : 'notice';
}

export function formatGithubAnnotations(diff: Diff, paths: RepositoryPaths): string {
  return [...diff.changes]
    .sort((a, b) => annotationRank[level(a)] - annotationRank[level(b)])
    .map((change) => {
      const title = change.breaking
        ? 'monforge diff: breaking change'
        : change.securityReview
          ? 'monforge diff: security review'
          : 'monforge diff';
      return githubAnnotation(level(change), location(change, paths), title, sentence(change));
    })
    .join('');
}
