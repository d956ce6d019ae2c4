// Dashboard tags: Grafana's "dashboards" links list every dashboard with a tag, so links
// between the generated dashboards need no URLs.

export const platformTag = 'monforge-platform';
export const serviceTag = 'monforge-service';
export const teamTag = (team: string): string => `team:${team}`;
