// Metrics the imported definitions read, declared once.
// Yours now: add help texts and units.

import { counter, gauge } from 'monforge';

export const any = gauge({ name: 'Any', help: 'Read by what was imported from occurrences-slo.yaml.' });

export const httpRequestDurationSecondsCount = counter({ name: 'http_request_duration_seconds_count', help: 'Read by what was imported from getting-started.yml.', labels: ['code'] });

export const unifipollerClientSatisfactionRatio = gauge({ name: 'unifipoller_client_satisfaction_ratio', help: 'Read by what was imported from home-wifi.yml.' });
