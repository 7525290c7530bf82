/**
 * `nestjs-protean/observability`: health (terminus), Prometheus metrics, the status snapshot,
 * structured logging (nestjs-pino) and the Observatory — what a process that serves them
 * imports, and nothing the domain needs.
 */
export * from './operations/observability/protean-health.indicator.js';
export * from './operations/observability/protean-health.module.js';
export * from './operations/observability/protean-health.js';
export * from './operations/observability/protean-observability.module.js';
export * from './operations/observability/logging/log-settings.js';
export * from './operations/observability/logging/protean-logger.module.js';
export { pinoParams } from './operations/observability/logging/pino-params.js';
export * from './operations/observability/metrics/protean-metrics.js';
export * from './operations/observability/metrics/protean-metrics.module.js';
export * from './operations/observability/status/protean-status.js';
export * from './operations/observability/status/protean-status.module.js';
export type * from './operations/observability/status/status-snapshot.js';
export type { PlannedSubscription } from './runtime/server/subscription-plan.js';
export * from './operations/observability/observatory/observatory.module.js';
