import type { Severity } from '../../model/severity.ts';
import type { Service } from '../../model/service.ts';

/** The labels every alert carries; routing and inhibition in Alertmanager key on them. */
export function alertLabels(service: Service, severity: Severity, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { service: service.name, team: service.team, severity, ...extra };
}

/** Annotations in a fixed key order: summary, description, runbook_url. */
export function alertAnnotations(summary: string, description: string, runbook: string): Record<string, string> {
  return { summary, description, runbook_url: runbook };
}
