import { findingKind } from '../kind.ts';

// What `check` says of the project as a whole, beside the validators' findings on each file.

export const staleGenerated = findingKind(
  {
    id: 'check/stale-generated',
    title: 'The committed generated/ is not what the definitions compile to',
    cause:
      'generated/ is what gets deployed and reviewed: a definition changed without `monforge generate`, or a file under generated/ edited by hand, would ship something no definition says. The lines below the finding list the files that are stale, missing or extra.',
    fix: 'Run `npx monforge generate` and commit generated/ with the definitions.',
  },
  () => 'generated/ is out of date',
);

export const typeErrors = findingKind(
  {
    id: 'check/type-errors',
    title: 'The definitions do not type-check',
    cause:
      "tsc, on definitions/ and what it imports under the compiler options of the project's tsconfig.json (or the settings `monforge init` writes), found type errors: a label a metric does not have, a receiver a team does not define, a field of the wrong kind. Its own lines follow the finding, each naming file, line and column.",
    fix: 'Correct the definitions at the lines tsc names.',
  },
  () => 'the definitions do not type-check (tsc)',
);

export const typeCheckTimeout = findingKind(
  {
    id: 'check/type-check-timeout',
    title: 'The type-check did not finish in time',
    cause:
      'tsc ran past its deadline and was killed: a fault of the run (an overloaded machine, a type that takes the checker into very deep instantiation), not a verdict on the definitions. The rest of `check` runs alongside it and reports as usual.',
    fix: 'Run `monforge check` again; if it times out again, run `npx tsc --noEmit` in the project to see where it spends its time.',
  },
  (deadline: string) => `the type-check (tsc) did not finish within ${deadline} and was killed`,
);

export const missingTools = findingKind(
  {
    id: 'check/missing-tools',
    title: 'promtool or amtool cannot be run',
    cause:
      '`check` validates with the real promtool and amtool and never passes without them: neither PATH nor the `MONFORGE_PROMTOOL` / `MONFORGE_AMTOOL` overrides lead to them.',
    fix: 'Install the Debian/Ubuntu packages `prometheus` and `prometheus-alertmanager`, put the tools on PATH, or set the overrides.',
  },
  (tools: readonly string[], overrides: string) =>
    `${tools.join(' and ')} not found: install the Debian/Ubuntu packages (\`sudo apt-get install prometheus prometheus-alertmanager\`), put ${tools.length > 1 ? 'them' : 'it'} on PATH, or set ${overrides}`,
);
