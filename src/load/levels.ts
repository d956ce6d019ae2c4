import * as alerts from '../findings/catalog/alerts.ts';
import type { Said } from '../findings/kind.ts';
import { severities, type Severity } from '../model/severity.ts';

// Checks of levels and escalation that alerts and policies share.

type Fail = (path: string[], said: Said) => void;

/**
 * At least one level, levels more extreme as severity rises (above → increasing, below →
 * decreasing), and an escalation that raises the severity of the mildest level.
 */
export function checkLevels(
  levels: { readonly [S in Severity]?: number },
  direction: 'above' | 'below',
  escalate: { readonly to: Severity } | undefined,
  fail: Fail,
): void {
  const given = severities.filter((severity) => levels[severity] !== undefined);
  if (given.length === 0) fail(['levels'], alerts.noLevels());
  for (let index = 1; index < given.length; index += 1) {
    const higher = given[index - 1]!;
    const lower = given[index]!;
    const ok = direction === 'above' ? levels[higher]! > levels[lower]! : levels[higher]! < levels[lower]!;
    if (!ok) {
      fail(
        ['levels'],
        alerts.levelsOrder(higher, levels[higher]!, direction === 'above' ? 'above' : 'below', lower, levels[lower]!, direction),
      );
    }
  }
  const mildest = given.at(-1);
  if (escalate && mildest && severities.indexOf(escalate.to) >= severities.indexOf(mildest)) {
    fail(['escalate', 'to'], alerts.escalationNotHigher(escalate.to, mildest));
  }
}
