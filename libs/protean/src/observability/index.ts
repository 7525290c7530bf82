/**
 * `nestjs-protean/observability`: health (terminus), Prometheus metrics, the status snapshot,
 * structured logging (nestjs-pino) and the Observatory — what a process that serves them
 * imports, and nothing the domain needs.
 */
export * from './protean-health.indicator.js';
export * from './protean-health.module.js';
export * from './protean-health.js';
export * from './protean-observability.module.js';
export * from './logging/log-settings.js';
export * from './logging/protean-logger.module.js';
export { pinoParams } from './logging/pino-params.js';
export * from './metrics/protean-metrics.js';
export * from './metrics/protean-metrics.module.js';
export * from './status/protean-status.js';
export * from './status/protean-status.module.js';
export type * from './status/status-snapshot.js';
export type { PlannedSubscription } from '../server/subscription-plan.js';
export * from './observatory/observatory.module.js';
