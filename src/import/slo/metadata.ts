import { parseAlertTemplate, templateLabelRefs } from '../../promql/template.ts';
import type { Place, Sink } from './types.ts';

// Labels and annotations of a spec, as far as monforge's SLOs can carry them: what cannot be
// carried is left out with a note that says so, never changed into something else.

const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Labels monforge sets on every SLO rule and alert (load refuses them on an SLO). */
const ownLabels = new Set(['alertname', 'service', 'slo', 'team', 'severity', 'tier']);

/** Sloth's labels and what monforge calls them: `sloth_service` is `service`, and so on. */
const slothLabels: Record<string, string> = { sloth_service: 'service', sloth_slo: 'slo' };

/** The labels monforge can carry; the others are named in a note, except those `same` lists: monforge gives them that value itself. */
export function carriedLabels(
  labels: Readonly<Record<string, string>> | undefined,
  place: Place,
  where: string,
  sink: Sink,
  same: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const carried: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels ?? {})) {
    // A `team` label names the service's team (index.ts), not a label of its series.
    if (same[name] === value || name === 'team') continue;
    if (!labelName.test(name) || name.startsWith('__'))
      sink.note(place, `${where} label ${name}="${value}" not carried: not a Prometheus label name`);
    else if (ownLabels.has(name))
      sink.note(
        place,
        `${where} label ${name}="${value}" not carried: monforge sets ${name} itself${name === 'severity' ? ' (critical on the page tier, warning on the ticket tier)' : name === 'tier' ? ' (page or ticket)' : ''}`,
      );
    else carried[name] = value;
  }
  return Object.keys(carried).length > 0 ? carried : undefined;
}

/**
 * Annotations monforge can render the same: Sloth's `$labels.sloth_service` and `sloth_slo`
 * read monforge's `service` and `slo`; a template reading a label the alert's series will not
 * have, or that monforge's templates cannot render exactly, is left out with a note.
 */
export function carriedAnnotations(
  annotations: Readonly<Record<string, string>> | undefined,
  seriesLabels: readonly string[],
  place: Place,
  where: string,
  sink: Sink,
): Record<string, string> | undefined {
  const carried: Record<string, string> = {};
  for (const [name, text] of Object.entries(annotations ?? {})) {
    const renamed = text.replace(/\$labels\.(sloth_service|sloth_slo)\b/g, (_, label: string) => `$labels.${slothLabels[label]}`);
    if (!labelName.test(name)) {
      sink.note(place, `${where} annotation ${name} not carried: not a valid annotation name`);
      continue;
    }
    const parsed = parseAlertTemplate(renamed);
    if ('error' in parsed) {
      sink.note(place, `${where} annotation ${name} not carried: ${parsed.error}`);
      continue;
    }
    const missing = templateLabelRefs(parsed).filter((label) => !seriesLabels.includes(label));
    if (missing.length > 0) {
      sink.note(
        place,
        `${where} annotation ${name} not carried: it reads ${missing.map((label) => `$labels.${label}`).join(', ')}, which monforge's SLO series do not have`,
      );
      continue;
    }
    carried[name] = renamed;
  }
  return Object.keys(carried).length > 0 ? carried : undefined;
}
