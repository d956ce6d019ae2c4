import { z } from 'zod';
import { identifier, metric } from './schema-common.ts';

const callable = (value: unknown): boolean => typeof value === 'function';

export const dashboardSchema = z.object({
  kind: z.literal('dashboard'),
  folder: identifier,
  build: z.custom<unknown>(
    (value) => callable(value) || (typeof value === 'object' && value !== null && callable((value as { build?: unknown }).build)),
    'must be a DashboardBuilder of @grafana/grafana-foundation-sdk/dashboard, or a function returning one',
  ),
  metrics: z.array(metric).optional(),
});
