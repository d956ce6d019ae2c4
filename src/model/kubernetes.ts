// Kubernetes' own rules for names, labels and object sizes, shared by the load checks of
// `targets`, the Kubernetes compiler and `monforge check`'s validation of its objects.

/** DNS-1123 label: namespaces, and the parts of generated object names. */
export const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dns1123LabelMax = 63;
/** DNS-1123 subdomain: object names. */
export const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const dns1123SubdomainMax = 253;
/** A label or annotation key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters. */
export const qualifiedName =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
/** A label value: empty, or at most 63 characters of alphanumerics, `-`, `_`, `.`, alphanumeric at both ends. */
export const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** A ConfigMap or Secret data key. */
export const dataKey = /^[-._a-zA-Z0-9]+$/;

const KiB = 1024;
/** etcd's request limit as the API server enforces it for any object (and ConfigMap/Secret data). */
export const objectSizeLimit = 1024 * KiB;
/** prometheus-operator packs rule files into ConfigMaps of at most half a MiB; one PrometheusRule must fit in one. */
export const prometheusRuleSizeLimit = 512 * KiB;
/** Client-side `kubectl apply` copies the object into an annotation, and annotations total at most 256 KiB. */
export const annotationsSizeLimit = 256 * KiB;

export const kib = (bytes: number): string => `${(bytes / KiB).toFixed(1)} KiB`;

/**
 * Why an object of `kind` is too large to apply, or undefined. Measured as the JSON that
 * kubectl sends (what the API server and etcd count), not the YAML file.
 */
export function objectSizeProblem(kind: string, object: unknown): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(object));
  const [limit, why] =
    kind === 'PrometheusRule'
      ? [prometheusRuleSizeLimit, "prometheus-operator's 512 KiB limit for one PrometheusRule: split the service's alerts or SLOs"]
      : [objectSizeLimit, "Kubernetes' 1 MiB object limit"];
  return bytes > limit ? `${kind} is ${kib(bytes)}, over ${why}` : undefined;
}
