import { defineTeam } from '../src/index.ts';

// SPEC "The example platform": requirements gathered from five platform teams. Every
// service names its owner; routing is per team (SPEC "Team-specific routing").

export const web = defineTeam({
  name: 'web',
  description: 'Web application front end: Core Web Vitals, module switching, governance pages and forms.',
});

export const platform = defineTeam({
  name: 'platform',
  description: 'Core API, cache and background jobs (automation, backups).',
});

export const data = defineTeam({
  name: 'data',
  description: 'Database, search and connection suggestions.',
});

export const assistant = defineTeam({
  name: 'assistant',
  description: 'The "ivor" assistant.',
});

export const events = defineTeam({
  name: 'events',
  description: 'Event-day critical paths: photo upload, guest list, timeline sync.',
});
