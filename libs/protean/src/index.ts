/**
 * Protean for Nest: the public API of the domain and the buses — what an application's
 * modules, handlers and aggregates import. What only some processes need lives in entry
 * points of its own, so that importing this one never loads them:
 * `nestjs-protean/server` (the worker: the custom transport and its start-up),
 * `nestjs-protean/observability` (health, metrics, status, logging, the Observatory),
 * `nestjs-protean/cli` (the `protean` command) and `nestjs-protean/testing` (contract suites).
 */
export * from './protean.module.js';
export * from './protean.module-definition.js';
export * from './protean.tokens.js';
export * from './errors/protean.error.js';
export { PermanentError } from './errors/permanent.error.js';

export * from './config/config.schema.js';
export * from './config/configuration.error.js';
export * from './config/load-configuration.js';
export type { ProteanSettings } from './config/protean-settings.js';
export * from './config/protean-configuration.js';

export * from './messages/message-envelope.js';
export * from './messages/message.errors.js';
export * from './messages/envelope-codec.js';
export {
  assertJsonDepth,
  assertStorableJsonText,
  MAX_JSON_DEPTH,
  parseUntrustedJson,
  rejectForbiddenKeys,
  scanJsonText,
} from './messages/safe-json.js';
export { stringProblem, unstorableValueProblems } from './messages/json-fidelity.js';
export * from './messages/stream-names.js';
export { describeValidationErrors } from './messages/message-validation.js';

export { AggregateRoot } from './domain/aggregate-root.js';
export { Aggregate } from './domain/aggregate.decorator.js';
export { DomainCommand, DomainEvent } from './domain/message.decorators.js';
export * from './domain/handler.decorators.js';
export * from './domain/projection.decorator.js';
export * from './domain/domain.errors.js';
export * from './domain/registry.errors.js';
export type { HandlerOptions, Type } from './domain/domain-types.js';
export {
  AggregateRepository,
  InjectAggregateRepository,
  getRepositoryToken,
} from './domain/aggregate-repository.js';
export {
  ProjectionRepository,
  InjectProjectionRepository,
  getProjectionRepositoryToken,
} from './domain/projection-repository.js';
export { UnitOfWorkManager, type UnitOfWorkOptions } from './domain/unit-of-work-manager.js';
export { NoEntityManagerError, NoUnitOfWorkError } from './domain/unit-of-work.js';
export { TransactionalEntityManager } from './domain/transactional-entity-manager.js';
export { JoinedTransactionError } from './database/joined-transaction.error.js';
export { HandlerRegistry } from './domain/handler-registry.js';

export * from './buses/command-bus.js';
export * from './buses/event-bus.js';

export * from './database/database.port.js';
export * from './event-store/event-store.port.js';
export * from './outbox/outbox-store.port.js';
export * from './outbox/outbox-processor.js';
export { OutboxWriter } from './outbox/outbox-writer.js';
export { retryDelaySeconds, type OutboxBackoffPolicy } from './outbox/retry-backoff.js';
export { backoffDelay, type BackoffPolicy } from './retry/exponential-backoff.js';
export type { BrokerLookup } from './brokers/broker-lookup.js';

export * from './brokers/index.js';
export * from './postgresql/database-unavailable.error.js';
export * from './postgresql/database-missing.error.js';
export * from './postgresql/schema-missing.error.js';
export {
  setupSchema,
  type SchemaSetupOptions,
  type SchemaSetupResult,
} from './postgresql/schema-setup.js';
export {
  proteanMigrations,
  type ProteanMigrationOptions,
} from './postgresql/protean-migrations.js';

export * from './observability/correlation-context.js';
export * from './observability/correlation.middleware.js';
export * from './lifecycle/shutdown-state.js';
export * from './config/bootstrap-configuration.js';
export * from './config/delivery-problems.js';
export * from './config/configuration-summary.js';
export * from './lifecycle/close-on-signals.js';
export * from './lifecycle/await-startup-dependencies.js';
export * from './lifecycle/exit-codes.js';

export * from './server/protean-engine.js';
export * from './server/subscription-plan.js';
export * from './server/dependency-probe.js';
export * from './server/resolve-subscription-settings.js';
export * from './server/subscription-profiles.js';
export type { SubscriptionObserver } from './server/subscription-observer.js';
export * from './server/worker-endpoints.js';
export * from './errors/missing-peer-dependency.error.js';
