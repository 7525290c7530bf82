import { Inject, Injectable, Scope, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import { messageMetadataOf, messageTypeName } from '../core/messages/message-catalog.js';
import { commandCategory, eventCategory } from '../core/messages/stream-names.js';
import { ENVELOPE_FACTORY } from '../core/protean.tokens.js';
import { AggregateRepository } from './aggregate-repository.js';
import type { HandlerOptions, Type } from '../core/messages/domain-types.js';
import type {
  CommandHandlerMetadata,
  EventHandlerMetadata,
  OnEventMetadata,
  SubscriberOptions,
} from './handler.decorators.js';
import { declaredMessages } from '../core/messages/message.decorators.js';
import {
  COMMAND_HANDLER_METADATA,
  EVENT_HANDLER_METADATA,
  ON_EVENT_METADATA,
  PROJECTOR_METADATA,
  SUBSCRIBER_METADATA,
} from '../core/messages/protean.constants.js';
import { CommandHandlerNotFoundError } from './command-handler-not-found.error.js';
import { HandlerRegistrationError } from './handler-registration.error.js';
import {
  HANDLER_SOURCE_METADATA,
  type HandlerSource,
  type SourcedHandler,
} from './handler-source.js';

export type HandlerKind = 'command' | 'event' | 'projector' | 'subscriber';

/** How one handler handles one message type. */
export interface Route {
  readonly messageClass: Type;
  readonly invoke: (message: object) => Promise<unknown>;
}

/** A discovered handler: its name is its consumer group. */
export interface RegisteredHandler {
  readonly name: string;
  readonly kind: HandlerKind;
  readonly instance: object;
  readonly options: HandlerOptions;
  /** Message type name (`bookshelf.BookAdded.v1`) → route. */
  readonly routes: ReadonlyMap<string, Route>;
  /** The broker streams (categories) it reads. */
  readonly streams: readonly string[];
}

/** A discovered `@Subscriber`: raw payloads of an external stream. */
export interface RegisteredSubscriber {
  readonly name: string;
  readonly instance: object;
  readonly options: SubscriberOptions;
  readonly invoke: (payload: unknown) => Promise<unknown>;
}

const HANDLER_METADATA_KEYS = [
  COMMAND_HANDLER_METADATA,
  EVENT_HANDLER_METADATA,
  PROJECTOR_METADATA,
  SUBSCRIBER_METADATA,
];

/**
 * Finds every handler provider through Nest's `DiscoveryService` and checks the wiring at
 * start-up: each command of the application's aggregates has exactly one handler, every
 * handler has the method it needs, no handler is request-scoped, and handler names (consumer
 * groups) are unique.
 */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly domain: string;
  private readonly commandRoutes = new Map<string, RegisteredHandler>();
  private readonly eventRoutes = new Map<string, RegisteredHandler[]>();
  private readonly classes = new Map<string, Type>();
  private readonly registered: RegisteredHandler[] = [];
  private readonly registeredSubscribers: RegisteredSubscriber[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(ENVELOPE_FACTORY) envelopes: EnvelopeFactory,
  ) {
    this.domain = envelopes.domain;
  }

  onModuleInit(): void {
    const sources: HandlerSource[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype: unknown = wrapper.metatype;
      if (typeof metatype !== 'function') continue;
      if (instance && Reflect.hasMetadata(HANDLER_SOURCE_METADATA, metatype))
        sources.push(instance as HandlerSource);
      if (!isHandlerClass(metatype as Type)) continue;
      if (!wrapper.isDependencyTreeStatic())
        throw requestScopedHandler(metatype as Type, wrapper.scope === Scope.REQUEST);
      if (instance) this.register(metatype as Type, instance);
    }
    for (const source of sources) for (const handler of source.handlers()) this.adopt(handler);
    this.checkCommandsHaveHandlers();
    this.checkNamesAreUnique();
  }

  /** The handler of a command type; throws when there is none. */
  commandHandlerFor(type: string): RegisteredHandler {
    const handler = this.commandRoutes.get(type);
    if (!handler) throw new CommandHandlerNotFoundError(type);
    return handler;
  }

  /** Every handler (event handlers and projectors) of an event type. */
  eventHandlersFor(type: string): readonly RegisteredHandler[] {
    return this.eventRoutes.get(type) ?? [];
  }

  /** The class registered for a message type name. */
  messageClass(type: string): Type | undefined {
    return this.classes.get(type);
  }

  /** The wire type name of a message class. */
  typeName(messageClass: Type): string {
    return messageTypeName(this.domain, messageClass);
  }

  handlers(): readonly RegisteredHandler[] {
    return this.registered;
  }

  subscribers(): readonly RegisteredSubscriber[] {
    return this.registeredSubscribers;
  }

  private register(metatype: Type, instance: object): void {
    const command = Reflect.getMetadata(COMMAND_HANDLER_METADATA, metatype) as
      CommandHandlerMetadata | undefined;
    const events = Reflect.getMetadata(EVENT_HANDLER_METADATA, metatype) as
      EventHandlerMetadata | undefined;
    const projector = Reflect.getMetadata(PROJECTOR_METADATA, metatype) as
      HandlerOptions | undefined;
    const subscriber = Reflect.getMetadata(SUBSCRIBER_METADATA, metatype) as
      SubscriberOptions | undefined;
    if (command) this.registerCommandHandler(metatype, instance, command);
    if (events) this.registerEventHandler(metatype, instance, events);
    if (projector) this.registerProjector(metatype, instance, projector);
    if (subscriber) this.registerSubscriber(metatype, instance, subscriber);
  }

  private registerCommandHandler(
    metatype: Type,
    instance: object,
    meta: CommandHandlerMetadata,
  ): void {
    const invoke = this.method(metatype, instance, 'execute');
    this.addCommandHandler(
      this.add(metatype, instance, 'command', meta.options, [[meta.command, invoke]]),
    );
  }

  /** Registers a handler of a {@link HandlerSource}, as a decorated one of its kind. */
  private adopt(sourced: SourcedHandler): void {
    const { metatype, instance, kind, options, routes } = sourced;
    const handler = this.add(metatype, instance, kind, options, routes);
    if (kind === 'command') this.addCommandHandler(handler);
    else this.addEventHandler(handler);
  }

  private addCommandHandler(handler: RegisteredHandler): void {
    for (const [type, { messageClass }] of handler.routes) {
      const existing = this.commandRoutes.get(type);
      if (existing) {
        throw new HandlerRegistrationError(
          `${messageClass.name} has two command handlers, ${existing.name} and ${handler.name}; keep one`,
        );
      }
      this.commandRoutes.set(type, handler);
    }
  }

  private registerEventHandler(metatype: Type, instance: object, meta: EventHandlerMetadata): void {
    if (meta.events.length === 0) {
      throw new HandlerRegistrationError(`@EventHandler() on ${metatype.name} names no event`);
    }
    const invoke = this.method(metatype, instance, 'handle');
    this.addEventHandler(
      this.add(
        metatype,
        instance,
        'event',
        meta.options,
        meta.events.map((event) => [event, invoke]),
      ),
    );
  }

  private registerProjector(metatype: Type, instance: object, options: HandlerOptions): void {
    const methods = (Reflect.getMetadata(ON_EVENT_METADATA, metatype) ?? []) as OnEventMetadata[];
    if (methods.length === 0) {
      throw new HandlerRegistrationError(`@Projector() ${metatype.name} has no @On(Event) method`);
    }
    const routes = methods.flatMap(({ events, method }) =>
      events.map((event): [Type, Route['invoke']] => [
        event,
        this.method(metatype, instance, method),
      ]),
    );
    this.addEventHandler(this.add(metatype, instance, 'projector', options, routes));
  }

  private registerSubscriber(metatype: Type, instance: object, options: SubscriberOptions): void {
    this.registeredSubscribers.push({
      name: options.name ?? metatype.name,
      instance,
      options,
      invoke: this.method(metatype, instance, 'handle'),
    });
  }

  private add(
    metatype: Type,
    instance: object,
    kind: HandlerKind,
    options: HandlerOptions,
    routes: ReadonlyArray<readonly [Type, Route['invoke']]>,
  ): RegisteredHandler {
    const routeMap = new Map<string, Route>();
    const streams = new Set<string>();
    for (const [messageClass, invoke] of routes) {
      const type = this.typeName(messageClass);
      const { kind: messageKind, category } = messageMetadataOf(messageClass);
      if ((kind === 'command') !== (messageKind === 'COMMAND')) {
        throw new HandlerRegistrationError(
          `${metatype.name} handles ${messageClass.name}, which is ${messageKind === 'COMMAND' ? 'a command' : 'an event'}`,
        );
      }
      routeMap.set(type, { messageClass, invoke });
      this.classes.set(type, messageClass);
      streams.add(
        kind === 'command'
          ? commandCategory(this.domain, category)
          : eventCategory(this.domain, category),
      );
    }
    const handler: RegisteredHandler = {
      name: options.name ?? metatype.name,
      kind,
      instance,
      options,
      routes: routeMap,
      streams: [...streams],
    };
    this.registered.push(handler);
    return handler;
  }

  private addEventHandler(handler: RegisteredHandler): void {
    for (const type of handler.routes.keys()) {
      this.eventRoutes.set(type, [...(this.eventRoutes.get(type) ?? []), handler]);
    }
  }

  private method(
    metatype: Type,
    instance: object,
    name: string | symbol,
  ): (message: any) => Promise<unknown> {
    const method = (instance as Record<string | symbol, unknown>)[name];
    if (typeof method !== 'function') {
      throw new HandlerRegistrationError(`${metatype.name} must have a method ${String(name)}()`);
    }
    return (message) => Promise.resolve(method.call(instance, message));
  }

  /** Commands of the aggregates this application has repositories for must have one handler. */
  private checkCommandsHaveHandlers(): void {
    const categories = new Set(
      this.discovery
        .getProviders()
        .map((wrapper) => wrapper.instance as unknown)
        .filter(
          (instance): instance is AggregateRepository<never> =>
            instance instanceof AggregateRepository,
        )
        .map((repository) => repository.category),
    );
    const unhandled = declaredMessages()
      .map((type) => ({ type, metadata: messageMetadataOf(type) }))
      .filter(({ metadata }) => metadata.kind === 'COMMAND' && categories.has(metadata.category))
      .filter(({ type }) => !this.commandRoutes.has(this.typeName(type)));
    if (unhandled.length > 0) {
      const names = unhandled.map(({ type }) => type.name).join(', ');
      throw new HandlerRegistrationError(
        `No command handler for ${names}: add a @CommandHandler provider`,
      );
    }
  }

  private checkNamesAreUnique(): void {
    const seen = new Set<string>();
    for (const { name } of [...this.registered, ...this.registeredSubscribers]) {
      if (seen.has(name)) {
        throw new HandlerRegistrationError(
          `Two handlers are named ${name}; handler names are consumer groups and must be unique`,
        );
      }
      seen.add(name);
    }
  }
}

function isHandlerClass(metatype: Type): boolean {
  return HANDLER_METADATA_KEYS.some((key) => Reflect.hasMetadata(key, metatype));
}

/** A handler Nest would create per request: the engine runs handlers outside any request. */
function requestScopedHandler(metatype: Type, itself: boolean): HandlerRegistrationError {
  const why = itself
    ? 'is request-scoped'
    : 'depends on a request-scoped provider (such as REQUEST)';
  return new HandlerRegistrationError(
    `Handler ${metatype.name} ${why}: handlers are run by the engine, outside any request, so ` +
      'there is no request to create it for; make it and its dependencies singletons (the default scope)',
  );
}
