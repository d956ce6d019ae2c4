import { definePlaybook } from 'monforge';

// What the remediation receiver does when Alertmanager sends it a matching firing alert.
export const checkoutDown = definePlaybook({
  name: 'checkout-down',
  description: 'Restart checkout when it stops answering; page a human if it does not come back.',
  match: { alertname: 'CheckoutDown' },
  allowExec: ['/usr/bin/systemctl'], // an exec of any other program does not compile
  actions: [{ kind: 'exec', name: 'restart', argv: ['/usr/bin/systemctl', 'restart', 'checkout.service'], timeout: '60s' }],
  verify: { query: 'sum(up{job="checkout"}) > 0', within: '2m', interval: '10s' },
  cooldown: '15m',
  maxRunsPerHour: 3,
});
