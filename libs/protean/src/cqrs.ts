/**
 * `nestjs-protean/cqrs`: the bridge under an existing `@nestjs/cqrs` application (an optional
 * peer; the main entry never loads it). Import `ProteanCqrsModule.forRoot()` instead of
 * `CqrsModule.forRoot()`: events go to the outbox with the unit of work, handlers and sagas
 * run in the worker, commands run sync or async per class. See docs/cqrs.md.
 *
 * The names Protean shares with `@nestjs/cqrs` are re-exported here with a `Protean` prefix,
 * so one file can import both packages without renaming on import.
 */
export {
  ProteanCqrsModule,
  type CqrsPassThroughOptions,
} from './adapters/cqrs/protean-cqrs.module.js';
export {
  PROTEAN_CQRS_OPTIONS,
  type ProteanCqrsOptions,
} from './adapters/cqrs/protean-cqrs.options.js';
export { CqrsBridgeConfigurationError } from './adapters/cqrs/cqrs-bridge-configuration.error.js';
export { CommandModes } from './adapters/cqrs/command-modes.js';
export { SagaTimeoutError } from './adapters/cqrs/saga-timeout.error.js';
export { OutboxEventPublisher } from './adapters/cqrs/outbox-event-publisher.js';
export { DEFAULT_CQRS_CATEGORY } from './adapters/cqrs/cqrs-messages.js';
export type { CommandMode } from './application/command-bus.js';

export {
  CommandHandler as ProteanCommandHandler,
  EventHandler as ProteanEventHandler,
  type ICommandHandler as IProteanCommandHandler,
  type IEventHandler as IProteanEventHandler,
} from './model/handler.decorators.js';
export { CommandBus as ProteanCommandBus } from './application/command-bus.js';
export { EventBus as ProteanEventBus } from './application/event-bus.js';
export { AggregateRoot as ProteanAggregateRoot } from './model/aggregate-root.js';
