import { definePolicy } from '../src/index.ts';

// Coverage by policy: what every service gets without its author remembering it (SPEC
// "Availability, errors, resources" and "Alert conditions as written by the teams"). A
// service's own alert that `covers` a kind replaces the policy's; an opt-out needs a reason.
// `npx monforge coverage` shows what each service has, and where from.

export const platformDefault = definePolicy({
  name: 'platform-default',
  description: 'Every service: error rate, latency spikes, targets down, memory, CPU and disk, absent series.',
  // "error rate 0.1 % warning, 0.5 % critical"; "error rate > 0.1 % for 3 minutes → warning,
  // escalate after 10 minutes" (to high: the owning team, fast).
  errorRatio: { levels: { warning: 0.1, critical: 0.5 }, for: '3m', escalate: { after: '10m', to: 'high' } },
  // "latency spike: average response time > threshold × 1.5 for 2 minutes → warning", the
  // threshold being the service's latency SLO.
  latency: { kind: 'spike', levels: { warning: 1.5 }, window: '2m', for: '2m' },
  // Share of the service's targets down; all of them down is <Service>Down's page.
  liveness: { levels: { warning: 10, high: 50 }, for: '5m' },
  saturation: {
    // "memory 80 % warning (also 85 %), 90 % critical"; "memory > 85 % … for 2 minutes → high".
    memory: { levels: { warning: 80, high: 85, critical: 90 }, for: '2m' },
    // "CPU 70 % warning"; "CPU > 90 % for 2 minutes → high": a busy CPU is not a page.
    cpu: { levels: { warning: 70, high: 90 }, for: '2m' },
    // SPEC gives no disk figure: memory's warning and high, and "full within 4 h" from the trend.
    disk: { levels: { warning: 80, high: 90 }, for: '5m', forecast: { horizon: '4h', lookback: '6h', severity: 'high', for: '15m' } },
  },
  absent: { targets: { severity: 'warning', for: '5m' }, metrics: { severity: 'warning', for: '15m' } },
});

export const criticalTier = definePolicy({
  name: 'critical-tier',
  description: 'Critical services: half the targets down, or all of them gone from discovery, pages.',
  tiers: ['critical'],
  liveness: { levels: { warning: 10, critical: 50 }, for: '2m' },
  absent: { targets: { severity: 'critical', for: '2m' } },
});

export const bestEffort = definePolicy({
  name: 'best-effort',
  description: 'Medium and low tiers: the looser error-rate pair of SPEC.',
  tiers: ['medium', 'low'],
  // "error rate … (also 1 %) … (also 5 %)", for 5 minutes, without escalation.
  errorRatio: { levels: { warning: 1, critical: 5 }, for: '5m' },
});
