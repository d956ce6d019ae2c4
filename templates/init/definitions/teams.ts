import { defineTeam, pagerduty, slack } from 'monforge';

// Who owns which services, where they are reached, and which receivers each severity notifies.
// Secrets are files on the Alertmanager host, never values here.
export const shop = defineTeam({
  name: 'shop',
  receivers: {
    pager: pagerduty({ routingKeyFile: '/etc/alertmanager/secrets/shop-pagerduty' }),
    slack: slack({ channel: '#shop-alerts', apiUrlFile: '/etc/alertmanager/secrets/shop-slack' }),
  },
  notify: { critical: ['pager', 'slack'], high: ['slack'], warning: ['slack'], info: ['slack'] },
});
