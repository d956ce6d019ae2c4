// The part of Alertmanager's API v2 that `monforge test-alert` uses.

export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly fingerprint: string;
  readonly receivers: { readonly name: string }[];
  readonly status: {
    readonly state: 'unprocessed' | 'active' | 'suppressed';
    readonly inhibitedBy: string[];
    readonly silencedBy: string[];
  };
}

const endpoint = (base: string, query = ''): string => `${base.replace(/\/+$/, '')}/api/v2/alerts${query}`;

export async function postAlerts(base: string, alerts: readonly PostableAlert[]): Promise<void> {
  const response = await fetch(endpoint(base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!response.ok) throw new Error(`Alertmanager refused the alert: ${response.status} ${(await response.text()).trim()}`);
}

/** Alerts whose labels equal every given one. */
export async function getAlerts(base: string, labels: Readonly<Record<string, string>>): Promise<GettableAlert[]> {
  const query = new URLSearchParams(Object.entries(labels).map(([label, value]) => ['filter', `${label}=${JSON.stringify(value)}`]));
  const response = await fetch(endpoint(base, `?${query}`));
  if (!response.ok) throw new Error(`Alertmanager answered ${response.status} ${(await response.text()).trim()}`);
  return (await response.json()) as GettableAlert[];
}
