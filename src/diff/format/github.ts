import type { Diff } from '../index.ts';
import type { Change } from '../types.ts';
import { sentence } from './describe.ts';
import { location, type RepositoryPaths } from './location.ts';

// GitHub Actions workflow commands: one annotation per change on the definition file it comes
// from. GitHub shows ten errors and ten warnings per step, so breaking changes come first.

const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function level(change: Change): 'error' | 'warning' | 'notice' {
  if (change.breaking) return 'error';
  return change.securityReview || change.reason || change.highlight ? 'warning' : 'notice';
}

const rank = { error: 0, warning: 1, notice: 2 };

export function formatGithubAnnotations(diff: Diff, paths: RepositoryPaths): string {
  return [...diff.changes]
    .sort((a, b) => rank[level(a)] - rank[level(b)])
    .map((change) => {
      const { path, line } = location(change, paths);
      const title = change.breaking
        ? 'monforge diff: breaking change'
        : change.securityReview
          ? 'monforge diff: security review'
          : 'monforge diff';
      return `::${level(change)} file=${escapeProperty(path)},line=${line},title=${escapeProperty(title)}::${escapeData(sentence(change))}\n`;
    })
    .join('');
}
