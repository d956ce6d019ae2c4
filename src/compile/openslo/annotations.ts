// What monforge keeps in an OpenSLO SLO's annotations (implementation metadata, as the spec
// intends them), so that importing the generated files gives back the same SLOs.

/** The SLO's monforge name, where `metadata.name` (`<service>-<slo>`) cannot be split back. */
export const sloNameAnnotation = 'monforge/slo';
/** Its own burn alert name (`alertName`). */
export const alertNameAnnotation = 'monforge/alert-name';
/** Its alerts' annotations and tier options, as JSON. */
export const alertingAnnotation = 'monforge/alerting';
/** On the Service object: the service's selector, as JSON (its SLOs' queries include it). */
export const selectorAnnotation = 'monforge/selector';
