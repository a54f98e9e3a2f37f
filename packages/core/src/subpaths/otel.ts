// @cognito-guard/core/otel: spans and metrics of every decision and key fetch, for the
// `telemetry` option. A subpath, because it needs @opentelemetry/api (an optional peer): guards
// without telemetry never load it.

export type { OpenTelemetryOptions } from '../telemetry/open-telemetry';
export { INSTRUMENTATION_NAME, openTelemetry } from '../telemetry/open-telemetry';
