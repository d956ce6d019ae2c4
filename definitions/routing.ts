import { defineRouting, email, slack } from '../src/index.ts';

// SPEC "Routing, escalation and noise control": who hears about what, and when. Each team's
// own receivers and per-severity choices are in teams.ts; this is the platform-wide policy.
export const routing = defineRouting({
  // "Critical pages the on-call and notifies all stakeholders."
  stakeholders: [
    slack({ channel: '#incidents', apiUrlFile: '/etc/alertmanager/secrets/slack-incidents' }),
    email({ to: 'incident-stakeholders@example.com' }),
  ],
  // "Info only to a daily digest / ticket queue", in business hours; "info = 1 hour": outside
  // them, an info alert still firing after an hour is delivered anyway.
  digest: { receivers: [email({ to: 'alerts-digest@example.com' })], during: ['business-hours'], maxHold: '1h' },
  timeIntervals: {
    'business-hours': { timeZone: 'Europe/London', periods: [{ weekdays: ['monday:friday'], times: [{ start: '09:00', end: '17:00' }] }] },
    // The database's weekly maintenance: its non-critical alerts are muted meanwhile.
    'database-maintenance': { timeZone: 'Europe/London', periods: [{ weekdays: ['sunday'], times: [{ start: '02:00', end: '04:00' }] }] },
  },
  // The database and every service depending on it (through dependsOn) keep their
  // non-critical alerts to themselves during its maintenance.
  maintenance: [{ interval: 'database-maintenance', services: ['database'] }],
  // "During declared critical event windows (e.g. an event day and the 2 hours before it)
  // warnings on the event's critical paths page immediately": the event days are data, in
  // definitions/events.json, so adding one needs no code.
});
