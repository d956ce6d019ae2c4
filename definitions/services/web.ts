import {
  defineService,
  histogram,
  latencySlo,
  quantile,
  ratioSlo,
  re,
  select,
  type Histogram,
  type ThresholdAlert,
} from '../../src/index.ts';
import { httpDuration, httpRequests } from '../metrics.ts';

// The web application. Besides its server metrics it exposes the real-user metrics (RUM)
// that browsers report to its beacon endpoint, as histograms labelled by page.
// SPEC "Front-end (Core Web Vitals, real-user metrics, 75th or 90th percentile)": the vitals
// are judged at p75 (the Core Web Vitals convention), page load at p90 as SPEC writes.
// "JS bundle < 500 KB gzipped" is a CI budget, not an alert, so it has no metric here.

const rum = (name: string, help: string, buckets: readonly number[], unit: 'seconds' | 'none' = 'seconds'): Histogram<'page'> =>
  histogram({ name, help, unit, labels: ['page'], buckets });

// Every bucket list holds its SPEC target, and its largest bucket is well above it.
export const firstContentfulPaint = rum(
  'web_vitals_fcp_seconds',
  'First Contentful Paint seen by real users.',
  [0.5, 1, 1.8, 2.5, 3, 4, 6, 10],
);
export const largestContentfulPaint = rum(
  'web_vitals_lcp_seconds',
  'Largest Contentful Paint seen by real users.',
  [0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 10],
);
export const firstInputDelay = rum(
  'web_vitals_fid_seconds',
  'First Input Delay seen by real users.',
  [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1],
);
export const cumulativeLayoutShift = rum(
  'web_vitals_cls',
  'Cumulative Layout Shift score seen by real users (unitless).',
  [0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1],
  'none',
);
export const timeToInteractive = rum('web_vitals_tti_seconds', 'Time to Interactive seen by real users.', [1, 2, 3, 3.5, 5, 7.5, 10, 20]);
export const pageLoad = rum(
  'web_page_load_seconds',
  'Full page load time (load event) seen by real users.',
  [0.5, 1, 1.5, 2, 3, 5, 10, 20],
);
export const navigation = rum('web_navigation_seconds', 'Client-side navigation time seen by real users.', [0.05, 0.1, 0.25, 0.5, 1, 2, 5]);
/** Switching between modules of the single-page app; 0.2 is a bucket for the SLO. */
export const moduleSwitch = rum(
  'web_module_switch_seconds',
  'Time to switch between application modules, seen by real users.',
  [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5],
);

/** One warning when the percentile of a real-user metric crosses its SPEC target. */
function vitalAlert(name: string, label: string, metric: Histogram<'page'>, q: number, target: number, targetText: string): ThresholdAlert {
  const value = metric.unit === 'seconds' ? '{{ $value | humanizeDuration }}' : '{{ printf "%.3f" $value }}';
  return {
    name,
    expr: quantile(q, select(metric), { window: '15m' }),
    levels: { warning: target },
    // Real-user data is noisy: only a sustained regression is worth a message.
    for: '15m',
    summary: `web ${label} p${q * 100} is ${value}`,
    description:
      `The ${q * 100}th percentile of ${label} reported by real users of web (job {{ $labels.job }}) over 15 minutes is ${value}, ` +
      `above the ${targetText} target.`,
  };
}

const requests = select(httpRequests);
const errors = select(httpRequests, { code: re('5..') });

export const webApp = defineService({
  name: 'web',
  description: 'The web application (server and real-user metrics).',
  team: 'web',
  tier: 'high',
  dependsOn: ['api'],
  selector: { job: 'web' },
  traffic: { requests, errors, latency: select(httpDuration) },
  optOut: {
    disk: 'stateless: pages are rendered from the api',
    playbook: 'a bad release is rolled back by the deployment pipeline, not by the receiver',
  },
  slos: [
    // SPEC: availability 99.9 % over 30 days.
    ratioSlo({
      name: 'availability',
      description: '99.9 % of web requests succeed over 30 days.',
      objective: 99.9,
      window: '30d',
      errors,
      total: requests,
    }),
    // SPEC: module switch latency "SLO: < 200 ms for 95 % of switches".
    latencySlo({
      name: 'module-switch',
      description: '95 % of module switches complete within 200 ms over 30 days.',
      objective: 95,
      window: '30d',
      histogram: select(moduleSwitch),
      threshold: 0.2,
    }),
    // SPEC: LCP < 2.5 s at the 75th percentile, i.e. 75 % of page views within 2.5 s, over
    // 28 days (the Chrome UX Report period). With a 25 % error budget the page tier could never
    // fire (14.4 × 25 % > 100 %), so only the slow-burn ticket tier alerts.
    latencySlo({
      name: 'lcp',
      description: '75 % of page views show their largest contentful paint within 2.5 s over 28 days.',
      objective: 75,
      window: '28d',
      histogram: select(largestContentfulPaint),
      threshold: 2.5,
      tiers: { page: { disabled: true } },
    }),
  ],
  alerts: [
    // SPEC: module switch latency p95 warning 200 ms, critical 500 ms.
    {
      name: 'WebModuleSwitchSlow',
      expr: quantile(0.95, select(moduleSwitch)),
      levels: { warning: 0.2, critical: 0.5 },
      for: '5m',
      covers: 'latency',
      summary: 'web module switch p95 is {{ $value | humanizeDuration }}',
      description:
        'The 95th percentile of module switch time in web (job {{ $labels.job }}) is {{ $value | humanizeDuration }} ' +
        '(warning above 200 ms, critical above 500 ms).',
    },
    // SPEC: governance page load time warning 1000 ms, critical 2000 ms (p90, like page load).
    {
      name: 'WebGovernancePageSlow',
      expr: quantile(0.9, select(pageLoad, { page: 'governance' }), { window: '10m' }),
      levels: { warning: 1, critical: 2 },
      for: '10m',
      summary: 'web governance page load p90 is {{ $value | humanizeDuration }}',
      description:
        'The 90th percentile of the governance page load time seen by real users of web (job {{ $labels.job }}) is ' +
        '{{ $value | humanizeDuration }} (warning above 1 s, critical above 2 s).',
    },
    vitalAlert('WebFirstContentfulPaintSlow', 'First Contentful Paint', firstContentfulPaint, 0.75, 1.8, '1.8 s'),
    vitalAlert('WebLargestContentfulPaintSlow', 'Largest Contentful Paint', largestContentfulPaint, 0.75, 2.5, '2.5 s'),
    vitalAlert('WebFirstInputDelayHigh', 'First Input Delay', firstInputDelay, 0.75, 0.1, '100 ms'),
    vitalAlert('WebLayoutShiftHigh', 'Cumulative Layout Shift', cumulativeLayoutShift, 0.75, 0.1, '0.1'),
    vitalAlert('WebTimeToInteractiveSlow', 'Time to Interactive', timeToInteractive, 0.75, 3.5, '3.5 s'),
    vitalAlert('WebPageLoadSlow', 'page load time', pageLoad, 0.9, 2, '2 s'),
    vitalAlert('WebNavigationSlow', 'navigation time', navigation, 0.75, 0.5, '500 ms'),
  ],
});
