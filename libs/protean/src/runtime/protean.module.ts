import {
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CommandBus } from '../application/command-bus.js';
import { EventBus } from '../application/event-bus.js';
import { HandlerRunner } from '../application/handler-runner.js';
import type { Database } from '../ports/database/database.port.js';
import { AggregateRepository, getRepositoryToken } from '../model/aggregate-repository.js';
import type { Type } from '../core/messages/domain-types.js';
import { HandlerRegistry } from '../model/handler-registry.js';
import {
  getProjectionRepositoryToken,
  ProjectionRepository,
} from '../model/projection-repository.js';
import { HopObservers } from '../model/hop-observers.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import { TransactionalEntityManager } from '../model/transactional-entity-manager.js';
import { EventStoreRecorder } from '../application/event-store-recorder.js';
import { EventStoreReaders } from '../application/event-store-readers.js';
import { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import { OutboxProcessor } from './outbox-relay/outbox-processor.js';
import { OutboxWakeup } from '../application/outbox-wakeup.js';
import { OutboxWriter } from '../application/outbox-writer.js';
import { DeliveryPolicy } from '../application/delivery-policy.js';
import { DirectPublisher } from '../application/direct-publisher.js';
import { DependencyProbe } from './server/dependency-probe.js';
import { ProteanEngine } from './server/protean-engine.js';
import { SubscriptionObservers } from './server/subscription-observers.js';
import { SubscriptionPlan } from './server/subscription-plan.js';
import { WorkerEndpoints } from './server/worker-endpoints.js';
import { CorrelationMiddleware } from './correlation.middleware.js';
import { infrastructureProviders } from './protean-infrastructure.js';
import { ProteanLifecycle } from './protean-lifecycle.js';
import { NamedBrokersCheck, namedBrokerProviders } from './named-brokers.js';
import {
  ConfigurableProteanModule,
  PROTEAN_ASYNC_OPTIONS_TYPE,
  PROTEAN_MODULE_OPTIONS,
  PROTEAN_OPTIONS_TYPE,
  type ProteanModuleOptions,
} from './protean.module-definition.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  ENVELOPE_FACTORY,
  EVENT_STORE,
  OUTBOX_STORE,
  PROTEAN_CONFIG,
} from '../core/protean.tokens.js';

const services = [
  HandlerRegistry,
  UnitOfWorkManager,
  TransactionalEntityManager,
  HandlerRunner,
  EventStoreRecorder,
  EventStoreReaders,
  OutboxWakeup,
  OutboxWriter,
  OutboxProcessor,
  DirectPublisher,
  CommandBus,
  EventBus,
  DeliveryPolicy,
  SubscriptionPlan,
  DependencyProbe,
  SubscriptionObservers,
  HopObservers,
  ProteanEngine,
  WorkerEndpoints,
  ProteanLifecycle,
  NamedBrokersCheck,
];

/**
 * Protean for Nest: the command bus, the event bus, units of work and the configured database,
 * event store and brokers, as providers. Import once with `forRoot()` / `forRootAsync()`
 * (global by default); register aggregates and read models with `forFeature()`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    ...infrastructureProviders,
    {
      provide: ENVELOPE_FACTORY,
      useFactory: (options: ProteanModuleOptions) => new EnvelopeFactory(options.domain),
      inject: [PROTEAN_MODULE_OPTIONS],
    },
    ...services,
  ],
  exports: [
    PROTEAN_CONFIG,
    DATABASE,
    EVENT_STORE,
    ENVELOPE_FACTORY,
    OUTBOX_STORE,
    BROKER_REGISTRY,
    OutboxProcessor,
    HandlerRegistry,
    UnitOfWorkManager,
    TransactionalEntityManager,
    CommandBus,
    EventBus,
    SubscriptionPlan,
    DependencyProbe,
    SubscriptionObservers,
    HopObservers,
    ProteanEngine,
    WorkerEndpoints,
  ],
})
export class ProteanModule extends ConfigurableProteanModule implements NestModule {
  /**
   * `forRoot()`, plus a token for `@InjectBroker(name)` per broker: `default`, every
   * `[brokers.*]` of `config` when given, and the names in `brokers`.
   */
  static override forRoot(options: typeof PROTEAN_OPTIONS_TYPE): DynamicModule {
    const configured = Object.keys(options.config?.brokers ?? {});
    return withNamedBrokers(super.forRoot(options), [...configured, ...(options.brokers ?? [])]);
  }

  /**
   * `forRootAsync()`, plus a token for `@InjectBroker(name)` per broker: `default` and the names
   * in `brokers` (the configuration is only known at runtime).
   */
  static override forRootAsync(options: typeof PROTEAN_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withNamedBrokers(super.forRootAsync(options), options.brokers ?? []);
  }

  /** Repositories for `aggregates` and `projections`, injectable with `@InjectAggregateRepository`. */
  static forFeature(feature: { aggregates?: Type[]; projections?: Type[] }): DynamicModule {
    const repositories: Provider[] = [
      ...(feature.aggregates ?? []).map((type) => ({
        provide: getRepositoryToken(type),
        useFactory: (units: UnitOfWorkManager, database: Database) =>
          new AggregateRepository(type as Type<never>, units, database),
        inject: [UnitOfWorkManager, DATABASE],
      })),
      ...(feature.projections ?? []).map((type) => ({
        provide: getProjectionRepositoryToken(type),
        useFactory: (units: UnitOfWorkManager, database: Database) =>
          new ProjectionRepository(type as Type<never>, units, database),
        inject: [UnitOfWorkManager, DATABASE],
      })),
    ];
    return {
      module: ProteanFeatureModule,
      providers: repositories,
      exports: repositories.map((provider) => (provider as { provide: string }).provide),
    };
  }

  /** Every HTTP request runs in a correlation context (see `CorrelationMiddleware`). */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes({ path: '*splat', method: RequestMethod.ALL });
  }
}

function withNamedBrokers(module: DynamicModule, names: readonly string[]): DynamicModule {
  const brokers = namedBrokerProviders(names);
  const tokens = brokers.map((provider) => (provider as { provide: string | symbol }).provide);
  return {
    ...module,
    providers: [...(module.providers ?? []), ...brokers],
    exports: [...(module.exports ?? []), ...tokens],
  };
}

/** The module `ProteanModule.forFeature()` returns. */
@Module({})
export class ProteanFeatureModule {}
