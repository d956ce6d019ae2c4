import { defineTeam, email, pager, pagerduty, slack, webhook, type SecretFile } from '../src/index.ts';

// SPEC "The example platform": requirements gathered from five platform teams. Every
// service names its owner; routing is per team (SPEC "Team-specific routing").
// Receivers hold no secrets: Alertmanager reads them from files on its host.
const secret = (name: string): SecretFile => `/etc/alertmanager/secrets/${name}`;

export const web = defineTeam({
  name: 'web',
  description: 'Web application front end: Core Web Vitals, module switching, governance pages and forms.',
  receivers: {
    pager: pagerduty({ routingKeyFile: secret('web-pagerduty') }),
    slack: slack({ channel: '#web-alerts', apiUrlFile: secret('slack-web') }),
    mail: email({ to: 'web-team@example.com' }),
  },
  notify: { critical: ['pager', 'slack'], high: ['slack', 'mail'], warning: ['slack'] },
});

export const platform = defineTeam({
  name: 'platform',
  description: 'Core API, cache and background jobs (automation, backups).',
  receivers: {
    pager: pagerduty({ routingKeyFile: secret('platform-pagerduty') }),
    sms: pager({ url: 'https://sms-gateway.example.com/v1/alertmanager', credentialsFile: secret('sms-gateway-token') }),
    slack: slack({ channel: '#platform-alerts', apiUrlFile: secret('slack-platform') }),
  },
  notify: { critical: ['pager', 'sms', 'slack'], high: ['slack'], warning: ['slack'] },
});

export const data = defineTeam({
  name: 'data',
  description: 'Database, search and connection suggestions.',
  receivers: {
    pager: pagerduty({ routingKeyFile: secret('data-pagerduty') }),
    slack: slack({ channel: '#data-alerts', apiUrlFile: secret('slack-data') }),
    mail: email({ to: 'data-team@example.com' }),
  },
  notify: { critical: ['pager', 'slack'], high: ['slack', 'mail'], warning: ['slack'] },
});

export const assistant = defineTeam({
  name: 'assistant',
  description: 'The "ivor" assistant.',
  receivers: {
    pager: pagerduty({ routingKeyFile: secret('assistant-pagerduty') }),
    slack: slack({ channel: '#ivor-alerts', apiUrlFile: secret('slack-assistant') }),
    chatops: webhook({ url: 'https://chatops.example.com/hooks/alertmanager', credentialsFile: secret('chatops-token') }),
  },
  notify: { critical: ['pager', 'slack'], high: ['slack', 'chatops'], warning: ['slack'] },
});

export const events = defineTeam({
  name: 'events',
  description: 'Event-day critical paths: photo upload, guest list, timeline sync.',
  receivers: {
    pager: pagerduty({ routingKeyFile: secret('events-pagerduty') }),
    sms: pager({ url: 'https://sms-gateway.example.com/v1/alertmanager', credentialsFile: secret('sms-gateway-token') }),
    slack: slack({ channel: '#event-day', apiUrlFile: secret('slack-events') }),
  },
  notify: { critical: ['pager', 'sms', 'slack'], high: ['sms', 'slack'], warning: ['slack'] },
});
