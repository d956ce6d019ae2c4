export interface Team {
  readonly kind: 'team';
  /** Lower-case identifier used in the `team` label and the dashboard folder. */
  readonly name: string;
  readonly description?: string;
}

export function defineTeam(options: Omit<Team, 'kind'>): Team {
  return { kind: 'team', ...options };
}
