import { z } from 'zod';
import { dns1123Label, labelValue, qualifiedName } from '../model/kubernetes.ts';

// `defineConfig({ targets })`: every field checked here, so a typo (`ruleLabel`) or a name
// Kubernetes would refuse is a load error naming the field, not a failed `kubectl apply`.

const namespace = z.string().max(63, 'must be at most 63 characters').regex(dns1123Label, 'must be a DNS-1123 label like "monitoring"');
const labels = z
  .record(z.string(), z.string().regex(labelValue, 'is not a valid Kubernetes label value (at most 63 letters, digits, "-", "_", ".")'))
  .superRefine((record, context) => {
    for (const key of Object.keys(record))
      if (!qualifiedName.test(key)) context.addIssue({ code: 'custom', path: [key], message: 'is not a valid Kubernetes label key' });
  });

export const targetsSchema = z
  .object({
    prometheusOperator: z
      .object({
        namespace,
        ruleLabels: labels.optional(),
        serviceMonitors: z
          .object({
            labels: labels.optional(),
            serviceLabel: z.string().regex(qualifiedName, 'is not a valid Kubernetes label key').optional(),
            port: z
              .string()
              .max(15, 'must be at most 15 characters')
              .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Service port name like "metrics"')
              .optional(),
            namespaces: z.array(namespace).min(1, 'must name at least one namespace (leave it out for any)').optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    alertmanagerSecret: z
      .object({ namespace, name: z.string().max(50, 'must be at most 50 characters').regex(dns1123Label, 'must be a DNS-1123 label') })
      .strict()
      .optional(),
    grafanaSidecar: z
      .object({
        namespace,
        label: z.string().regex(qualifiedName, 'is not a valid Kubernetes label key').optional(),
        labelValue: z.string().regex(labelValue, 'is not a valid Kubernetes label value').optional(),
      })
      .strict()
      .optional(),
    grafanaOperator: z
      .object({ namespace, instanceSelector: z.object({ matchLabels: labels }).strict() })
      .strict()
      .optional(),
    mimir: z
      .object({ namespace: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "_", "." or "-"') })
      .strict()
      .optional(),
    openslo: z.boolean().optional(),
  })
  .strict();
