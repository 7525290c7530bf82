import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule, type CqrsModuleOptions } from '@nestjs/cqrs';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { PROTEAN_CONFIG } from '../../core/protean.tokens.js';
import { CommandForwarding } from './command-forwarding.js';
import { CommandModes } from './command-modes.js';
import { CqrsHandlerSource } from './cqrs-handler-source.js';
import { CqrsPublisherModule } from './cqrs-publisher.module.js';
import { OutboxEventPublisher } from './outbox-event-publisher.js';
import { PROTEAN_CQRS_OPTIONS, type ProteanCqrsOptions } from './protean-cqrs.options.js';

/** `CqrsModule` options that stay the application's (the event publisher is the bridge's). */
export type CqrsPassThroughOptions = Omit<CqrsModuleOptions, 'eventPublisher' | 'commandPublisher'>;

/**
 * The bridge: import it instead of `CqrsModule.forRoot()`, beside `ProteanModule.forRoot()`,
 * in the API and in the worker; handlers, sagas and aggregates stay as they are.
 * `CqrsModule` is set up with {@link OutboxEventPublisher} as its `eventPublisher` (events go
 * to the outbox, with the unit of work), the `@nestjs/cqrs` handlers are handed to Protean's
 * registry ({@link CqrsHandlerSource}: the worker runs them from consumer groups) and commands
 * are forwarded to Protean's command bus, sync or async per class ({@link CommandForwarding}).
 */
@Module({})
export class ProteanCqrsModule {
  /** The bridge with `options`; `cqrs`: the rest of `CqrsModule`'s own options. */
  static forRoot(
    options: ProteanCqrsOptions = {},
    cqrs: CqrsPassThroughOptions = {},
  ): DynamicModule {
    const bridgeOptions: Provider = { provide: PROTEAN_CQRS_OPTIONS, useValue: options };
    const publisher: DynamicModule = {
      module: CqrsPublisherModule,
      providers: [bridgeOptions, OutboxEventPublisher],
      exports: [OutboxEventPublisher],
    };
    return {
      module: ProteanCqrsModule,
      imports: [
        DiscoveryModule,
        CqrsModule.forRootAsync({
          imports: [publisher],
          inject: [OutboxEventPublisher],
          useFactory: (eventPublisher: OutboxEventPublisher) => ({ ...cqrs, eventPublisher }),
        }),
      ],
      providers: [
        bridgeOptions,
        {
          provide: CommandModes,
          inject: [PROTEAN_CONFIG],
          useFactory: (config: ProteanConfig) =>
            new CommandModes(options.commands, config.command_processing),
        },
        CqrsHandlerSource,
        CommandForwarding,
      ],
    };
  }
}
