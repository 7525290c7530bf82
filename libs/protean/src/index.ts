/**
 * Protean for Nest: the public API of the domain and the buses — what an application's
 * modules, handlers and aggregates import. What only some processes need lives in entry
 * points of its own, so that importing this one never loads them:
 * `nestjs-protean/server` (the worker: the custom transport and its start-up),
 * `nestjs-protean/observability` (health, metrics, status, logging, the Observatory),
 * `nestjs-protean/cli` (the `protean` command) and `nestjs-protean/testing` (contract suites).
 */
export * from './runtime/protean.module.js';
export * from './runtime/protean.module-definition.js';
export * from './runtime/protean-worker.module.js';
export { UndeclaredBrokerError } from './runtime/undeclared-broker.error.js';
export * from './core/protean.tokens.js';
export * from './core/errors/protean.error.js';
export { PermanentError } from './core/errors/permanent.error.js';

export * from './core/config/config.schema.js';
export * from './core/config/configuration.error.js';
export * from './core/config/load-configuration.js';
export type { ProteanSettings } from './core/config/protean-settings.js';
export * from './core/config/protean-configuration.js';

export * from './core/messages/message-envelope.js';
export * from './core/messages/undeserializable-message.error.js';
export * from './core/messages/invalid-message.error.js';
export * from './core/messages/unknown-message-type.error.js';
export * from './core/messages/oversized-message.error.js';
export * from './core/messages/unstorable-value.error.js';
export { deserializeEnvelope, serializeEnvelope } from './core/messages/envelope-codec.js';
export {
  assertJsonDepth,
  assertStorableJsonText,
  MAX_JSON_DEPTH,
  parseUntrustedJson,
  rejectForbiddenKeys,
  scanJsonText,
} from './core/messages/safe-json.js';
export { stringProblem, unstorableValueProblems } from './core/messages/json-fidelity.js';
export * from './core/messages/stream-names.js';
export * from './core/messages/stream-partitions.js';
export { describeValidationErrors } from './core/messages/message-validation.js';

export { AggregateRoot } from './model/aggregate-root.js';
export { Aggregate } from './model/aggregate.decorator.js';
export { DomainCommand, DomainEvent } from './core/messages/message.decorators.js';
export * from './model/handler.decorators.js';
export * from './model/projection.decorator.js';
export * from './core/errors/domain-rule.error.js';
export * from './core/errors/validation.error.js';
export * from './core/errors/not-found.error.js';
export * from './core/errors/concurrency.error.js';
export * from './core/errors/already-processed.error.js';
export * from './model/handler-registration.error.js';
export * from './model/command-handler-not-found.error.js';
export type { HandlerOptions, Type } from './core/messages/domain-types.js';
export {
  AggregateRepository,
  InjectAggregateRepository,
  getRepositoryToken,
} from './model/aggregate-repository.js';
export {
  ProjectionRepository,
  InjectProjectionRepository,
  getProjectionRepositoryToken,
} from './model/projection-repository.js';
export { UnitOfWorkManager, type UnitOfWorkOptions } from './model/unit-of-work-manager.js';
export { NoEntityManagerError } from './model/no-entity-manager.error.js';
export { NoUnitOfWorkError } from './model/no-unit-of-work.error.js';
export { TransactionalEntityManager } from './model/transactional-entity-manager.js';
export { JoinedTransactionError } from './ports/database/joined-transaction.error.js';
export { HandlerRegistry } from './model/handler-registry.js';

export * from './application/command-bus.js';
export * from './application/event-bus.js';

export * from './ports/database/database.port.js';
export * from './ports/event-store/event-store.port.js';
export * from './ports/outbox/outbox-store.port.js';
export * from './runtime/outbox-relay/outbox-processor.js';
export { OutboxWriter } from './application/outbox-writer.js';
export {
  retryDelaySeconds,
  type OutboxBackoffPolicy,
} from './runtime/outbox-relay/retry-backoff.js';
export { backoffDelay, type BackoffPolicy } from './core/async/exponential-backoff.js';
export type { BrokerLookup } from './ports/broker/broker-lookup.js';

export * from './adapters/brokers/index.js';
export * from './adapters/postgresql/database-unavailable.error.js';
export * from './adapters/postgresql/database-missing.error.js';
export * from './adapters/postgresql/schema/schema-missing.error.js';
export {
  setupSchema,
  type SchemaSetupOptions,
  type SchemaSetupResult,
} from './adapters/postgresql/schema/schema-setup.js';
export {
  proteanMigrations,
  type ProteanMigrationOptions,
} from './adapters/postgresql/schema/protean-migrations.js';

export * from './core/context/correlation-context.js';
export * from './runtime/correlation.middleware.js';
export * from './runtime/lifecycle/shutdown-state.js';
export * from './core/config/bootstrap-configuration.js';
export * from './core/config/delivery-problems.js';
export * from './core/config/undeliverable-subscriptions.error.js';
export * from './core/config/configuration-summary.js';
export * from './runtime/lifecycle/close-on-signals.js';
export * from './runtime/lifecycle/await-startup-dependencies.js';
export * from './runtime/lifecycle/startup-timeout.error.js';
export * from './core/exit-codes.js';

export * from './runtime/server/protean-engine.js';
export * from './runtime/server/subscription-plan.js';
export * from './runtime/server/dependency-probe.js';
export * from './runtime/server/probe-timeout.error.js';
export * from './runtime/server/resolve-subscription-settings.js';
export * from './core/config/subscription-profiles.js';
export type { SubscriptionObserver } from './runtime/server/subscription-observer.js';
export { SubscriptionObservers } from './runtime/server/subscription-observers.js';
export { HopObservers } from './model/hop-observers.js';
export { MESSAGE_HOPS, type HopObserver, type MessageHop } from './core/messages/message-hops.js';
export * from './runtime/server/delivery-check.js';
export * from './runtime/server/worker-endpoints.js';
export * from './core/errors/missing-peer-dependency.error.js';
